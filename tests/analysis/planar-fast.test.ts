/** The planar fast path (src/analysis/planar.ts) is bit-identical to the general gradient-array path. */
import { describe, expect, it } from 'vitest';
import { deriveFromField } from '../../src/analysis/index';
import { PLANAR_FAST } from '../../src/analysis/planar';
import type { FieldData } from '../../src/core/types';
import { scale } from './grids';

function randomField(nx: number, ny: number, seed: number, maskRate: number, withNaN: boolean): FieldData {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const n = nx * ny;
  const u = new Float32Array(n).map(() => rnd() * 4 - 2);
  const v = new Float32Array(n).map(() => rnd() * 4 - 2);
  const mask = new Uint8Array(n).map(() => (rnd() < maskRate ? 1 : 0));
  if (withNaN) for (let k = 0; k < 5; k++) u[Math.floor(rnd() * n)] = NaN;
  return {
    kind: 'vector',
    shape: [ny, nx],
    u,
    v,
    mask,
    scales: { x: scale(0.37, 2, 'mm', 'x'), y: scale(-0.5, 40, 'mm', 'y'), i: scale(1, 0, 'm/s', 'velocity') },
  };
}

describe('planar fast path', () => {
  const cases: [number, number, number, number, boolean][] = [
    [33, 21, 1, 0, false],
    [33, 21, 2, 0.15, true],
    [17, 40, 3, 0.5, false],
    [1, 9, 4, 0.1, false],
    [9, 1, 5, 0.1, false],
    [2, 2, 6, 0.25, false],
  ];
  for (const [nx, ny, seed, rate, nan] of cases)
    it(`equals the general path bit for bit (${nx}×${ny}, ${rate * 100} % masked${nan ? ', NaNs' : ''})`, () => {
      const f = randomField(nx, ny, seed, rate, nan);
      for (const q of Object.keys(PLANAR_FAST)) {
        let b: FieldData;
        try {
          b = deriveFromField(f, q, { fused: false });
        } catch {
          expect(() => deriveFromField(f, q)).toThrow();
          continue;
        }
        const a = deriveFromField(f, q);
        expect(Array.from(a.mask!), q).toEqual(Array.from(b.mask!));
        for (let p = 0; p < a.values!.length; p++) if (!a.mask![p]) expect(Object.is(a.values![p], b.values![p]), `${q} at ${p}`).toBe(true);
        expect(a.scales).toEqual(b.scales);
      }
    });
});
