/**
 * One fuzz case: which seed and file (chosen from the fuzz seed and the case number), its mutations,
 * and running the reader the way the app does (open, structured-clone the summary as the dataset
 * worker posts it, read the first and last frame and clone them too).
 */
import { CodecError, FormatError } from '../../src/core/errors';
import type { FrameSource, SourceTree } from '../../src/core/types';
import { bytesSourceFile } from '../../src/io/slice-file';
import { applyPatches, planMutations, type Patch } from './mutate';
import { hash32, Rng } from './rng';
import type { ReaderName, Seed, SeedFile } from './seeds';

export interface CasePlan {
  caseNo: number;
  seedId: string;
  reader: ReaderName;
  file: string;
  patches: Patch[];
}

export type Outcome =
  | { kind: 'ok' }
  | { kind: 'format'; message: string }
  /** the damaged tree now sniffs as a video-backed format (py-pde movie, plain video): needs a browser */
  | { kind: 'browser'; message: string }
  | { kind: 'error'; name: string; message: string; stack: string };

/** Seeds grouped by reader, in a fixed order. */
export function byReader(seeds: readonly Seed[]): Map<ReaderName, Seed[]> {
  const m = new Map<ReaderName, Seed[]>();
  for (const s of seeds) m.set(s.reader, [...(m.get(s.reader) ?? []), s]);
  return m;
}

export function planCase(groups: Map<ReaderName, Seed[]>, readers: readonly ReaderName[], fuzzSeed: number, caseNo: number): CasePlan {
  const present = readers.filter((r) => groups.get(r)?.length);
  const rng = new Rng(hash32('framescope-fuzz', fuzzSeed, caseNo));
  const reader = present[caseNo % present.length];
  const seeds = groups.get(reader)!;
  const seed = seeds[rng.int(seeds.length)];
  const targets = seed.targets.length ? seed.targets : seed.files.map((f) => f.path);
  // small text/metadata files are where type confusion lives: pick them more often
  const weighted = targets.map((t) => [/\.(json|ya?ml|xml|set|scales|txt)$/i.test(t) ? 4 : 1, t] as const);
  const file = rng.weighted(weighted);
  const bytes = seed.files.find((f) => f.path === file)!.bytes;
  return { caseNo, seedId: seed.id, reader, file, patches: planMutations(rng, file, bytes) };
}

/** The seed's files with the plan's patches applied to its file. */
export function mutatedFiles(seed: Seed, plan: Pick<CasePlan, 'file' | 'patches'>): SeedFile[] {
  return seed.files.map((f) => (f.path === plan.file ? { path: f.path, bytes: applyPatches(f.bytes, plan.patches) } : f));
}

function treeOf(name: string, files: SeedFile[]): SourceTree {
  return { name, files: files.map((f) => bytesSourceFile(f.path, f.bytes, { copy: true })) };
}

async function exerciseSource(src: FrameSource, openOnly: boolean): Promise<void> {
  structuredClone({ metadata: src.metadata, frames: src.frames, fields: src.fields, series: src.series, warnings: src.warnings, documents: src.documents });
  JSON.stringify(src.metadata, (_k, v) => (typeof v === 'bigint' ? Number(v) : ArrayBuffer.isView(v) ? undefined : v));
  if (openOnly || !src.frames.length) return;
  const picks = [...new Set([0, src.frames.length - 1])];
  for (const i of picks) {
    const fr = await src.readFrame(i);
    structuredClone(fr);
  }
  src.nearestIndex(0);
}

class NeedsBrowser extends Error {}

/** Run one case; every thrown value is classified (FormatError is the expected answer to bad input). */
export async function runCase(seed: Seed, files: SeedFile[]): Promise<Outcome> {
  try {
    await runReader(seed, files);
    return { kind: 'ok' };
  } catch (e) {
    if (e instanceof NeedsBrowser) return { kind: 'browser', message: e.message };
    if (e instanceof FormatError) return { kind: 'format', message: e.message };
    // the low-level codecs answer with CodecError when called directly
    if (e instanceof CodecError && ['npy', 'pickle', 'png', 'npz'].includes(seed.reader)) return { kind: 'format', message: e.message };
    if (e instanceof Error) return { kind: 'error', name: e.name, message: e.message, stack: e.stack ?? '' };
    return { kind: 'error', name: `thrown ${typeof e}`, message: String(e), stack: '' };
  }
}

async function runReader(seed: Seed, files: SeedFile[]): Promise<void> {
  switch (seed.reader) {
    case 'davis':
    case 'imgstore':
    case 'phiflow':
    case 'pivtext':
    case 'zarr': {
      const { openDataset, detectFormat } = await import('../../src/formats/index');
      const tree = treeOf(seed.id.split(':')[1] ?? 'x', files);
      const fmt = await detectFormat(tree);
      if (fmt?.video) throw new NeedsBrowser(`sniffed as ${fmt.id}`);
      const src = await openDataset(tree);
      try {
        await exerciseSource(src, !!seed.openOnly);
        for (const sc of (src.scenes ?? []).slice(0, 2)) {
          const s2 = await sc.open();
          await exerciseSource(s2, !!seed.openOnly);
          s2.close();
        }
      } finally {
        src.close();
      }
      return;
    }
    case 'npz': {
      const { openNpz } = await import('../../src/codecs/npz');
      const npz = await openNpz(bytesSourceFile(files[0].path, files[0].bytes, { copy: true }));
      for (const n of npz.names) await npz.readHeader(n);
      structuredClone(await npz.readMany());
      return;
    }
    case 'npy': {
      const { decodeNpy, readNpyHeader } = await import('../../src/codecs/npy');
      readNpyHeader(files[0].bytes);
      structuredClone(decodeNpy(files[0].bytes.slice()));
      return;
    }
    case 'pickle': {
      const { unpickle, toPlain } = await import('../../src/codecs/pickle');
      const v = unpickle(files[0].bytes);
      structuredClone(toPlain(v));
      return;
    }
    case 'png': {
      const { decodePng } = await import('../../src/codecs/png');
      structuredClone(decodePng(files[0].bytes, files[0].path));
      return;
    }
  }
}
