/**
 * NumPy `.npy` codec (format versions 1.0, 2.0 and 3.0).
 *
 * Layout: magic `\x93NUMPY`, major/minor version bytes, header length (uint16 LE for 1.0, uint32 LE
 * for 2.0/3.0), an ASCII (3.0: UTF-8) Python dict literal `{'descr': …, 'fortran_order': …, 'shape': (…), }`
 * padded with spaces and a final '\n', then the raw array bytes.
 *
 * Decoding always yields native-endian data in C order (Fortran-ordered payloads are transposed),
 * in a fresh buffer that never aliases the input bytes (unless the caller passes `owned`):
 *
 * | descr              | `data`                                                           |
 * |--------------------|------------------------------------------------------------------|
 * | `|b1`              | Uint8Array of 0/1                                                 |
 * | `i1 u1 i2 u2 i4 u4` | Int8Array … Uint32Array                                         |
 * | `i8 u8`            | BigInt64Array / BigUint64Array (see `toFloat64`/`toNumbers`)      |
 * | `f2`               | Float32Array (converted, exact)                                   |
 * | `f4 f8`            | Float32Array / Float64Array                                       |
 * | `c8 c16`           | Float32Array / Float64Array, interleaved re, im (length 2·count)  |
 * | `<Un >Un`          | string[] (UTF-32, trailing NULs removed)                           |
 * | `|Sn`              | string[] (one char per byte, latin-1; trailing NULs removed)        |
 * | `|O`               | unknown[] (the pickled ndarray's items, via the safe unpickler)    |
 *
 * `dtype` keeps the descr as written in the file (e.g. '>i2', '<f2').
 */
import { FormatError } from '../core/errors';
import { decodeRaw, fmtShape, fortranToC, latin1, LITTLE, byteswap, parseDescr, shapeCount, type NpyData, type NumericData } from './npy-raw';
import { unpickle, isNdArrayValue } from './pickle';

export { decodeRaw, fortranToC, halfToFloat32, isNumericData, parseDescr, toFloat64, toNumbers } from './npy-raw';
export type { DtypeInfo, NpyData, NumericData } from './npy-raw';

export interface NpyArray {
  /** numpy descr as in the header, e.g. '<f4', '>i2', '|u1', '<U5', '|O', '|b1', '<c8' */
  dtype: string;
  shape: number[];
  /** the header's fortran_order flag; `data` is in C order regardless */
  fortranOrder: boolean;
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parsed dtype descr. */
// ---------------------------------------------------------------------------------------------
// Python literal parser (just what npy headers use)

type PyLit = string | number | boolean | null | PyLit[] | { [k: string]: PyLit };

function parsePyLiteral(src: string, fail: (why: string, at: number) => never): PyLit {
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const value = (depth: number): PyLit => {
    if (depth > 32) fail('header nesting too deep', i);
    ws();
    const c = src[i];
    if (c === '{') {
      i++;
      const out: { [k: string]: PyLit } = {};
      for (;;) {
        ws();
        if (src[i] === '}') {
          i++;
          return out;
        }
        const k = value(depth + 1);
        if (typeof k !== 'string') fail('dict key is not a string', i);
        ws();
        if (src[i] !== ':') fail("expected ':'", i);
        i++;
        const v = value(depth + 1);
        Object.defineProperty(out, k as string, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== '}') fail("expected ',' or '}'", i);
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const out: PyLit[] = [];
      for (;;) {
        ws();
        if (src[i] === close) {
          i++;
          return out;
        }
        out.push(value(depth + 1));
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== close) fail(`expected ',' or '${close}'`, i);
      }
    }
    if (c === "'" || c === '"') {
      const q = c;
      i++;
      let s = '';
      while (i < src.length && src[i] !== q) {
        if (src[i] === '\\' && i + 1 < src.length) {
          i++;
          const e = src[i];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        } else s += src[i];
        i++;
      }
      if (i >= src.length) fail('unterminated string', i);
      i++;
      return s;
    }
    const m = /^(True|False|None|-?\d+L?)/.exec(src.slice(i, i + 24));
    if (!m) fail('unexpected character in header', i);
    i += m![0].length;
    if (m![0] === 'True') return true;
    if (m![0] === 'False') return false;
    if (m![0] === 'None') return null;
    return Number(m![0].replace('L', ''));
  };
  const v = value(0);
  ws();
  if (i !== src.length) fail('trailing characters after header dict', i);
  return v;
}

// ---------------------------------------------------------------------------------------------
// decode

/** Offset and parsed header of an npy file. */
export interface NpyHeader {
  version: string;
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** byte offset of the array data */
  dataOffset: number;
}

export function readNpyHeader(bytes: Uint8Array, path = 'array.npy'): NpyHeader {
  const fail = (why: string, at?: number): never => {
    throw new FormatError('npy', path, why, at);
  };
  if (bytes.length < 10) fail(`truncated: ${bytes.length} bytes, an npy header needs at least 10`, 0);
  for (let k = 0; k < 6; k++) if (bytes[k] !== MAGIC[k]) fail('bad magic: expected \\x93NUMPY', 0);
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3) fail(`unsupported npy version ${major}.${minor} (expected 1.0, 2.0 or 3.0)`, 6);
  let hlen: number;
  let hstart: number;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1) {
    hlen = dv.getUint16(8, true);
    hstart = 10;
  } else {
    if (bytes.length < 12) fail('truncated header length', 8);
    hlen = dv.getUint32(8, true);
    hstart = 12;
  }
  if (hstart + hlen > bytes.length)
    fail(
      `truncated: the file ends at byte ${bytes.length.toLocaleString('en-US')} but the npy header needs ${hlen.toLocaleString('en-US')} bytes from byte ${hstart} (to byte ${(hstart + hlen).toLocaleString('en-US')})`,
      hstart,
    );
  const hb = bytes.subarray(hstart, hstart + hlen);
  const text = major === 3 ? new TextDecoder('utf-8', { fatal: false }).decode(hb) : latin1(hb);
  const lit = parsePyLiteral(text.trim(), (why, at) => fail(`bad header: ${why}`, hstart + at));
  if (!lit || typeof lit !== 'object' || Array.isArray(lit)) fail('bad header: not a dict', hstart);
  const d = lit as { [k: string]: PyLit };
  const descr = d['descr'];
  const fo = d['fortran_order'];
  const shape = d['shape'];
  if (typeof descr !== 'string') fail(`unsupported or missing descr ${JSON.stringify(descr)} (structured dtypes are not supported)`, hstart);
  if (typeof fo !== 'boolean') fail('bad header: fortran_order is not True/False', hstart);
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0))
    fail('bad header: shape is not a tuple of non-negative integers', hstart);
  return {
    version: `${major}.${minor}`,
    descr: descr as string,
    fortranOrder: fo as boolean,
    shape: shape as number[],
    dataOffset: hstart + hlen,
  };
}

/**
 * Decode an .npy file. `path` names the file in errors. With `owned` the caller hands the bytes
 * over (e.g. a freshly inflated buffer): numeric data may then be a view on them instead of a copy.
 */
export function decodeNpy(bytes: Uint8Array, path = 'array.npy', opts: { owned?: boolean } = {}): NpyArray {
  const h = readNpyHeader(bytes, path);
  const dt = parseDescr(h.descr);
  if (!dt) throw new FormatError('npy', path, `unsupported dtype '${h.descr}'`, 8);
  const payload = bytes.subarray(h.dataOffset);
  if (dt.kind === 'O') {
    const obj = unpickle(payload, path, h.dataOffset);
    let items: unknown[];
    if (isNdArrayValue(obj)) items = Array.isArray(obj.data) ? (obj.data as unknown[]) : Array.from(obj.data as ArrayLike<unknown>);
    else if (Array.isArray(obj)) items = obj;
    else items = [obj];
    const count = shapeCount(h.shape);
    if (items.length !== count)
      throw new FormatError('npy', path, `object array: shape ${fmtShape(h.shape)} needs ${count} items, the pickle holds ${items.length}`, h.dataOffset);
    return { dtype: h.descr, shape: h.shape, fortranOrder: h.fortranOrder, data: h.fortranOrder ? fortranToC(items, h.shape, 1) : items };
  }
  const data = decodeRaw(h.descr, h.shape, payload, h.fortranOrder, path, h.dataOffset, 'npy', opts.owned);
  return { dtype: h.descr, shape: h.shape, fortranOrder: h.fortranOrder, data };
}

// ---------------------------------------------------------------------------------------------
// encode

/** The .npy v1.0 header block (magic … '\n'), padded so the data starts on a 64-byte boundary. */
export function npyHeader(descr: string, shape: number[], fortranOrder = false): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shape.length === 0 ? '()' : fmtShape(shape)}, }`;
  const unpadded = 10 + dict.length + 1;
  const pad = (64 - (unpadded % 64)) % 64;
  const text = dict + ' '.repeat(pad) + '\n';
  if (text.length > 0xffff) throw new Error('npy header too long for version 1.0');
  const out = new Uint8Array(10 + text.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = text.length & 0xff;
  out[9] = text.length >> 8;
  for (let k = 0; k < text.length; k++) out[10 + k] = text.charCodeAt(k);
  return out;
}

export interface NpyInput {
  /** descr; byte order is ignored (always written little-endian); optional for typed arrays / strings */
  dtype?: string;
  shape: number[];
  data: NumericData | string[];
}

/** Default descr for a typed array. */
export function descrOf(data: NumericData): string {
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Uint16Array) return '<u2';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint32Array) return '<u4';
  if (data instanceof BigInt64Array) return '<i8';
  if (data instanceof BigUint64Array) return '<u8';
  if (data instanceof Float32Array) return '<f4';
  return '<f8';
}

/**
 * Encode an array as .npy v1.0, little-endian, C order. Numeric data must be in C order and native
 * (little-endian) typed arrays matching the dtype's width ('|b1' from Uint8Array, '<f2' from
 * Uint16Array bit patterns, complex from interleaved Float32/Float64Array). Strings are written as
 * '<Un' with n = the longest string in code points (or the n of an explicit '<Un' dtype).
 */
export function encodeNpy(arr: NpyInput): Uint8Array {
  const count = shapeCount(arr.shape);
  if (Array.isArray(arr.data)) {
    const strs = arr.data as string[];
    if (strs.length !== count) throw new Error(`encodeNpy: ${strs.length} strings for shape ${fmtShape(arr.shape)}`);
    const cps = strs.map((s) => Array.from(String(s), (ch) => ch.codePointAt(0)!));
    let n = Math.max(1, ...cps.map((c) => c.length));
    const m = arr.dtype ? /^[<>|=]?U(\d+)$/.exec(arr.dtype) : null;
    if (m) {
      const want = Number(m[1]);
      if (want < n) throw new Error(`encodeNpy: a string is longer than ${arr.dtype}`);
      n = want;
    }
    const head = npyHeader(`<U${n}`, arr.shape);
    const out = new Uint8Array(head.length + count * n * 4);
    out.set(head, 0);
    const dv = new DataView(out.buffer, head.length);
    cps.forEach((c, k) => c.forEach((cp, j) => dv.setUint32((k * n + j) * 4, cp, true)));
    return out;
  }
  const data = arr.data as NumericData;
  let descr = arr.dtype ?? descrOf(data);
  const dt = parseDescr(descr);
  if (!dt || dt.kind === 'U' || dt.kind === 'S' || dt.kind === 'O') throw new Error(`encodeNpy: unsupported numeric dtype '${descr}'`);
  const per = dt.kind === 'c' ? 2 : 1;
  if (data.length !== count * per) throw new Error(`encodeNpy: ${data.length} values for shape ${fmtShape(arr.shape)} of ${descr}`);
  if (data.BYTES_PER_ELEMENT * per !== dt.itemsize) throw new Error(`encodeNpy: ${data.constructor.name} does not match dtype '${descr}'`);
  descr = (dt.itemsize === 1 ? '|' : '<') + descr.replace(/^[<>|=]/, '').replace(/^\?$/, 'b1');
  const head = npyHeader(descr, arr.shape);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  if (!LITTLE && dt.itemsize > 1) byteswap(out.subarray(head.length), dt.kind === 'c' ? dt.itemsize / 2 : dt.itemsize);
  return out;
}
