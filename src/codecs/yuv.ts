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
  const { Y: lY, rV, gU, gV, bU } = yuvTables(bt709, full);
  // per pixel: Y + c·V, Y + c·U + c·V, Y + c·U from per-code tables, summed in that order, clamped
  // and rounded half up; `(x + 0.5) | 0` is Math.round for every sum these tables can make (checked
  // exhaustively by tests/codecs/yuv.test.ts); the chroma terms are looked up once per pixel pair
  const dv = vOff - uOff;
  const even = w & ~1;
  const C = channels;
  for (let y = 0; y < h; y++) {
    const crow = uOff + (y >> 1) * cw;
    let si = y * w;
    let o = si * C;
    for (let x = 0; x < even; x += 2, si += 2, o += 2 * C) {
      const ci = crow + (x >> 1);
      const cr = rV[src[ci + dv]];
      const cg = gV[src[ci + dv]];
      const cgu = gU[src[ci]];
      const cb = bU[src[ci]];
      let Yv = lY[src[si]];
      let r = Yv + cr;
      let g = Yv + cgu + cg;
      let b = Yv + cb;
      out[o] = r < 0 ? 0 : r > 255 ? 255 : (r + 0.5) | 0;
      out[o + 1] = g < 0 ? 0 : g > 255 ? 255 : (g + 0.5) | 0;
      out[o + 2] = b < 0 ? 0 : b > 255 ? 255 : (b + 0.5) | 0;
      Yv = lY[src[si + 1]];
      r = Yv + cr;
      g = Yv + cgu + cg;
      b = Yv + cb;
      out[o + C] = r < 0 ? 0 : r > 255 ? 255 : (r + 0.5) | 0;
      out[o + C + 1] = g < 0 ? 0 : g > 255 ? 255 : (g + 0.5) | 0;
      out[o + C + 2] = b < 0 ? 0 : b > 255 ? 255 : (b + 0.5) | 0;
    }
    if (even < w) {
      // odd width: the last column's chroma sample covers it alone
      const ci = crow + (even >> 1);
      const Yv = lY[src[si]];
      const r = Yv + rV[src[ci + dv]];
      const g = Yv + gU[src[ci]] + gV[src[ci + dv]];
      const b = Yv + bU[src[ci]];
      out[o] = r < 0 ? 0 : r > 255 ? 255 : (r + 0.5) | 0;
      out[o + 1] = g < 0 ? 0 : g > 255 ? 255 : (g + 0.5) | 0;
      out[o + 2] = b < 0 ? 0 : b > 255 ? 255 : (b + 0.5) | 0;
    }
  }
  if (C === 4) for (let o = 3; o < w * h * 4; o += 4) out[o] = 255;
}

export interface Tables {
  /** (Y − offset) · scale per code */
  Y: Float64Array;
  rV: Float64Array;
  gU: Float64Array;
  gV: Float64Array;
  bU: Float64Array;
}

const cache = new Map<string, Tables>();

/** Per-code terms of the conversion (256 entries each), made once per matrix and range. */
export function yuvTables(bt709: boolean, full: boolean): Tables {
  const key = `${bt709}:${full}`;
  let t = cache.get(key);
  if (t) return t;
  const [kr, kb] = bt709 ? [0.2126, 0.0722] : [0.299, 0.114];
  const kg = 1 - kr - kb;
  const ys = full ? 1 : 255 / 219;
  const cs = full ? 1 : 255 / 224;
  const crR = 2 * (1 - kr) * cs;
  const cbB = 2 * (1 - kb) * cs;
  const cbG = (-2 * (1 - kb) * kb * cs) / kg;
  const crG = (-2 * (1 - kr) * kr * cs) / kg;
  const y0 = full ? 0 : 16;
  const table = (f: (v: number) => number) => Float64Array.from({ length: 256 }, (_, v) => f(v));
  t = {
    Y: table((v) => (v - y0) * ys),
    rV: table((v) => crR * (v - 128)),
    gU: table((v) => cbG * (v - 128)),
    gV: table((v) => crG * (v - 128)),
    bU: table((v) => cbB * (v - 128)),
  };
  cache.set(key, t);
  return t;
}
