/** Raw numpy array bytes ↔ typed arrays: dtype descriptors, byte order, Fortran order (shared by the npy and pickle codecs). */
import { FormatError } from '../core/errors';

export type NumericData =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export type NpyData = NumericData | string[] | unknown[];

export interface DtypeInfo {
  /** '<', '>' or '|' (as written; '=' is normalised to '<') */
  order: '<' | '>' | '|';
  /** numpy kind char: b i u f c U S O */
  kind: string;
  /** bytes per item */
  itemsize: number;
}

/** Parse a simple descr ('<f4', '|b1', 'u1', '<U12', '|S3', '|O', '>c16'). Returns null when unsupported. */
export function parseDescr(descr: string): DtypeInfo | null {
  const m = /^([<>|=]?)([biufcUSO?])(\d*)$/.exec(descr);
  if (!m) return null;
  let order = (m[1] || '|') as '<' | '>' | '|' | '=';
  let kind = m[2];
  if (kind === '?') kind = 'b';
  let n = m[3] === '' ? NaN : Number(m[3]);
  if (kind === 'O') {
    n = Number.isNaN(n) ? 8 : n;
    return { order: '|', kind, itemsize: n };
  }
  if (kind === 'b') n = Number.isNaN(n) ? 1 : n;
  if (Number.isNaN(n)) return null;
  if (order === '=') order = '<';
  const ok =
    (kind === 'b' && n === 1) ||
    ((kind === 'i' || kind === 'u') && (n === 1 || n === 2 || n === 4 || n === 8)) ||
    (kind === 'f' && (n === 2 || n === 4 || n === 8)) ||
    (kind === 'c' && (n === 8 || n === 16)) ||
    kind === 'U' ||
    kind === 'S';
  if (!ok) return null;
  const itemsize = kind === 'U' ? 4 * n : n;
  if (itemsize === 1 && order !== '|') order = '|';
  return { order: order as '<' | '>' | '|', kind, itemsize };
}

const fmtN = (n: number) => n.toLocaleString('en-US');

export function shapeCount(shape: number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function fmtShape(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Decode raw array bytes of a numeric or string dtype (shared with the pickle reader).
 * Throws FormatError when the bytes are fewer than the shape needs (extra trailing bytes are ignored).
 */
export function decodeRaw(
  descr: string,
  shape: number[],
  raw: Uint8Array,
  fortranOrder: boolean,
  path = 'array.npy',
  baseOffset = 0,
  format = 'npy',
  owned = false,
): NpyData {
  const dt = parseDescr(descr);
  if (!dt || dt.kind === 'O') throw new FormatError(format, path, `unsupported dtype '${descr}'`, baseOffset);
  const count = shapeCount(shape);
  const need = count * dt.itemsize;
  if (!Number.isSafeInteger(need) || need > raw.length)
    throw new FormatError(
      format,
      path,
      Number.isSafeInteger(need)
        ? `shape ${fmtShape(shape)} of ${descr} needs ${need} bytes, only ${raw.length} present: the array data ends at byte ${fmtN(baseOffset + raw.length)} but needs bytes up to ${fmtN(baseOffset + need)} (the file is truncated, or its shape is damaged)`
        : `shape ${fmtShape(shape)} of ${descr} needs more bytes than any file holds (a damaged header)`,
      baseOffset,
    );
  const src = raw.subarray(0, need);
  let data: NpyData;
  if (dt.kind === 'U') data = decodeUtf32(src, dt.itemsize / 4, count, dt.order === '>');
  else if (dt.kind === 'S') data = decodeBytesStrings(src, dt.itemsize, count);
  else data = decodeNumeric(dt, src, count, owned);
  if (fortranOrder && shape.length > 1) {
    const per = dt.kind === 'c' ? 2 : 1;
    data = fortranToC(data as never, shape, per);
  }
  return data;
}

export const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function decodeNumeric(dt: DtypeInfo, src: Uint8Array, count: number, owned: boolean): NumericData {
  const size = dt.kind === 'c' ? dt.itemsize / 2 : dt.itemsize;
  const swap = size > 1 && (dt.order === '>') === LITTLE;
  // a view when the caller owns the bytes and they are aligned; else a fresh, aligned copy
  const copy = owned && src.byteOffset % size === 0 ? src : src.slice();
  if (swap) byteswap(copy, size);
  const buf = copy.buffer;
  const off = copy.byteOffset;
  switch (dt.kind) {
    case 'b': {
      for (let k = 0; k < copy.length; k++) copy[k] = copy[k] ? 1 : 0;
      return copy;
    }
    case 'i':
      return size === 1
        ? new Int8Array(buf, off, count)
        : size === 2
          ? new Int16Array(buf, off, count)
          : size === 4
            ? new Int32Array(buf, off, count)
            : new BigInt64Array(buf, off, count);
    case 'u':
      return size === 1
        ? copy
        : size === 2
          ? new Uint16Array(buf, off, count)
          : size === 4
            ? new Uint32Array(buf, off, count)
            : new BigUint64Array(buf, off, count);
    case 'f':
      if (size === 2) return halfToFloat32(new Uint16Array(buf, off, count));
      return size === 4 ? new Float32Array(buf, off, count) : new Float64Array(buf, off, count);
    case 'c':
      return size === 4 ? new Float32Array(buf, off, 2 * count) : new Float64Array(buf, off, 2 * count);
  }
  throw new Error(`unreachable dtype kind ${dt.kind}`);
}

export function byteswap(b: Uint8Array, size: number): void {
  for (let o = 0; o + size <= b.length; o += size) {
    for (let a = o, z = o + size - 1; a < z; a++, z--) {
      const t = b[a];
      b[a] = b[z];
      b[z] = t;
    }
  }
}

/** IEEE half → float32 (exact). */
export function halfToFloat32(h: Uint16Array): Float32Array {
  const out = new Float32Array(h.length);
  for (let k = 0; k < h.length; k++) {
    const x = h[k];
    const s = x & 0x8000 ? -1 : 1;
    const e = (x >> 10) & 0x1f;
    const f = x & 0x3ff;
    if (e === 0) out[k] = s * f * 2 ** -24;
    else if (e === 31) out[k] = f ? NaN : s * Infinity;
    else out[k] = s * (1 + f / 1024) * 2 ** (e - 15);
  }
  return out;
}

function decodeUtf32(src: Uint8Array, chars: number, count: number, big: boolean): string[] {
  const out: string[] = new Array(count);
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let k = 0; k < count; k++) {
    let end = chars;
    const base = k * chars * 4;
    while (end > 0 && dv.getUint32(base + (end - 1) * 4, !big) === 0) end--;
    let s = '';
    for (let c = 0; c < end; c++) {
      const cp = dv.getUint32(base + c * 4, !big);
      s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
    }
    out[k] = s;
  }
  return out;
}

function decodeBytesStrings(src: Uint8Array, n: number, count: number): string[] {
  const out: string[] = new Array(count);
  for (let k = 0; k < count; k++) {
    let end = n;
    while (end > 0 && src[k * n + end - 1] === 0) end--;
    out[k] = latin1(src.subarray(k * n, k * n + end));
  }
  return out;
}

export function latin1(b: Uint8Array): string {
  let s = '';
  for (let k = 0; k < b.length; k += 8192) s += String.fromCharCode(...b.subarray(k, Math.min(b.length, k + 8192)));
  return s;
}

/** Reorder Fortran-ordered data (first index fastest) to C order. `per` = elements per item (2 for complex). */
export function fortranToC<T extends ArrayLike<unknown> & { length: number }>(data: T, shape: number[], per: number): T {
  const nd = shape.length;
  if (nd < 2) return data;
  const count = shapeCount(shape);
  const ctor = (data as unknown as { constructor: new (n: number) => T }).constructor;
  const out = (Array.isArray(data) ? new Array(data.length) : new ctor(data.length)) as unknown as { [k: number]: unknown };
  const src = data as unknown as { [k: number]: unknown };
  // Fortran strides
  const fstr = new Array<number>(nd);
  fstr[0] = 1;
  for (let d = 1; d < nd; d++) fstr[d] = fstr[d - 1] * shape[d - 1];
  const idx = new Array<number>(nd).fill(0);
  let fpos = 0;
  for (let c = 0; c < count; c++) {
    for (let p = 0; p < per; p++) out[c * per + p] = src[fpos * per + p];
    // increment C-order index (last fastest) and track Fortran position
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      fpos += fstr[d];
      if (idx[d] < shape[d]) break;
      fpos -= fstr[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out as unknown as T;
}

// ---------------------------------------------------------------------------------------------
// helpers for consumers

/** Any numeric npy data (incl. bigint, bool) as Float64Array. Complex: interleaved re/im kept. */
export function toFloat64(data: NpyData): Float64Array {
  if (data instanceof Float64Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = new Float64Array(data.length);
    for (let k = 0; k < data.length; k++) out[k] = Number(data[k]);
    return out;
  }
  if (Array.isArray(data)) {
    const out = new Float64Array(data.length);
    for (let k = 0; k < data.length; k++) out[k] = Number(data[k]);
    return out;
  }
  return Float64Array.from(data as ArrayLike<number>);
}

/** Numeric data as a plain number[] (bigints converted with Number()). */
export function toNumbers(data: NpyData): number[] {
  return Array.from(toFloat64(data));
}

export function isNumericData(d: NpyData): d is NumericData {
  return ArrayBuffer.isView(d);
}
