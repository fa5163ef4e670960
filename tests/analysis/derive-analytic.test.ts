import { describe, expect, it } from 'vitest';
import { availableQuantities, deriveField, deriveFromField, deriveMany } from '../../src/analysis/index';
import { ExportError, fromWire, toWire } from '../../src/core/errors';
import { frameOf, maxDiff, scalarField, scale, vectorField, type GridSpec } from './grids';

// DaVis-like grid: x to the right, y slope negative (rows run downward in y), positions in mm, velocity in m/s
const davis: GridSpec = { nx: 40, ny: 30, x: scale(1.2902976, -76.45, 'mm', 'position'), y: scale(-1.2902976, 176.75, 'mm', 'position'), valueUnit: 'm/s' };
const mm = 1e-3;

describe('derived quantities on analytic fields', () => {
  it('solid-body rotation: ω = 2Ω in 1/s (mm positions, m/s velocities, negative y slope), Q = Ω², λ_ci = Ω', () => {
    const Om = 3;
    const f = vectorField(davis, (x, y) => [-Om * y * mm, Om * x * mm]);
    const frame = frameOf({ frame0: f });
    const w = deriveField(frame, 'frame0', 'vorticity');
    expect(w.kind).toBe('scalar');
    expect(w.shape).toEqual([30, 40]);
    expect(w.scales!.i!.unit).toBe('1/s');
    expect(w.scales!.x).toEqual(davis.x);
    expect(w.scales!.y).toEqual(davis.y);
    expect([...w.mask!].every((m) => m === 0)).toBe(true);
    for (const x of w.values!) expect(x).toBeCloseTo(2 * Om, 4);
    const r = deriveMany(f, ['divergence', 'q-criterion', 'swirling-strength', 'shear-strain', 'dudy', 'dvdx', 'magnitude', 'kinetic-energy']);
    for (const x of r.divergence.values!) expect(Math.abs(x)).toBeLessThan(1e-4);
    for (const x of r['q-criterion'].values!) expect(x).toBeCloseTo(Om * Om, 3);
    for (const x of r['swirling-strength'].values!) expect(x).toBeCloseTo(Om, 4);
    for (const x of r['shear-strain'].values!) expect(Math.abs(x)).toBeLessThan(1e-4);
    for (const x of r.dudy.values!) expect(x).toBeCloseTo(-Om, 4);
    for (const x of r.dvdx.values!) expect(x).toBeCloseTo(Om, 4);
    expect(r['q-criterion'].scales!.i!.unit).toBe('1/s²');
    expect(r.magnitude.scales!.i!.unit).toBe('m/s');
    expect(r['kinetic-energy'].scales!.i!.unit).toBe('m²/s²');
    expect(r.dudy.scales!.i!.unit).toBe('1/s');
    // magnitude and energy are pointwise
    const p = 7 * 40 + 11;
    expect(r.magnitude.values![p]).toBeCloseTo(Math.hypot(f.u![p], f.v![p]), 6);
    expect(r['kinetic-energy'].values![p]).toBeCloseTo(0.5 * (f.u![p] ** 2 + f.v![p] ** 2), 7);
  });

  it('a source u = a·x, v = a·y: divergence 2a everywhere (edges included), no vorticity', () => {
    const a = 0.5;
    const g: GridSpec = { nx: 17, ny: 9, x: scale(0.25, -2, 'm'), y: scale(0.1, 0.05, 'm'), valueUnit: 'm/s' }; // non-square cells
    const f = vectorField(g, (x, y) => [a * x, a * y]);
    const r = deriveMany(f, ['divergence', 'vorticity', 'normal-strain-x', 'normal-strain-y']);
    for (const x of r.divergence.values!) expect(x).toBeCloseTo(2 * a, 5);
    for (const x of r.vorticity.values!) expect(Math.abs(x)).toBeLessThan(1e-5);
    for (const x of r['normal-strain-x'].values!) expect(x).toBeCloseTo(a, 5);
    for (const x of r['normal-strain-y'].values!) expect(x).toBeCloseTo(a, 5);
    expect(r.divergence.scales!.i!.unit).toBe('1/s');
  });

  it('shear flow u = γ·y: ω = −γ, ε_xy = γ/2, Q = 0, λ_ci = 0', () => {
    const gam = 2;
    const g: GridSpec = { nx: 12, ny: 20, x: scale(0.5, 0, 'mm'), y: scale(-0.25, 5, 'mm'), valueUnit: 'mm/s' };
    const f = vectorField(g, (_x, y) => [gam * y, 0]);
    const r = deriveMany(f, ['vorticity', 'shear-strain', 'q-criterion', 'swirling-strength', 'flow-angle']);
    // mm/s over mm: no factor, 1/s
    expect(r.vorticity.scales!.i!.unit).toBe('1/s');
    for (const x of r.vorticity.values!) expect(x).toBeCloseTo(-gam, 5);
    for (const x of r['shear-strain'].values!) expect(x).toBeCloseTo(gam / 2, 5);
    for (const x of r['q-criterion'].values!) expect(Math.abs(x)).toBeLessThan(1e-6);
    for (const x of r['swirling-strength'].values!) expect(x).toBe(0);
    // angle: u > 0 for y > 0 → 0°, u < 0 → 180°
    const ys = Array.from({ length: 20 }, (_, j) => 5 - 0.25 * j);
    for (let j = 0; j < 20; j++) if (ys[j] !== 0) expect(r['flow-angle'].values![j * 12]).toBe(ys[j] > 0 ? 0 : 180);
    expect(r['flow-angle'].scales!.i!.unit).toBe('deg');
  });

  it('Lamb–Oseen vortex on a masked grid: ω to second order inside, one-sided next to the mask, masked without a stencil', () => {
    const G = 0.2; // circulation m²/s
    const rc = 0.01; // core radius m
    const h = 0.5; // mm
    const n = 81;
    const g: GridSpec = { nx: n, ny: n, x: scale(h, -20, 'mm'), y: scale(-h, 20, 'mm'), valueUnit: 'm/s' };
    const vel = (xm: number, ym: number) => {
      const r2 = xm * xm + ym * ym;
      if (r2 === 0) return [0, 0];
      const ut = (G / (2 * Math.PI * r2)) * (1 - Math.exp(-r2 / (rc * rc)));
      return [-ut * ym, ut * xm];
    };
    const omega = (xm: number, ym: number) => (G / (Math.PI * rc * rc)) * Math.exp(-(xm * xm + ym * ym) / (rc * rc));
    // mask: a block in a corner, a single masked column segment, an isolated valid cell surrounded by masked ones
    const masked = (i: number, j: number) =>
      (i >= 70 && j >= 70) || (i === 20 && j >= 30 && j < 50) || (i >= 5 && i <= 7 && j >= 5 && j <= 7 && !(i === 6 && j === 6));
    const f = vectorField(g, (x, y) => vel(x * 1e-3, y * 1e-3), masked);
    const w = deriveFromField(f, 'vorticity');
    expect(w.scales!.i!.unit).toBe('1/s');
    const xs = (i: number) => (-20 + i * h) * 1e-3;
    const ys = (j: number) => (20 - j * h) * 1e-3;
    let maxRel = 0;
    for (let j = 1; j < n - 1; j++)
      for (let i = 1; i < n - 1; i++) {
        const p = j * n + i;
        const near = [p - 1, p + 1, p - n, p + n].some((q) => f.mask![q]);
        if (f.mask![p] || near) continue;
        maxRel = Math.max(maxRel, Math.abs(w.values![p] - omega(xs(i), ys(j))) / omega(0, 0));
      }
    // second-order central differences: error ≈ (h/rc)² / 6 of the peak
    expect(maxRel).toBeLessThan(0.01);
    // masked exactly where the input is masked plus the isolated cell (no neighbour in x, none in y)
    for (let p = 0; p < n * n; p++) {
      const i = p % n;
      const j = (p - i) / n;
      const isolated = i === 6 && j === 6;
      expect(w.mask![p]).toBe(f.mask![p] || isolated ? 1 : 0);
    }
    // next to the masked column i = 20 the x derivative is one-sided: check ∂v/∂x at (19, 40) and (21, 40)
    const dvdx = deriveFromField(f, 'dvdx');
    const v = f.v!;
    const hm = h * 1e-3;
    expect(dvdx.values![40 * n + 19]).toBeCloseTo(Math.fround((v[40 * n + 19] - v[40 * n + 18]) / hm), 3);
    expect(dvdx.values![40 * n + 21]).toBeCloseTo(Math.fround((v[40 * n + 22] - v[40 * n + 21]) / hm), 3);
    expect(dvdx.values![40 * n + 30]).toBe(Math.fround((v[40 * n + 31] - v[40 * n + 29]) / (2 * hm)));
    // ∂u/∂y at the top edge (j = 0) is the forward difference with the (negative) y step
    const dudy = deriveFromField(f, 'dudy');
    expect(dudy.values![3]).toBe(Math.fround((f.u![n + 3] - f.u![3]) / -hm));
  });

  it('volumes: rotation about x gives ω_x = 2Ω; λ₂ = −Ω², λ_ci = Ω, |ω| = 2Ω', () => {
    const Om = 1.5;
    const g: GridSpec = { nx: 6, ny: 7, nz: 8, x: scale(1, 0, 'mm'), y: scale(-2, 10, 'mm'), z: scale(0.5, -2, 'mm'), valueUnit: 'm/s' };
    const f = vectorField(g, (_x, y, z) => [0, -Om * z * mm, Om * y * mm]);
    const r = deriveMany(f, [
      'vorticity-x',
      'vorticity-y',
      'vorticity-z',
      'vorticity',
      'vorticity-magnitude',
      'lambda2',
      'swirling-strength',
      'q-criterion',
      'divergence',
    ]);
    for (const x of r['vorticity-x'].values!) expect(x).toBeCloseTo(2 * Om, 4);
    for (const x of r['vorticity-y'].values!) expect(Math.abs(x)).toBeLessThan(1e-4);
    for (const x of r['vorticity-z'].values!) expect(Math.abs(x)).toBeLessThan(1e-4);
    for (const x of r.vorticity.values!) expect(Math.abs(x)).toBeLessThan(1e-4);
    for (const x of r['vorticity-magnitude'].values!) expect(x).toBeCloseTo(2 * Om, 4);
    for (const x of r.lambda2.values!) expect(x).toBeCloseTo(-Om * Om, 3);
    for (const x of r['swirling-strength'].values!) expect(x).toBeCloseTo(Om, 4);
    for (const x of r['q-criterion'].values!) expect(x).toBeCloseTo(Om * Om, 3);
    for (const x of r.divergence.values!) expect(Math.abs(x)).toBeLessThan(1e-4);
    expect(r.lambda2.scales!.i!.unit).toBe('1/s²');
    expect(r.lambda2.scales!.z).toEqual(g.z);
  });

  it('scalar fields: gradient magnitude and Laplacian (numpy.gradient twice) on non-square cells', () => {
    const g: GridSpec = { nx: 20, ny: 14, x: scale(0.5, 1, 'mm'), y: scale(-0.25, 3, 'mm'), valueUnit: 'K' };
    const f = scalarField(g, (x, y) => 3 * x + 4 * y);
    const gm = deriveFromField(f, 'gradient-magnitude');
    expect(gm.scales!.i!.unit).toBe('K/m');
    for (const x of gm.values!) expect(x).toBeCloseTo(5000, 1);
    const q = scalarField(g, (x, y) => x * x + y * y);
    const lap = deriveFromField(q, 'laplacian');
    expect(lap.scales!.i!.unit).toBe('K/m²');
    // away from the edges (two cells) numpy.gradient twice is exact for quadratics: 4 K/mm² = 4e6 K/m²
    for (let j = 2; j < 12; j++) for (let i = 2; i < 18; i++) expect(lap.values![j * 20 + i] / 4e6).toBeCloseTo(1, 5);
    const dx = deriveFromField(q, 'dfdx');
    expect(dx.values![5 * 20 + 7] / 1000).toBeCloseTo(2 * (1 + 7 * 0.5), 4);
  });

  it('py-pde-like explicit coordinates (non-uniform): numpy’s non-uniform central formula is exact for quadratics', () => {
    const xs = Float64Array.from([0, 0.1, 0.3, 0.6, 1.0, 1.5, 2.1]);
    const ys = Float64Array.from([0, 0.2, 0.5, 0.9]);
    const g: GridSpec = { nx: 7, ny: 4, x: scale(0.35, 0), y: scale(0.3, 0), coords: { x: xs, y: ys } };
    const f = scalarField(g, (x, y) => x * x - 2 * y * y + x * y);
    const dfdx = deriveFromField(f, 'dfdx');
    const dfdy = deriveFromField(f, 'dfdy');
    expect(dfdx.scales!.i!.unit).toBe('');
    expect(dfdx.coords!.x).toBe(xs);
    for (let j = 0; j < 4; j++)
      for (let i = 1; i < 6; i++) {
        expect(dfdx.values![j * 7 + i]).toBeCloseTo(2 * xs[i] + ys[j], 5);
        if (j > 0 && j < 3) expect(dfdy.values![j * 7 + i]).toBeCloseTo(-4 * ys[j] + xs[i], 5);
      }
    // edges: one-sided first differences
    expect(dfdx.values![0]).toBeCloseTo((f.values![1] - f.values![0]) / 0.1, 5);
  });

  it('smoothing (Gaussian, box) leaves linear fields alone away from edges and keeps masks', () => {
    const g: GridSpec = { nx: 30, ny: 30, x: scale(1, 0, 'mm'), y: scale(1, 0, 'mm'), valueUnit: 'm/s' };
    const masked = (i: number, j: number) => i === 15 && j === 15;
    const f = vectorField(g, (x, y) => [-2 * y * mm, 2 * x * mm], masked);
    for (const smooth of [
      { kind: 'gaussian' as const, size: 1 },
      { kind: 'box' as const, size: 3 },
    ]) {
      const w = deriveFromField(f, 'vorticity', { smooth });
      expect(w.mask![15 * 30 + 15]).toBe(1);
      expect(w.values![10 * 30 + 5]).toBeCloseTo(4, 3);
      expect(w.scales!.i!.description).toMatch(smooth.kind === 'gaussian' ? /Gaussian σ = 1 cell smoothing/ : /box 3×3 cells smoothing/);
    }
    expect(() => deriveFromField(f, 'vorticity', { smooth: { kind: 'box', size: 2 } })).toThrow(/odd/);
  });

  it('rejects unknown quantities, missing fields and quantities the field cannot have, in words', () => {
    const g: GridSpec = { nx: 5, ny: 4, x: scale(1, 0), y: scale(1, 0) };
    const f = vectorField(g, () => [1, 2]);
    const frame = frameOf({ a: f });
    expect(() => deriveField(frame, 'b', 'vorticity')).toThrow(/field “b” is not in frame 1.*fields: a/);
    expect(() => deriveField(frame, 'a', 'vorticty')).toThrow(/unknown quantity 'vorticty' for a vector field/);
    expect(() => deriveField(frame, 'a', 'lambda2')).toThrow(/lambda2 needs derivatives along z/);
    expect(() => deriveField(frame, 'a', 'dwdx')).toThrow(/needs the out-of-plane component w/);
    expect(() => deriveField(frame, 'a', 'laplacian')).toThrow(/applies to scalar fields, not vector/);
    // a tagged ExportError (target 'analysis') that crosses the worker boundary with its words
    let err: unknown;
    try {
      deriveField(frame, 'a', 'lambda2');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExportError);
    const back = fromWire(toWire(err));
    expect(back).toBeInstanceOf(ExportError);
    expect((back as ExportError).target).toBe('analysis');
    expect(back.message).toBe((err as Error).message);
  });

  it('lists the quantities a field offers, with units resolved', () => {
    const f = vectorField(davis, () => [1, 2]);
    const q = availableQuantities(f);
    const names = q.map((x) => x.name);
    expect(names).toEqual([
      'magnitude',
      'kinetic-energy',
      'vorticity',
      'divergence',
      'shear-strain',
      'normal-strain-x',
      'normal-strain-y',
      'q-criterion',
      'swirling-strength',
      'dudx',
      'dudy',
      'dvdx',
      'dvdy',
      'flow-angle',
    ]);
    expect(q.find((x) => x.name === 'vorticity')!.unit).toBe('1/s');
    const vol = vectorField({ nx: 3, ny: 3, nz: 3, x: scale(1, 0, 'mm'), y: scale(1, 0, 'mm'), z: scale(1, 0, 'mm'), valueUnit: 'm/s' }, () => [1, 2, 3]);
    const vn = availableQuantities(vol).map((x) => x.name);
    for (const n of ['vorticity-x', 'vorticity-y', 'vorticity-z', 'vorticity-magnitude', 'lambda2', 'dwdz', 'normal-strain-z']) expect(vn).toContain(n);
    const s = scalarField({ nx: 3, ny: 3, x: scale(1, 0, 'mm'), y: scale(1, 0, 'mm'), valueUnit: 'counts' }, () => 1);
    expect(availableQuantities(s).map((x) => [x.name, x.unit])).toEqual([
      ['gradient-magnitude', 'counts/m'],
      ['laplacian', 'counts/m²'],
      ['dfdx', 'counts/m'],
      ['dfdy', 'counts/m'],
    ]);
  });
});

describe('numbers', () => {
  it('maxDiff helper', () => expect(maxDiff([1, 2], [1, 2.5]).max).toBe(0.5));
});
