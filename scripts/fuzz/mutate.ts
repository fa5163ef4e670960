/**
 * Deterministic mutations of one file. Every mutation is planned into a plain `Patch` list
 * (replace `del` bytes at `at` with the concatenated `ins` segments), so a case is replayed,
 * minimised (by dropping patches) and stored in a reproducer as data, never as code.
 *
 * Kinds: bit flips, byte runs, truncation, insertions, deletions, boundary integers at header offsets
 * and at the length/offset fields of ZIP records, PNG chunks and npy headers, type-confused
 * JSON/YAML values (a mapping whose toString is not callable, lists for scalars, huge numbers,
 * 100,000-level nesting), repeated XML tags and long blank runs for the text parsers, and a
 * deflate bomb member for zip files.
 */
import { deflateSync, zipSync } from 'fflate';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Rng } from './rng';

export interface Segment {
  /** base64 bytes */
  b64: string;
  repeat?: number;
}
export interface Patch {
  op: string;
  at: number;
  del: number;
  ins?: Segment[];
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });
const b64 = (b: Uint8Array | string) => Buffer.from(typeof b === 'string' ? enc.encode(b) : b).toString('base64');
const seg = (b: Uint8Array | string, repeat = 1): Segment => ({ b64: b64(b), ...(repeat !== 1 ? { repeat } : {}) });

import { applyPatches } from './patches';

export { applyPatches };

export type FileKind = 'binary' | 'zip' | 'npy' | 'png' | 'json' | 'yaml' | 'xml' | 'settext' | 'text';

export function kindOfFile(path: string, bytes: Uint8Array): FileKind {
  const p = path.toLowerCase();
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'zip';
  if (bytes[0] === 0x93 && bytes[1] === 0x4e && bytes[2] === 0x55) return 'npy';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e) return 'png';
  if (p.endsWith('.json')) return 'json';
  if (p.endsWith('.yaml') || p.endsWith('.yml')) return 'yaml';
  if (p.endsWith('.xml') || p.endsWith('.scales')) return 'xml';
  if (p.endsWith('.set')) return 'settext';
  if (p.endsWith('.txt')) return 'text';
  return 'binary';
}

const BOUNDARY32 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x40000000];
const BOUNDARY64 = [0n, 1n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0xffffffffffffffffn, 2n ** 53n, 2n ** 40n];

function intBytes(rng: Rng): Uint8Array {
  const w = rng.weighted([
    [5, 4],
    [2, 2],
    [2, 8],
    [1, 1],
  ] as const);
  const b = new Uint8Array(w);
  const dv = new DataView(b.buffer);
  const le = rng.chance(0.85);
  if (w === 8) dv.setBigUint64(0, rng.pick(BOUNDARY64), le);
  else if (w === 4) dv.setUint32(0, rng.chance(0.8) ? rng.pick(BOUNDARY32) : rng.u32(), le);
  else if (w === 2) dv.setUint16(0, rng.pick(BOUNDARY32) & 0xffff, le);
  else b[0] = rng.pick([0, 1, 0x7f, 0x80, 0xff]);
  return b;
}

function findAll(bytes: Uint8Array, sig: number[], max = 64): number[] {
  const out: number[] = [];
  for (let i = 0; i + sig.length <= bytes.length && out.length < max; i++) {
    let ok = true;
    for (let k = 0; k < sig.length; k++)
      if (bytes[i + k] !== sig[k]) {
        ok = false;
        break;
      }
    if (ok) out.push(i);
  }
  return out;
}

/** Offsets of length / offset / count fields worth hitting with boundary integers. */
function fieldOffsets(bytes: Uint8Array, kind: FileKind): number[] {
  const out: number[] = [];
  if (kind === 'zip') {
    // central directory: sizes @20/24, name/extra/comment lengths @28/30/32, local offset @42
    for (const p of findAll(bytes, [0x50, 0x4b, 0x01, 0x02])) out.push(p + 10, p + 16, p + 20, p + 24, p + 28, p + 30, p + 32, p + 42);
    for (const p of findAll(bytes, [0x50, 0x4b, 0x03, 0x04])) out.push(p + 8, p + 18, p + 22, p + 26, p + 28);
    for (const p of findAll(bytes, [0x50, 0x4b, 0x05, 0x06])) out.push(p + 8, p + 10, p + 12, p + 16, p + 20);
  } else if (kind === 'png') {
    for (const t of ['IHDR', 'IDAT', 'PLTE', 'tRNS', 'IEND']) for (const p of findAll(bytes, [...enc.encode(t)], 16)) out.push(p - 4, p + 4, p + 8);
  } else if (kind === 'npy') out.push(6, 8);
  // headers: the first 256 bytes, 4-aligned (DaVis headers, ims indexes, BMP/TIFF/PNM headers)
  for (let k = 0; k < Math.min(bytes.length, 256); k += 4) out.push(k);
  return out.filter((o) => o >= 0 && o < bytes.length);
}

function byteMutation(rng: Rng, bytes: Uint8Array, kind: FileKind): Patch {
  const n = bytes.length;
  const pos = () => (rng.chance(0.4) ? rng.int(Math.min(n, 1024)) : rng.int(n));
  const op = rng.weighted([
    [4, 'bitflip'],
    [2, 'byterun'],
    [2, 'truncate'],
    [2, 'insert'],
    [1, 'delete'],
    [4, 'boundary-int'],
    [1, 'duplicate'],
  ] as const);
  switch (op) {
    case 'bitflip': {
      const at = pos();
      return { op, at, del: 1, ins: [seg(new Uint8Array([(bytes[at] ?? 0) ^ (1 << rng.int(8))]))] };
    }
    case 'byterun': {
      const at = pos();
      const len = rng.pick([1, 2, 4, 8, 16, 64, 512]);
      const b = new Uint8Array(1);
      b[0] = rng.pick([0, 0xff, 0x7f, 0x80, rng.int(256)]);
      return { op, at, del: Math.min(len, n - at), ins: [seg(b, Math.min(len, n - at))] };
    }
    case 'truncate': {
      const at = rng.weighted([
        [3, rng.int(n)],
        [2, rng.int(Math.min(n, 512))],
        [2, n - 1 - rng.int(Math.min(n, 64))],
      ] as const);
      return { op, at: Math.max(0, at), del: n };
    }
    case 'insert': {
      const len = rng.pick([1, 3, 4, 16, 100, 4096]);
      const b = new Uint8Array(len);
      for (let i = 0; i < len; i++) b[i] = rng.int(256);
      return { op, at: pos(), del: 0, ins: [seg(b)] };
    }
    case 'delete': {
      const at = pos();
      return { op, at, del: rng.pick([1, 4, 16, 256, 4096]) };
    }
    case 'duplicate': {
      const at = pos();
      const len = Math.min(n - at, rng.pick([16, 256, 4096]));
      return { op, at, del: 0, ins: [seg(bytes.subarray(at, at + len), rng.pick([1, 2, 16]))] };
    }
    case 'boundary-int': {
      const offs = fieldOffsets(bytes, kind);
      const at = offs.length && rng.chance(0.8) ? rng.pick(offs) : pos();
      const b = intBytes(rng);
      return { op, at, del: Math.min(b.length, n - at), ins: [seg(b)] };
    }
  }
}

// ---------------------------------------------------------------- type-confused structured text

const DEEP = 100_000;

/** A replacement for a scalar / node of a parsed document. 'DEEP' is expanded into nesting. */
function confusedValue(rng: Rng): unknown {
  return rng.weighted<unknown>([
    [3, { toString: 1, valueOf: 1 }],
    [1, { toString: {}, valueOf: {} }],
    [2, [1, 2, 3]],
    [1, []],
    [1, {}],
    [2, null],
    [1, true],
    [2, 1e308],
    [1, -1],
    [1, 2 ** 53 + 2],
    [1, 1e12],
    [2, 'not a number'],
    [1, ''],
    [1, 'x'.repeat(100_000)],
    [2, '\u0000DEEP\u0000'],
  ]);
}

type Path = (string | number)[];

function nodePaths(doc: unknown, max = 2000): Path[] {
  const out: Path[] = [];
  const walk = (x: unknown, p: Path, depth: number) => {
    if (out.length >= max || depth > 12) return;
    out.push(p);
    if (Array.isArray(x)) x.slice(0, 50).forEach((e, i) => walk(e, [...p, i], depth + 1));
    else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x).slice(0, 50)) walk(v, [...p, k], depth + 1);
  };
  walk(doc, [], 0);
  return out;
}

function setPath(doc: unknown, p: Path, v: unknown): unknown {
  if (!p.length) return v;
  let x = doc as Record<string | number, unknown>;
  for (let i = 0; i < p.length - 1; i++) x = x[p[i]] as Record<string | number, unknown>;
  x[p[p.length - 1]] = v;
  return doc;
}

/** Whole-file replacement, with the DEEP placeholder expanded into 100,000 levels of nesting. */
function replaceWhole(op: string, n: number, text: string, open: string, close: string): Patch {
  const mark = text.indexOf('\u0000DEEP\u0000');
  // JSON.stringify writes the marker escaped
  const esc = text.indexOf('"\\u0000DEEP\\u0000"');
  const m = esc >= 0 ? esc : mark;
  const mlen = esc >= 0 ? '"\\u0000DEEP\\u0000"'.length : '\u0000DEEP\u0000'.length;
  if (m < 0) return { op, at: 0, del: n, ins: [seg(text)] };
  return { op: op + '-deep', at: 0, del: n, ins: [seg(text.slice(0, m)), seg(open, DEEP), seg('1'), seg(close, DEEP), seg(text.slice(m + mlen))] };
}

function jsonMutation(rng: Rng, bytes: Uint8Array): Patch | null {
  let doc: unknown;
  try {
    doc = JSON.parse(dec.decode(bytes).replace(/\bNaN\b|-?\bInfinity\b/g, 'null'));
  } catch {
    return null;
  }
  const paths = nodePaths(doc);
  const p = rng.pick(paths);
  const d = setPath(doc, p, confusedValue(rng));
  let text: string;
  try {
    text = JSON.stringify(d);
  } catch {
    return null; // e.g. an earlier mutation nested it 100,000 deep
  }
  return replaceWhole('json-type', bytes.length, text, '[', ']');
}

function yamlMutation(rng: Rng, bytes: Uint8Array): Patch | null {
  const text = dec.decode(bytes);
  if (rng.chance(0.25)) {
    // raw YAML features the reader must survive: aliases, cycles, tags, flow nesting
    const snippet = rng.pick([
      'a: &a [*a]\n',
      'x: &x {k: *x}\n',
      'b: !!python/object:os.system {}\n',
      'c: !!binary aGVsbG8=\n',
      'd: !!set {a, b}\n',
      'e: !!omap [a: 1]\n',
      'f: 2001-12-14t21:59:43.10-05:00\n',
      'g: 0x7fffffffffffffffff\n',
      'toString: 1\n',
    ]);
    const lines = [...text.matchAll(/\n/g)].map((m) => (m.index ?? 0) + 1);
    const at = rng.pick([0, ...lines]);
    const indent = rng.chance(0.5) ? '  ' : '';
    return { op: 'yaml-snippet', at, del: 0, ins: [seg(indent + snippet)] };
  }
  let out: string;
  try {
    const doc = parseYaml(text, { version: '1.1' });
    const p = rng.pick(nodePaths(doc));
    out = stringifyYaml(setPath(doc, p, confusedValue(rng)), { version: '1.1', lineWidth: 0 });
  } catch {
    return null;
  }
  return replaceWhole('yaml-type', bytes.length, out, '[', ']');
}

function npyHeaderMutation(rng: Rng, bytes: Uint8Array): Patch | null {
  const head = dec.decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
  const m = /'shape': \(([^)]*)\)/.exec(head);
  const d = /'descr': '([^']*)'/.exec(head);
  if (rng.chance(0.5) && m) {
    const v = rng.pick(['1000000000000', '-1', '2147483648', '0', '99999999999999999999', '1e3', '65536, 65536', "'a'", '']);
    const at = m.index + "'shape': (".length;
    return { op: 'npy-shape', at, del: m[1].length, ins: [seg(v)] };
  }
  if (d) {
    const v = rng.pick(['<f16', '|O', '<U1000000000', '>i8', '<c8', 'V8', '|b1', '<M8[s]', '', "x'"]);
    return { op: 'npy-descr', at: d.index + "'descr': '".length, del: d[1].length, ins: [seg(v)] };
  }
  return null;
}

function xmlMutation(rng: Rng, bytes: Uint8Array): Patch {
  const n = bytes.length;
  const at = rng.int(n + 1);
  const [unit, reps] = rng.pick([
    ['<ReaderInfo Type="FrameReader" FilePrefix="x"', 50_000],
    ['<ReaderInfo ', 180_000],
    ['<Transformer ID="a"', 50_000],
    ['<ScaleX Factor="', 20_000],
    [' ', 200_000],
    ['<!--', 10_000],
    ['"', 1],
    ['<', 100_000],
  ] as const);
  return { op: 'xml-repeat', at, del: 0, ins: [seg(unit, reps)] };
}

function textMutation(rng: Rng, bytes: Uint8Array): Patch {
  const n = bytes.length;
  const at = rng.int(n + 1);
  const [unit, reps] = rng.pick([
    [' ', 200_000],
    ['\t', 100_000],
    ['a = ', 50_000],
    ['Key = "\\', 20_000],
    [';', 100_000],
    ['\r', 10_000],
    ['\n', 100_000],
    ['SetType = 1e999;\n', 1],
    ['SetIdentifier = {};\n', 1],
    ['1 ', 100_000],
  ] as const);
  return { op: 'text-repeat', at, del: 0, ins: [seg(unit, reps)] };
}

const bombs = new Map<number, Uint8Array>();

/** A zip whose first member is replaced by `mb` MiB of zeros, its sizes declared as `declared` bytes. */
function zipBomb(rng: Rng, bytes: Uint8Array): Patch | null {
  // member name from the first central-directory entry
  const cd = findAll(bytes, [0x50, 0x4b, 0x01, 0x02], 1)[0];
  if (cd === undefined || cd + 46 > bytes.length) return null;
  const rawLen = Math.min(200, bytes[cd + 28] | (bytes[cd + 29] << 8));
  // ASCII, so the header lengths below are the name's byte length (a mutated name may not be UTF-8)
  const name = dec.decode(bytes.subarray(cd + 46, cd + 46 + rawLen)).replace(/[^\x20-\x7e]/g, '_') || 'a.npy';
  const nlen = name.length;
  const mb = rng.pick([16, 64]);
  let comp = bombs.get(mb);
  if (!comp) bombs.set(mb, (comp = deflateSync(new Uint8Array(mb << 20), { level: 9 })));
  // build a zip around a placeholder member of the right compressed size, then patch sizes
  const z = zipSync({ [name]: [new Uint8Array(0), { level: 0 }] }, { mtime: new Date(1980, 0, 1) });
  const declared = rng.pick([128, 4096, 1 << 20, 268_435_456]);
  // local header (30 + name) | data | central dir (46 + name) | eocd (22)
  const lh = z.subarray(0, 30 + nlen);
  const cdh = z.subarray(30 + nlen, 30 + nlen + 46 + nlen);
  const set32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, true);
  const set16 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint16(at, v, true);
  const L = lh.slice();
  const C = cdh.slice();
  for (const [h, m, c, u] of [
    [L, 8, 18, 22],
    [C, 10, 20, 24],
  ] as const) {
    set16(h, m, 8);
    set32(h, c, comp.length);
    set32(h, u, declared);
  }
  set32(C, 42, 0);
  const eocd = new Uint8Array(22);
  set32(eocd, 0, 0x06054b50);
  set16(eocd, 8, 1);
  set16(eocd, 10, 1);
  set32(eocd, 12, C.length);
  set32(eocd, 16, L.length + comp.length);
  return { op: `zip-bomb-${mb}MiB-declared-${declared}`, at: 0, del: bytes.length, ins: [seg(L), seg(comp), seg(C), seg(eocd)] };
}

/** Plan 1–3 mutations of one file (deterministic in rng). */
export function planMutations(rng: Rng, path: string, bytes: Uint8Array): Patch[] {
  const kind = kindOfFile(path, bytes);
  const count = rng.weighted([
    [6, 1],
    [3, 2],
    [1, 3],
  ] as const);
  const out: Patch[] = [];
  let cur = bytes;
  for (let k = 0; k < count; k++) {
    let p: Patch | null = null;
    const structured = rng.chance(0.45);
    if (structured) {
      if (kind === 'json') p = jsonMutation(rng, cur);
      else if (kind === 'yaml') p = yamlMutation(rng, cur);
      else if (kind === 'npy') p = npyHeaderMutation(rng, cur);
      else if (kind === 'xml') p = xmlMutation(rng, cur);
      else if (kind === 'settext' || kind === 'text') p = textMutation(rng, cur);
      else if (kind === 'zip' && rng.chance(0.08)) p = zipBomb(rng, cur);
    }
    if (!p) p = byteMutation(rng, cur, kind);
    out.push(p);
    cur = applyPatches(cur, [p]);
  }
  return out;
}
