import { describe, expect, it } from 'vitest';
import { deriveFrame, fluctuation, statisticsSource, timeStatistics, withDerivedFields } from '../../src/analysis/index';
import { exportDataset } from '../../src/export/index';
import { openNpz } from '../../src/codecs/npz';
import { bytesSourceFile } from '../../src/io/slice-file';
import type { Frame } from '../../src/core/types';
import { f32near, frameOf, memorySource, scale, vectorField, scalarField, type GridSpec } from './grids';

const g: GridSpec = { nx: 4, ny: 3, x: scale(2, 0, 'mm'), y: scale(-2, 4, 'mm'), valueUnit: 'm/s' };

/** frames with u = a_t + cell, v = b_t·cell; cell 5 masked in frames 1 and 3; cell 11 masked always */
function frames(): Frame[] {
  const a = [1, 4, -2, 3, 0.5];
  const b = [0.5, -1, 2, 1, 3];
  return a.map((at, t) => {
    const f = vectorField(g, () => [0, 0]);
    f.mask = new Uint8Array(12);
    for (let p = 0; p < 12; p++) {
      f.u![p] = at + p;
      f.v![p] = b[t] * p;
    }
    if (t === 1 || t === 3) f.mask[5] = 1;
    f.mask[11] = 1;
    return frameOf({ vel: f }, t, t * 0.1);
  });
}

/** population statistics of the valid samples, the textbook two-pass way */
function ref(xs: number[]) {
  const n = xs.length;
  const m = xs.reduce((s, x) => s + x, 0) / n;
  return { n, m, var: xs.reduce((s, x) => s + (x - m) ** 2, 0) / n };
}

describe('time statistics', () => {
  it('mean, std (ddof 0), min, max, count per cell with masks; Reynolds stresses and tke', async () => {
    const fr = frames();
    const src = memorySource(fr);
    const progress: [number, number][] = [];
    const r = await timeStatistics(src, { field: 'vel' }, { onProgress: (d, t) => progress.push([d, t]) });
    expect(progress).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
    expect(Object.keys(r)).toEqual(['mean', 'std', 'min', 'max', 'count', 'reynolds-uu', 'reynolds-vv', 'reynolds-uv', 'tke']);
    expect(r.mean.kind).toBe('vector');
    expect(r.count.kind).toBe('scalar');
    expect(r.mean.scales!.i!.unit).toBe('m/s');
    expect(r['reynolds-uv'].scales!.i!.unit).toBe('m²/s²');
    expect(r.tke.scales!.i!.unit).toBe('m²/s²');
    expect(r.mean.scales!.y).toEqual(g.y);
    for (let p = 0; p < 12; p++) {
      const ts = [0, 1, 2, 3, 4].filter((t) => !fr[t].fields.vel.mask![p]);
      expect(r.count.values![p]).toBe(ts.length);
      if (!ts.length) {
        expect(r.mean.mask![p]).toBe(1);
        continue;
      }
      const us = ts.map((t) => fr[t].fields.vel.u![p]);
      const vs = ts.map((t) => fr[t].fields.vel.v![p]);
      const U = ref(us);
      const Vv = ref(vs);
      const uv = us.reduce((s, u, k) => s + (u - U.m) * (vs[k] - Vv.m), 0) / ts.length;
      expect(r.mean.mask![p]).toBe(0);
      expect(r.mean.u![p]).toBe(Math.fround(U.m));
      const near = (a: number, b: number) => expect(f32near(a, b), `${a} vs ${b} at cell ${p}`).toBe(true);
      near(r.mean.v![p], Vv.m);
      near(r.std.u![p], Math.sqrt(U.var));
      near(r.std.v![p], Math.sqrt(Vv.var));
      expect(r.min.u![p]).toBe(Math.min(...us));
      expect(r.max.v![p]).toBe(Math.fround(Math.max(...vs)));
      near(r['reynolds-uu'].values![p], U.var);
      near(r['reynolds-vv'].values![p], Vv.var);
      expect(f32near(r['reynolds-uv'].values![p], uv, 1, 1e-12)).toBe(true);
      near(r.tke.values![p], 0.5 * (U.var + Vv.var));
    }
  });

  it('a frame range, chosen statistics, minCount, and a derived quantity', async () => {
    const src = memorySource(frames());
    const r = await timeStatistics(src, { field: 'vel', frames: [0, 2, 4], stats: ['mean', 'count'] });
    expect(Object.keys(r)).toEqual(['mean', 'count']);
    expect(src.reads).toEqual([0, 2, 4]);
    expect(r.mean.u![0]).toBeCloseTo((1 - 2 + 0.5) / 3, 6);
    const m = await timeStatistics(src, { field: 'vel', minCount: 5, stats: ['mean'] });
    expect(m.mean.mask![5]).toBe(1); // only 3 valid samples
    expect(m.mean.mask![4]).toBe(0);
    const q = await timeStatistics(src, { field: 'vel', quantity: 'magnitude' });
    expect(Object.keys(q)).toEqual(['mean', 'std', 'min', 'max', 'count']);
    expect(q.mean.kind).toBe('scalar');
    const mags = frames().map((f) => Math.fround(Math.hypot(f.fields.vel.u![2], f.fields.vel.v![2])));
    expect(q.mean.values![2]).toBeCloseTo(mags.reduce((s, x) => s + x, 0) / 5, 5);
    await expect(timeStatistics(src, { field: 'vel', stats: ['reynolds-ww'] })).rejects.toThrow(/reynolds-ww' is not available for a 2-component vector field/);
    await expect(timeStatistics(src, { field: 'nope' })).rejects.toThrow(/field “nope” is not in memory/);
    await expect(timeStatistics(src, { field: 'vel', frames: [7] })).rejects.toThrow(/frame index 7 is outside 0…4/);
  });

  it('is cancellable between frames and streams (at most the next frame is requested ahead)', async () => {
    const src = memorySource(frames());
    const ctl = new AbortController();
    const p = timeStatistics(src, { field: 'vel' }, { signal: ctl.signal, onProgress: (d) => d === 2 && ctl.abort() });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(src.reads.length).toBeLessThanOrEqual(3);
  });

  it('3-component fields: w terms; scalar fields: the five statistics', async () => {
    const g3: GridSpec = { ...g, valueUnit: 'm/s' };
    const fr = [0, 1, 2].map((t) => frameOf({ v3: vectorField(g3, (x, y) => [t, x * t, y + t * t]) }, t));
    const r = await timeStatistics(memorySource(fr), { field: 'v3' });
    expect(Object.keys(r)).toEqual([
      'mean',
      'std',
      'min',
      'max',
      'count',
      'reynolds-uu',
      'reynolds-vv',
      'reynolds-ww',
      'reynolds-uv',
      'reynolds-uw',
      'reynolds-vw',
      'tke',
    ]);
    // u = t, w = y + t²: ⟨u'w'⟩ = cov(t, t²) over t = 0, 1, 2 = (0·… ) = 4/3 − 1·5/3 … computed directly
    const t = [0, 1, 2];
    const mt = 1;
    const mt2 = 5 / 3;
    const cov = t.reduce((s, x) => s + (x - mt) * (x * x - mt2), 0) / 3;
    expect(r['reynolds-uw'].values![7]).toBeCloseTo(cov, 6);
    expect(r.mean.w![7]).toBeCloseTo(fr[0].fields.v3.w![7] + mt2, 5);
    const sf = [3, 5, 10].map((c, k) => frameOf({ s: scalarField({ ...g, valueUnit: 'counts' }, (x) => c + x) }, k));
    const s = await timeStatistics(memorySource(sf), { field: 's' });
    expect(Object.keys(s)).toEqual(['mean', 'std', 'min', 'max', 'count']);
    expect(s.mean.values![1]).toBeCloseTo(6 + 2, 6);
    expect(s.std.values![1]).toBeCloseTo(Math.sqrt(((3 - 6) ** 2 + (5 - 6) ** 2 + 16) / 3), 6);
    expect(s.std.scales!.i!.unit).toBe('counts');
  });

  it('statisticsSource: one frame, a field per statistic, exports to npz by name; fluctuation = frame − mean', async () => {
    const fr = frames();
    const src = memorySource(fr, 'run');
    const r = await timeStatistics(src, { field: 'vel' });
    const ds = statisticsSource(src, r, { field: 'vel' });
    expect(ds.frames).toEqual([{ index: 0, number: 0, time: null }]);
    expect(ds.fields.map((f) => [f.name, f.kind, f.unit])).toEqual([
      ['mean', 'vector', 'm/s'],
      ['std', 'vector', 'm/s'],
      ['min', 'vector', 'm/s'],
      ['max', 'vector', 'm/s'],
      ['count', 'scalar', ''],
      ['reynolds-uu', 'scalar', 'm²/s²'],
      ['reynolds-vv', 'scalar', 'm²/s²'],
      ['reynolds-uv', 'scalar', 'm²/s²'],
      ['tke', 'scalar', 'm²/s²'],
    ]);
    expect(ds.name).toBe('run – statistics of vel');
    expect((await ds.readFrame(0)).fields.mean).toBe(r.mean);
    const files = await exportDataset(ds, { target: 'npz' });
    const npz = await openNpz(bytesSourceFile(files[0].path, files[0].bytes));
    expect(npz.names).toEqual(expect.arrayContaining(['mean', 'mean_mask', 'count', 'reynolds-uv']));
    const mean = await npz.read('mean');
    expect(mean.shape).toEqual([1, 3, 4, 2]);
    expect((mean.data as Float32Array)[2 * 6 + 1]).toBe(r.mean.v![6]);

    const fl = fluctuation(fr[1].fields.vel, r.mean);
    expect(fl.kind).toBe('vector');
    expect(fl.u![3]).toBeCloseTo(fr[1].fields.vel.u![3] - r.mean.u![3], 6);
    expect(fl.mask![5]).toBe(1); // masked in the frame
    expect(fl.mask![11]).toBe(1); // masked in the mean
    const withFl = deriveFrame(fr[2], [
      { field: 'vel', fluctuationOf: r.mean },
      { field: 'vel', quantity: 'vorticity' },
    ]);
    expect(Object.keys(withFl.fields)).toEqual(['vel', 'vel-fluctuation', 'vel-vorticity']);
    const wrapped = await withDerivedFields(src, [{ field: 'vel', quantity: 'vorticity' }]);
    expect(wrapped.fields.at(-1)).toEqual({ name: 'vel-vorticity', kind: 'scalar', shape: [3, 4], unit: '1/s' });
    expect((await wrapped.readFrame(3)).fields['vel-vorticity'].values!.length).toBe(12);
  });
});

describe('frame selections', () => {
  it('accepts the export dialog’s ranges (by index and by time, stop included)', async () => {
    const src = memorySource(frames());
    await timeStatistics(src, { field: 'vel', frames: { by: 'index', start: 1, stop: 3 }, stats: ['count'] });
    expect(src.reads).toEqual([1, 2, 3]);
    await expect(timeStatistics(src, { field: 'vel', frames: { by: 'index', start: 0, step: 0 } })).rejects.toThrow(/step must be > 0/);
  });
});
