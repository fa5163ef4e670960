/**
 * The I420 → RGB converter (src/codecs/yuv.ts, used by the WebCodecs and ImageDecoder paths)
 * against the per-pixel formula it implements, written out plainly here: the same bytes for every
 * matrix, range, channel count and odd size.
 */
import { describe, expect, it } from 'vitest';
import { i420ToRgb, yuvTables } from '../../src/codecs/yuv';

function reference(src: Uint8Array, w: number, h: number, channels: 3 | 4, bt709: boolean, full: boolean): Uint8Array {
  const out = new Uint8Array(w * h * channels);
  const cw = (w + 1) >> 1;
  const ch = (h + 1) >> 1;
  const [kr, kb] = bt709 ? [0.2126, 0.0722] : [0.299, 0.114];
  const kg = 1 - kr - kb;
  const ys = full ? 1 : 255 / 219;
  const cs = full ? 1 : 255 / 224;
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const Y = (src[y * w + x] - (full ? 0 : 16)) * ys;
      const ci = (y >> 1) * cw + (x >> 1);
      const U = src[w * h + ci] - 128;
      const V = src[w * h + cw * ch + ci] - 128;
      const o = (y * w + x) * channels;
      out[o] = clamp(Y + 2 * (1 - kr) * cs * V);
      out[o + 1] = clamp(Y + ((-2 * (1 - kb) * kb * cs) / kg) * U + ((-2 * (1 - kr) * kr * cs) / kg) * V);
      out[o + 2] = clamp(Y + 2 * (1 - kb) * cs * U);
      if (channels === 4) out[o + 3] = 255;
    }
  return out;
}

describe('i420ToRgb', () => {
  it('equals the per-pixel formula byte for byte', () => {
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
    for (const [w, h] of [
      [1, 1],
      [2, 2],
      [5, 3],
      [6, 7],
      [64, 48],
    ])
      for (const channels of [3, 4] as const)
        for (const bt709 of [false, true])
          for (const full of [false, true]) {
            const src = Uint8Array.from({ length: w * h + 2 * ((w + 1) >> 1) * ((h + 1) >> 1) }, rnd);
            const got = new Uint8Array(w * h * channels);
            i420ToRgb(src, w, h, got, channels, bt709, full);
            expect(got, `${w}×${h} ${channels} ch bt709=${bt709} full=${full}`).toEqual(reference(src, w, h, channels, bt709, full));
          }
  });

  it('every code combination: all Y, U, V values through each matrix and range', () => {
    // 256 Y × (U, V) on a grid of 17 × 17 chroma codes, in 2×2 blocks
    const codes = Array.from({ length: 17 }, (_, k) => Math.min(255, k * 16));
    const w = 512;
    const h = 2 * codes.length * codes.length;
    const src = new Uint8Array(w * h + 2 * (w / 2) * (h / 2));
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) src[y * w + x] = (x >> 1) & 255;
    for (let cy = 0; cy < h / 2; cy++)
      for (let cx = 0; cx < w / 2; cx++) {
        src[w * h + cy * (w / 2) + cx] = codes[cy % codes.length];
        src[w * h + (w / 2) * (h / 2) + cy * (w / 2) + cx] = codes[Math.floor(cy / codes.length)];
      }
    for (const bt709 of [false, true])
      for (const full of [false, true]) {
        const got = new Uint8Array(w * h * 3);
        i420ToRgb(src, w, h, got, 3, bt709, full);
        const want = reference(src, w, h, 3, bt709, full);
        expect(got.every((v, i) => v === want[i])).toBe(true);
      }
  });

  it('rounds like Math.round for every sum the tables can make (all Y, U, V codes, each matrix and range)', () => {
    let bad = 0;
    const check = (x: number) => {
      if (x >= 0 && x <= 255 && ((x + 0.5) | 0) !== Math.round(x)) bad++;
    };
    for (const bt709 of [false, true])
      for (const full of [false, true]) {
        const t = yuvTables(bt709, full);
        for (let y = 0; y < 256; y++) {
          const Y = t.Y[y];
          for (let c = 0; c < 256; c++) {
            check(Y + t.rV[c]);
            check(Y + t.bU[c]);
            const gu = Y + t.gU[c];
            for (let v = 0; v < 256; v++) check(gu + t.gV[v]);
          }
        }
      }
    expect(bad).toBe(0);
  });
});
