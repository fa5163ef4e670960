/**
 * Seeds: the shared fixtures (read-only, never copied anywhere) grouped as the datasets a user
 * would drop, plus a few small synthetic seeds for paths no fixture covers (a DaVis 10 `.ims`
 * recording with a StreamSet.xml manifest, pickles written by our own pickle writer).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { openNpz } from '../../src/codecs/npz';
import { readNpyHeader } from '../../src/codecs/npy';
import { pickleValue, pyFloat } from '../../src/codecs/pickle-write';
import { bytesSourceFile } from '../../src/io/slice-file';

export const READERS = ['davis', 'imgstore', 'phiflow', 'npz', 'npy', 'pickle', 'png'] as const;
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

function walk(dir: string): string[] {
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

export async function loadSeeds(fixtures: string, readers: readonly ReaderName[]): Promise<Seed[]> {
  const want = new Set(readers);
  const out: Seed[] = [];
  if (want.has('davis')) out.push(...davisSeeds(fixtures));
  if (want.has('imgstore')) out.push(...imgstoreSeeds(fixtures));
  if (want.has('phiflow')) out.push(...phiflowSeeds(fixtures));
  if (['npz', 'npy', 'pickle', 'png'].some((r) => want.has(r as ReaderName))) out.push(...(await codecSeeds(fixtures)).filter((s) => want.has(s.reader)));
  return out;
}
