/**
 * First derivatives along one axis by numpy's `gradient` rule (`edge_order=1`) applied to every run
 * of valid cells along that axis:
 * - a cell whose two neighbours along the axis are valid: the central difference
 *   (uniform spacing h: (f[k+1] − f[k−1]) / 2h; explicit coordinates: numpy's second-order
 *   non-uniform formula a·f[k−1] + b·f[k] + c·f[k+1]);
 * - a cell with one valid neighbour (grid edge, or next to a masked/non-finite cell): the one-sided
 *   difference towards it ((f[k+1] − f[k]) / (x[k+1] − x[k]), or backwards);
 * - a cell with no valid neighbour (a run of one) or itself invalid: no stencil, result invalid.
 * This is exactly `numpy.gradient(f[run], x[run])` on each run. Spacing is signed (a DaVis y slope
 * is negative: the derivative is with respect to the physical coordinate, not the index).
 */
import type { Dims } from './grid';

/** Spacing of one axis, in the units the derivative is taken in. */
export interface Spacing {
  /** uniform step (signed) */
  h: number;
  /** explicit coordinates (non-uniform axes); when set, `h` is ignored */
  c?: Float64Array;
}

export type Axis = 0 | 1 | 2;

/**
 * d f / d(axis) into `out`, validity into `ok` (1 = a stencil existed). `valid` is the cell
 * validity of f. Arrays are C order [nz, ny, nx], x fastest.
 */
export function derivative(f: ArrayLike<number>, valid: Uint8Array, dims: Dims, axis: Axis, sp: Spacing, out: Float64Array, ok: Uint8Array): void {
  const { nx, ny, nz } = dims;
  const n = axis === 0 ? nx : axis === 1 ? ny : nz;
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  const c = sp.c;
  const h = sp.h;
  const h2 = 2 * h;
  // per-index coefficients of the non-uniform central formula (numpy's a, b, c) and one-sided steps
  let A: Float64Array | null = null;
  let B: Float64Array | null = null;
  let C: Float64Array | null = null;
  let D: Float64Array | null = null;
  if (c) {
    A = new Float64Array(n);
    B = new Float64Array(n);
    C = new Float64Array(n);
    D = new Float64Array(n);
    for (let k = 0; k + 1 < n; k++) D[k] = c[k + 1] - c[k];
    for (let k = 1; k + 1 < n; k++) {
      const dx1 = D[k - 1];
      const dx2 = D[k];
      A[k] = -dx2 / (dx1 * (dx1 + dx2));
      B[k] = (dx2 - dx1) / (dx1 * dx2);
      C[k] = dx1 / (dx2 * (dx1 + dx2));
    }
  }
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      const row = (z * ny + y) * nx;
      const kRow = axis === 1 ? y : z;
      for (let x = 0; x < nx; x++) {
        const p = row + x;
        if (!valid[p]) {
          ok[p] = 0;
          out[p] = 0;
          continue;
        }
        const k = axis === 0 ? x : kRow;
        const hasPrev = k > 0 && valid[p - stride] === 1;
        const hasNext = k < n - 1 && valid[p + stride] === 1;
        if (hasPrev && hasNext) {
          out[p] = c ? A![k] * f[p - stride] + B![k] * f[p] + C![k] * f[p + stride] : (f[p + stride] - f[p - stride]) / h2;
          ok[p] = 1;
        } else if (hasNext) {
          out[p] = (f[p + stride] - f[p]) / (c ? D![k] : h);
          ok[p] = 1;
        } else if (hasPrev) {
          out[p] = (f[p] - f[p - stride]) / (c ? D![k - 1] : h);
          ok[p] = 1;
        } else {
          out[p] = 0;
          ok[p] = 0;
        }
      }
    }
}
