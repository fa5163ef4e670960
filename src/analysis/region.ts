/**
 * Regions of interest in physical coordinates (the plot's axes): rectangles, ellipses and polygons.
 * A cell belongs to a region when its CENTRE lies inside (rectangle and ellipse boundaries
 * included; polygons by the even–odd rule). On a volume the region selects the cells of plane `plane`,
 * or, without a plane, the same x–y cells in every plane (a prism).
 * Statistics over the valid cells inside: mean, std (population, ddof = 0), min, max, count, in float64.
 */
import type { FieldData, FrameSource } from '../core/types';
import type { DeriveOptions } from './derive';
import { analysisError } from './fail';
import { axesOf, coordOf } from './grid';
import { componentOf, scalarView } from './scalar-view';
import type { SmoothOptions } from './smooth';
import { frameList, streamFrames, type AnalysisControl, type FrameSelection } from './stream';

export interface Point {
  x: number;
  y: number;
}

export type Region =
  | { type: 'rectangle'; x0: number; y0: number; x1: number; y1: number }
  /** axis-aligned ellipse, optionally rotated by `angle` degrees counter-clockwise */
  | { type: 'ellipse'; cx: number; cy: number; rx: number; ry: number; angle?: number }
  | { type: 'polygon'; points: Point[] };

export interface Stats {
  mean: number;
  std: number;
  min: number;
  max: number;
  count: number;
}

export interface RegionStats extends Stats {
  quantity: string;
  unit: string;
  /** cells inside the region (valid or not) */
  cells: number;
  /** for vector fields (stored, no quantity given): the same per component */
  components?: Record<string, Stats>;
}

function insideFn(r: Region): (x: number, y: number) => boolean {
  const bad = (...v: number[]) => v.some((x) => typeof x !== 'number' || !Number.isFinite(x));
  switch (r.type) {
    case 'rectangle': {
      if (bad(r.x0, r.y0, r.x1, r.y1)) throw analysisError('rectangle region needs finite x0, y0, x1, y1');
      const [xa, xb] = r.x0 <= r.x1 ? [r.x0, r.x1] : [r.x1, r.x0];
      const [ya, yb] = r.y0 <= r.y1 ? [r.y0, r.y1] : [r.y1, r.y0];
      return (x, y) => x >= xa && x <= xb && y >= ya && y <= yb;
    }
    case 'ellipse': {
      if (bad(r.cx, r.cy, r.rx, r.ry) || !(r.rx > 0) || !(r.ry > 0)) throw analysisError('ellipse region needs finite cx, cy and radii rx, ry > 0');
      const a = ((r.angle ?? 0) * Math.PI) / 180;
      const c = Math.cos(a);
      const s = Math.sin(a);
      return (x, y) => {
        const dx = x - r.cx;
        const dy = y - r.cy;
        const xr = (c * dx + s * dy) / r.rx;
        const yr = (-s * dx + c * dy) / r.ry;
        return xr * xr + yr * yr <= 1;
      };
    }
    case 'polygon': {
      const pts = r.points;
      if (!Array.isArray(pts) || pts.length < 3 || pts.some((p) => bad(p?.x, p?.y)))
        throw analysisError('polygon region needs at least 3 points with finite x, y');
      const n = pts.length;
      return (x, y) => {
        let inside = false;
        for (let i = 0, j = n - 1; i < n; j = i++) {
          const yi = pts[i].y;
          const yj = pts[j].y;
          if (yi > y !== yj > y) {
            const xc = pts[j].x + ((y - yj) * (pts[i].x - pts[j].x)) / (yi - yj);
            if (x < xc) inside = !inside;
          }
        }
        return inside;
      };
    }
  }
  throw analysisError(`unknown region type '${String((r as { type?: unknown }).type)}' (use rectangle, ellipse or polygon)`);
}

/** 1 for every cell whose centre is inside the region (all planes, or only `plane`). */
export function regionMask(f: FieldData, region: Region, plane?: number): Uint8Array {
  const { dims, x, y } = axesOf(f);
  const { nx, ny, nz } = dims;
  if (plane !== undefined && (!Number.isInteger(plane) || plane < 0 || plane >= nz)) throw analysisError(`plane ${plane} is outside 0…${nz - 1}`);
  const inside = insideFn(region);
  const xs = Float64Array.from({ length: nx }, (_, i) => coordOf(x, i));
  const ys = Float64Array.from({ length: ny }, (_, j) => coordOf(y, j));
  const sel = new Uint8Array(nx * ny * nz);
  const one = new Uint8Array(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) one[j * nx + i] = inside(xs[i], ys[j]) ? 1 : 0;
  for (let k = 0; k < nz; k++) if (plane === undefined || plane === k) sel.set(one, k * nx * ny);
  return sel;
}

function statsOf(values: ArrayLike<number>, valid: Uint8Array, sel: Uint8Array): Stats {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < sel.length; p++) {
    if (!sel[p] || !valid[p]) continue;
    const x = values[p];
    n++;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (!n) return { mean: NaN, std: NaN, min: NaN, max: NaN, count: 0 };
  const mean = sum / n;
  let ss = 0;
  for (let p = 0; p < sel.length; p++) {
    if (!sel[p] || !valid[p]) continue;
    const d = values[p] - mean;
    ss += d * d;
  }
  return { mean, std: Math.sqrt(ss / n), min, max, count: n };
}

export interface RegionOptions {
  /** a component or derived quantity (default: value / magnitude / luminance) */
  quantity?: string;
  /** plane of a volume (default: every plane) */
  plane?: number;
  smooth?: SmoothOptions | null;
}

/** ROI statistics of one frame's field. `sel` (from regionMask) may be passed to reuse it. */
export function regionStats(f: FieldData, region: Region, opts: RegionOptions = {}, sel?: Uint8Array): RegionStats {
  const s = sel ?? regionMask(f, region, opts.plane);
  const dopts: DeriveOptions = opts.smooth ? { smooth: opts.smooth } : {};
  const sv = scalarView(f, opts.quantity, dopts);
  let cells = 0;
  for (let p = 0; p < s.length; p++) cells += s[p];
  const out: RegionStats = { quantity: sv.quantity, unit: sv.unit, cells, ...statsOf(sv.values, sv.valid, s) };
  if (f.kind === 'vector' && !opts.quantity) {
    out.components = {};
    for (const c of f.w ? ['u', 'v', 'w'] : ['u', 'v']) {
      const comp = componentOf(f, c)!;
      out.components[c] = statsOf(comp, sv.valid, s);
    }
  }
  return out;
}

export interface SeriesColumns {
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
  count: number[];
}

export interface RegionSeries extends SeriesColumns {
  field: string;
  quantity: string;
  unit: string;
  region: Region;
  plane?: number;
  timeUnit: string | null;
  /** per frame of the series */
  index: number[];
  number: number[];
  time: (number | null)[];
  /** cells inside the region */
  cells: number;
  /** vectors without a quantity: u, v(, w) columns as well */
  components?: Record<string, SeriesColumns>;
}

export interface RegionSeriesRequest extends RegionOptions {
  field: string;
  region: Region;
  frames?: FrameSelection;
}

const cols = (): SeriesColumns => ({ mean: [], std: [], min: [], max: [], count: [] });
const push = (c: SeriesColumns, s: Stats) => {
  c.mean.push(s.mean);
  c.std.push(s.std);
  c.min.push(s.min);
  c.max.push(s.max);
  c.count.push(s.count);
};

/** ROI statistics of every frame of the range (streamed, cancellable, with progress). */
export async function regionSeries(source: FrameSource, req: RegionSeriesRequest, ctl?: AnalysisControl): Promise<RegionSeries> {
  const indices = frameList(source, req.frames);
  const out: RegionSeries = {
    field: req.field,
    quantity: req.quantity ?? '',
    unit: '',
    region: req.region,
    ...(req.plane !== undefined ? { plane: req.plane } : {}),
    timeUnit: source.timeUnit,
    index: [],
    number: [],
    time: [],
    cells: 0,
    ...cols(),
  };
  let sel: Uint8Array | null = null;
  let key = '';
  await streamFrames(source, indices, ctl, (frame) => {
    const f = frame.fields[req.field];
    if (!f) throw analysisError(`field “${req.field}” is missing in frame ${frame.info.number} (index ${frame.info.index})`);
    const k = JSON.stringify([f.shape, f.scales?.x, f.scales?.y]) + (f.coords ? `|${f.coords.x?.[0]}|${f.coords.y?.[0]}` : '');
    if (!sel || k !== key) {
      sel = regionMask(f, req.region, req.plane);
      key = k;
    }
    const s = regionStats(f, req.region, req, sel);
    out.quantity = s.quantity;
    out.unit = s.unit;
    out.cells = s.cells;
    out.index.push(frame.info.index);
    out.number.push(frame.info.number);
    out.time.push(frame.info.time);
    push(out, s);
    if (s.components) {
      out.components ??= {};
      for (const [c, cs] of Object.entries(s.components)) push((out.components[c] ??= cols()), cs);
    }
  });
  return out;
}
