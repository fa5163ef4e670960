import { CodecError } from '../core/errors';

/**
 * LZ4 block format decoder (no frame header, no checksum), as DaVis 10/11 pack_type 20 stores it:
 * sequences of token (literal length << 4 | match length - 4), literal-length extension bytes, literals,
 * 2-byte LE match offset, match-length extension bytes. The last sequence has literals only.
 * Decodes exactly `outSize` bytes; bounded by the input and output sizes.
 */
export function lz4DecompressBlock(src: Uint8Array, outSize: number, srcStart = 0, srcEnd = src.length): Uint8Array {
  const out = new Uint8Array(outSize);
  let p = srcStart;
  let o = 0;
  while (p < srcEnd) {
    const token = src[p++];
    let lit = token >> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (p >= srcEnd) throw new CodecError('LZ4 literal length past the end of the block', p);
        b = src[p++];
        lit += b;
      } while (b === 255);
    }
    if (p + lit > srcEnd) throw new CodecError(`LZ4 literals (${lit} bytes) past the end of the block`, p);
    if (o + lit > outSize) throw new CodecError(`LZ4 literals overflow the expected ${outSize} bytes`, p);
    out.set(src.subarray(p, p + lit), o);
    p += lit;
    o += lit;
    if (p >= srcEnd) break; // last sequence: literals only
    if (p + 2 > srcEnd) throw new CodecError('LZ4 match offset past the end of the block', p);
    const off = src[p] | (src[p + 1] << 8);
    p += 2;
    if (off === 0 || off > o) throw new CodecError(`LZ4 match offset ${off} points before the start of the output`, p - 2);
    let len = (token & 15) + 4;
    if ((token & 15) === 15) {
      let b: number;
      do {
        if (p >= srcEnd) throw new CodecError('LZ4 match length past the end of the block', p);
        b = src[p++];
        len += b;
      } while (b === 255);
    }
    if (o + len > outSize) throw new CodecError(`LZ4 match overflows the expected ${outSize} bytes`, p);
    let from = o - off;
    if (off >= len) {
      out.copyWithin(o, from, from + len);
      o += len;
    } else {
      for (let i = 0; i < len; i++) out[o++] = out[from++];
    }
  }
  if (o !== outSize) throw new CodecError(`LZ4 block decoded to ${o} bytes, expected ${outSize}`, p);
  return out;
}
