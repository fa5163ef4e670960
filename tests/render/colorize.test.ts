import { describe, expect, it } from 'vitest';
import { autoLimits, colorize, fieldStats, magnitude } from '../../src/render/colorize';
import { COLORMAP_NAMES, getColormap, plotlyColorscale } from '../../src/render/colormaps';

describe('colormaps', () => {
  it('has the maps the viewer promises, 256 RGB entries each, with the published end colours', () => {
    for (const n of ['viridis', 'gray', 'RdBu', 'jet', 'inferno']) expect(COLORMAP_NAMES).toContain(n);
    const v = getColormap('viridis');
    expect(v.length).toBe(768);
    expect([...v.slice(0, 3)]).toEqual([0x44, 0x01, 0x54]);
    expect([...v.slice(765)]).toEqual([0xfd, 0xe7, 0x25]);
    const g = getColormap('gray');
    expect([...g.slice(128 * 3, 128 * 3 + 3)]).toEqual([128, 128, 128]);
    const r = getColormap('viridis_r');
    expect([...r.slice(0, 3)]).toEqual([0xfd, 0xe7, 0x25]);
    expect(plotlyColorscale('gray', 2)).toEqual([
      [0, 'rgb(0,0,0)'],
      [0.5, 'rgb(128,128,128)'],
      [1, 'rgb(255,255,255)'],
    ]);
  });
});

describe('fieldStats / autoLimits', () => {
  it('ignores masked and non-finite cells', () => {
    const s = fieldStats(Float32Array.of(1, 2, NaN, 100, 3), Uint8Array.of(0, 0, 0, 1, 0));
    expect(s).toMatchObject({ min: 1, max: 3, valid: 3, mean: 2 });
  });
  it('gives 1st/99th percentiles to within 1/4096 of the range', () => {
    const n = 100000;
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = i / (n - 1);
    const s = fieldStats(a);
    expect(s.p1).toBeCloseTo(0.01, 3);
    expect(s.p99).toBeCloseTo(0.99, 3);
    expect(autoLimits(s, 'p1-99')[0]).toBeCloseTo(0.01, 3);
    expect(autoLimits(s, 'minmax')).toEqual([0, 1]);
    expect(autoLimits(s, 'manual', [2, 3])).toEqual([2, 3]);
    expect(autoLimits(fieldStats(Float32Array.of(-2, 1)), 'symmetric')).toEqual([-2, 2]);
  });
  it('widens a constant field so it still draws', () => {
    expect(autoLimits(fieldStats(Float32Array.of(5, 5)), 'minmax')).toEqual([4.5, 5.5]);
  });
});

describe('colorize', () => {
  it('maps limits to the ends of the colormap and leaves masked cells transparent', () => {
    const rgba = colorize(Float32Array.of(0, 1, 0.5, 7), Uint8Array.of(0, 0, 0, 1), [2, 2], { vmin: 0, vmax: 1, colormap: 'gray' });
    expect([...rgba.slice(0, 4)]).toEqual([0, 0, 0, 255]);
    expect([...rgba.slice(4, 8)]).toEqual([255, 255, 255, 255]);
    expect(rgba[8]).toBe(127);
    expect([...rgba.slice(12, 16)]).toEqual([0, 0, 0, 0]);
  });
  it('flips rows when asked (y axis pointing down in the data)', () => {
    const rgba = colorize(Float32Array.of(0, 0, 1, 1), null, [2, 2], { vmin: 0, vmax: 1, colormap: 'gray', flipY: true });
    expect(rgba[0]).toBe(255);
    expect(rgba[8]).toBe(0);
  });
  it('magnitude is NaN where masked', () => {
    const m = magnitude(Float32Array.of(3, 1), Float32Array.of(4, 1), undefined, Uint8Array.of(0, 1));
    expect(m[0]).toBe(5);
    expect(Number.isNaN(m[1])).toBe(true);
  });
});

describe('fieldStats without percentiles', () => {
  it('skips the histogram pass', () => {
    const s = fieldStats(Float32Array.of(1, 2, 3), null, false);
    expect(s).toMatchObject({ min: 1, max: 3, mean: 2, valid: 3 });
    expect(Number.isNaN(s.p1)).toBe(true);
  });
});
