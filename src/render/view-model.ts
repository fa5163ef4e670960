import type { FieldData, Frame, FrameInfo, Scale } from '../core/types';
import { autoLimits, colorize, fieldStats, magnitude, rgbToRgba, type FieldStats, type LimitsMode } from './colorize';
import { yAxisPointsDown } from './orientation';
import { sampleQuiver, type QuiverSample } from './quiver-sample';

/** What the view asks the worker to prepare for one frame. Serialisable. */
export interface ViewRequest {
  field: string;
  /** z plane for 3D fields */
  plane: number;
  /** background of a vector field: 'magnitude' | 'u' | 'v' | 'w' */
  component: string;
  colormap: string;
  limitsMode: LimitsMode;
  manual?: [number, number];
  /** quiver stride in cells; 0 = automatic (about 1,500 arrows) */
  stride: number;
  quiver: boolean;
  /**
   * Compare views: show this field minus the same-named (or given) field of another dataset's frame
   * (`abs`: |A − B|). The pipeline reads both frames; `label` names the difference on the colour bar.
   */
  reference?: { id: string; index: number; field: string; abs: boolean; label: string };
  /** a derived quantity (src/analysis: `vorticity`, `q-criterion`, …) as the background; arrows stay the field's */
  derived?: { quantity: string; smooth?: { kind: 'gaussian' | 'box'; size: number } | null };
}

export interface Axis {
  /** physical coordinate of the first pixel centre and the (positive) step after flipping */
  start: number;
  step: number;
  unit: string;
  label: string;
  /** the bitmap was flipped along this axis so that coordinates increase */
  flipped: boolean;
  /** the coordinates are array indices (no scale known) */
  indexOnly: boolean;
  /** the axis points down the screen (images: row 0 at the top; see render/orientation.ts) */
  down?: boolean;
}

/** Everything a view needs to draw one frame, computed off the main thread. */
export interface ViewModel {
  info: FrameInfo;
  field: string;
  kind: 'image' | 'rgb' | 'line' | 'missing';
  message?: string;
  width: number;
  height: number;
  depth: number;
  /** RGBA bitmap, row 0 = smallest y (drawn at the bottom of an upward axis, at the top of a downward one) */
  rgba?: Uint8ClampedArray;
  /** the background scalar values in data order [ny, nx] (for hover) */
  values?: Float32Array;
  mask?: Uint8Array;
  x: Axis;
  y: Axis;
  valueUnit: string;
  valueLabel: string;
  stats?: FieldStats;
  limits?: [number, number];
  quiver?: QuiverSample;
  /** for 1D fields */
  line?: { x: Float64Array; y: Float32Array };
  /** RGB fields: the plane's R, G, B bytes in data order (hover shows them) */
  rgb?: Uint8Array;
  /** per-cell vector components for hover (data order) */
  vectors?: { u: Float32Array; v: Float32Array; w?: Float32Array };
}

function axisFrom(scale: Scale | undefined, n: number, coords: Float64Array | undefined, label: string): { axis: Axis; flip: boolean } {
  if (coords && coords.length === n && n > 1) {
    const step = (coords[n - 1] - coords[0]) / (n - 1);
    const uniform = coords.every((c, i) => Math.abs(c - (coords[0] + i * step)) <= Math.abs(step) * 1e-3);
    if (uniform) {
      const flip = step < 0;
      return { axis: { start: flip ? coords[n - 1] : coords[0], step: Math.abs(step), unit: scale?.unit ?? '', label, flipped: flip, indexOnly: false }, flip };
    }
  }
  if (scale && Number.isFinite(scale.slope) && scale.slope !== 0) {
    const flip = scale.slope < 0;
    const first = scale.offset;
    const last = scale.offset + (n - 1) * scale.slope;
    return {
      axis: { start: flip ? last : first, step: Math.abs(scale.slope), unit: scale.unit, label: scale.description || label, flipped: flip, indexOnly: false },
      flip,
    };
  }
  return { axis: { start: 0, step: 1, unit: '', label: `${label} (index)`, flipped: false, indexOnly: true }, flip: false };
}

function toF32(a: ArrayLike<number>): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a);
}

/** Pick the 2D plane z of a [nz, ny, nx] array (or the whole array for 2D). */
function planeOf<T extends { subarray(a: number, b: number): T; length: number }>(a: T | undefined, shape: number[], z: number): T | undefined {
  if (!a || shape.length < 3) return a;
  const [nz, ny, nx] = shape;
  const k = Math.max(0, Math.min(nz - 1, z)) * ny * nx;
  return a.subarray(k, k + ny * nx);
}

/**
 * `background`: a derived scalar on the same grid (vorticity, Q, …) drawn beneath the field's own
 * arrows; its unit and description title the colour bar.
 */
export function buildViewModel(frame: Frame, req: ViewRequest, background?: FieldData): ViewModel {
  const f: FieldData | undefined = frame.fields[req.field];
  const blankAxis: Axis = { start: 0, step: 1, unit: '', label: '', flipped: false, indexOnly: true };
  if (!f) {
    return {
      info: frame.info,
      field: req.field,
      kind: 'missing',
      width: 0,
      height: 0,
      depth: 0,
      message: `field “${req.field}” is not present in frame ${frame.info.number}`,
      x: blankAxis,
      y: blankAxis,
      valueUnit: '',
      valueLabel: req.field,
    };
  }
  const shape = f.kind === 'rgb' ? f.shape.slice(0, -1) : f.shape;
  const valueUnit = f.scales?.i?.unit ?? '';
  if (shape.length === 1) {
    const n = shape[0];
    const { axis } = axisFrom(f.scales?.x, n, f.coords?.x, 'x');
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = f.coords?.x?.[i] ?? (axis.indexOnly ? i : f.scales!.x.offset + i * f.scales!.x.slope);
    let ys: Float32Array;
    if (f.kind === 'vector' && f.u && f.v) ys = magnitude(f.u, f.v, f.w, f.mask);
    else ys = Float32Array.from(f.values ?? [], (v, i) => (f.mask?.[i] ? NaN : Number(v)));
    if (f.kind === 'vector' && req.component !== 'magnitude') {
      const c = req.component === 'u' ? f.u : req.component === 'v' ? f.v : req.component === 'w' ? f.w : undefined;
      if (c) ys = Float32Array.from(c, (v, i) => (f.mask?.[i] ? NaN : v));
    }
    const stats = fieldStats(ys, null);
    return {
      info: frame.info,
      field: req.field,
      kind: 'line',
      width: n,
      height: 1,
      depth: 1,
      x: axis,
      y: blankAxis,
      valueUnit,
      valueLabel: req.field,
      stats,
      line: { x: xs, y: ys },
    };
  }
  const nx = shape[shape.length - 1];
  const ny = shape[shape.length - 2];
  const nz = shape.length >= 3 ? shape[shape.length - 3] : 1;
  const ax = axisFrom(f.scales?.x, nx, f.coords?.x, 'x');
  const ay = axisFrom(f.scales?.y, ny, f.coords?.y, 'y');
  ay.axis.down = yAxisPointsDown(f.scales?.y, !!f.coords?.y);
  const mask = planeOf(f.mask, shape, req.plane);
  const base = {
    info: frame.info,
    field: req.field,
    width: nx,
    height: ny,
    depth: nz,
    x: ax.axis,
    y: ay.axis,
    valueUnit,
    mask,
  };
  if (f.kind === 'rgb') {
    const plane = planeOf(f.values as Uint8Array, [nz, ny, nx * 3], req.plane)!;
    const rgba = rgbToRgba(flipRgbX(plane, nx, ny, ax.flip), mask, nx * ny, ay.flip, nx);
    return { ...base, kind: 'rgb', rgba, rgb: plane, valueLabel: req.field };
  }
  let values: Float32Array;
  let vectors: ViewModel['vectors'];
  let label = req.field;
  if (f.kind === 'vector') {
    const u = planeOf(f.u, shape, req.plane)!;
    const v = planeOf(f.v, shape, req.plane)!;
    const w = planeOf(f.w, shape, req.plane);
    vectors = { u, v, w };
    const comp = req.component === 'u' ? u : req.component === 'v' ? v : req.component === 'w' && w ? w : null;
    values = comp ?? magnitude(u, v, w, mask);
    label = comp ? `${req.field} ${req.component}` : `|${req.field}|`;
  } else {
    values = toF32(planeOf(f.values as Float32Array, shape, req.plane) ?? new Float32Array(nx * ny));
  }
  let shownMask = mask;
  let unit = valueUnit;
  if (background) {
    values = toF32(planeOf(background.values as Float32Array, shape, req.plane) ?? values);
    const bm = planeOf(background.mask, shape, req.plane);
    if (bm) shownMask = bm;
    unit = background.scales?.i?.unit ?? '';
    label = background.scales?.i?.description || `${req.field} ${req.derived?.quantity ?? ''}`;
  }
  const stats = fieldStats(values, shownMask, req.limitsMode === 'p1-99');
  const limits = autoLimits(stats, req.limitsMode, req.manual);
  const rgba = colorize(values, shownMask, [ny, nx], { vmin: limits[0], vmax: limits[1], colormap: req.colormap, flipY: ay.flip, flipX: ax.flip });
  const quiver =
    vectors && req.quiver
      ? sampleQuiver(
          vectors.u,
          vectors.v,
          mask,
          nx,
          ny,
          req.stride,
          (i) => coordAt(f.scales?.x, f.coords?.x, i),
          (j) => coordAt(f.scales?.y, f.coords?.y, j),
        )
      : undefined;
  return { ...base, mask: shownMask, valueUnit: unit, kind: 'image', rgba, values, stats, limits, quiver, vectors, valueLabel: label };
}

function coordAt(s: Scale | undefined, coords: Float64Array | undefined, i: number): number {
  if (coords && i < coords.length) return coords[i];
  return s?.slope ? s.offset + i * s.slope : i;
}

function flipRgbX(rgb: Uint8Array, nx: number, ny: number, flip: boolean): Uint8Array {
  if (!flip) return rgb;
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      const s = (y * nx + (nx - 1 - x)) * 3;
      const d = (y * nx + x) * 3;
      out[d] = rgb[s];
      out[d + 1] = rgb[s + 1];
      out[d + 2] = rgb[s + 2];
    }
  return out;
}
