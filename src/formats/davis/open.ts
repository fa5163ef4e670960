import { throwIfAborted } from '../../core/abort';
import { NEAREST_RULES, nearestIndex } from '../../core/nearest';
/**
 * DaVis FrameSource: a `.set` with its `B00001.*` folder (image / vector sets), a folder of `B0000N.*`
 * buffers without a set file, single buffers, DaVis 10/11 `.ims` recording sets and particle-field sets
 * (header facts only). Buffers are read lazily: readFrame(i) reads only buffer i's file.
 */
import { FormatError } from '../errors';
import type { FieldInfo, Frame, FrameInfo, FrameSource, SourceFile, SourceTree } from '../types';
import { basenameOf, dirnameOf, extOf } from '../../io/subtree';
import { findImsStreams, readImsFrame } from './ims';
import type { DavisBuffer } from './model';
import { openParticleField } from './particles';
import { probeBufferTime } from './probe';
import { BAYER_WARNING, readDavisBuffer } from './read-buffer';
import { type DavisSetFile, looksLikeSetText, parseSetFile } from './set-file';
import { plausibleBufferHeader } from './sniff';

const BUFFER_EXT = new Set(['im7', 'vc7', 'imx', 'img', 'vec']);
const B_FILE = /^B(\d{5,})\.(im7|vc7|imx|img|vec)$/i;
/** sets larger than this get no acquisition-time probe at open (times stay null) */
export const MAX_TIME_PROBES = 500;

interface Entry {
  file: SourceFile;
  number: number;
}

function childrenOf(tree: SourceTree, folder: string): Map<string, SourceFile> {
  const m = new Map<string, SourceFile>();
  for (const f of tree.files) if (dirnameOf(f.path) === folder) m.set(basenameOf(f.path), f);
  return m;
}

const abortIf = (signal?: AbortSignal) => throwIfAborted(signal);

const nearestByTime = (frames: FrameInfo[], t: number): number =>
  nearestIndex(
    frames.map((f) => f.time),
    t,
    NEAREST_RULES.davis,
  );

function fieldInfos(buf: DavisBuffer): FieldInfo[] {
  return Object.entries(buf.fields).map(([name, fd]) => ({ name, kind: fd.kind, shape: fd.shape, unit: fd.scales?.i?.unit ?? '' }));
}

function bufferFacts(buf: DavisBuffer): Record<string, unknown> {
  const h = buf.header;
  return {
    header: h,
    frameKind: buf.frames[0]?.kind,
    frameCount: buf.frames.length,
    components: buf.frames[0]?.components.map((c) => c.name) ?? [],
    scales: buf.frames[0]?.scales,
    grid: buf.frames[0]?.grid,
  };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** A FrameSource over buffer files (a set, a B-file folder or single files). */
export async function openBufferSequence(name: string, entries: Entry[], set: DavisSetFile | null): Promise<FrameSource> {
  if (!entries.length) throw new FormatError('davis', name, 'no DaVis buffer files (B00001.im7/.vc7, ...) found');
  const first = await readDavisBuffer(entries[0].file);
  const warnings = [...new Set(first.warnings)];
  let times: (number | null)[] = entries.map(() => null);
  times[0] = first.time;
  if (entries.length > 1 && entries.length <= MAX_TIME_PROBES && first.time !== null) {
    const rest = await mapLimit(entries.slice(1), 8, (e) => probeBufferTime(e.file).catch(() => null));
    times = [first.time, ...rest];
  } else if (entries.length > MAX_TIME_PROBES) {
    warnings.push(`acquisition times are not read for sets of more than ${MAX_TIME_PROBES} buffers`);
  }
  const frames: FrameInfo[] = entries.map((e, i) => ({ index: i, number: e.number, time: times[i] }));
  const metadata: Record<string, unknown> = {
    kind: set ? set.setTypeName : entries.length > 1 ? 'buffer folder' : 'buffer',
    set: set ? { comment: set.comment, ...set.entries } : null,
    setType: set?.setType ?? null,
    bufferCount: entries.length,
    files: entries.slice(0, 1000).map((e) => e.file.path),
    ...bufferFacts(first),
    attributes: first.attributes,
    frameAttributes: first.frames.map((f) => f.attributes),
  };
  if (warnings.includes(BAYER_WARNING)) metadata.notice = BAYER_WARNING;
  if (warnings.length) metadata.warnings = warnings;
  let cached: DavisBuffer | null = first;
  const toFrame = (buf: DavisBuffer, i: number): Frame => ({
    info: frames[i],
    fields: buf.fields,
    attributes: { ...buf.attributes, frames: buf.frames.map((f) => f.attributes), warnings: buf.warnings },
  });
  return {
    format: 'davis',
    name,
    frames,
    fields: fieldInfos(first),
    metadata,
    timeUnit: frames.some((f) => f.time !== null) ? 's' : null,
    warnings,
    async readFrame(index, opts) {
      abortIf(opts?.signal);
      if (!Number.isInteger(index) || index < 0 || index >= entries.length) {
        throw new FormatError('davis', name, `frame index ${index} out of range 0..${entries.length - 1}`);
      }
      if (index === 0 && cached) {
        const b = cached;
        cached = null; // hand the first buffer over once; later reads decode afresh (the app caches frames)
        return toFrame(b, 0);
      }
      const buf = await readDavisBuffer(entries[index].file);
      abortIf(opts?.signal);
      return toFrame(buf, index);
    },
    nearestIndex: (t) => nearestByTime(frames, t),
    close() {
      cached = null;
    },
  };
}

async function openIms(name: string, folder: string, files: Map<string, SourceFile>, set: DavisSetFile | null): Promise<FrameSource> {
  const streams = await findImsStreams(files, folder);
  if (!streams.length) throw new FormatError('davis', name, 'recording set without any {prefix}-0.ims / -1.ims stream pair');
  const n = Math.min(...streams.map((s) => s.entries.length));
  const frames: FrameInfo[] = Array.from({ length: n }, (_, i) => ({ index: i, number: i + 1, time: null }));
  const fields: FieldInfo[] = streams.map((s, f) => ({ name: `frame${f}`, kind: 'scalar', shape: [s.height, s.width], unit: s.scales.i?.unit ?? 'counts' }));
  const warnings = streams.some((s) => s.height % 16)
    ? ['lvpyio pads .ims frames to a height that is a multiple of 16; this reader shows the unpadded image']
    : [];
  return {
    format: 'davis',
    name,
    frames,
    fields,
    metadata: {
      kind: 'recording (stream) set',
      set: set?.entries ?? null,
      streams: streams.map((s) => ({ prefix: s.prefix, decoder: s.decoderId, width: s.width, height: s.height, entries: s.entries.length, scales: s.scales })),
    },
    timeUnit: null,
    warnings,
    async readFrame(index, opts) {
      abortIf(opts?.signal);
      if (!Number.isInteger(index) || index < 0 || index >= n) throw new FormatError('davis', name, `frame index ${index} out of range 0..${n - 1}`);
      return { info: frames[index], fields: await readImsFrame(streams, index), attributes: {} };
    },
    nearestIndex: (t) => nearestByTime(frames, t),
    close() {},
  };
}

const isParticleFolder = (files: Map<string, SourceFile>) =>
  files.has('info.bin') && files.has('scales.xml') && (files.has('tracks.bin') || files.has('snapshotpositions.bin'));
const hasIms = (files: Map<string, SourceFile>) => [...files.keys()].some((k) => /-0\.ims$/i.test(k));

function bEntries(files: Map<string, SourceFile>): Entry[] {
  const out: Entry[] = [];
  for (const [base, f] of files) {
    const m = B_FILE.exec(base);
    if (m) out.push({ file: f, number: parseInt(m[1], 10) });
  }
  return out.sort((a, b) => a.number - b.number);
}

async function openSet(tree: SourceTree, setFile: SourceFile): Promise<FrameSource> {
  const set = parseSetFile(setFile.path, await setFile.read(0, Math.min(setFile.size, 4 << 20)));
  const folder = setFile.path.replace(/\.set$/i, '');
  const files = childrenOf(tree, folder);
  const name = basenameOf(folder);
  if (set.setType === 16777216 || set.identifier === 'ParticleField' || isParticleFolder(files)) return openParticleField(name, set, files);
  if (!files.size) throw new FormatError('davis', setFile.path, `${set.setTypeName} without its companion folder '${folder}/'`);
  if (set.setType === 4352 || set.identifier === 'StreamSet' || hasIms(files)) return openIms(name, folder, files, set);
  const entries = bEntries(files);
  if (!entries.length) throw new FormatError('davis', setFile.path, `${set.setTypeName}: folder '${folder}/' holds no B#####.im7/.vc7 buffers`);
  return openBufferSequence(name, entries, set);
}

/** Open a DaVis tree (see the module comment). */
export async function open(tree: SourceTree): Promise<FrameSource> {
  const setFiles: SourceFile[] = [];
  for (const f of tree.files) {
    if (extOf(f.path) !== 'set') continue;
    if (looksLikeSetText(await f.read(0, Math.min(f.size, 512)))) setFiles.push(f);
  }
  if (setFiles.length) {
    setFiles.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
    const src = await openSet(tree, setFiles[0]);
    if (setFiles.length > 1) src.scenes = setFiles.map((s) => ({ name: s.path, open: () => openSet(tree, s) }));
    return src;
  }
  // no set file: group files by folder
  const dirs = new Map<string, Map<string, SourceFile>>();
  for (const f of tree.files) {
    const d = dirnameOf(f.path);
    if (!dirs.has(d)) dirs.set(d, new Map());
    dirs.get(d)!.set(basenameOf(f.path), f);
  }
  for (const [d, files] of dirs) if (isParticleFolder(files)) return openParticleField(basenameOf(d) || tree.name, null, files);
  for (const [d, files] of dirs) if (hasIms(files)) return openIms(basenameOf(d) || tree.name, d, files, null);
  let best: [string, Entry[]] | null = null;
  for (const [d, files] of dirs) {
    const e = bEntries(files);
    if (e.length && (!best || e.length > best[1].length)) best = [d, e];
  }
  if (best) return openBufferSequence(basenameOf(best[0]) || tree.name, best[1], null);
  // single (or loose) buffer files, in name order; numbered 1..N
  const loose: SourceFile[] = [];
  for (const f of tree.files) {
    const known = BUFFER_EXT.has(extOf(f.path));
    if (!known && tree.files.length > 1) continue;
    if (f.size >= 256 && plausibleBufferHeader(await f.read(0, 32))) loose.push(f);
    else if (known) throw new FormatError('davis', f.path, 'not a DaVis buffer: the 256-byte header is not a valid IM7/VC7 or IMX/IMG/VEC header', 0);
  }
  loose.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
  const name = loose.length === 1 ? basenameOf(loose[0].path) : tree.name;
  return openBufferSequence(
    name,
    loose.map((file, i) => ({ file, number: i + 1 })),
    null,
  );
}
