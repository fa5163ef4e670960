import { describe, expect, it } from 'vitest';
import { canonical, GopFrameCache, i420ToRgb, neutralChroma, toPixFmt } from '../../src/video/gop-cache';

const W = 6;
const H = 4;
const yuv = (chroma: (k: number) => number) => {
  const a = new Uint8Array(W * H * 1.5);
  for (let k = 0; k < W * H; k++) a[k] = (k * 37) & 0xff;
  for (let k = W * H; k < a.length; k++) a[k] = chroma(k);
  return a;
};

describe('GOP cache frame forms', () => {
  it('keeps neutral-chroma frames as the luma plane alone (1 byte/pixel), colour frames as I420', () => {
    const gray = yuv(() => 128);
    const color = yuv((k) => (k % 3 ? 128 : 90));
    expect(neutralChroma(gray, W, H)).toBe(true);
    expect(neutralChroma(color, W, H)).toBe(false);
    const g = canonical(gray, W, H, false);
    expect(g.gray).toBe(true);
    expect(g.data.length).toBe(W * H);
    const c = canonical(color, W, H, false);
    expect(c.gray).toBe(false);
    expect(c.data).toBe(color);
  });

  for (const full of [false, true]) {
    it(`gray frames convert exactly as the I420 converter does with chroma 128 (${full ? 'full' : 'limited'} range)`, () => {
      const planes = yuv(() => 128);
      const g = canonical(planes, W, H, full);
      for (const [fmt, n] of [
        ['rgb24', 3],
        ['rgba', 4],
      ] as const) {
        const want = new Uint8Array(W * H * n);
        i420ToRgb(planes, W, H, want, n, false, full);
        expect([...toPixFmt(g, fmt, W, H)]).toEqual([...want]);
      }
      expect([...toPixFmt(g, 'yuv420p', W, H)]).toEqual([...planes]);
    });
  }

  it('reads are new arrays (the cache reuses evicted buffers)', () => {
    const c = canonical(
      yuv((k) => k & 0xff),
      W,
      H,
      false,
    );
    const out = toPixFmt(c, 'yuv420p', W, H);
    expect(out).not.toBe(c.data);
    expect([...out]).toEqual([...c.data]);
  });

  it('is bounded in bytes and hands evicted frames back', () => {
    const evicted: number[] = [];
    const cache = new GopFrameCache(3 * W * H, (c) => evicted.push(c.data[0]));
    for (let i = 0; i < 5; i++) cache.set(i, { data: new Uint8Array(W * H).fill(i), gray: true, full: false });
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(3 * W * H);
    expect(evicted).toEqual([0, 1]);
    expect(cache.has(4) && cache.has(2) && !cache.has(1)).toBe(true);
  });
});
