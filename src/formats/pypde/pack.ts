/**
 * py-pde MovieStorage packing, the writer beside the reader (shared/formats/pypde-movie.md): which
 * video format, how field components go to channels, the quantisation, the raw frame byte layout
 * (unpack.ts's PackedLayout, read back by its channelValues), the `comment` JSON and
 * the `.times` side-car. Pure: no video code here (src/export/pypde-movie.ts drives the encoder).
 */
import { ExportError } from '../../core/errors';
import type { FieldData, FieldInfo, Frame, FrameSource, Scale } from '../../core/types';
import { pyFloat, pyFloatRepr, pyJson, shlexQuote } from './py-json';
import { rawFrameSize, type PackedLayout } from './unpack';
import { PYPDE_FORMATS, type PypdeVideoFormat } from './video-formats';

const T = 'pypde-movie';

export { PYPDE_FORMATS, type PypdeVideoFormat };

/** py-pde's automatic choice (§3.1): the eligible format with the fewest bits, then fewest channels. */
export function chooseVideoFormat(components: number, bits: number): PypdeVideoFormat {
  let best: PypdeVideoFormat | null = null;
  for (const f of PYPDE_FORMATS) {
    if (f.channels < components || f.bits < bits) continue;
    if (!best || f.bits < best.bits || f.channels < best.channels) best = f;
  }
  if (!best) throw new ExportError(T, `${components} components at ${bits} bits do not fit any py-pde video format (at most 4 components of 8 or 16 bits)`);
  return best;
}

/** One member of the stored field (collection member, or the single field). */
export interface PypdeMember {
  field: string;
  kind: 'scalar' | 'vector';
  label: string | null;
  /** 'ScalarField' | 'VectorField' */
  cls: string;
  /** number of channels it takes (1, or grid dim for vectors) */
  components: number;
}

export interface PypdeLayout extends PackedLayout {
  members: PypdeMember[];
  /** video width = grid axis 0 (x), height = grid axis 1 (y; 1 for 1-axis grids); channels and bits of `format` */
  width: number;
  height: number;
  nx: number;
  ny: number;
  axes: 1 | 2;
  /** the data is flipped along x / y so that the grid coordinates increase */
  flipX: boolean;
  flipY: boolean;
  /** grid state object (py-pde `grid.state` + class) */
  grid: Record<string, unknown>;
  gridDim: number;
  format: PypdeVideoFormat;
  components: number;
}

/** Grid dimension of a py-pde grid class (number of vector components). */
export function gridDim(grid: Record<string, unknown>): number {
  switch (grid.class) {
    case 'PolarSymGrid':
      return 2;
    case 'SphericalSymGrid':
    case 'CylindricalSymGrid':
      return 3;
    default:
      return Array.isArray(grid.shape) ? grid.shape.length : 1;
  }
}

/** Half-cell bounds of an axis from the cell-centre scale: [lo, hi] increasing, and whether to flip. */
function axisBounds(scale: Scale | undefined, n: number): { lo: number; hi: number; flip: boolean } {
  if (!scale || !Number.isFinite(scale.slope) || scale.slope === 0 || !Number.isFinite(scale.offset)) return { lo: 0, hi: n, flip: false };
  const first = scale.offset;
  const last = scale.offset + (n - 1) * scale.slope;
  const step = Math.abs(scale.slope);
  const lo = Math.min(first, last) - step / 2;
  return { lo, hi: lo + n * step, flip: scale.slope < 0 };
}

/**
 * The grid a py-pde source stored, when the reader exposes it (`metadata.grid.state`, or py-pde's raw
 * `field_attributes`) and the field shape matches: keeps PolarSymGrid/periodicity exactly. Else null.
 */
export function sourceGrid(source: FrameSource, nx: number, ny: number, axes: number): Record<string, unknown> | null {
  if (source.format !== 'pypde') return null;
  const md = source.metadata as Record<string, unknown>;
  const parse = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return undefined;
    }
  };
  let g: unknown = (md.grid as Record<string, unknown> | undefined)?.state;
  const fa = md.field_attributes as Record<string, unknown> | undefined;
  if (!g && fa && typeof fa === 'object') {
    g = parse(fa.grid);
    if (!g) {
      const members = parse(fa.fields);
      if (Array.isArray(members) && members.length) g = parse((members[0] as Record<string, unknown>).grid);
    }
  }
  if (!g || typeof g !== 'object' || typeof (g as Record<string, unknown>).class !== 'string') return null;
  const grid = g as Record<string, unknown>;
  const shape = grid.shape;
  if (!Array.isArray(shape) || shape.length !== axes || shape[0] !== nx || (axes === 2 && shape[1] !== ny)) return null;
  const floats = (v: unknown): unknown => (typeof v === 'number' ? pyFloat(v) : Array.isArray(v) ? v.map(floats) : v);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(grid)) if (k !== 'class') out[k] = k === 'bounds' || k === 'radius' || k === 'bounds_z' ? floats(v) : v;
  out.class = grid.class;
  return out;
}

/** Plan how the selected fields become channels (§2). `first` is the first exported frame. */
export function planLayout(source: FrameSource, fields: FieldInfo[], first: Frame, bits: number): PypdeLayout {
  let shape: number[] | null = null;
  let ref: FieldData | null = null;
  for (const f of fields) {
    const d = first.fields[f.name];
    if (!d) throw new ExportError(T, `field “${f.name}” is missing in frame ${first.info.number}`);
    if (d.kind === 'rgb') throw new ExportError(T, `field “${f.name}” is an RGB image; py-pde stores scalar and vector fields`);
    if (d.shape.length > 2) throw new ExportError(T, `field “${f.name}” has ${d.shape.length} axes; py-pde movies store 1- or 2-axis grids only`);
    if (shape && (shape.length !== d.shape.length || shape.some((x, i) => x !== d.shape[i])))
      throw new ExportError(T, `fields must share one grid: “${f.name}” is ${d.shape.join('×')}, “${fields[0].name}” is ${shape.join('×')}`);
    shape = d.shape;
    ref ??= d;
  }
  const axes = shape!.length as 1 | 2;
  const nx = shape![axes - 1];
  const ny = axes === 2 ? shape![0] : 1;
  let grid = sourceGrid(source, nx, ny, axes);
  let flipX = false;
  let flipY = false;
  if (!grid) {
    const bx = axisBounds(ref!.scales?.x, nx);
    flipX = bx.flip;
    const bounds: unknown[] = [[pyFloat(bx.lo), pyFloat(bx.hi)]];
    if (axes === 2) {
      const by = axisBounds(ref!.scales?.y, ny);
      flipY = by.flip;
      bounds.push([pyFloat(by.lo), pyFloat(by.hi)]);
    }
    grid = { bounds, shape: axes === 2 ? [nx, ny] : [nx], periodic: axes === 2 ? [false, false] : [false], class: 'CartesianGrid' };
  }
  const dim = gridDim(grid);
  const members: PypdeMember[] = fields.map((f) => {
    const d = first.fields[f.name];
    if (d.kind === 'vector') {
      const comps = [d.u, d.v, d.w].slice(0, dim);
      if (comps.some((c) => !c)) throw new ExportError(T, `vector field “${f.name}” lacks a component for a ${dim}-dimensional grid`);
      if (dim < 3 && d.w)
        throw new ExportError(T, `vector field “${f.name}” has a w component, but the grid is ${dim}-dimensional; export its components as scalars instead`);
      return { field: f.name, kind: 'vector', label: labelOf(source, f.name), cls: 'VectorField', components: dim };
    }
    return { field: f.name, kind: 'scalar', label: labelOf(source, f.name), cls: 'ScalarField', components: 1 };
  });
  const components = members.reduce((a, m) => a + m.components, 0);
  const format = chooseVideoFormat(components, bits);
  return { members, width: nx, height: ny, channels: format.channels, bits: format.bits, nx, ny, axes, flipX, flipY, grid, gridDim: dim, format, components };
}

/** py-pde labels: our py-pde reader names unlabelled members `field{k}`. */
function labelOf(source: FrameSource, name: string): string | null {
  if (source.format === 'pypde' && /^field\d+$/.test(name)) return null;
  return name;
}

/** Component arrays of a member in channel order. */
function componentsOf(d: FieldData, m: PypdeMember): ArrayLike<number>[] {
  if (m.kind === 'vector') return [d.u!, d.v!, d.w!].slice(0, m.components);
  return [d.values!];
}

/** Quantise one value like py-pde: clip to [a, b], normalise, times M, truncate. NaN → 0. */
export function quantise(v: number, a: number, b: number, M: number): number {
  if (!(v === v)) return 0;
  if (b === a) return 0;
  const c = v < a ? a : v > b ? b : v;
  const q = Math.floor(((c - a) / (b - a)) * M);
  return q < 0 ? 0 : q > M ? M : q;
}

/**
 * The raw frame exactly as py-pde pipes it (§2.4): samples [x][y][k] in C order (y fastest),
 * uint8 or little-endian uint16, Cfmt channels (unused ones 0), the layout unpack.ts reads back.
 * Masked cells are written as 0. The reader's `dequantise` inverts `quantise` to one step.
 */
export function packFrame(frame: Frame, layout: PypdeLayout, limits: [number, number][]): Uint8Array {
  const { width: W, height: H, nx, format } = layout;
  const C = format.channels;
  const M = format.max;
  const samples = W * H * C;
  const out = new Uint8Array(rawFrameSize(layout));
  const u16 = format.bits === 16 ? new Uint16Array(samples) : null;
  let k = 0;
  layout.members.forEach((m, mi) => {
    const d = frame.fields[m.field];
    if (!d) throw new ExportError(T, `field “${m.field}” is missing in frame ${frame.info.number}`);
    const need = layout.axes === 2 ? [layout.ny, layout.nx] : [layout.nx];
    if (d.shape.length !== need.length || d.shape.some((x, i) => x !== need[i]))
      throw new ExportError(T, `field “${m.field}” changes shape in frame ${frame.info.number} (${d.shape.join('×')}, expected ${need.join('×')})`);
    const [a, b] = limits[mi];
    const mask = d.mask;
    for (const comp of componentsOf(d, m)) {
      for (let x = 0; x < W; x++) {
        const sx = layout.flipX ? W - 1 - x : x;
        for (let y = 0; y < H; y++) {
          const sy = layout.flipY ? H - 1 - y : y;
          const si = sy * nx + sx;
          const q = mask?.[si] ? 0 : quantise(comp[si], a, b, M);
          const di = (x * H + y) * C + k;
          if (u16) u16[di] = q;
          else out[di] = q;
        }
      }
      k++;
    }
  });
  if (u16) {
    for (let i = 0; i < samples; i++) {
      out[2 * i] = u16[i] & 0xff;
      out[2 * i + 1] = u16[i] >>> 8;
    }
  }
  return out;
}

/** JSON text of py-pde's `field_attributes` (§5.4, double-encoded). */
export function fieldAttributes(layout: PypdeLayout): Record<string, string> {
  const single = (m: PypdeMember) => ({
    class: pyJson(m.cls),
    grid: pyJson(layout.grid),
    label: pyJson(m.label),
    dtype: pyJson('<f8'),
  });
  if (layout.members.length === 1) return single(layout.members[0]);
  return {
    class: pyJson('FieldCollection'),
    label: pyJson(null),
    dtype: pyJson('<f8'),
    fields: pyJson(layout.members.map(single)),
  };
}

/** Evenly spaced times: their dt and t_start, else null. */
export function uniformTimes(times: number[]): { dt: number; t0: number } | null {
  if (times.length < 2) return times.length === 1 ? { dt: 1, t0: times[0] } : null;
  const dt = (times[times.length - 1] - times[0]) / (times.length - 1);
  if (!(dt > 0)) return null;
  for (let i = 0; i < times.length; i++) if (Math.abs(times[i] - (times[0] + i * dt)) > 1e-9 * Math.max(1, Math.abs(dt) * times.length)) return null;
  return { dt, t0: times[0] };
}

/**
 * The metadata py-pde expects (§5.1), in its key order: user info, dt/t_start (when the times are
 * uniform), field_attributes, video_format, version, vmin, vmax, write_times. Returns the JSON text.
 */
export function commentJson(layout: PypdeLayout, limits: [number, number][], times: number[], info: Record<string, unknown>, writeTimes: boolean): string {
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info)) {
    if (['version', 'vmin', 'vmax', 'write_times', 'video_format', 'field_attributes', 'dt', 't_start'].includes(k)) continue;
    meta[k] = v;
  }
  const u = uniformTimes(times);
  if (u) {
    meta.dt = pyFloat(u.dt);
    meta.t_start = pyFloat(u.t0);
  }
  meta.field_attributes = fieldAttributes(layout);
  meta.video_format = layout.format.key;
  meta.version = 1;
  const lim = (i: 0 | 1) => (limits.length === 1 ? pyFloat(limits[0][i]) : limits.map((l) => pyFloat(l[i])));
  meta.vmin = lim(0);
  meta.vmax = lim(1);
  meta.write_times = writeTimes;
  return pyJson(meta);
}

/** The stored `comment` tag value: the JSON shell-quoted, as py-pde passes it to ffmpeg (§5.1 step 4). */
export function commentTag(json: string): string {
  return shlexQuote(json);
}

/** The `.times` side-car: one Python `str(float)` per line. */
export function timesText(times: number[]): string {
  return times.map((t) => pyFloatRepr(t) + '\n').join('');
}
