/**
 * Line profiles (a line or polyline in physical coordinates) and point histories.
 *
 * Profiles are sampled uniformly along the polyline's length (default step: the smaller cell size,
 * about one sample per cell; or `step` / `samples`), bilinearly between the four cell centres
 * around each sample. A sample is NaN (a gap) when a cell with a non-zero weight is masked or when
 * it lies outside the cell-centre hull of the grid. Distance is the Euclidean length along the
 * polyline in the plot's coordinates, reported in the x axis unit.
 * Vectors: u, v (w) are interpolated and `values` is the magnitude of the interpolated vector;
 * `tangential` = v·t̂ and `normal` = v·n̂ with t̂ the direction of the segment being walked and
 * n̂ = t̂ turned by +90° (to the left of the direction of travel in a right-handed x–y frame).
 */
import type { FieldData, FrameSource } from '../core/types';
import type { DeriveOptions } from './derive';
import { analysisError } from './fail';
import { axesOf, coordOf, fractionalIndex, nearestCell, type AxisGeom, type Dims } from './grid';
import { scalarView } from './scalar-view';
import type { Point } from './region';
import type { SmoothOptions } from './smooth';
import { frameList, streamFrames, type AnalysisControl, type FrameSelection } from './stream';

export interface ProfileOptions {
  /** a component or derived quantity (default: value / magnitude / luminance) */
  quantity?: string;
  /** sample spacing in physical units (default: the smaller cell size) */
  step?: number;
  /** total number of samples (overrides step) */
  samples?: number;
  /** plane of a volume (default 0) */
  plane?: number;
  smooth?: SmoothOptions | null;
}

export interface LineProfile {
  quantity: string;
  unit: string;
  distanceUnit: string;
  /** total polyline length */
  length: number;
  distance: Float64Array;
  x: Float64Array;
  y: Float64Array;
  values: Float64Array;
  /** vectors (no quantity given): interpolated components and their projections on the line */
  u?: Float64Array;
  v?: Float64Array;
  w?: Float64Array;
  tangential?: Float64Array;
  normal?: Float64Array;
}

const MAX_SAMPLES = 1 << 22;

/** Bilinear sampler on plane k of a field with validity. */
function sampler(dims: Dims, gx: AxisGeom, gy: AxisGeom, plane: number) {
  const { nx, ny } = dims;
  const base = plane * nx * ny;
  return (x: number, y: number, arrays: ArrayLike<number>[], valid: Uint8Array, out: number[]): boolean => {
    const fx = fractionalIndex(gx, x);
    const fy = dims.ndim >= 2 ? fractionalIndex(gy, y) : 0;
    if (Number.isNaN(fx) || Number.isNaN(fy)) return false;
    const i0 = nx > 1 ? Math.min(nx - 2, Math.floor(fx)) : 0;
    const j0 = ny > 1 ? Math.min(ny - 2, Math.floor(fy)) : 0;
    const tx = fx - i0;
    const ty = fy - j0;
    const w = [(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty];
    const p00 = base + j0 * nx + i0;
    const idx = [p00, p00 + 1, p00 + nx, p00 + nx + 1];
    for (let c = 0; c < 4; c++) if (w[c] > 0 && !valid[idx[c]]) return false;
    for (let a = 0; a < arrays.length; a++) {
      let s = 0;
      for (let c = 0; c < 4; c++) if (w[c] > 0) s += w[c] * arrays[a][idx[c]];
      out[a] = s;
    }
    return true;
  };
}

/** Profile of a field along a polyline (points in physical units). */
export function lineProfile(field: FieldData, points: Point[], opts: ProfileOptions = {}): LineProfile {
  if (!Array.isArray(points) || points.length < 2) throw analysisError('a line profile needs at least two points');
  for (const p of points) if (!Number.isFinite(p?.x) || !Number.isFinite(p?.y)) throw analysisError('line profile points need finite x and y');
  const { dims, x: gx, y: gy } = axesOf(field);
  const plane = opts.plane ?? 0;
  if (!Number.isInteger(plane) || plane < 0 || plane >= dims.nz) throw analysisError(`plane ${plane} is outside 0…${dims.nz - 1}`);
  const seg: number[] = [];
  let total = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const l = Math.hypot(points[k + 1].x - points[k].x, points[k + 1].y - points[k].y);
    seg.push(l);
    total += l;
  }
  const cell = Math.min(Math.abs(gx.slope), dims.ndim >= 2 ? Math.abs(gy.slope) : Infinity);
  let n: number;
  if (opts.samples !== undefined) {
    if (!Number.isInteger(opts.samples) || opts.samples < 2) throw analysisError(`samples must be an integer ≥ 2 (got ${opts.samples})`);
    n = opts.samples;
  } else {
    const step = opts.step ?? cell;
    if (!(step > 0) || !Number.isFinite(step)) throw analysisError(`profile step must be > 0 (got ${step})`);
    n = total > 0 ? Math.ceil(total / step - 1e-9) + 1 : 1;
  }
  if (n > MAX_SAMPLES) throw analysisError(`profile would need ${n} samples (limit ${MAX_SAMPLES}); use a larger step`);
  const vectorial = field.kind === 'vector' && !opts.quantity;
  const dopts: DeriveOptions = opts.smooth ? { smooth: opts.smooth } : {};
  const sv = scalarView(field, opts.quantity, dopts);
  const arrays: ArrayLike<number>[] = vectorial ? (field.w ? [field.u!, field.v!, field.w] : [field.u!, field.v!]) : [sv.values];
  const sample = sampler(dims, gx, gy, plane);
  const out: LineProfile = {
    quantity: sv.quantity,
    unit: sv.unit,
    distanceUnit: field.scales?.x?.unit ?? '',
    length: total,
    distance: new Float64Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    values: new Float64Array(n),
  };
  if (vectorial) {
    out.u = new Float64Array(n);
    out.v = new Float64Array(n);
    if (field.w) out.w = new Float64Array(n);
    out.tangential = new Float64Array(n);
    out.normal = new Float64Array(n);
  }
  const tmp: number[] = [0, 0, 0];
  let k = 0;
  let start = 0;
  for (let m = 0; m < n; m++) {
    const d = n === 1 ? 0 : m === n - 1 ? total : (m * total) / (n - 1);
    while (k < seg.length - 1 && d > start + seg[k]) {
      start += seg[k];
      k++;
    }
    const a = points[k];
    const b = points[k + 1];
    const t = seg[k] > 0 ? Math.min(1, Math.max(0, (d - start) / seg[k])) : 0;
    const x = m === n - 1 && n > 1 ? points[points.length - 1].x : a.x + t * (b.x - a.x);
    const y = m === n - 1 && n > 1 ? points[points.length - 1].y : a.y + t * (b.y - a.y);
    out.distance[m] = d;
    out.x[m] = x;
    out.y[m] = y;
    const ok = sample(x, y, arrays, sv.valid, tmp);
    if (!vectorial) {
      out.values[m] = ok ? tmp[0] : NaN;
      continue;
    }
    if (!ok) {
      out.values[m] = out.u![m] = out.v![m] = out.tangential![m] = out.normal![m] = NaN;
      if (out.w) out.w[m] = NaN;
      continue;
    }
    const [u, v, w] = tmp;
    out.u![m] = u;
    out.v![m] = v;
    if (out.w) out.w[m] = w;
    out.values[m] = Math.sqrt(u * u + v * v + (out.w ? w * w : 0));
    const tx = seg[k] > 0 ? (b.x - a.x) / seg[k] : 1;
    const ty = seg[k] > 0 ? (b.y - a.y) / seg[k] : 0;
    out.tangential![m] = u * tx + v * ty;
    out.normal![m] = -u * ty + v * tx;
  }
  return out;
}

export interface PointHistoryRequest {
  field: string;
  point: Point;
  frames?: FrameSelection;
  quantity?: string;
  /** plane of a volume (default 0) */
  plane?: number;
  /** 'nearest' (default: the stored value of the nearest cell) or 'bilinear' */
  interpolation?: 'nearest' | 'bilinear';
  smooth?: SmoothOptions | null;
}

export interface PointHistory {
  field: string;
  quantity: string;
  unit: string;
  point: Point;
  /** the nearest cell (array indices) and its centre */
  cell: { i: number; j: number; k: number; x: number; y: number };
  interpolation: 'nearest' | 'bilinear';
  timeUnit: string | null;
  index: number[];
  number: number[];
  time: (number | null)[];
  /** NaN where masked */
  values: number[];
  /** vectors without a quantity: the components too */
  u?: number[];
  v?: number[];
  w?: number[];
}

/** The value at one point over the frames (streamed, cancellable, with progress). */
export async function pointHistory(source: FrameSource, req: PointHistoryRequest, ctl?: AnalysisControl): Promise<PointHistory> {
  const indices = frameList(source, req.frames);
  const interp = req.interpolation ?? 'nearest';
  if (interp !== 'nearest' && interp !== 'bilinear') throw analysisError(`interpolation must be 'nearest' or 'bilinear' (got ${String(interp)})`);
  if (!Number.isFinite(req.point?.x) || !Number.isFinite(req.point?.y)) throw analysisError('point history needs a point with finite x and y');
  const out: PointHistory = {
    field: req.field,
    quantity: req.quantity ?? '',
    unit: '',
    point: { x: req.point.x, y: req.point.y },
    cell: { i: -1, j: -1, k: 0, x: NaN, y: NaN },
    interpolation: interp,
    timeUnit: source.timeUnit,
    index: [],
    number: [],
    time: [],
    values: [],
  };
  const dopts: DeriveOptions = req.smooth ? { smooth: req.smooth } : {};
  await streamFrames(source, indices, ctl, (frame) => {
    const f = frame.fields[req.field];
    if (!f) throw analysisError(`field “${req.field}” is missing in frame ${frame.info.number} (index ${frame.info.index})`);
    const { dims, x: gx, y: gy } = axesOf(f);
    const k = req.plane ?? 0;
    if (!Number.isInteger(k) || k < 0 || k >= dims.nz) throw analysisError(`plane ${k} is outside 0…${dims.nz - 1}`);
    const i = nearestCell(gx, req.point.x);
    const j = dims.ndim >= 2 ? nearestCell(gy, req.point.y) : 0;
    const half = (g: AxisGeom, c: number, v: number) =>
      Math.abs(v - coordOf(g, c)) <= Math.abs(g.n > 1 ? (coordOf(g, g.n - 1) - coordOf(g, 0)) / (g.n - 1) : 1) / 2 + 1e-12;
    if (!half(gx, i, req.point.x) || (dims.ndim >= 2 && !half(gy, j, req.point.y)))
      throw analysisError(`point (${req.point.x}, ${req.point.y}) is outside the grid of “${req.field}”`);
    out.cell = { i, j, k, x: coordOf(gx, i), y: dims.ndim >= 2 ? coordOf(gy, j) : 0 };
    const sv = scalarView(f, req.quantity, dopts);
    out.quantity = sv.quantity;
    out.unit = sv.unit;
    const vectorial = f.kind === 'vector' && !req.quantity;
    const arrays: ArrayLike<number>[] = vectorial ? (f.w ? [sv.values, f.u!, f.v!, f.w] : [sv.values, f.u!, f.v!]) : [sv.values];
    const vals: number[] = [];
    if (interp === 'nearest') {
      const p = (k * dims.ny + j) * dims.nx + i;
      for (const a of arrays) vals.push(sv.valid[p] ? a[p] : NaN);
    } else {
      const tmp: number[] = [];
      const ok = sampler(dims, gx, gy, k)(req.point.x, req.point.y, vectorial ? arrays.slice(1) : arrays, sv.valid, tmp);
      if (vectorial) {
        const m = ok ? Math.sqrt(tmp.reduce((s, x) => s + x * x, 0)) : NaN;
        vals.push(m, ...arrays.slice(1).map((_, c) => (ok ? tmp[c] : NaN)));
      } else vals.push(ok ? tmp[0] : NaN);
    }
    out.index.push(frame.info.index);
    out.number.push(frame.info.number);
    out.time.push(frame.info.time);
    out.values.push(vals[0]);
    if (vectorial) {
      (out.u ??= []).push(vals[1]);
      (out.v ??= []).push(vals[2]);
      if (f.w) (out.w ??= []).push(vals[3]);
    }
  });
  return out;
}
