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
  const _h2 = 2 * h;
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
  if (!c) {
    uniform(f, valid, dims, axis, n, stride, h, out, ok);
    return;
  }
  out.fill(0);
  ok.fill(0);
  // explicit coordinates (non-uniform): numpy's coefficients per index
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      const row = (z * ny + y) * nx;
      const kRow = axis === 1 ? y : z;
      for (let x = 0; x < nx; x++) {
        const p = row + x;
        if (!valid[p]) continue;
        const k = axis === 0 ? x : kRow;
        const hasPrev = k > 0 && valid[p - stride] === 1;
        const hasNext = k < n - 1 && valid[p + stride] === 1;
        if (hasPrev && hasNext) out[p] = A![k] * f[p - stride] + B![k] * f[p] + C![k] * f[p + stride];
        else if (hasNext) out[p] = (f[p + stride] - f[p]) / D![k];
        else if (hasPrev) out[p] = (f[p] - f[p - stride]) / D![k - 1];
        else continue;
        ok[p] = 1;
      }
    }
}

/**
 * Uniform spacing, in two passes: central differences everywhere first (branch-free; one-sided at
 * the grid's edges), then a fix-up around every invalid cell, which recomputes its two neighbours
 * along the axis by the full rule. For mostly valid data this costs little more than the
 * differences themselves.
 */
function uniform(
  f: ArrayLike<number>,
  valid: Uint8Array,
  dims: Dims,
  axis: Axis,
  n: number,
  stride: number,
  h: number,
  out: Float64Array,
  ok: Uint8Array,
): void {
  const { nx, ny, nz } = dims;
  const cells = nx * ny * nz;
  const h2 = 2 * h;
  ok.set(valid);
  if (n === 1) {
    out.fill(0);
    ok.fill(0);
    return;
  }
  if (axis === 0) {
    for (let row = 0; row < cells; row += nx) {
      const last = row + nx - 1;
      out[row] = (f[row + 1] - f[row]) / h;
      for (let p = row + 1; p < last; p++) out[p] = (f[p + 1] - f[p - 1]) / h2;
      out[last] = (f[last] - f[last - 1]) / h;
    }
  } else {
    const planes = axis === 1 ? nz : 1;
    const lineCells = axis === 1 ? nx : nx * ny; // cells of one index k along the axis, per plane
    const block = n * stride;
    for (let zb = 0; zb < planes; zb++) {
      const base = zb * block;
      for (let q = 0; q < lineCells; q++) out[base + q] = (f[base + q + stride] - f[base + q]) / h;
      for (let k = 1; k < n - 1; k++) {
        const r = base + k * stride;
        for (let q = r; q < r + lineCells; q++) out[q] = (f[q + stride] - f[q - stride]) / h2;
      }
      const r = base + (n - 1) * stride;
      for (let q = r; q < r + lineCells; q++) out[q] = (f[q] - f[q - stride]) / h;
    }
  }
  // fix-up around invalid cells
  for (let p = 0; p < cells; p++) {
    if (valid[p]) continue;
    out[p] = 0;
    const k = axis === 0 ? p % nx : axis === 1 ? ((p / nx) | 0) % ny : (p / (nx * ny)) | 0;
    if (k > 0) rule(f, valid, out, ok, p - stride, k - 1, n, stride, h);
    if (k < n - 1) rule(f, valid, out, ok, p + stride, k + 1, n, stride, h);
  }
}

/** The full per-run rule at one cell p (index k along the axis); uniform spacing h. */
function rule(f: ArrayLike<number>, valid: Uint8Array, out: Float64Array, ok: Uint8Array, p: number, k: number, n: number, stride: number, h: number): void {
  if (!valid[p]) return;
  const hasPrev = k > 0 && valid[p - stride] === 1;
  const hasNext = k < n - 1 && valid[p + stride] === 1;
  if (hasPrev && hasNext) out[p] = (f[p + stride] - f[p - stride]) / (2 * h);
  else if (hasNext) out[p] = (f[p + stride] - f[p]) / h;
  else if (hasPrev) out[p] = (f[p] - f[p - stride]) / h;
  else {
    out[p] = 0;
    ok[p] = 0;
  }
}
