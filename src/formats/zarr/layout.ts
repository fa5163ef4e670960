/**
 * From Zarr v2 metadata (consolidated or per array) to framescope's fields and frame table.
 * Understands the layout the hdf5/zarr targets write (framescope_field/part/kind attributes) and,
 * without those, any xarray-style store: variables over (time, …) become scalar fields, `<v>_mask`
 * bool variables their masks, and 1-D dimension coordinates their scales.
 */
import { FormatError } from '../errors';
import type { FieldKind, Scale } from '../types';
import { FORMAT } from './store';

export interface ArrMeta {
  name: string;
  shape: number[];
  dtype: string;
  dims: string[];
  attrs: Record<string, unknown>;
}

export type Part = 'values' | 'u' | 'v' | 'w' | 'mask';

export interface FieldLayout {
  name: string;
  kind: FieldKind;
  shape: number[];
  unit: string;
  parts: Partial<Record<Part, ArrMeta>>;
  axes: { x?: string; y?: string; z?: string };
}

export function readMetadata(where: string, keys: string[], docs: Map<string, unknown>): { arrays: ArrMeta[]; attrs: Record<string, unknown> } {
  const arrays: ArrMeta[] = [];
  for (const k of keys) {
    if (!k.endsWith('.zarray')) continue;
    const name = k.slice(0, -'/.zarray'.length);
    if (!name || name.includes('/')) continue;
    const m = docs.get(k) as Record<string, unknown> | undefined;
    if (m?.zarr_format !== 2 || !Array.isArray(m.shape) || typeof m.dtype !== 'string')
      throw new FormatError(FORMAT, `${where}/${k}`, 'not a Zarr v2 array description (zarr_format 2, shape, dtype)');
    const attrs = (docs.get(`${name}/.zattrs`) as Record<string, unknown> | undefined) ?? {};
    const shape = (m.shape as unknown[]).map(Number);
    if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw new FormatError(FORMAT, `${where}/${k}`, `bad shape ${JSON.stringify(m.shape)}`);
    const dims = Array.isArray(attrs._ARRAY_DIMENSIONS) ? (attrs._ARRAY_DIMENSIONS as unknown[]).map(String) : shape.map((_, i) => `dim_${i}`);
    if (dims.length !== shape.length)
      throw new FormatError(FORMAT, `${where}/${name}/.zattrs`, `_ARRAY_DIMENSIONS names ${dims.length} dimensions for a ${shape.length}-D array`);
    arrays.push({ name, shape, dtype: m.dtype, dims, attrs });
  }
  if (!arrays.length) throw new FormatError(FORMAT, where, 'the store holds no arrays');
  return { arrays, attrs: (docs.get('.zattrs') as Record<string, unknown> | undefined) ?? {} };
}

/** The frame dimension: `time` where present, else the leading dimension of the highest-rank array. */
export function frameDim(arrays: ArrMeta[]): string {
  if (arrays.some((a) => a.dims[0] === 'time' && a.dims.length >= 2)) return 'time';
  const top = [...arrays].sort((a, b) => b.shape.length - a.shape.length)[0];
  return top.dims[0];
}

export function fieldLayouts(where: string, arrays: ArrMeta[], tdim: string): FieldLayout[] {
  const byField = new Map<string, FieldLayout>();
  const order: string[] = [];
  for (const a of arrays) {
    if (a.dims[0] !== tdim || a.dims.length < 2) continue;
    let field = typeof a.attrs.framescope_field === 'string' ? a.attrs.framescope_field : a.name;
    let part = (typeof a.attrs.framescope_part === 'string' ? a.attrs.framescope_part : 'values') as Part;
    if (a.attrs.framescope_field === undefined && a.attrs.dtype === 'bool' && a.name.endsWith('_mask')) {
      field = a.name.slice(0, -5);
      part = 'mask';
    }
    if (!['values', 'u', 'v', 'w', 'mask'].includes(part)) throw new FormatError(FORMAT, `${where}/${a.name}`, `unknown framescope_part “${part}”`);
    let f = byField.get(field);
    if (!f) {
      f = { name: field, kind: 'scalar', shape: [], unit: '', parts: {}, axes: {} };
      byField.set(field, f);
      order.push(field);
    }
    if (f.parts[part]) throw new FormatError(FORMAT, `${where}/${a.name}`, `two arrays are the ${part} of field “${field}”`);
    f.parts[part] = a;
  }
  const out: FieldLayout[] = [];
  for (const name of order) {
    const f = byField.get(name)!;
    const main = f.parts.values ?? f.parts.u;
    if (!main) continue; // a mask without its field
    const declared = main.attrs.framescope_kind;
    const rgb =
      declared === 'rgb' ||
      (declared === undefined && main.dtype === '|u1' && main.dims[main.dims.length - 1] === 'channel' && main.shape[main.shape.length - 1] === 3);
    f.kind = f.parts.u ? 'vector' : rgb ? 'rgb' : 'scalar';
    if (f.kind === 'vector' && !f.parts.v) throw new FormatError(FORMAT, `${where}/${f.parts.u!.name}`, `vector field “${name}” has a u but no v array`);
    f.shape = main.shape.slice(1);
    for (const p of Object.values(f.parts)) {
      const cell = p!.shape.slice(1);
      const want = f.kind === 'rgb' && p!.name !== main.name ? f.shape.slice(0, -1) : f.shape;
      if (cell.join('x') !== want.join('x'))
        throw new FormatError(FORMAT, `${where}/${p!.name}`, `shape ${p!.shape.join('×')} does not match ${main.name}'s ${main.shape.join('×')}`);
    }
    f.unit = typeof main.attrs.units === 'string' ? main.attrs.units : '';
    const space = (f.kind === 'rgb' ? main.dims.slice(1, -1) : main.dims.slice(1)).slice(-3);
    const axes = (['z', 'y', 'x'] as const).slice(3 - space.length);
    axes.forEach((ax, i) => (f.axes[ax] = space[i]));
    out.push(f);
  }
  return out;
}

/** A scale from a coordinate array: linear when evenly spaced (else explicit coords are returned too). */
export function scaleOf(values: Float64Array | null, attrs: Record<string, unknown>, n: number): { scale: Scale; coords?: Float64Array; pixel: boolean } {
  const unit = typeof attrs.units === 'string' ? attrs.units : '';
  const desc = typeof attrs.long_name === 'string' ? attrs.long_name : '';
  if (!values || values.length !== n || !values.every(Number.isFinite)) return { scale: { slope: 1, offset: 0, unit: '', description: '' }, pixel: true };
  const slope = n > 1 ? values[1] - values[0] : 1;
  const offset = n ? values[0] : 0;
  let linear = slope !== 0;
  for (let i = 0; i < n && linear; i++) if (Math.abs(values[i] - (offset + i * slope)) > 1e-9 * Math.max(1, Math.abs(values[i]))) linear = false;
  const pixel = linear && slope === 1 && offset === 0 && (unit === '1' || unit === '') && /index/.test(desc);
  if (pixel) return { scale: { slope: 1, offset: 0, unit: '', description: '' }, pixel: true };
  return {
    scale: { slope: linear ? slope : 1, offset: linear ? offset : 0, unit: unit === '1' ? '' : unit, description: desc },
    coords: linear ? undefined : Float64Array.from(values),
    pixel: false,
  };
}
