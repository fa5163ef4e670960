/**
 * Seeds: the shared fixtures (read-only, never copied anywhere) grouped as the datasets a user
 * would drop, plus a few small synthetic seeds for paths no fixture covers (a DaVis 10 `.ims`
 * recording with a StreamSet.xml manifest, pickles written by our own pickle writer).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { openNpz } from '../../src/codecs/npz';
import { readNpyHeader } from '../../src/codecs/npy';
import { pickleValue, pyFloat } from '../../src/codecs/pickle-write';
import { bytesSourceFile } from '../../src/io/slice-file';

export const READERS = ['davis', 'imgstore', 'phiflow', 'pivtext', 'zarr', 'npz', 'npy', 'pickle', 'png'] as const;
export type ReaderName = (typeof READERS)[number];

export interface SeedFile {
  path: string;
  bytes: Uint8Array;
}
export interface Seed {
  id: string;
  reader: ReaderName;
  files: SeedFile[];
  /** paths of the files worth mutating (all when empty) */
  targets: string[];
  /** readFrame is not tried (video-backed stores need a browser) */
  openOnly?: boolean;
}

/** Every file under `dir`, recursively, sorted (the fuzzers' seed trees). */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function treeSeed(id: string, reader: ReaderName, root: string, abs: string[], opts: Partial<Seed> = {}): Seed {
  const files = abs.map((a) => ({ path: relative(root, a), bytes: new Uint8Array(readFileSync(a)) }));
  return { id, reader, files, targets: opts.targets ?? files.map((f) => f.path), ...(opts.openOnly ? { openOnly: true } : {}) };
}

const ORACLE = /(^|\/)(expected\.json|ORACLE.*\.json|all_expected\.json|INDEX\.md|.*\.py|readme\.txt|ORACLES_computed\.json)$/i;
const DAVIS_FILE = /\.(im7|vc7|imx|vec|img|ims)$/i;
const enc = new TextEncoder();

function davisSeeds(fx: string): Seed[] {
  const base = join(fx, 'davis');
  if (!existsSync(base)) return [];
  const all = walk(base).filter((p) => !ORACLE.test(p));
  const seeds: Seed[] = [];
  const inSetFolder = new Set<string>();
  for (const set of all.filter((p) => p.toLowerCase().endsWith('.set'))) {
    const folder = set.slice(0, -4);
    const members = all.filter((p) => p.startsWith(folder + '/'));
    members.forEach((m) => inSetFolder.add(m));
    const root = join(set, '..');
    seeds.push(treeSeed(`davis:${relative(base, set)}`, 'davis', root, [set, ...members]));
  }
  // folders of B-files without a set (pivpy): one tree per folder; loose files: one tree each
  const byDir = new Map<string, string[]>();
  for (const p of all) if (!inSetFolder.has(p) && DAVIS_FILE.test(p)) byDir.set(join(p, '..'), [...(byDir.get(join(p, '..')) ?? []), p]);
  for (const [dir, files] of byDir) {
    const bfiles = files.filter((f) => /^B\d{5}\./i.test(f.split('/').pop()!));
    if (bfiles.length > 1) seeds.push(treeSeed(`davis:${relative(base, dir)}/`, 'davis', join(dir, '..'), bfiles));
    for (const f of files) seeds.push(treeSeed(`davis:${relative(base, f)}`, 'davis', dir, [f]));
  }
  seeds.push(imsSeed());
  return seeds;
}

/** A DaVis 10 recording: StreamSet manifest, two streams (raw 16-bit and mono-12p), scales, decoder. */
function imsSeed(): Seed {
  const w = 8;
  const h = 4;
  const n = 3;
  const idx = (bytesPer: number) => {
    const b = new Uint8Array(1024 + 20 * n);
    const dv = new DataView(b.buffer);
    dv.setInt32(12, w, true);
    dv.setInt32(16, h, true);
    for (let i = 0; i < n; i++) {
      dv.setBigInt64(1024 + i * 20 + 4, BigInt(i * bytesPer), true);
      dv.setBigInt64(1024 + i * 20 + 12, BigInt(bytesPer), true);
    }
    return b;
  };
  const raw16 = new Uint8Array(n * w * h * 2).map((_, i) => (i * 7) & 0xff);
  const p12 = new Uint8Array(n * ((w * h) / 2) * 3).map((_, i) => (i * 13) & 0xff);
  const manifest =
    '<?xml version="1.0"?>\n<StreamSet>\n' +
    ' <ReaderInfo Type="DaVis.FrameReader" FilePrefix="Frame0"><ContentPurpose StartFrame="0"/></ReaderInfo>\n' +
    ' <ReaderInfo Type="DaVis.FrameReader" FilePrefix="Frame1"><ContentPurpose StartFrame="1"/></ReaderInfo>\n' +
    ' <ReaderInfo Type="DaVis.ScaleReader" FilePrefix="FrameScales0"/>\n' +
    ' <Transformer ID="rotate-180" FilePrefix="T0"/>\n</StreamSet>\n';
  const files: SeedFile[] = [
    { path: 'rec.set', bytes: enc.encode('// set file <rec.set> created by DaVis 10\n#GROUP Sets\nSetType = 4352;\nSetIdentifier = "StreamSet";\n') },
    { path: 'rec/StreamSet.xml', bytes: enc.encode(manifest) },
    { path: 'rec/Frame0-0.ims', bytes: idx(w * h * 2) },
    { path: 'rec/Frame0-1.ims', bytes: raw16 },
    { path: 'rec/Frame1-0.ims', bytes: idx((w * h * 3) / 2) },
    { path: 'rec/Frame1-1.ims', bytes: p12 },
    { path: 'rec/Frame1-decoder.xml', bytes: enc.encode('<decoder><id>mono-12p</id></decoder>') },
    {
      path: 'rec/FrameScales0.scales',
      bytes: enc.encode('<Scales><ScaleX Factor="0.1" Offset="2" Unit="mm"/><ScaleI Factor="2" Offset="1" Unit="counts"/></Scales>'),
    },
  ];
  return { id: 'davis:synthetic-ims-recording', reader: 'davis', files, targets: files.map((f) => f.path) };
}

function imgstoreSeeds(fx: string): Seed[] {
  const base = join(fx, 'imgstore');
  if (!existsSync(base)) return [];
  const seeds: Seed[] = [];
  for (const d of readdirSync(base).sort()) {
    const dir = join(base, d);
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'metadata.yaml'))) continue;
    const files = walk(dir).filter((p) => !ORACLE.test(p));
    const meta = readFileSync(join(dir, 'metadata.yaml'), 'utf8');
    const video = /VideoImgStore/.test(meta);
    // video chunks need ffmpeg.wasm (browser): open only, and never mutate the videos themselves
    const targets = files.map((f) => relative(base, f)).filter((p) => !/\.(mp4|avi|mkv|mov|webm)$/i.test(p));
    seeds.push({ ...treeSeed(`imgstore:${d}`, 'imgstore', base, files), targets, ...(video ? { openOnly: true } : {}) });
  }
  return seeds;
}

function phiflowSeeds(fx: string): Seed[] {
  const base = join(fx, 'phiflow');
  if (!existsSync(base)) return [];
  const seeds: Seed[] = [];
  for (const group of readdirSync(base).sort()) {
    const g = join(base, group);
    if (!statSync(g).isDirectory()) continue;
    for (const sim of readdirSync(g).sort()) {
      const dir = join(g, sim);
      if (!sim.startsWith('sim_') || !statSync(dir).isDirectory()) continue;
      const files = walk(dir).filter((p) => !ORACLE.test(p));
      seeds.push(treeSeed(`phiflow:${group}/${sim}`, 'phiflow', g, files));
    }
  }
  return seeds;
}

/** One npz per distinct member layout (file name without the frame number), from PhiFlow and imgstore. */
function npzFiles(fx: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const sub of ['phiflow', 'imgstore']) {
    const b = join(fx, sub);
    if (!existsSync(b)) continue;
    for (const p of walk(b)) {
      if (!p.endsWith('.npz')) continue;
      const key = relative(b, p)
        .replace(/sim_\d+\//, '')
        .replace(/\d{6}/g, 'N');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

async function codecSeeds(fx: string): Promise<Seed[]> {
  const seeds: Seed[] = [];
  const one = (reader: ReaderName, id: string, path: string, bytes: Uint8Array): Seed => ({
    id: `${reader}:${id}`,
    reader,
    files: [{ path, bytes }],
    targets: [path],
  });
  const npzs = npzFiles(fx);
  const pickles: { id: string; bytes: Uint8Array }[] = [];
  const npys: { id: string; bytes: Uint8Array }[] = [];
  for (const p of npzs) {
    const bytes = new Uint8Array(readFileSync(p));
    const id = relative(fx, p);
    seeds.push(one('npz', id, p.split('/').pop()!, bytes));
    try {
      const npz = await openNpz(bytesSourceFile('x.npz', bytes));
      for (const name of npz.names) {
        const raw = await npz.readBytes(name);
        const h = readNpyHeader(raw);
        if (h.descr.includes('O')) pickles.push({ id: `${id}/${name}`, bytes: raw.slice(h.dataOffset) });
        else if (npys.length < 40 && raw.length < 1 << 20) npys.push({ id: `${id}/${name}`, bytes: raw });
      }
    } catch {
      /* a fixture the codec cannot read is not a seed */
    }
  }
  const imgNpy = join(fx, 'imgstore', 'dir_npy_color', '000000', '000000.npy');
  if (existsSync(imgNpy)) npys.push({ id: 'imgstore/dir_npy_color/000000.npy', bytes: new Uint8Array(readFileSync(imgNpy)) });
  for (const n of npys) seeds.push(one('npy', n.id, 'a.npy', n.bytes));
  // our own writer: the value shapes PhiFlow files use
  const synth: [string, unknown][] = [
    ['names', ['x', 'y']],
    ['dict', { a: pyFloat(1.5), b: [1, 2, 3], c: null, d: true, e: 'text' }],
    ['nested', [[1, [2, [3, ['deep']]]], { k: { j: 'v' } }]],
  ];
  for (const [id, v] of synth) for (const proto of [2, 3, 4] as const) pickles.push({ id: `synthetic-${id}-p${proto}`, bytes: pickleValue(v, proto) });
  for (const p of pickles) seeds.push(one('pickle', p.id, 'a.pkl', p.bytes));
  const pngDir = join(fx, 'imgstore', 'dir_png_gray');
  if (existsSync(pngDir))
    for (const p of walk(pngDir)
      .filter((f) => f.endsWith('.png'))
      .slice(0, 4))
      seeds.push(one('png', relative(fx, p), 'a.png', new Uint8Array(readFileSync(p))));
  return seeds;
}

/**
 * PIV text exports: the small excerpts kept in the repo (tests/pivtext/data: TSI Insight, DaVis text,
 * OpenPIV) plus PIVlab and Tecplot files written here from their documented layouts.
 */
function pivtextSeeds(): Seed[] {
  const base = resolve(dirname(fileURLToPath(import.meta.url)), '../../tests/pivtext/data');
  const seeds: Seed[] = [];
  if (existsSync(base))
    for (const d of readdirSync(base).sort()) {
      const dir = join(base, d);
      if (!statSync(dir).isDirectory()) continue;
      const files = walk(dir);
      seeds.push(treeSeed(`pivtext:${d}/`, 'pivtext', base, files));
      for (const f of files) seeds.push(treeSeed(`pivtext:${relative(base, f)}`, 'pivtext', dir, [f]));
    }
  const text = (id: string, files: Record<string, string>): Seed => {
    const fs = Object.entries(files).map(([path, t]) => ({ path, bytes: enc.encode(t) }));
    return { id: `pivtext:${id}`, reader: 'pivtext', files: fs, targets: fs.map((f) => f.path) };
  };
  const pivlab = (frame: number, sep: string) =>
    [
      'PIVlab by W.Th. & E.J.S., ASCII chart output - 01-Dec-2026',
      `FRAME: ${frame}, filenames: A_${frame}.tif & B_${frame}.tif, conversion factor xy (px -> m): 0.0001, conversion factor uv (px/frame -> m/s): 0.05`,
      ['x [m]', 'y [m]', 'u [m/s]', 'v [m/s]', 'Vector type [-]', 'vorticity [1/s]'].join(sep),
      ...[0, 1, 2].flatMap((j) =>
        [0, 1, 2, 3].map((i) =>
          [0.0016 * (i + 1), 0.0016 * (j + 1), i === 1 && j === 0 ? 'NaN' : 0.1 * i + frame, -0.2 * j, i === 1 && j === 0 ? 0 : 1, 0.5 * i].join(sep),
        ),
      ),
    ].join('\n') + '\n';
  seeds.push(text('synthetic-pivlab', { 'PIVlab_0001.txt': pivlab(1, ','), 'PIVlab_0002.txt': pivlab(2, ',') }));
  seeds.push(text('synthetic-pivlab-tab', { 'PIVlab_0003.txt': pivlab(3, '\t') }));
  const rows: string[] = [];
  for (let j = 0; j < 3; j++) for (let i = 0; i < 4; i++) rows.push(`${i * 0.5} ${j * 0.25} ${i + j} ${-i} ${i === 2 && j === 1 ? 0 : 1}`);
  seeds.push(
    text('synthetic-tecplot-point', {
      'flow.dat': `TITLE = "test"\nVARIABLES = "X [mm]", "Y [mm]", "U [m/s]", "V [m/s]", "valid"\nZONE T="frame", I=4, J=3, F=POINT\n${rows.join('\n')}\n`,
    }),
  );
  const X = [0, 1, 0, 1];
  const Y = [0, 0, 1, 1];
  seeds.push(
    text('synthetic-tecplot-block', {
      'block.dat': `VARIABLES = "X" "Y" "U" "V"\nZONE I=2, J=2, DATAPACKING=BLOCK\n${[X, Y, [1, 2, 3, 4], [4, 3, 2, 1]].map((a) => a.join(' ')).join('\n')}\n`,
    }),
  );
  return seeds;
}

/**
 * Zarr stores written by our own zarr export from fixture datasets (a DaVis vector set, an image
 * store), each as the exported zip and unpacked into a `.zarr` folder (so the JSON metadata files
 * are mutated as text).
 */
async function zarrSeeds(fx: string): Promise<Seed[]> {
  const { sourceTreeFromPath } = await import('../../src/io/node');
  const { openDataset } = await import('../../src/formats/index');
  const { exportDataset } = await import('../../src/export/index');
  const sources: [string, string, number[]][] = [
    ['davis-vc7', join(fx, 'davis', 'pivpy', 'pivpy', 'data', 'PIVMAT_jet'), [0, 1]],
    ['imgstore-png', join(fx, 'imgstore', 'dir_png_gray'), [0, 1, 2]],
    ['phiflow', join(fx, 'phiflow', 'scenes', 'sim_000000'), [0, 1]],
  ];
  const seeds: Seed[] = [];
  for (const [id, dir, frames] of sources) {
    if (!existsSync(dir)) continue;
    try {
      const src = await openDataset(await sourceTreeFromPath(dir));
      const use = frames.filter((i) => i < src.frames.length);
      const [out] = await exportDataset(src, { target: 'zarr', frames: use });
      src.close();
      seeds.push({ id: `zarr:${id}.zip`, reader: 'zarr', files: [{ path: out.path, bytes: out.bytes }], targets: [out.path] });
      const members = unzipSync(out.bytes);
      const folder = Object.entries(members)
        .filter(([p]) => !p.endsWith('/'))
        .map(([p, bytes]) => ({ path: `${id}.zarr/${p}`, bytes }))
        .sort((a, b) => (a.path < b.path ? -1 : 1));
      seeds.push({ id: `zarr:${id}.zarr`, reader: 'zarr', files: folder, targets: folder.map((f) => f.path) });
    } catch (e) {
      console.warn(`zarr seed ${id} not written: ${(e as Error).message}`);
    }
  }
  return seeds;
}

export async function loadSeeds(fixtures: string, readers: readonly ReaderName[]): Promise<Seed[]> {
  const want = new Set(readers);
  const out: Seed[] = [];
  if (want.has('davis')) out.push(...davisSeeds(fixtures));
  if (want.has('imgstore')) out.push(...imgstoreSeeds(fixtures));
  if (want.has('phiflow')) out.push(...phiflowSeeds(fixtures));
  if (want.has('pivtext')) out.push(...pivtextSeeds());
  if (want.has('zarr')) out.push(...(await zarrSeeds(fixtures)));
  if (['npz', 'npy', 'pickle', 'png'].some((r) => want.has(r as ReaderName))) out.push(...(await codecSeeds(fixtures)).filter((s) => want.has(s.reader)));
  return out;
}
