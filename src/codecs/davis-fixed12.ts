import { CodecError } from '../core/errors';

/**
 * DaVis pack_type 3 (FIXED_12_0): per row of `nx` pixels, while at least 4 pixels remain read three
 * LE uint16 words w0 w1 w2 and emit 4 twelve-bit pixels; the remaining < 4 pixels of the row are raw
 * uint16 words. Returns the decoded words and the end offset.
 */
export function decodeFixed12(src: Uint8Array, pos: number, nx: number, rows: number): { data: Uint16Array; end: number } {
  const out = new Uint16Array(nx * rows);
  const n = src.length;
  let p = pos;
  let o = 0;
  const full = nx >> 2;
  const rest = nx & 3;
  const rowBytes = full * 6 + rest * 2;
  for (let r = 0; r < rows; r++) {
    if (p + rowBytes > n) throw new CodecError(`12-bit row ${r} (${rowBytes} bytes) past the end of the data`, p);
    for (let q = 0; q < full; q++) {
      const w0 = src[p] | (src[p + 1] << 8);
      const w1 = src[p + 2] | (src[p + 3] << 8);
      const w2 = src[p + 4] | (src[p + 5] << 8);
      p += 6;
      out[o++] = w0 & 0xfff;
      out[o++] = (w0 >> 12) | ((w1 & 0xff) << 4);
      out[o++] = (w1 >> 8) | ((w2 & 0xf) << 8);
      out[o++] = w2 >> 4;
    }
    for (let q = 0; q < rest; q++) {
      out[o++] = src[p] | (src[p + 1] << 8);
      p += 2;
    }
  }
  return { data: out, end: p };
}
