/**
 * YUV → RGB for decoders that hand out planes (WebCodecs VideoDecoder and ImageDecoder): I420 with
 * nearest chroma (each chroma sample covers its 2×2 block), BT.601 unless BT.709 is asked for,
 * limited range (16..235) unless `full` (JPEG is full range).
 */

/** I420 planes → packed RGB(A); BT.601 (BT.709 when asked), limited range unless `full`, nearest chroma. */
export function i420ToRgb(src: Uint8Array, w: number, h: number, out: Uint8Array, channels: 3 | 4, bt709: boolean, full: boolean): void {
  const cw = (w + 1) >> 1;
  const ch = (h + 1) >> 1;
  const uOff = w * h;
  const vOff = uOff + cw * ch;
  const [kr, kb] = bt709 ? [0.2126, 0.0722] : [0.299, 0.114];
  const kg = 1 - kr - kb;
  const ys = full ? 1 : 255 / 219;
  const cs = full ? 1 : 255 / 224;
  const crR = 2 * (1 - kr) * cs;
  const cbB = 2 * (1 - kb) * cs;
  const cbG = (-2 * (1 - kb) * kb * cs) / kg;
  const crG = (-2 * (1 - kr) * kr * cs) / kg;
  const y0 = full ? 0 : 16;
  let o = 0;
  for (let y = 0; y < h; y++) {
    const crow = (y >> 1) * cw;
    for (let x = 0; x < w; x++) {
      const Y = (src[y * w + x] - y0) * ys;
      const ci = crow + (x >> 1);
      const U = src[uOff + ci] - 128;
      const V = src[vOff + ci] - 128;
      const r = Y + crR * V;
      const g = Y + cbG * U + crG * V;
      const b = Y + cbB * U;
      out[o] = r < 0 ? 0 : r > 255 ? 255 : Math.round(r);
      out[o + 1] = g < 0 ? 0 : g > 255 ? 255 : Math.round(g);
      out[o + 2] = b < 0 ? 0 : b > 255 ? 255 : Math.round(b);
      if (channels === 4) out[o + 3] = 255;
      o += channels;
    }
  }
}
