/**
 * Writing PhiFlow grid files (`<field>_<frame>.npz`, shared/formats/phiflow-scene.md §3): the nine
 * members PhiFlow's `write_single_field` stores, in its order, with its dtypes, and object members
 * pickled so that numpy 1.x and 2.x unpickle them (pickle-write.ts).
 *
 * Two ways in:
 * - `sourceGridLayout` + `gatherGrid`: a field that came from a PhiFlow scene (our reader's
 *   metadata says how it was stored) is written back as it was: the same field type, dims, item
 *   names, bounds and extrapolation, and the same dim order except that spatial dims take their
 *   slots in x, y, z order (PhiFlow 2.0 files stored y first; PhiFlow 3 refuses a StaggeredGrid
 *   whose vector order differs from its box's). The values come from the viewer fields the reader
 *   made of it (planFields, inverted): a CenteredGrid from `name` (scalar or vector) or its
 *   components `name/<item>`; a StaggeredGrid from its faces `name/x`, `name/y`(, `name/z`) (the
 *   cell-centred `name` is derived and not needed); inner batch dims from `name[member=i]`;
 *   complex data from `…/re` and `…/im`. A StaggeredGrid is stored like `staggered_tensor()`: every
 *   spatial axis resolution + 1 long, the faces the extrapolation determines (constant: both
 *   boundary faces, periodic: the upper one) and the extra cell along the other axes are padding,
 *   filled with what the extrapolation gives there (constant value; periodic wrap; zero-gradient
 *   and the symmetric kinds the edge value, antisymmetric its negative) — PhiFlow slices padding
 *   away on reading, so its value never matters for the result.
 * - `centeredGridMembers`: any scalar/vector FieldData (DaVis, py-pde, …) as a CenteredGrid.
 */
import { encodeNpy } from '../../codecs/npy';
import { tuple, type NdArrayValue } from '../../codecs/pickle';
import { encodeObjectNpy, scalarArray } from '../../codecs/pickle-write';
import type { FieldData, Scale } from '../types';
import { parseExtrapolation, type Side } from './extrapolation';
import { dataView, faceRanges, fixedOffset, planFields, type DataView3, type FieldPlan, type GridDim, type GridFile } from './grid';
import { isDict, num, numberList, own, put, str, strList, type Dict } from './values';

const AXES = ['x', 'y', 'z'] as const;

/** How one grid file is laid out (everything but the values). */
export interface GridLayout {
  fieldType: 'CenteredGrid' | 'StaggeredGrid';
  /** storage order; spatial sizes are the resolution (+ 1 for a StaggeredGrid) */
  dims: GridDim[];
  /** spatial dim names in the order `lower`/`upper` are given and `bounds_item_names` is written */
  spatial: string[];
  lower: number[];
  upper: number[];
  /** pickle-ready extrapolation dict (PhiML `Extrapolation.to_dict()`) */
  extrapolation: unknown;
  /** '<f4', '<f8', '<c8' or '<c16' */
  dtype: string;
}

export class GridWriteError extends Error {}

function bad(why: string): never {
  throw new GridWriteError(why);
}

/** The nine members of one grid file, in PhiFlow's order. `data` is C order over `layout.dims`. */
export function gridMembers(layout: GridLayout, data: Float32Array | Float64Array): Record<string, Uint8Array> {
  const nd = layout.spatial.length;
  return {
    dim_names: encodeNpy({ shape: [layout.dims.length], data: layout.dims.map((d) => d.name) }),
    dim_types: encodeNpy({ shape: [layout.dims.length], data: layout.dims.map((d) => d.type) }),
    dim_item_names: encodeObjectNpy(
      layout.dims.map((d) => (d.items ? tuple(...d.items) : null)),
      [layout.dims.length],
      3,
    ),
    field_type: encodeNpy({ shape: [], data: [layout.fieldType] }),
    lower: encodeNpy({ shape: [nd], data: Float64Array.from(layout.lower) }),
    upper: encodeNpy({ shape: [nd], data: Float64Array.from(layout.upper) }),
    bounds_item_names: encodeNpy({ shape: [nd], data: layout.spatial.slice() }),
    extrapolation: encodeObjectNpy([layout.extrapolation], [], 3),
    data: encodeNpy({ shape: layout.dims.map((d) => d.size), data, dtype: layout.dtype }),
  };
}

// ---------------------------------------------------------------------------------------------
// extrapolation: from the plain form in our metadata back to what PhiML's from_dict reads

/**
 * Our metadata shows the extrapolation dict as plain JSON (values.ts `plainOf`: a 0-d ndarray
 * became its number, larger ones `{dtype, shape, value}`). This rebuilds the pickle-ready dict:
 * constant values become numpy arrays again (an integer → int64 0-d, as PhiFlow stores ZERO; a
 * fraction → float64), and the legacy `mixed` form's (lower, upper) pairs become tuples.
 */
export function extrapolationFromPlain(plain: unknown, depth = 0): unknown {
  if (depth > 16) bad('extrapolation nests too deeply');
  if (!isDict(plain)) bad('extrapolation is not a dict');
  const type = str(own(plain, 'type'));
  if (type === null) bad('extrapolation has no type');
  const out: Dict = {};
  for (const k of Object.keys(plain)) {
    const v = plain[k];
    if (k === 'value' && type === 'constant') put(out, k, constantValue(v));
    else if (k === 'dims' && isDict(v)) {
      const dims: Dict = {};
      for (const dk of Object.keys(v)) {
        const sub = v[dk];
        put(dims, dk, Array.isArray(sub) ? tuple(...sub.map((s) => extrapolationFromPlain(s, depth + 1))) : extrapolationFromPlain(sub, depth + 1));
      }
      put(out, k, dims);
    } else if (isDict(v) && str(own(v, 'type')) !== null) put(out, k, extrapolationFromPlain(v, depth + 1));
    else put(out, k, v);
  }
  return out;
}

function constantValue(v: unknown): NdArrayValue {
  const n = num(v);
  if (n !== null) return Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER ? scalarArray(n, '<i8') : scalarArray(n, '<f8');
  if (isDict(v)) {
    const shape = own(v, 'shape');
    const values = numberList(own(v, 'value'));
    if (Array.isArray(shape) && shape.every((s) => typeof s === 'number') && values) {
      const count = (shape as number[]).reduce((a, b) => a * b, 1);
      if (values.length === count) return { __ndarray__: true, dtype: '<f8', shape: shape as number[], fortranOrder: false, data: Float64Array.from(values) };
    }
  }
  return bad('constant extrapolation value is not a number or a small array');
}

// ---------------------------------------------------------------------------------------------
// PhiFlow source fields → layouts

/** The per-field entry of our PhiFlow reader's `metadata.fields`. */
interface FieldMeta {
  field_type: unknown;
  extrapolation: unknown;
  bounds: unknown;
  dim_names: unknown;
  dim_types: unknown;
  dim_item_names: unknown;
  dim_sizes: unknown;
  dtype: unknown;
}

/**
 * The layout of source field `field` of a scene opened by our reader (its `metadata.fields`
 * entry), or a GridWriteError saying what is missing.
 */
export function sourceGridLayout(meta: unknown): GridLayout {
  if (!isDict(meta)) bad('no grid description in the metadata');
  const m = meta as unknown as FieldMeta;
  const fieldType = str(m.field_type);
  if (fieldType !== 'CenteredGrid' && fieldType !== 'StaggeredGrid') bad(`field type ${fieldType ?? '?'} is not a grid`);
  const names = strList(m.dim_names);
  const types = strList(m.dim_types);
  const sizes = Array.isArray(m.dim_sizes) && m.dim_sizes.every((s) => Number.isInteger(s) && s > 0) ? (m.dim_sizes as number[]) : null;
  const items = Array.isArray(m.dim_item_names) ? m.dim_item_names.map((x) => strList(x)) : null;
  if (!names || !types || !sizes || !items || types.length !== names.length || sizes.length !== names.length || items.length !== names.length)
    bad('dims of the source grid are not described');
  const b = isDict(m.bounds) ? m.bounds : {};
  const lower = numberList(own(b, 'lower'));
  const upper = numberList(own(b, 'upper'));
  const spatial = strList(own(b, 'names'));
  if (!lower || !upper || !spatial || lower.length !== spatial.length || upper.length !== spatial.length) bad('bounds of the source grid are not described');
  const dtype = str(m.dtype) ?? '<f4';
  const stored: GridDim[] = names.map((name, k) => ({ name, type: types[k], items: items[k], size: sizes[k] }));
  if (!spatial.every((n) => stored.some((d) => d.name === n && d.type === 'spatial'))) bad('bounds name dims that are not spatial dims of the grid');
  // Written the PhiFlow 3 way: the spatial dims take their slots in x, y, z order (PhiFlow 2.0
  // stored y first, and PhiFlow 3 refuses a StaggeredGrid whose vector order differs from the
  // box's), and the vector entries follow the spatial dims by name (the values are gathered by
  // name, so nothing is mixed up; entries of a legacy file without item names pair with the
  // spatial dims in storage order, as PhiFlow pairs them).
  const queue = [...spatial];
  const dims = stored.map((d) => {
    if (d.type !== 'spatial') return { ...d };
    const next = queue.shift();
    return { ...stored.find((s) => s.name === next)! };
  });
  const vd = dims.find((d) => d.name === 'vector' && d.type === 'channel');
  if (vd && vd.size === spatial.length && (!vd.items || (vd.items.length === spatial.length && spatial.every((n) => vd.items!.includes(n)))))
    vd.items = spatial.slice();
  return {
    fieldType,
    dims,
    spatial,
    lower,
    upper,
    extrapolation: extrapolationFromPlain(m.extrapolation),
    dtype: /c16$/.test(dtype) ? '<c16' : /c8$/.test(dtype) ? '<c8' : /f8$/.test(dtype) ? '<f8' : '<f4',
  };
}

/** The GridFile our reader would describe for a file of this layout (to reuse its field plans). */
export function gridOfLayout(layout: GridLayout, path: string): GridFile {
  const staggered = layout.fieldType === 'StaggeredGrid';
  const resolution = layout.spatial.map((n) => {
    const d = layout.dims.find((x) => x.name === n);
    if (!d) bad(`spatial dim ${n} is not among the dims`);
    return staggered ? d.size - 1 : d.size;
  });
  const vectorDim = layout.dims.findIndex((d) => d.name === 'vector' && d.type === 'channel');
  if (staggered && vectorDim < 0) bad('a StaggeredGrid needs a vector dim');
  return {
    path,
    fieldType: layout.fieldType,
    dims: layout.dims,
    spatial: layout.spatial,
    lower: layout.lower,
    upper: layout.upper,
    boundsNames: layout.spatial,
    extrapolation: parseExtrapolation(layout.extrapolation, path),
    dtype: layout.dtype,
    resolution,
    vectorDim,
  };
}

/** The viewer fields our reader makes of a grid of this layout named `field` (in its order). */
export function viewerFieldNames(layout: GridLayout, field: string): string[] {
  return planFields(gridOfLayout(layout, field), field).map((p) => p.name);
}

// ---------------------------------------------------------------------------------------------
// values: viewer fields → the stored array

/** Write a block of an x-fastest array into the storage (inverse of grid.ts extractBlock). */
function scatterBlock(grid: GridFile, v: DataView3, base: number, ranges: [number, number][], from: ArrayLike<number>, dst: Float32Array | Float64Array): void {
  const ax = grid.spatial.map((n) => v.strides[grid.dims.findIndex((d) => d.name === n)]);
  const [sx, sy, sz] = [ax[0], ax[1] ?? 0, ax[2] ?? 0];
  const [[x0, nx], [y0, ny], [z0, nz]] = [ranges[0], ranges[1] ?? [0, 1], ranges[2] ?? [0, 1]];
  const { per, part } = v;
  let o = 0;
  for (let iz = 0; iz < nz; iz++)
    for (let iy = 0; iy < ny; iy++) {
      let s = base + (z0 + iz) * sz + (y0 + iy) * sy + x0 * sx;
      for (let ix = 0; ix < nx; ix++, s += sx) dst[s * per + part] = from[o++];
    }
}

function sideValue(side: Side, comp: number, ncomp: number): number {
  const vals = side.value ?? [0];
  return vals.length === ncomp ? vals[comp] : vals[0];
}

/**
 * Fill the padding entries of staggered component `k` (spatial index; stored at vector entry
 * `comp`) from its stored faces, axis by axis, with the extrapolation's rule for that side.
 */
function padStaggered(grid: GridFile, v: DataView3, base: number, k: number, comp: number, dst: Float32Array | Float64Array): void {
  const nsp = grid.spatial.length;
  const ranges = faceRanges(grid, k);
  const sizes = grid.resolution.map((n) => n + 1);
  const strides = grid.spatial.map((n) => v.strides[grid.dims.findIndex((d) => d.name === n)]);
  const sides = grid.spatial.map((n) => [grid.extrapolation.side(n, false), grid.extrapolation.side(n, true)] as const);
  const { per, part } = v;
  const idx = new Array<number>(nsp).fill(0);
  const total = sizes.reduce((a, b) => a * b, 1);
  for (let t = 0; t < total; t++) {
    let r = t;
    for (let j = 0; j < nsp; j++) {
      idx[j] = r % sizes[j];
      r = Math.floor(r / sizes[j]);
    }
    let inside = true;
    for (let j = 0; j < nsp; j++) if (idx[j] < ranges[j][0] || idx[j] >= ranges[j][0] + ranges[j][1]) inside = false;
    if (inside) continue;
    let sign = 1;
    let constant: number | null = null;
    let s = base;
    for (let j = 0; j < nsp && constant === null; j++) {
      const [start, len] = ranges[j];
      let i = idx[j];
      if (i < start || i >= start + len) {
        const side = sides[j][i < start ? 0 : 1];
        switch (side.kind) {
          case 'constant':
            constant = sideValue(side, comp, nsp);
            break;
          case 'periodic':
            i = start + ((((i - start) % len) + len) % len);
            break;
          case 'reflect':
            i = i < start ? Math.min(start + (start - i), start + len - 1) : Math.max(start + len - 1 - (i - (start + len - 1)), start);
            break;
          case 'antisymmetric':
            sign = -sign;
            i = Math.min(Math.max(i, start), start + len - 1);
            break;
          default:
            i = Math.min(Math.max(i, start), start + len - 1);
        }
      }
      s += i * strides[j];
    }
    let o = base;
    for (let j = 0; j < nsp; j++) o += idx[j] * strides[j];
    dst[o * per + part] = constant !== null ? constant : sign * dst[s * per + part];
  }
}

/**
 * The stored array of a grid of `layout`, gathered from the viewer fields of one frame
 * (`fields[name]`, as our reader names them for source field `field`). Throws GridWriteError naming
 * the first viewer field that is missing or has another shape.
 */
export function gatherGrid(layout: GridLayout, field: string, fields: Record<string, FieldData | undefined>): Float32Array | Float64Array {
  const grid = gridOfLayout(layout, field);
  const plans = planFields(grid, field);
  const total = layout.dims.reduce((a, d) => a * d.size, 1) * (/^<c/.test(layout.dtype) ? 2 : 1);
  const dst = /c16$|f8$/.test(layout.dtype) ? new Float64Array(total) : new Float32Array(total);
  const vecStride = (v: DataView3) => (grid.vectorDim >= 0 ? v.strides[grid.vectorDim] : 0);
  const cells: [number, number][] = grid.resolution.map((n) => [0, n]);
  const need = (p: FieldPlan): FieldData => {
    const d = fields[p.name];
    if (!d) bad(`viewer field “${p.name}” of ${field} is missing in this frame`);
    const count = p.shape.reduce((a, b) => a * b, 1);
    if (d.shape.length !== p.shape.length || d.shape.some((s, i) => s !== p.shape[i]))
      bad(`viewer field “${p.name}” has shape [${d.shape.join(', ')}], the grid needs [${p.shape.join(', ')}]`);
    const arrays = d.kind === 'vector' ? [d.u, d.v, d.w].filter(Boolean) : [d.values];
    if (arrays.some((a) => !a || a.length !== count)) bad(`viewer field “${p.name}” does not hold ${count} values per component`);
    return d;
  };
  for (const p of plans) {
    const v = dataView(grid, dst, p.part);
    const base = fixedOffset(v, p.fixed);
    const src = p.source;
    switch (src.type) {
      case 'scalar':
      case 'component':
        scatterBlock(grid, v, base + (src.type === 'component' ? src.comp * vecStride(v) : 0), cells, need(p).values!, dst);
        break;
      case 'vector': {
        const d = need(p);
        const comps = [d.u, d.v, d.w];
        src.comps.forEach((c, k) => scatterBlock(grid, v, base + c * vecStride(v), cells, comps[k]!, dst));
        break;
      }
      case 'face': {
        scatterBlock(grid, v, base + src.comp * vecStride(v), faceRanges(grid, src.dim), need(p).values!, dst);
        padStaggered(grid, v, base + src.comp * vecStride(v), src.dim, src.comp, dst);
        break;
      }
      case 'staggered-vector':
        break; // derived from the faces; nothing stored
    }
  }
  return dst;
}

// ---------------------------------------------------------------------------------------------
// any scalar / vector field → CenteredGrid

interface AxisPlan {
  n: number;
  lo: number;
  hi: number;
  flip: boolean;
}

/** Box extent of one axis from its cell-centre scale; a negative slope is flipped so that lower < upper. */
export function axisPlan(scale: Scale | undefined, n: number): AxisPlan {
  if (!scale || !Number.isFinite(scale.slope) || scale.slope === 0 || !Number.isFinite(scale.offset)) return { n, lo: 0, hi: n, flip: false };
  const step = Math.abs(scale.slope);
  const first = Math.min(scale.offset, scale.offset + (n - 1) * scale.slope);
  return { n, lo: first - step / 2, hi: first - step / 2 + n * step, flip: scale.slope < 0 };
}

/** PhiFlow's extrapolation dict for the simple choices of the export form. */
export function simpleExtrapolation(kind: unknown): Record<string, unknown> {
  switch (kind) {
    case 'periodic':
      return { type: 'periodic' };
    case 'symmetric':
      return { type: 'symmetric' };
    case 'zero':
      return { type: 'constant', value: scalarArray(0, '<i8') };
    default:
      return { type: 'zero-gradient' };
  }
}

/**
 * The nine members of one CenteredGrid file from any scalar/vector FieldData ([nx], [ny, nx] or
 * [nz, ny, nx], x fastest): data in PhiFlow's axis order (x, y[, z][, vector]), float32 (float64
 * scalar sources stay float64), lower/upper from the cell-centre scales (half a cell outside the
 * first/last centre; axes with a negative slope flipped), masked cells NaN (PhiFlow has no masks).
 */
export function centeredGridMembers(d: FieldData, extrapolation: unknown, forceF64 = false): Record<string, Uint8Array> {
  const cells = d.shape;
  const nd = cells.length;
  if (nd < 1 || nd > 3) bad(`a ${nd}-axis field cannot be a PhiFlow grid`);
  const sizes = AXES.slice(0, nd).map((_, a) => cells[nd - 1 - a]); // nx, ny, nz
  const scales = [d.scales?.x, d.scales?.y, d.scales?.z];
  const plans = sizes.map((n, a) => axisPlan(scales[a], n));
  const comps: ArrayLike<number>[] = d.kind === 'vector' ? ([d.u, d.v, d.w].filter(Boolean) as Float32Array[]) : [d.values as ArrayLike<number>];
  if (d.kind === 'vector' && comps.length < nd) bad(`vector field has ${comps.length} components on a ${nd}-axis grid`);
  const C = d.kind === 'vector' ? comps.length : 1;
  const total = sizes.reduce((a, b) => a * b, 1);
  const f64 = forceF64 || (d.kind !== 'vector' && d.values instanceof Float64Array);
  const data = f64 ? new Float64Array(total * C) : new Float32Array(total * C);
  const mask = d.mask;
  const [nx, ny = 1, nz = 1] = sizes;
  const [px, py = plans[0], pz = plans[0]] = plans;
  let o = 0;
  // PhiFlow C order: x slowest, then y, then z, then vector
  for (let x = 0; x < nx; x++) {
    const sx = px.flip ? nx - 1 - x : x;
    for (let y = 0; y < ny; y++) {
      const sy = nd >= 2 && py.flip ? ny - 1 - y : y;
      for (let z = 0; z < nz; z++) {
        const sz = nd >= 3 && pz.flip ? nz - 1 - z : z;
        const si = (sz * ny + sy) * nx + sx;
        const masked = mask ? mask[si] !== 0 : false;
        for (let c = 0; c < C; c++) data[o++] = masked ? NaN : comps[c][si];
      }
    }
  }
  const spatial = AXES.slice(0, nd).map(String);
  const dims: GridDim[] = spatial.map((name, a) => ({ name, type: 'spatial', items: null, size: sizes[a] }));
  if (d.kind === 'vector') dims.push({ name: 'vector', type: 'channel', items: AXES.slice(0, C).map(String), size: C });
  return gridMembers(
    { fieldType: 'CenteredGrid', dims, spatial, lower: plans.map((p) => p.lo), upper: plans.map((p) => p.hi), extrapolation, dtype: f64 ? '<f8' : '<f4' },
    data,
  );
}
