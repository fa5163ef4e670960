/**
 * A growable little-endian byte sink for the DaVis writer (all DaVis binary formats are LE).
 */
export class ByteSink {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(Math.max(16, initial));
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.len;
  }

  private reserve(n: number): number {
    const need = this.len + n;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.len;
    this.len = need;
    return at;
  }

  u8(x: number): void {
    const at = this.reserve(1);
    this.buf[at] = x & 0xff;
  }
  i16(x: number): void {
    const at = this.reserve(2);
    this.view.setInt16(at, x, true);
  }
  i32(x: number): void {
    const at = this.reserve(4);
    this.view.setInt32(at, x, true);
  }
  u32(x: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, x, true);
  }
  u64(x: number): void {
    const at = this.reserve(8);
    this.view.setUint32(at, x % 0x100000000, true);
    this.view.setUint32(at + 4, Math.floor(x / 0x100000000), true);
  }
  zeros(n: number): void {
    this.reserve(n); // new capacity is zero-filled; a reused region never exists (no truncation)
  }
  bytes(b: Uint8Array): void {
    // reserve first: it may replace this.buf
    const at = this.reserve(b.length);
    this.buf.set(b, at);
  }
  /** Little-endian bytes of a typed array (the platform is LE everywhere JS runs in practice; checked). */
  typed(a: Uint8Array | Uint16Array | Int32Array | Float32Array | Float64Array): void {
    this.bytes(leBytes(a));
  }
  /** Overwrite an int32 at an earlier position. */
  patchI32(at: number, x: number): void {
    this.view.setInt32(at, x, true);
  }
  patchI16(at: number, x: number): void {
    this.view.setInt16(at, x, true);
  }
  patchU64(at: number, x: number): void {
    this.view.setUint32(at, x % 0x100000000, true);
    this.view.setUint32(at + 4, Math.floor(x / 0x100000000), true);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The bytes of a typed array in little-endian order (a view when the host is LE). */
export function leBytes(a: Uint8Array | Uint16Array | Int32Array | Float32Array | Float64Array): Uint8Array {
  const raw = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE || a.BYTES_PER_ELEMENT === 1) return raw;
  const out = new Uint8Array(raw.length);
  const k = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < raw.length; i += k) for (let j = 0; j < k; j++) out[i + j] = raw[i + k - 1 - j];
  return out;
}
