/**
 * The netCDF/CF data model shared by the `hdf5` and `zarr` targets, and the driver that streams a
 * FrameSource into it frame by frame.
 *
 * Layout (the same in both containers):
 * - dimension `time` (one entry per exported frame) with coordinate variables `time` (float64: the
 *   frame time in the source's time unit, or the frame number when the source has no times:
 *   attribute `framescope_time` = "number"), `frame_number` (int64) and `frame_index` (int32);
 * - spatial dimensions `x`, `y`(, `z`) with cell-centre coordinates (units and long_name from the
 *   field's scales; pixel indices when it has none); a field on another grid gets `x_<var>`, …;
 *   rgb fields a `channel` dimension (0, 1, 2 = R, G, B);
 * - per field: scalar `<name>(time, [z,] [y,] x)` in its own dtype, vector `<name>_u`, `<name>_v`(,
 *   `<name>_w`) float32, and `<name>_mask` int8 (1 = invalid; attribute dtype="bool" so xarray decodes
 *   it as bool) when a frame has a mask — or NaN in float variables (option mask = nan | both);
 * - global attributes: Conventions, title, source, history, the metadata's flat scalars, and the
 *   whole metadata as JSON in `framescope_metadata`.
 * Names with characters netCDF does not allow in a name are replaced by `_`; every data variable
 * carries `framescope_field` / `framescope_part` / `framescope_kind` so a reader rebuilds the fields.
 */
import { ExportError } from '../core/errors';
import type { FieldData, FieldInfo, Frame, FrameSource, Scale } from '../core/types';
import type { CubeOptions } from './hdf5-options';
import { eachFrame, resolveFields, resolveFrames, sameShape, type ExportControl, type ExportJob } from './job';

export type CubeDtype = 'f4' | 'f8' | 'u1' | 'u2' | 'i1' | 'i4' | 'i8';
export type CubeArray = Float32Array | Float64Array | Uint8Array | Uint16Array | Int8Array | Int32Array | BigInt64Array;
export type AttrValue = string | number | number[];
export type Attrs = Record<string, AttrValue>;

/** A variable without the time dimension (coordinates). */
export interface CubeCoord {
  name: string;
  dims: string[];
  dtype: CubeDtype;
  data: CubeArray;
  attrs: Attrs;
  /** a dimension coordinate (its own name is its only dimension) */
  dimension: boolean;
}

/** A variable over (time, …cell dims): one chunk per frame. */
export interface CubeVar {
  name: string;
  dims: string[];
  /** full shape, frames first */
  shape: number[];
  dtype: CubeDtype;
  attrs: Attrs;
  field: string;
  part: 'values' | 'u' | 'v' | 'w' | 'mask';
}

/** Where a cube goes: the HDF5 file or the Zarr store. */
export interface CubeSink {
  coord(c: CubeCoord): void | Promise<void>;
  variable(v: CubeVar): void | Promise<void>;
  /** one frame (chunk k along time) of a variable */
  write(v: CubeVar, k: number, data: CubeArray): void | Promise<void>;
  globals(attrs: Attrs): void | Promise<void>;
  /** told once, after the first frame, how many bytes of values the whole export holds (uncompressed) */
  reserve?(bytes: number): void;
}

export const CTOR: Record<CubeDtype, { new (n: number): CubeArray }> = {
  f4: Float32Array,
  f8: Float64Array,
  u1: Uint8Array,
  u2: Uint16Array,
  i1: Int8Array,
  i4: Int32Array,
  i8: BigInt64Array,
};

export function dtypeOf(a: unknown): CubeDtype {
  if (a instanceof Float64Array) return 'f8';
  if (a instanceof Uint8Array) return 'u1';
  if (a instanceof Uint16Array) return 'u2';
  return 'f4';
}

/** A netCDF-safe name (letters, digits, _ . - +, not starting with a digit or _). */
export function safeName(s: string): string {
  let n = s.replace(/[^A-Za-z0-9_.+-]+/g, '_').replace(/^_+|_+$/g, '');
  if (!n) n = 'field';
  if (!/^[A-Za-z]/.test(n)) n = `v${n}`;
  return n;
}

interface FieldPlan {
  info: FieldInfo;
  base: string;
  kind: FieldData['kind'];
  shape: number[];
  cells: number;
  comps: ('values' | 'u' | 'v' | 'w')[];
  vars: CubeVar[];
  mask: CubeVar | null;
  maskDims: string[];
}

function axisValues(
  scale: Scale | undefined,
  coords: Float64Array | undefined,
  n: number,
): { data: Float64Array; unit: string; long: string; physical: boolean } {
  if (coords && coords.length === n) return { data: Float64Array.from(coords), unit: scale?.unit ?? '', long: scale?.description ?? '', physical: true };
  if (scale && Number.isFinite(scale.slope) && Number.isFinite(scale.offset) && scale.slope !== 0)
    return { data: Float64Array.from({ length: n }, (_, i) => scale.offset + i * scale.slope), unit: scale.unit, long: scale.description, physical: true };
  return { data: Float64Array.from({ length: n }, (_, i) => i), unit: '1', long: '', physical: false };
}

function jsonSafe(v: unknown): string {
  // a plain copy: cycles cut (only an object inside itself is dropped; a value shared by two keys stays)
  const ancestors = new Set<object>();
  const copy = (x: unknown): unknown => {
    if (typeof x === 'bigint') return Number(x);
    if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return Array.from(x as unknown as ArrayLike<number>, Number);
    if (!x || typeof x !== 'object') return x;
    if (ancestors.has(x)) return undefined;
    ancestors.add(x);
    try {
      if (Array.isArray(x)) return x.map((e) => copy(e) ?? null);
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(x)) {
        const c = copy(e);
        if (c !== undefined) out[k] = c;
      }
      return out;
    } finally {
      ancestors.delete(x);
    }
  };
  return JSON.stringify(copy(v)) ?? 'null';
}

const RESERVED = new Set([
  'Conventions',
  'title',
  'source',
  'history',
  'framescope_metadata',
  'framescope_format',
  'framescope_time_unit',
  'DIMENSION_LIST',
  'REFERENCE_LIST',
  'CLASS',
  'NAME',
]);

/** Global attributes: CF's, the metadata's top-level scalars, the whole metadata as JSON. */
export function globalAttrs(source: FrameSource, opts: CubeOptions): Attrs {
  const a: Attrs = {
    Conventions: 'CF-1.8',
    title: source.name,
    source: `${source.format} dataset read by framescope`,
    history: `${new Date().toISOString()} exported by framescope`,
    framescope_format: source.format,
  };
  if (source.timeUnit) a.framescope_time_unit = source.timeUnit;
  if (!opts.metadata) return a;
  for (const [k, v] of Object.entries(source.metadata)) {
    const name = safeName(k);
    if (RESERVED.has(name) || name in a) continue;
    if (typeof v === 'string' && v.length <= 4096) a[name] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) a[name] = v;
    else if (typeof v === 'boolean') a[name] = v ? 1 : 0;
  }
  a.framescope_metadata = jsonSafe(source.metadata);
  return a;
}

/**
 * Stream the job's frames into a sink. The plan (dimensions, coordinates, variables) comes from the
 * first frame; every later frame must match its shapes. A mask variable appears when the first mask
 * of a field appears (earlier frames read as the fill value 0 = valid).
 */
export async function writeCube(
  source: FrameSource,
  job: ExportJob,
  ctl: ExportControl | undefined,
  opts: CubeOptions,
  sink: CubeSink,
): Promise<{ frames: number; variables: string[] }> {
  const T = job.target;
  const frames = resolveFrames(source, job);
  const fields = resolveFields(source, job, ['scalar', 'vector', 'rgb']);
  const nf = frames.length;
  const infos = frames.map((i) => source.frames[i]);
  const hasTime = infos.some((f) => f.time !== null && Number.isFinite(f.time));
  const used = new Set<string>(['time', 'frame_number', 'frame_index']);
  const unique = (n: string): string => {
    let name = n;
    for (let k = 2; used.has(name); k++) name = `${n}_${k}`;
    used.add(name);
    return name;
  };

  await sink.globals(globalAttrs(source, opts));
  const timeAttrs: Attrs = hasTime
    ? { standard_name: 'time', long_name: 'frame time', axis: 'T' }
    : { long_name: 'frame number (the source has no frame times)', framescope_time: 'number' };
  if (hasTime && source.timeUnit) timeAttrs.units = source.timeUnit;
  if (!hasTime) timeAttrs.units = '1';
  await sink.coord({
    name: 'time',
    dims: ['time'],
    dtype: 'f8',
    data: Float64Array.from(infos, (f) => (hasTime ? (f.time ?? NaN) : f.number)),
    attrs: timeAttrs,
    dimension: true,
  });
  await sink.coord({
    name: 'frame_number',
    dims: ['time'],
    dtype: 'i8',
    data: BigInt64Array.from(infos, (f) => BigInt(Math.trunc(f.number))),
    attrs: { long_name: 'frame number in the source' },
    dimension: false,
  });
  await sink.coord({
    name: 'frame_index',
    dims: ['time'],
    dtype: 'i4',
    data: Int32Array.from(infos, (f) => f.index),
    attrs: { long_name: 'frame index in the source' },
    dimension: false,
  });

  const axisDims = new Map<string, string>();
  let rgbDim = false;
  const plans: FieldPlan[] = [];

  /** one dimension per distinct axis (name, length, unit, coordinates), shared by all fields on it */
  const gridFor = async (d: FieldData, base: string): Promise<string[]> => {
    const cell = d.kind === 'rgb' ? d.shape.slice(0, -1) : d.shape;
    const n = cell.length;
    const axes = (['z', 'y', 'x'] as const).slice(3 - n);
    const dims: string[] = [];
    for (let i = 0; i < n; i++) {
      const ax = axes[i];
      const v = axisValues(d.scales?.[ax], d.coords?.[ax], cell[i]);
      const key = JSON.stringify([ax, cell[i], v.unit, v.long, Array.from(v.data)]);
      let name = axisDims.get(key);
      if (!name) {
        name = unique(used.has(ax) ? `${ax}_${base}` : ax);
        axisDims.set(key, name);
        const attrs: Attrs = { long_name: v.long || (v.physical ? `${ax} position` : `${ax} index (cell)`), axis: ax.toUpperCase() };
        if (v.unit) attrs.units = v.unit;
        await sink.coord({ name, dims: [name], dtype: 'f8', data: v.data, attrs, dimension: true });
      }
      dims.push(name);
    }
    return dims;
  };

  const plan = async (frame: Frame): Promise<void> => {
    for (const fi of fields) {
      const d = frame.fields[fi.name];
      if (!d) throw new ExportError(T, `field “${fi.name}” is missing in frame ${frame.info.number} (index ${frame.info.index})`);
      const base = safeName(fi.name);
      let dims = await gridFor(d, base);
      const cell = d.kind === 'rgb' ? d.shape.slice(0, -1) : d.shape;
      const cells = cell.reduce((a, b) => a * b, 1);
      const maskDims = ['time', ...dims];
      if (d.kind === 'rgb') {
        if (!rgbDim) {
          used.add('channel');
          await sink.coord({
            name: 'channel',
            dims: ['channel'],
            dtype: 'i1',
            data: Int8Array.from([0, 1, 2]),
            attrs: { long_name: 'colour channel (0 = red, 1 = green, 2 = blue)' },
            dimension: true,
          });
          rgbDim = true;
        }
        dims = [...dims, 'channel'];
      }
      const comps: FieldPlan['comps'] = d.kind === 'vector' ? (d.w ? ['u', 'v', 'w'] : ['u', 'v']) : ['values'];
      const dtype: CubeDtype = d.kind === 'vector' ? 'f4' : d.kind === 'rgb' ? 'u1' : dtypeOf(d.values);
      const vars = comps.map((part): CubeVar => {
        const attrs: Attrs = {
          long_name: part === 'values' ? fi.name : `${fi.name} ${part} component`,
          framescope_field: fi.name,
          framescope_part: part,
          framescope_kind: d.kind,
          coordinates: 'frame_number frame_index',
        };
        if (fi.unit) attrs.units = fi.unit;
        return {
          name: unique(part === 'values' ? base : `${base}_${part}`),
          dims: ['time', ...dims],
          shape: [nf, ...(d.kind === 'rgb' ? d.shape : cell)],
          dtype,
          attrs,
          field: fi.name,
          part,
        };
      });
      for (const v of vars) await sink.variable(v);
      plans.push({ info: fi, base, kind: d.kind, shape: d.shape.slice(), cells, comps, vars, mask: null, maskDims });
    }
  };

  /** the field's mask variable; created at the first mask, with explicit all-valid frames before it */
  const maskVar = async (p: FieldPlan, k: number): Promise<CubeVar> => {
    if (p.mask) return p.mask;
    const v: CubeVar = {
      name: unique(`${p.base}_mask`),
      dims: p.maskDims,
      shape: [nf, ...(p.kind === 'rgb' ? p.shape.slice(0, -1) : p.shape)],
      dtype: 'i1',
      attrs: {
        long_name: `mask of ${p.info.name} (1 = invalid)`,
        dtype: 'bool',
        flag_values: [0, 1],
        flag_meanings: 'valid invalid',
        framescope_field: p.info.name,
        framescope_part: 'mask',
        framescope_kind: p.kind,
        coordinates: 'frame_number frame_index',
      },
      field: p.info.name,
      part: 'mask',
    };
    await sink.variable(v);
    p.mask = v;
    const zero = new Int8Array(p.cells);
    for (let j = 0; j < k; j++) await sink.write(v, j, zero);
    return v;
  };

  await eachFrame(source, frames, ctl, async (frame, k) => {
    if (k === 0) {
      await plan(frame);
      const SIZE: Record<CubeDtype, number> = { f4: 4, f8: 8, u1: 1, u2: 2, i1: 1, i4: 4, i8: 8 };
      let bytes = 0;
      for (const p of plans)
        for (const v of [...p.vars, ...(frame.fields[p.info.name]?.mask ? [{ shape: [nf, p.cells], dtype: 'i1' as const }] : [])])
          bytes += v.shape.reduce((a, b) => a * b, 1) * SIZE[v.dtype];
      sink.reserve?.(bytes);
    }
    for (const p of plans) {
      const d = frame.fields[p.info.name];
      if (!d) throw new ExportError(T, `field “${p.info.name}” is missing in frame ${frame.info.number} (index ${frame.info.index})`);
      if (d.kind !== p.kind || !sameShape(d.shape, p.shape))
        throw new ExportError(
          T,
          `field “${p.info.name}” changes from ${p.kind} ${p.shape.join('×')} to ${d.kind} ${d.shape.join('×')} in frame ${frame.info.number}; export those frames separately`,
        );
      const mask = d.mask;
      if (mask && mask.length !== p.cells)
        throw new ExportError(T, `mask of “${p.info.name}” has ${mask.length} cells in frame ${frame.info.number}, expected ${p.cells}`);
      const nanMask = mask && opts.mask !== 'variable';
      for (let c = 0; c < p.comps.length; c++) {
        const part = p.comps[c];
        const v = p.vars[c];
        const src = part === 'values' ? d.values : d[part];
        const per = p.kind === 'rgb' ? p.cells * 3 : p.cells;
        if (!src || src.length !== per)
          throw new ExportError(T, `field “${p.info.name}” has ${src?.length ?? 0} ${part} values in frame ${frame.info.number}, expected ${per}`);
        let data: CubeArray;
        if (v.dtype === 'f4' && !(src instanceof Float32Array)) data = Float32Array.from(src as ArrayLike<number>);
        else data = src as CubeArray;
        if (nanMask && (v.dtype === 'f4' || v.dtype === 'f8')) {
          data = data === src ? (data.slice() as CubeArray) : data;
          const f = data as Float32Array | Float64Array;
          for (let i = 0; i < p.cells; i++) if (mask![i]) f[i] = NaN;
        }
        await sink.write(v, k, data);
      }
      const floatOnly = p.vars.every((v) => v.dtype === 'f4' || v.dtype === 'f8');
      if (mask && (opts.mask !== 'nan' || !floatOnly)) {
        const mv = await maskVar(p, k);
        const m = new Int8Array(p.cells);
        for (let i = 0; i < p.cells; i++) m[i] = mask[i] ? 1 : 0;
        await sink.write(mv, k, m);
      }
    }
  });
  return { frames: nf, variables: plans.flatMap((p) => [...p.vars, ...(p.mask ? [p.mask] : [])].map((v) => v.name)) };
}
