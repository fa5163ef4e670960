import { describe, expect, it } from 'vitest';
import {
  historyToCsv,
  historyToJson,
  lineProfile,
  pointHistory,
  profileToCsv,
  profileToJson,
  regionMask,
  regionSeries,
  regionStats,
  runAnalysisJob,
  seriesToCsv,
  seriesToJson,
  transferablesOf,
} from '../../src/analysis/index';
import { frameOf, memorySource, scalarField, scale, vectorField, type GridSpec } from './grids';

// cell centres x = 0, 1, …, 9 mm; y = 5, 4, …, 0 mm (negative slope)
const g: GridSpec = { nx: 10, ny: 6, x: scale(1, 0, 'mm', 'x'), y: scale(-1, 5, 'mm', 'y'), valueUnit: 'm/s' };
const lin = (x: number, y: number) => 2 * x + 3 * y + 1;

describe('line profiles', () => {
  it('samples bilinearly along a polyline; distance in the x unit; exact for a bilinear field', () => {
    const f = scalarField({ ...g, valueUnit: 'K' }, lin);
    const p = lineProfile(
      f,
      [
        { x: 0, y: 0 },
        { x: 3, y: 4 },
        { x: 9, y: 4 },
      ],
      { step: 0.5 },
    );
    expect(p.length).toBe(11);
    expect(p.distance.length).toBe(23);
    expect(p.distanceUnit).toBe('mm');
    expect(p.unit).toBe('K');
    expect(p.quantity).toBe('value');
    for (let m = 0; m < p.distance.length; m++) {
      expect(p.distance[m]).toBeCloseTo(m * 0.5, 12);
      expect(p.values[m]).toBeCloseTo(lin(p.x[m], p.y[m]), 5);
    }
    expect([p.x[10], p.y[10]]).toEqual([3, 4]);
    expect([p.x[22], p.y[22]]).toEqual([9, 4]);
    // outside the cell-centre hull: NaN
    const q = lineProfile(
      f,
      [
        { x: -1, y: 2 },
        { x: 1, y: 2 },
      ],
      { samples: 3 },
    );
    expect(Number.isNaN(q.values[0])).toBe(true);
    expect(q.values[1]).toBeCloseTo(lin(0, 2), 5);
  });

  it('masked cells make gaps only where they carry weight', () => {
    const f = scalarField(g, lin, (i, j) => i === 4 && j === 2); // centre (4, 3)
    const p = lineProfile(
      f,
      [
        { x: 2, y: 3 },
        { x: 6, y: 3 },
      ],
      { step: 0.5 },
    );
    const gaps = [...p.values].map((v) => Number.isNaN(v));
    // x in (3, 5) touches the masked cell; x = 3 and x = 5 lie on valid centres
    expect(gaps).toEqual([false, false, false, true, true, true, false, false, false]);
    const q = lineProfile(
      f,
      [
        { x: 2, y: 2 },
        { x: 6, y: 2 },
      ],
      { step: 1 },
    ); // the row below: valid
    expect([...q.values].every((v) => !Number.isNaN(v))).toBe(true);
  });

  it('vectors: magnitude of the interpolated vector, tangential and normal components', () => {
    const f = vectorField(g, () => [3, 4]);
    const p = lineProfile(f, [
      { x: 1, y: 1 },
      { x: 1, y: 4 },
    ]); // straight up (+y)
    expect(p.quantity).toBe('magnitude');
    expect(p.distance.length).toBe(4); // default step: one cell
    for (let m = 0; m < 4; m++) {
      expect(p.values[m]).toBeCloseTo(5, 6);
      expect(p.tangential![m]).toBeCloseTo(4, 6); // along +y
      expect(p.normal![m]).toBeCloseTo(-3, 6); // left of +y is −x
      expect(p.u![m]).toBeCloseTo(3, 6);
    }
    const d = lineProfile(
      f,
      [
        { x: 1, y: 1 },
        { x: 4, y: 1 },
      ],
      { quantity: 'v' },
    );
    expect(d.tangential).toBeUndefined();
    expect(d.values[1]).toBeCloseTo(4, 6);
    const w = lineProfile(
      vectorField(g, (x, y) => [-y * 1e-3, x * 1e-3]),
      [
        { x: 2, y: 2 },
        { x: 5, y: 2 },
      ],
      { quantity: 'vorticity' },
    );
    expect(w.unit).toBe('1/s');
    for (const v of w.values) expect(v).toBeCloseTo(2, 4);
    expect(() => lineProfile(f, [{ x: 0, y: 0 }])).toThrow(/at least two points/);
  });
});

describe('regions', () => {
  const f = scalarField(g, lin, (i, j) => i === 2 && j === 2);
  it('rectangle, ellipse and polygon select cells by their centres', () => {
    const count = (m: Uint8Array) => m.reduce((s, x) => s + x, 0);
    expect(count(regionMask(f, { type: 'rectangle', x0: 3, y0: 1, x1: 1, y1: 3 }))).toBe(9);
    expect(count(regionMask(f, { type: 'ellipse', cx: 4, cy: 2, rx: 2, ry: 1 }))).toBe(7); // (2..6, 2) 5 cells + (4, 1), (4, 3)
    // right triangle (0,0) (4,0) (0,4): centres strictly inside or on the lower edges (even–odd rule)
    const tri = regionMask(f, {
      type: 'polygon',
      points: [
        { x: 0, y: 0 },
        { x: 4, y: 0 },
        { x: 0, y: 4 },
      ],
    });
    expect(count(tri)).toBeGreaterThanOrEqual(6);
    expect(tri[5 * 10 + 1]).toBe(1); // (1, 0) on the bottom edge
    expect(tri[3 * 10 + 1]).toBe(1); // (1, 2): 1 + 2 < 4
    expect(tri[1 * 10 + 3]).toBe(0); // (3, 4) outside
  });

  it('statistics of the valid cells inside (ddof 0), and vector components', () => {
    const s = regionStats(f, { type: 'rectangle', x0: 1, y0: 1, x1: 3, y1: 3 });
    const vals: number[] = [];
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) if (!(x === 2 && y === 3)) vals.push(lin(x, y));
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    expect(s.cells).toBe(9);
    expect(s.count).toBe(8);
    expect(s.mean).toBeCloseTo(mean, 5);
    expect(s.std).toBeCloseTo(Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / 8), 5);
    expect(s.min).toBe(lin(1, 1));
    expect(s.max).toBe(lin(3, 3));
    const v = regionStats(
      vectorField(g, (x, y) => [x, -y]),
      { type: 'rectangle', x0: 0, y0: 0, x1: 1, y1: 0 },
    );
    expect(v.quantity).toBe('magnitude');
    expect(v.components!.u.mean).toBeCloseTo(0.5, 6);
    expect(v.components!.v.mean).toBeCloseTo(0, 6);
    const e = regionStats(f, { type: 'rectangle', x0: 100, y0: 100, x1: 101, y1: 101 });
    expect(e.count).toBe(0);
    expect(Number.isNaN(e.mean)).toBe(true);
  });

  it('series over frames and a point history; CSV and JSON with units', async () => {
    const frames = [0, 1, 2, 3].map((t) =>
      frameOf(
        {
          vel: vectorField(
            g,
            (x, y) => [x + t, y * t],
            (i, j) => t === 2 && i === 1 && j === 4,
          ),
        },
        t,
        0.5 * t,
      ),
    );
    const src = memorySource(frames);
    const prog: number[] = [];
    const s = await regionSeries(src, { field: 'vel', region: { type: 'rectangle', x0: 0, y0: 0, x1: 2, y1: 1 } }, { onProgress: (d) => prog.push(d) });
    expect(prog).toEqual([1, 2, 3, 4]);
    expect(s.index).toEqual([0, 1, 2, 3]);
    expect(s.time).toEqual([0, 0.5, 1, 1.5]);
    expect(s.count).toEqual([6, 6, 5, 6]);
    expect(s.components!.u.mean[0]).toBeCloseTo(1, 6);
    expect(s.components!.u.mean[2]).toBeCloseTo((2 + 3 + 4 + 2 + 4) / 5, 6); // (1, 1) masked
    expect(s.components!.v.mean[3]).toBeCloseTo(1.5, 6);
    const csv = seriesToCsv(s).split('\n');
    expect(csv[0]).toBe(
      'index,number,time [s],mean [m/s],std [m/s],min [m/s],max [m/s],count,u mean [m/s],u std [m/s],u min [m/s],u max [m/s],u count,v mean [m/s],v std [m/s],v min [m/s],v max [m/s],v count',
    );
    expect(csv[1].split(',').slice(0, 3)).toEqual(['0', '1', '0']);
    expect(JSON.parse(seriesToJson(s)).units['mean']).toBe('m/s');

    const h = await pointHistory(src, { field: 'vel', point: { x: 1.2, y: 0.9 } });
    expect(h.cell).toEqual({ i: 1, j: 4, k: 0, x: 1, y: 1 });
    expect(h.u).toEqual([1, 2, NaN, 4]);
    expect(h.v).toEqual([0, 1, NaN, 3]);
    expect(h.values[3]).toBeCloseTo(5, 6);
    const hb = await pointHistory(src, { field: 'vel', point: { x: 1.5, y: 1 }, interpolation: 'bilinear', frames: [0, 1] });
    expect(hb.u![1]).toBeCloseTo(2.5, 6);
    const hc = historyToCsv(h).split('\n');
    expect(hc[0]).toBe('index,number,time [s],magnitude [m/s],u [m/s],v [m/s]');
    expect(hc[3]).toBe('2,3,1,,,');
    expect(JSON.parse(historyToJson(h)).columns.u).toEqual([1, 2, null, 4]);
    await expect(pointHistory(src, { field: 'vel', point: { x: 50, y: 1 } })).rejects.toThrow(/outside the grid/);

    const p = lineProfile(frames[1].fields.vel, [
      { x: 0, y: 0 },
      { x: 2, y: 0 },
    ]);
    const pc = profileToCsv(p).split('\n');
    expect(pc[0]).toBe('distance [mm],x [mm],y [mm],magnitude [m/s],u [m/s],v [m/s],tangential [m/s],normal [m/s]');
    expect(pc[2]).toBe('1,1,0,2,2,0,2,0');
    expect(JSON.parse(profileToJson(p)).distanceUnit).toBe('mm');
  });

  it('the worker job entry runs every kind and lists buffers to transfer', async () => {
    const frames = [0, 1].map((t) => frameOf({ vel: vectorField(g, (x, y) => [x + t, y]) }, t));
    const src = memorySource(frames);
    const d = (await runAnalysisJob(src, { kind: 'derive', index: 1, field: 'vel', quantity: 'divergence' })) as { values: Float32Array };
    expect(d.values[13]).toBeCloseTo(2000, 2); // ∂u/∂x + ∂v/∂y = 1 + 1 per mm
    const st = (await runAnalysisJob(src, { kind: 'time-statistics', field: 'vel', stats: ['mean'] })) as Record<string, { u: Float32Array }>;
    expect(st.mean.u[0]).toBeCloseTo(0.5, 6);
    expect(transferablesOf(st).length).toBe(3); // u, v, mask
    const rs = await runAnalysisJob(src, { kind: 'region-stats', index: 0, field: 'vel', region: { type: 'ellipse', cx: 0, cy: 0, rx: 0.5, ry: 0.5 } });
    expect((rs as { count: number }).count).toBe(1);
    await expect(runAnalysisJob(src, { kind: 'derive', index: 5, field: 'vel', quantity: 'divergence' })).rejects.toThrow(/frame index 5 is outside 0…1/);
  });
});
