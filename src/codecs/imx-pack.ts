import { CodecError } from '../core/errors';

/**
 * LaVision IMX word codec (DaVis pack_type 1 and old `.imx` files).
 *
 * Stream: uint8 preview width, uint8 preview height, width*height preview bytes (a thumbnail, skipped),
 * then tokens that rebuild 16-bit words from a running value `last` (starts at 0, wraps mod 65536):
 *   0x00..0x7E, 0x82..0xFF  signed 8-bit delta, emit
 *   0x80                    uint16 LE absolute value, emit
 *   0x7F n                  n uint16 LE absolute values (n = 0 means 256), emit each
 *   0x81                    nibble run: each byte gives a signed delta in its high nibble and another in
 *                           its low nibble; a low nibble of 8 ends the run (and is not a pixel).
 * `last` carries over rows, planes and frames.
 */

const fmt = (n: number) => n.toLocaleString('en-US');

export interface ImxDecodeResult {
  /** offset just after the last byte consumed */
  end: number;
}

/** Offset of the first token after the preview header starting at `pos`. */
export function skipImxPreview(src: Uint8Array, pos: number): number {
  if (pos + 2 > src.length) throw new CodecError('IMX preview header (2 bytes) past the end of the data', pos);
  const pnx = src[pos];
  const pny = src[pos + 1];
  const end = pos + 2 + pnx * pny;
  if (end > src.length)
    throw new CodecError(`IMX preview of ${pnx}x${pny} bytes needs the data up to byte ${fmt(end)} but it ends at byte ${fmt(src.length)}`, pos);
  return end;
}

/**
 * Decode `count` words into `out[outStart ..]` from the token stream at `pos` (after the preview).
 * Returns the offset just after the last consumed byte. Throws CodecError when the data ends early.
 */
export function decodeImxTokens(src: Uint8Array, pos: number, out: Uint16Array, outStart: number, count: number, last = 0): number {
  const n = src.length;
  let o = outStart;
  const oEnd = outStart + count;
  if (oEnd > out.length) throw new CodecError(`IMX output of ${count} words does not fit the output buffer`, pos);
  let p = pos;
  let l = last & 0xffff;
  while (o < oEnd) {
    if (p >= n) throw new CodecError(`IMX stream ended after ${fmt(o - outStart)} of ${fmt(count)} words`, p);
    const c = src[p++];
    if (c < 0x7f) {
      l = (l + c) & 0xffff;
      out[o++] = l;
    } else if (c > 0x81) {
      l = (l + c - 256) & 0xffff;
      out[o++] = l;
    } else if (c === 0x80) {
      if (p + 2 > n) throw new CodecError('IMX absolute word past the end of the data', p - 1);
      l = src[p] | (src[p + 1] << 8);
      p += 2;
      out[o++] = l;
    } else if (c === 0x7f) {
      if (p >= n) throw new CodecError('IMX word-run count past the end of the data', p - 1);
      let k = src[p++];
      if (k === 0) k = 256;
      if (p + 2 * k > n) throw new CodecError(`IMX run of ${k} absolute words past the end of the data`, p - 2);
      if (o + k > oEnd) throw new CodecError(`IMX run of ${k} words overflows the ${count} expected words`, p - 2);
      for (let i = 0; i < k; i++) {
        l = src[p] | (src[p + 1] << 8);
        p += 2;
        out[o++] = l;
      }
    } else {
      // 0x81: nibble run
      for (;;) {
        if (p >= n) throw new CodecError('IMX nibble run not terminated before the end of the data', p);
        const b = src[p++];
        const h = b >> 4;
        l = (l + (h < 8 ? h : h - 16)) & 0xffff;
        out[o++] = l;
        const lo = b & 15;
        if (lo === 8) break;
        if (o >= oEnd) throw new CodecError(`IMX nibble run overflows the ${count} expected words`, p - 1);
        l = (l + (lo < 8 ? lo : lo - 16)) & 0xffff;
        out[o++] = l;
        if (o >= oEnd) throw new CodecError(`IMX nibble run overflows the ${count} expected words`, p - 1);
      }
    }
  }
  return p;
}

/**
 * Decode one IMX stream (preview + tokens) holding `count` words. When `segments` is given (> 1) the
 * stream restarts (new preview, last = 0) every count/segments words, the per-frame variant that
 * DaVis 10/11 is said to write.
 */
export function decodeImx(src: Uint8Array, pos: number, count: number, out?: Uint16Array, segments = 1): { data: Uint16Array; end: number } {
  const data = out ?? new Uint16Array(count);
  if (segments <= 1) {
    const start = skipImxPreview(src, pos);
    return { data, end: decodeImxTokens(src, start, data, 0, count) };
  }
  const per = Math.floor(count / segments);
  if (per * segments !== count) throw new CodecError(`IMX: ${count} words do not split into ${segments} segments`, pos);
  let p = pos;
  for (let s = 0; s < segments; s++) {
    p = skipImxPreview(src, p);
    p = decodeImxTokens(src, p, data, s * per, per);
  }
  return { data, end: p };
}
