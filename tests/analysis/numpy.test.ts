/**
 * Derived quantities and time statistics against numpy on the real fixtures (DaVis vector sets with
 * masks and negative y slopes, a DaVis volume and a stereo plane, a PhiFlow staggered velocity and
 * scalar fields) and on a synthetic py-pde-like grid with explicit non-uniform coordinates. The
 * oracle (numpy_oracle.py) applies numpy.gradient per valid run with the same physical spacing in
 * metres, numpy.linalg for λ₂ and λ_ci, scipy.ndimage for the smoothing, numpy.ma for the
 * statistics. Exact to float32 rounding (1 ulp; eigen-based quantities 1e-9 of the field's range).
 */
import { describe, expect, it } from 'vitest';
import { availableQuantities, deriveFromField, timeStatistics } from '../../src/analysis/index';
import type { FieldData, FrameSource } from '../../src/core/types';
import { openDataset } from '../../src/formats/index';
import { describeFixtures, treeOf } from '../fixtures';
import { scalarField, scale, vectorField } from './grids';
import { compare, hasNumpy, NUMPY_MISSING, runOracle, type OracleCase } from './oracle';

const EIGEN = new Set(['lambda2', 'swirling-strength', 'q-criterion']);

function checkCases(cases: OracleCase[], oracle: { read(n: string): Float64Array }, smoothOf?: (c: OracleCase) => OracleCase['smooth']) {
  let n = 0;
  for (const c of cases) {
    const res: Record<string, FieldData> = {};
    for (const q of c.quantities) res[q] = deriveFromField(c.field, q, { smooth: smoothOf?.(c) ?? c.smooth ?? null });
    for (const q of c.quantities) {
      const r = compare(res[q].values!, res[q].mask, oracle.read(`${c.name}__${q}`), { ulps: 1, rel: EIGEN.has(q) ? 1e-9 : c.smooth ? 1e-13 : 1e-14 });
      expect(r.maskDiff, `${c.name} ${q}: cells where our mask and numpy's disagree`).toBe(0);
      expect(r.ok, `${c.name} ${q}: worst ${r.worst.toFixed(2)} ulp at cell ${r.worstAt}`).toBe(true);
      expect(r.compared).toBeGreaterThan(0);
      n++;
    }
  }
  return n;
}

async function fieldsOf(src: FrameSource, name: string, frames: number[]): Promise<FieldData[]> {
  const out: FieldData[] = [];
  for (const i of frames) out.push((await src.readFrame(i)).fields[name]);
  return out;
}

function checkStats(name: string, stats: Record<string, FieldData>, oracle: { read(n: string): Float64Array }, comps: string[]) {
  const count = oracle.read(`${name}__stat_count`);
  expect(Array.from(stats.count.values!)).toEqual(Array.from(count));
  for (const s of ['mean', 'std', 'min', 'max'])
    for (const c of comps) {
      const f = stats[s];
      const ours = f.kind === 'vector' ? f[c as 'u' | 'v' | 'w']! : f.values!;
      const r = compare(ours, f.mask, oracle.read(`${name}__stat_${s}_${c}`), { ulps: 1, rel: s === 'std' ? 1e-13 : 0 });
      expect(r.maskDiff, `${name} ${s} ${c}`).toBe(0);
      expect(r.ok, `${name} ${s} ${c}: worst ${r.worst.toFixed(2)} ulp at ${r.worstAt}`).toBe(true);
    }
  if (comps.length >= 2) {
    const names = ['reynolds-uu', 'reynolds-vv', 'reynolds-uv', 'tke', ...(comps.length === 3 ? ['reynolds-ww', 'reynolds-uw', 'reynolds-vw'] : [])];
    for (const s of names) {
      const r = compare(stats[s].values!, stats[s].mask, oracle.read(`${name}__stat_${s}`), { ulps: 1, rel: 1e-13 });
      expect(r.maskDiff, `${name} ${s}`).toBe(0);
      expect(r.ok, `${name} ${s}: worst ${r.worst.toFixed(2)} ulp at ${r.worstAt}`).toBe(true);
    }
  }
}

describeFixtures('analysis against numpy on the fixtures', () => {
  if (!hasNumpy()) {
    it.skip(NUMPY_MISSING, () => {});
    return;
  }

  it('DaVis urban_canopy (5 masked frames, mm / m/s, negative y slope): every quantity, smoothing, and the time statistics', async () => {
    const src = await openDataset(await treeOf('davis', 'pivpy', 'pivpy', 'data', 'urban_canopy'));
    const frames = await fieldsOf(src, 'frame0', [0, 1, 2, 3, 4]);
    const qs = availableQuantities(frames[0]).map((q) => q.name);
    expect(qs).toContain('vorticity');
    const cases: OracleCase[] = [
      { name: 'uc0', field: frames[0], quantities: qs },
      { name: 'uc3', field: frames[3], quantities: ['vorticity', 'divergence', 'q-criterion'] },
      { name: 'uc1g', field: frames[1], quantities: ['vorticity', 'dudx', 'magnitude'], smooth: { kind: 'gaussian', size: 1 } },
      { name: 'uc2b', field: frames[2], quantities: ['vorticity', 'shear-strain'], smooth: { kind: 'box', size: 3 } },
    ];
    const oracle = runOracle(cases, [{ name: 'ucs', frames }]);
    try {
      expect(checkCases(cases, oracle)).toBe(qs.length + 3 + 3 + 2);
      const w = deriveFromField(frames[0], 'vorticity');
      expect(w.scales!.i!.unit).toBe('1/s');
      const stats = await timeStatistics(src, { field: 'frame0' });
      checkStats('ucs', stats, oracle, ['u', 'v']);
    } finally {
      oracle.cleanup();
    }
  });

  it('DaVis PIVMAT_jet (3 frames with an uncomputed triangle) and the 3D-3C volume and stereo plane', async () => {
    const jet = await openDataset(await treeOf('davis', 'pivpy', 'pivpy', 'data', 'PIVMAT_jet'));
    const jf = await fieldsOf(jet, 'frame0', [0, 1, 2]);
    const vol = (await (await openDataset(await treeOf('davis', 'neuromech', 'analyzepiv', 'readimx_v2.0_win64', 'TestImages', '3D-3C.VC7'))).readFrame(0))
      .fields.frame0;
    const plane = (
      await (await openDataset(await treeOf('davis', 'neuromech', 'analyzepiv', 'readimx_v2.0_win64', 'TestImages', '3D-PIV-SinglePlane.vc7'))).readFrame(0)
    ).fields.frame0;
    expect(vol.shape).toEqual([14, 66, 69]);
    const vq = availableQuantities(vol).map((q) => q.name);
    expect(vq).toEqual(expect.arrayContaining(['lambda2', 'vorticity-x', 'vorticity-magnitude', 'dwdz']));
    const pq = availableQuantities(plane).map((q) => q.name);
    const cases: OracleCase[] = [
      { name: 'jet', field: jf[1], quantities: availableQuantities(jf[1]).map((q) => q.name) },
      { name: 'vol', field: vol, quantities: vq },
      { name: 'plane', field: plane, quantities: pq },
    ];
    const oracle = runOracle(cases, [{ name: 'jets', frames: jf }]);
    try {
      checkCases(cases, oracle);
      checkStats('jets', await timeStatistics(jet, { field: 'frame0' }), oracle, ['u', 'v']);
    } finally {
      oracle.cleanup();
    }
  });

  it('PhiFlow scene: staggered velocity (cell-centred), scalar density (2D and 3D), statistics over 10 frames', async () => {
    const src = await openDataset(await treeOf('phiflow', 'scenes', 'sim_000000'));
    const vel = await fieldsOf(src, 'velocity', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const fr = await src.readFrame(4);
    const cases: OracleCase[] = [
      { name: 'pv', field: vel[4], quantities: availableQuantities(vel[4]).map((q) => q.name) },
      { name: 'pd', field: fr.fields.density, quantities: ['gradient-magnitude', 'laplacian', 'dfdx', 'dfdy'] },
      { name: 'pd3', field: fr.fields.density3d, quantities: ['gradient-magnitude', 'laplacian', 'dfdx', 'dfdy', 'dfdz'] },
      { name: 'pfx', field: fr.fields['velocity/x'], quantities: ['dfdx', 'laplacian'] },
    ];
    const oracle = runOracle(cases, [{ name: 'pvs', frames: vel }]);
    try {
      checkCases(cases, oracle);
      checkStats('pvs', await timeStatistics(src, { field: 'velocity' }), oracle, ['u', 'v']);
      // the analytic content: velocity = (sin(πy/1.5 + t) + x, cos(πx)(1 + t)) → divergence ≈ 1 away from the walls
      const div = deriveFromField(vel[0], 'divergence');
      expect(div.values![12 * 32 + 16]).toBeCloseTo(1, 1);
    } finally {
      oracle.cleanup();
    }
  });
});

describe('analysis against numpy on a py-pde-like grid (explicit non-uniform coordinates)', () => {
  if (!hasNumpy()) {
    it.skip(NUMPY_MISSING, () => {});
    return;
  }
  it('numpy.gradient with coordinate arrays, masks, vectors and scalars', () => {
    const xs = Float64Array.from({ length: 24 }, (_, i) => 0.1 * i + 0.004 * i * i);
    const ys = Float64Array.from({ length: 17 }, (_, j) => -1 + 0.12 * j + 0.01 * Math.sin(j));
    const g = { nx: 24, ny: 17, x: scale(0.15, 0, '', 'x'), y: scale(0.12, -1, '', 'y'), coords: { x: xs, y: ys } };
    const mask = (i: number, j: number) => (i - 12) ** 2 + (j - 8) ** 2 < 6 || (i === 3 && j % 4 === 0);
    const vec = vectorField(g, (x, y) => [Math.sin(2 * x) * Math.cos(y), x * y * y - Math.cos(3 * y)], mask);
    const sca = scalarField(g, (x, y) => Math.exp(-x) * Math.sin(4 * y), mask);
    const cases: OracleCase[] = [
      { name: 'ppv', field: vec, quantities: availableQuantities(vec).map((q) => q.name) },
      { name: 'pps', field: sca, quantities: availableQuantities(sca).map((q) => q.name) },
    ];
    const oracle = runOracle(cases);
    try {
      checkCases(cases, oracle);
    } finally {
      oracle.cleanup();
    }
  });
});
