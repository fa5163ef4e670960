import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/formats/types';
import { FrameCache } from '../../src/render/frame-cache';
import { autoStride, sampleQuiver } from '../../src/render/quiver-sample';
import { buildViewModel, type ViewRequest } from '../../src/render/view-model';

const req: ViewRequest = { field: 'f', plane: 0, component: 'magnitude', colormap: 'gray', limitsMode: 'minmax', stride: 1, quiver: true };
const sc = (slope: number, offset: number, unit = 'mm') => ({ slope, offset, unit, description: '' });

function frame(fields: Frame['fields']): Frame {
  return { info: { index: 0, number: 1, time: 0.5 }, fields, attributes: {} };
}

describe('buildViewModel', () => {
  it('scalar field: physical axes from scales, stats over valid cells, bitmap rows ordered by increasing y', () => {
    const m = buildViewModel(
      frame({
        f: {
          kind: 'scalar',
          shape: [2, 3],
          values: Float32Array.of(0, 1, 2, 3, 4, 5),
          mask: Uint8Array.of(0, 0, 0, 0, 0, 1),
          scales: { x: sc(2, 10), y: sc(-1, 5) },
        },
      }),
      req,
    );
    expect(m.kind).toBe('image');
    expect(m.x).toMatchObject({ start: 10, step: 2, unit: 'mm', flipped: false });
    // y slope negative: the bitmap is flipped so the first row is the smallest y (5 - 1 = 4)
    expect(m.y).toMatchObject({ start: 4, step: 1, flipped: true });
    expect(m.stats).toMatchObject({ min: 0, max: 4, valid: 5 });
    expect(m.limits).toEqual([0, 4]);
    // first bitmap row is data row 1 (values 3, 4, masked)
    expect(m.rgba![0]).toBe(Math.floor((3 / 4) * 255));
    expect(m.rgba![8 + 3]).toBe(0);
  });
  it('vector field: magnitude background, strided quiver without masked arrows, components on request', () => {
    const u = Float32Array.of(3, 0, 1, 1);
    const v = Float32Array.of(4, 1, 0, 1);
    const f = frame({ f: { kind: 'vector', shape: [2, 2], u, v, mask: Uint8Array.of(0, 0, 1, 0), scales: { x: sc(1, 0.5), y: sc(1, 0.5) } } });
    const m = buildViewModel(f, req);
    expect(m.values![0]).toBe(5);
    expect(Number.isNaN(m.values![2])).toBe(true);
    expect(m.quiver!.x.length).toBe(3);
    expect(Array.from(m.quiver!.x)).toEqual([0.5, 1.5, 1.5]);
    expect(m.quiver!.maxMag).toBe(5);
    const mu = buildViewModel(f, { ...req, component: 'v' });
    expect(mu.values![1]).toBe(1);
  });
  it('3D field: the selected plane', () => {
    const values = Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => i);
    const m = buildViewModel(frame({ f: { kind: 'scalar', shape: [2, 2, 3], values } }), { ...req, plane: 1 });
    expect(m.depth).toBe(2);
    expect(m.values![0]).toBe(6);
    expect(m.x.indexOnly).toBe(true);
  });
  it('1D field: a line with physical x', () => {
    const m = buildViewModel(
      frame({ f: { kind: 'scalar', shape: [4], values: Float32Array.of(1, 2, 3, 4), scales: { x: sc(0.5, -1, 'm'), y: sc(1, 0) } } }),
      req,
    );
    expect(m.kind).toBe('line');
    expect(Array.from(m.line!.x)).toEqual([-1, -0.5, 0, 0.5]);
  });
  it('rgb field and a missing field', () => {
    const m = buildViewModel(frame({ f: { kind: 'rgb', shape: [1, 2, 3], values: Uint8Array.of(1, 2, 3, 4, 5, 6) } }), req);
    expect(Array.from(m.rgba!)).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    expect(buildViewModel(frame({}), req).kind).toBe('missing');
  });
});

describe('quiver sampling', () => {
  it('auto stride aims at about 1,500 arrows', () => {
    expect(autoStride(40, 30)).toBe(1);
    const s = autoStride(1000, 1000);
    expect((1000 / s) ** 2).toBeLessThanOrEqual(1500);
    const q = sampleQuiver(
      new Float32Array(100),
      new Float32Array(100),
      undefined,
      10,
      10,
      3,
      (i) => i,
      (j) => j,
    );
    expect(q.x.length).toBe(9); // centred sampling: cells 1, 4, 7 on each axis
    expect(q.stride).toBe(3);
  });
});

describe('FrameCache', () => {
  it('evicts least recently used frames beyond its byte budget', () => {
    const mk = (n: number): Frame => ({
      info: { index: n, number: n, time: null },
      fields: { a: { kind: 'scalar', shape: [1000], values: new Float32Array(1000) } },
      attributes: {},
    });
    const c = new FrameCache(3 * 4256);
    c.set(0, mk(0));
    c.set(1, mk(1));
    c.set(2, mk(2));
    c.get(0);
    c.set(3, mk(3));
    expect(c.has(0)).toBe(true);
    expect(c.has(1)).toBe(false);
    expect(c.bytes).toBeLessThanOrEqual(3 * 4256);
  });
});
