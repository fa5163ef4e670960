import { FormatError } from '../errors';

/** Little-endian random access over one file's bytes, with FormatError helpers that name the file. */
export class ByteReader {
  readonly dv: DataView;
  constructor(
    readonly path: string,
    readonly bytes: Uint8Array,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get size(): number {
    return this.bytes.length;
  }
  fail(reason: string, offset?: number): never {
    throw new FormatError('davis', this.path, reason, offset);
  }
  need(offset: number, n: number, what: string): void {
    if (offset < 0 || n < 0 || offset + n > this.bytes.length) this.endsEarly(what, offset, n, this.bytes.length);
  }
  /**
   * `what` needs `n` bytes from `from` but its region ends at `limit`: says so in words, naming the
   * end of the file when the region ends there (a truncated file) and the next section otherwise.
   */
  endsEarly(what: string, from: number, n: number, limit: number, next = 'the next section'): never {
    const span = Number.isFinite(n)
      ? `${fmtInt(n)} bytes from byte ${fmtInt(from)} (to byte ${fmtInt(from + n)})`
      : `an impossible length from byte ${fmtInt(from)}`;
    if (limit >= this.bytes.length)
      return this.fail(`the file ends at byte ${fmtInt(this.bytes.length)} but ${what} needs ${span}: the file is truncated (or that length is damaged)`, from);
    return this.fail(`${what} needs ${span} but its region ends at byte ${fmtInt(limit)}, where ${next} starts (a damaged length or offset)`, from);
  }
  i16(o: number): number {
    return this.dv.getInt16(o, true);
  }
  u16(o: number): number {
    return this.dv.getUint16(o, true);
  }
  i32(o: number): number {
    return this.dv.getInt32(o, true);
  }
  u32(o: number): number {
    return this.dv.getUint32(o, true);
  }
  f32(o: number): number {
    return this.dv.getFloat32(o, true);
  }
  f64(o: number): number {
    return this.dv.getFloat64(o, true);
  }
  /** uint64 as a number (exact below 2^53; larger values are returned as Infinity so bound checks fail) */
  u64(o: number): number {
    const lo = this.dv.getUint32(o, true);
    const hi = this.dv.getUint32(o + 4, true);
    return hi >= 0x200000 ? Infinity : hi * 4294967296 + lo;
  }
  latin1(start: number, end: number): string {
    return latin1(this.bytes, start, end);
  }
}

/** 1234567 → "1,234,567" (byte counts and offsets in messages) */
export const fmtInt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n));

/** Latin-1 text (DaVis writes Windows-1252/Latin-1: 0xB5 is µ). */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, Math.min(end, i + 8192))));
  }
  return s;
}

/** Copy `count` elements at byte `offset` into a fresh (aligned) typed array. */
export function copyTyped<T extends Uint8Array | Uint16Array | Int32Array | Float32Array | Float64Array>(
  bytes: Uint8Array,
  offset: number,
  count: number,
  ctor: { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
): T {
  const n = count * ctor.BYTES_PER_ELEMENT;
  const buf = new ArrayBuffer(n);
  new Uint8Array(buf).set(bytes.subarray(offset, offset + n));
  return new ctor(buf);
}

/** strip trailing NULs */
export function trimNul(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 0) e--;
  return e === s.length ? s : s.slice(0, e);
}
