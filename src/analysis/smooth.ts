/**
 * Optional smoothing before differentiating: a separable Gaussian or box filter applied as a
 * normalised convolution over the valid cells only,
 *   smooth(f) = K ∗ (f·valid) / K ∗ valid   (zero outside the grid),
 * so masked cells neither leak into their neighbours nor get filled (they stay masked). This equals
 * scipy.ndimage `gaussian_filter(f·valid, σ, mode='constant', truncate=t) / gaussian_filter(valid, …)`
 * (box: `uniform_filter(…, size, mode='constant')`), with the kernel of scipy: Gaussian weights
 * exp(−k²/2σ²) for |k| ≤ floor(t·σ + 0.5), normalised; box weights 1/size for an odd size.
 * Every spatial axis with more than one cell is filtered.
 */
import type { Dims } from './grid';
import { analysisError } from './fail';

export interface SmoothOptions {
  kind: 'gaussian' | 'box';
  /** Gaussian: σ in cells; box: the window width in cells (odd) */
  size: number;
  /** Gaussian kernel radius in σ (scipy's `truncate`), default 4 */
  truncate?: number;
}

export function kernelOf(o: SmoothOptions): Float64Array {
  if (o.kind === 'gaussian') {
    if (!(o.size > 0) || !Number.isFinite(o.size)) throw analysisError(`Gaussian smoothing needs σ > 0 cells (got ${o.size})`);
    const t = o.truncate ?? 4;
    const r = Math.floor(t * o.size + 0.5);
    if (r > 1024) throw analysisError(`Gaussian smoothing radius ${r} cells is too large`);
    const w = new Float64Array(2 * r + 1);
    let sum = 0;
    for (let k = -r; k <= r; k++) sum += w[k + r] = Math.exp((-0.5 * k * k) / (o.size * o.size));
    for (let k = 0; k < w.length; k++) w[k] /= sum;
    return w;
  }
  if (o.kind === 'box') {
    if (!Number.isInteger(o.size) || o.size < 1 || o.size % 2 === 0 || o.size > 2049)
      throw analysisError(`box smoothing needs an odd window width in cells (got ${o.size})`);
    return new Float64Array(o.size).fill(1 / o.size);
  }
  throw analysisError(`unknown smoothing '${String((o as { kind?: unknown }).kind)}' (use 'gaussian' or 'box')`);
}

/** Short words for a colour-bar title: "Gaussian σ = 1 cell", "box 3×3 cells". */
export function describeSmoothing(o: SmoothOptions | null | undefined, ndim = 2): string {
  if (!o) return '';
  if (o.kind === 'gaussian') return `Gaussian σ = ${o.size} cell${o.size === 1 ? '' : 's'}`;
  return `box ${Array(Math.max(1, ndim)).fill(o.size).join('×')} cells`;
}

function convolveAxis(src: Float64Array, dst: Float64Array, dims: Dims, axis: 0 | 1 | 2, w: Float64Array): void {
  const { nx, ny, nz } = dims;
  const r = (w.length - 1) >> 1;
  if (axis === 0) {
    for (let row = 0; row < nx * ny * nz; row += nx) {
      for (let x = 0; x < nx; x++) {
        const lo = x < r ? -x : -r;
        const hi = x + r >= nx ? nx - 1 - x : r;
        const p = row + x;
        let s = 0;
        for (let j = lo; j <= hi; j++) s += w[j + r] * src[p + j];
        dst[p] = s;
      }
    }
    return;
  }
  // y or z: accumulate whole lines of cells (contiguous, cache friendly)
  const n = axis === 1 ? ny : nz;
  const stride = axis === 1 ? nx : nx * ny;
  const planes = axis === 1 ? nz : 1;
  const seg = axis === 1 ? nx : nx * ny;
  for (let zb = 0; zb < planes; zb++) {
    const base = zb * n * stride;
    for (let k = 0; k < n; k++) {
      const d0 = base + k * stride;
      dst.fill(0, d0, d0 + seg);
      const lo = Math.max(-r, -k);
      const hi = Math.min(r, n - 1 - k);
      for (let j = lo; j <= hi; j++) {
        const wj = w[j + r];
        const s0 = d0 + j * stride;
        for (let q = 0; q < seg; q++) dst[d0 + q] += wj * src[s0 + q];
      }
    }
  }
}

/**
 * Smooth the components (over the cells where `valid` is 1); returns new Float64 arrays with the
 * smoothed values at valid cells and 0 elsewhere.
 */
export function smoothComponents(comps: ArrayLike<number>[], valid: Uint8Array, dims: Dims, o: SmoothOptions): Float64Array[] {
  const w = kernelOf(o);
  const axes = ([0, 1, 2] as const).filter((a) => (a === 0 ? dims.nx : a === 1 ? dims.ny : dims.nz) > 1);
  const cells = dims.cells;
  const pass = (a: Float64Array): Float64Array => {
    let cur: Float64Array = a;
    let tmp: Float64Array = new Float64Array(cells);
    for (const ax of axes) {
      convolveAxis(cur, tmp, dims, ax, w);
      const t = cur;
      cur = tmp;
      tmp = t;
    }
    return cur;
  };
  const den = pass(Float64Array.from(valid));
  return comps.map((c) => {
    const num = new Float64Array(cells);
    for (let p = 0; p < cells; p++) if (valid[p]) num[p] = c[p];
    const s = pass(num);
    for (let p = 0; p < cells; p++) s[p] = valid[p] ? s[p] / den[p] : 0;
    return s;
  });
}
