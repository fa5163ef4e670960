/**
 * Geometry of a FieldData: its spatial dims as [nz, ny, nx] and, per axis, the physical cell-centre
 * coordinates (explicit `coords`, else the linear `scales`, else the array index).
 */
import type { FieldData, Scale } from '../core/types';
import { analysisError } from './fail';

export type AxisName = 'x' | 'y' | 'z';

export interface Dims {
  /** number of spatial dims of the stored array (1, 2 or 3) */
  ndim: number;
  nx: number;
  ny: number;
  nz: number;
  /** cells = nx·ny·nz */
  cells: number;
}

export interface AxisGeom {
  name: AxisName;
  n: number;
  /** explicit cell-centre coordinates (from FieldData.coords) */
  coords?: Float64Array;
  /** uniform axis: coord(i) = offset + i·slope */
  offset: number;
  slope: number;
  unit: string;
  /** the array index is all that is known */
  indexOnly: boolean;
}

/** Spatial dims of a field (rgb: without its trailing channel axis). */
export function dimsOf(f: Pick<FieldData, 'kind' | 'shape'>): Dims {
  const s = f.kind === 'rgb' ? f.shape.slice(0, -1) : f.shape;
  if (s.length < 1 || s.length > 3 || !s.every((n) => Number.isInteger(n) && n >= 1))
    throw analysisError(`field shape [${f.shape.join(', ')}] is not [nx], [ny, nx] or [nz, ny, nx]`);
  const nx = s[s.length - 1];
  const ny = s.length >= 2 ? s[s.length - 2] : 1;
  const nz = s.length >= 3 ? s[0] : 1;
  return { ndim: s.length, nx, ny, nz, cells: nx * ny * nz };
}

function usable(s: Scale | undefined): s is Scale {
  return !!s && Number.isFinite(s.slope) && s.slope !== 0 && Number.isFinite(s.offset);
}

export function axisGeom(f: FieldData, name: AxisName, n: number): AxisGeom {
  const c = f.coords?.[name];
  const s = f.scales?.[name];
  if (c && c.length === n) return { name, n, coords: c, offset: c[0], slope: n > 1 ? (c[n - 1] - c[0]) / (n - 1) : 1, unit: s?.unit ?? '', indexOnly: false };
  if (usable(s)) return { name, n, offset: s.offset, slope: s.slope, unit: s.unit ?? '', indexOnly: false };
  return { name, n, offset: 0, slope: 1, unit: '', indexOnly: true };
}

export function axesOf(f: FieldData): { dims: Dims; x: AxisGeom; y: AxisGeom; z: AxisGeom } {
  const dims = dimsOf(f);
  return { dims, x: axisGeom(f, 'x', dims.nx), y: axisGeom(f, 'y', dims.ny), z: axisGeom(f, 'z', dims.nz) };
}

/** Physical coordinate of cell-centre index i. */
export function coordOf(a: AxisGeom, i: number): number {
  return a.coords ? a.coords[i] : a.offset + i * a.slope;
}

/**
 * Fractional index of physical coordinate x along the axis (linear between cell centres), or NaN
 * outside [first centre, last centre]. A one-cell axis accepts only its own centre.
 */
export function fractionalIndex(a: AxisGeom, x: number): number {
  const n = a.n;
  if (!Number.isFinite(x)) return NaN;
  if (n === 1) return x === coordOf(a, 0) ? 0 : NaN;
  if (!a.coords) {
    const t = (x - a.offset) / a.slope;
    const tol = 1e-9 * (n - 1);
    if (t < -tol || t > n - 1 + tol) return NaN;
    return Math.min(n - 1, Math.max(0, t));
  }
  const c = a.coords;
  const inc = c[n - 1] >= c[0];
  const lo = inc ? c[0] : c[n - 1];
  const hi = inc ? c[n - 1] : c[0];
  if (x < lo || x > hi) return NaN;
  // binary search for the interval [k, k+1] holding x
  let l = 0;
  let r = n - 1;
  while (r - l > 1) {
    const m = (l + r) >> 1;
    if (inc ? c[m] <= x : c[m] >= x) l = m;
    else r = m;
  }
  const d = c[r] - c[l];
  return d === 0 ? l : l + (x - c[l]) / d;
}

/** Nearest cell index to physical coordinate x (clamped into the axis); NaN input → -1. */
export function nearestCell(a: AxisGeom, x: number): number {
  if (!Number.isFinite(x)) return -1;
  if (!a.coords) return Math.max(0, Math.min(a.n - 1, Math.round((x - a.offset) / a.slope)));
  let best = 0;
  let bd = Infinity;
  for (let i = 0; i < a.n; i++) {
    const d = Math.abs(a.coords[i] - x);
    if (d < bd) {
      bd = d;
      best = i;
    }
  }
  return best;
}

/** Cell validity: unmasked and finite in every given component (1 = valid). */
export function validity(f: FieldData, comps: ArrayLike<number>[], cells: number): Uint8Array {
  const ok = new Uint8Array(cells);
  const m = f.mask;
  const [a, b, c] = comps;
  // x − x === 0 is false exactly for NaN and ±Infinity; one loop per case (mask or not, 1–3 components)
  if (m && comps.length === 2) for (let p = 0; p < cells; p++) ok[p] = m[p] === 0 && a[p] - a[p] === 0 && b[p] - b[p] === 0 ? 1 : 0;
  else if (!m && comps.length === 2) for (let p = 0; p < cells; p++) ok[p] = a[p] - a[p] === 0 && b[p] - b[p] === 0 ? 1 : 0;
  else if (m && comps.length === 1) for (let p = 0; p < cells; p++) ok[p] = m[p] === 0 && a[p] - a[p] === 0 ? 1 : 0;
  else if (!m && comps.length === 1) for (let p = 0; p < cells; p++) ok[p] = a[p] - a[p] === 0 ? 1 : 0;
  else if (comps.length === 3) for (let p = 0; p < cells; p++) ok[p] = !m?.[p] && a[p] - a[p] === 0 && b[p] - b[p] === 0 && c[p] - c[p] === 0 ? 1 : 0;
  else
    for (let p = 0; p < cells; p++) {
      if (m?.[p]) continue;
      let good = 1;
      for (const x of comps) if (!(x[p] - x[p] === 0)) good = 0;
      ok[p] = good;
    }
  return ok;
}

/** Copy of scales/coords for a result on the same grid, with a new value scale. */
export function sameGrid(f: FieldData, i: Scale): Pick<FieldData, 'scales' | 'coords'> {
  const out: Pick<FieldData, 'scales' | 'coords'> = {};
  const s = f.scales;
  out.scales = {
    x: s?.x ? { ...s.x } : { slope: 1, offset: 0, unit: '', description: 'x' },
    y: s?.y ? { ...s.y } : { slope: 1, offset: 0, unit: '', description: 'y' },
    i,
  };
  if (s?.z) out.scales.z = { ...s.z };
  if (f.coords) out.coords = { ...f.coords };
  return out;
}
