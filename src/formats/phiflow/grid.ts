/**
 * One PhiFlow field file (`<name>_<frame>.npz`, members dim_names, dim_types, dim_item_names,
 * field_type, lower, upper, bounds_item_names, extrapolation, data) → a described grid, and the
 * plan of viewer fields it yields.
 *
 * Axes are interpreted by name (dim_names / dim_types), never by position:
 * - spatial dims, ordered like `bounds_item_names` (PhiFlow's x, y, z; fallback: their order in
 *   dim_names), become the output axes x, y, z: FieldData.shape [nx] / [ny, nx] / [nz, ny, nx],
 *   C order with x fastest (PhiFlow stores data[x][y] with y fastest, so the data is transposed);
 * - the channel dim `vector` holds components, matched to spatial dims by its item names;
 * - every other dim (batch, instance, other channel dims, e.g. the inner batch dim `member`) is
 *   expanded: one field per index, named `name[member=0]`, `name[member=1]` (several such dims:
 *   `name[a=0,b=1]`).
 * Field kinds per grid:
 * - CenteredGrid without vector dim → scalar `name`;
 * - CenteredGrid with a vector dim of one entry per spatial dim (2-D/3-D) → vector `name` (u = x
 *   component, v = y, w = z); any other vector dim → one scalar per component `name/<item>`;
 * - StaggeredGrid → scalar face components `name/x`, `name/y`(, `name/z`) plus the cell-centred
 *   vector `name` (see staggered.ts).
 * Complex data → `<field>/re` and `<field>/im` scalars.
 */
import type { NpyArray, NpyData } from '../../codecs/npy';
import { toFloat64 } from '../../codecs/npy';
import type { NpzFile } from '../../codecs/npz';
import { FormatError } from '../errors';
import type { FieldData, FieldKind, Scale } from '../types';
import { parseExtrapolation, type Extrapolation, isPadding } from './extrapolation';
import { batchedName } from './names';
import { strList, what } from './values';

export interface GridDim {
  name: string;
  /** spatial, channel, batch, instance, dual (older: collection, înstance) */
  type: string;
  items: string[] | null;
  size: number;
}

export interface GridFile {
  path: string;
  fieldType: 'CenteredGrid' | 'StaggeredGrid';
  dims: GridDim[];
  /** spatial dim names in output order (x, y, z by name; see spatialOrder) */
  spatial: string[];
  /** box corners per spatial dim (ordered like `spatial`) */
  lower: number[];
  upper: number[];
  boundsNames: string[];
  extrapolation: Extrapolation;
  dtype: string;
  /** per spatial dim: number of cells (staggered: data size − 1) */
  resolution: number[];
  /** the vector dim's index in `dims`, or -1 */
  vectorDim: number;
}

const MEMBERS = ['dim_names', 'dim_types', 'dim_item_names', 'field_type', 'lower', 'upper', 'bounds_item_names', 'extrapolation'];

function fail(path: string, why: string, offset?: number): never {
  throw new FormatError('phiflow', path, why, offset);
}

function strings(a: NpyArray | undefined, path: string, member: string): string[] {
  if (!a || !Array.isArray(a.data) || !a.data.every((s) => typeof s === 'string'))
    fail(path, `member ${member} is missing or not a string array (got ${a ? a.dtype : 'nothing'})`);
  return a!.data as string[];
}

function numbers(a: NpyArray | undefined, path: string, member: string): number[] {
  if (!a || !ArrayBuffer.isView(a.data)) fail(path, `member ${member} is missing or not numeric (got ${a ? a.dtype : 'nothing'})`);
  return Array.from(toFloat64(a!.data));
}

/**
 * The names ordering `lower`/`upper`. PhiFlow 2.0 stored `bounds_item_names` as a pickled None
 * (0-d object array) and files before 2022-03 have no such member: then, as in PhiFlow, the spatial
 * dims in storage order (`spatial(data).names`). A 0-d array of any kind means the same.
 */
function boundsItemNames(a: NpyArray | undefined, spatialInData: string[], path: string): string[] {
  if (!a || a.shape.length === 0) return spatialInData;
  const names = strList(a.data);
  if (!names)
    fail(
      path,
      `member bounds_item_names is not a list of dim names (got ${a.dtype} holding ${Array.isArray(a.data) ? a.data.map(what).join(', ') : 'numbers'})`,
    );
  return names;
}

const CANONICAL = ['x', 'y', 'z'];

/**
 * Output axis order of the spatial dims, by name: x, y, z when the dims are named so (PhiFlow 2.0
 * stored y before x; PhiFlow 3 x before y: both give x = FieldData's x); other names follow
 * `bounds_item_names` when it names exactly the spatial dims, else their storage order.
 */
function spatialOrder(spatialInData: string[], boundsNames: string[]): string[] {
  if (spatialInData.every((n) => CANONICAL.includes(n))) return CANONICAL.filter((n) => spatialInData.includes(n));
  if (boundsNames.length === spatialInData.length && spatialInData.every((n) => boundsNames.includes(n))) return boundsNames;
  return spatialInData;
}

/** Build the grid description from the small members and the data member's dtype/shape. */
export function describeGrid(m: Record<string, NpyArray>, dataDtype: string, dataShape: number[], path: string): GridFile {
  const names = strings(m.dim_names, path, 'dim_names');
  const types = strings(m.dim_types, path, 'dim_types');
  if (types.length !== names.length) fail(path, `dim_types has ${types.length} entries, dim_names ${names.length}`);
  if (dataShape.length !== names.length) fail(path, `data has ${dataShape.length} axes, dim_names names ${names.length}`);
  let items: (string[] | null)[] = names.map(() => null);
  if (m.dim_item_names) {
    const raw = m.dim_item_names.data as unknown[];
    if (!Array.isArray(raw) || raw.length !== names.length) fail(path, 'dim_item_names does not have one entry per dim');
    items = raw.map((x) => strList(x));
  }
  const ft = strings(m.field_type, path, 'field_type')[0];
  if (ft !== 'CenteredGrid' && ft !== 'StaggeredGrid') fail(path, `unsupported field_type '${ft}' (expected CenteredGrid or StaggeredGrid)`);
  const dims: GridDim[] = names.map((name, k) => ({
    name,
    type: types[k] === 'înstance' || types[k] === 'collection' ? 'instance' : types[k],
    items: items[k],
    size: dataShape[k],
  }));
  const seen = new Set<string>();
  for (const d of dims) {
    if (seen.has(d.name)) fail(path, `dim_names names '${d.name}' twice`);
    seen.add(d.name);
  }
  const spatialInData = dims.filter((d) => d.type === 'spatial').map((d) => d.name);
  if (!spatialInData.length) fail(path, 'no spatial dim in dim_types');
  if (spatialInData.length > 3) fail(path, `${spatialInData.length} spatial dims (at most 3 supported)`);
  const boundsNames = boundsItemNames(m.bounds_item_names, spatialInData, path);
  const spatial = spatialOrder(spatialInData, boundsNames);
  const lo = numbers(m.lower, path, 'lower');
  const hi = numbers(m.upper, path, 'upper');
  const pick = (v: number[], member: string) =>
    spatial.map((n) => {
      if (v.length === 1) return v[0];
      const k = boundsNames.indexOf(n);
      if (k < 0 || k >= v.length) fail(path, `${member} has no entry for dim ${n}`);
      return v[k];
    });
  const lower = pick(lo, 'lower');
  const upper = pick(hi, 'upper');
  if (!m.extrapolation || !Array.isArray(m.extrapolation.data)) fail(path, 'member extrapolation is missing or not an object array');
  const extrapolation = parseExtrapolation((m.extrapolation!.data as unknown[])[0], path);
  const vectorDim = dims.findIndex((d) => d.name === 'vector' && d.type === 'channel');
  const staggered = ft === 'StaggeredGrid';
  if (staggered && vectorDim < 0) fail(path, 'StaggeredGrid without a vector dim');
  const resolution = spatial.map((n) => {
    const d = dims.find((x) => x.name === n)!;
    const r = staggered ? d.size - 1 : d.size;
    if (r < 1) fail(path, `dim ${n} has size ${d.size}`);
    return r;
  });
  if (staggered && dims[vectorDim].size !== spatial.length)
    fail(path, `StaggeredGrid vector dim has ${dims[vectorDim].size} entries for ${spatial.length} spatial dims`);
  return { path, fieldType: ft, dims, spatial, lower, upper, boundsNames, extrapolation, dtype: dataDtype, resolution, vectorDim };
}

/** Read just what describes a grid (all members but `data`, plus the data header). */
export async function readGridHeader(npz: NpzFile): Promise<GridFile> {
  const present = MEMBERS.filter((n) => npz.names.includes(n));
  if (!npz.names.includes('data')) fail(npz.path, `no 'data' member (members: ${npz.names.join(', ')})`);
  const m = await npz.readMany(present);
  const h = await npz.readHeader('data');
  return describeGrid(m, h.descr, h.shape, npz.path);
}

/** Read and describe a whole field file. */
export async function readGrid(npz: NpzFile): Promise<{ grid: GridFile; data: NpyArray }> {
  if (!npz.names.includes('data')) fail(npz.path, `no 'data' member (members: ${npz.names.join(', ')})`);
  const m = await npz.readMany(npz.names.filter((n) => n === 'data' || MEMBERS.includes(n)));
  const grid = describeGrid(m, m.data.dtype, m.data.shape, npz.path);
  if (!ArrayBuffer.isView(m.data.data)) fail(npz.path, `data has non-numeric dtype ${m.data.dtype}`);
  return { grid, data: m.data };
}

// ---------------------------------------------------------------------------------------------
// field plans

export type PlanSource =
  | { type: 'scalar' }
  | { type: 'component'; comp: number }
  | { type: 'vector'; comps: number[] }
  | { type: 'face'; comp: number; dim: number }
  | { type: 'staggered-vector'; comps: number[] };

export interface FieldPlan {
  name: string;
  kind: FieldKind;
  shape: number[];
  /** fixed indices of the expanded (batch-like) dims */
  fixed: { dim: number; index: number }[];
  source: PlanSource;
  /** complex data: which part */
  part?: 're' | 'im';
}

function isComplex(dtype: string): boolean {
  return /c(8|16)$/.test(dtype);
}

/** Output shape [nz, ny, nx] / [ny, nx] / [nx] from per-spatial lengths in x, y, z order. */
function outShape(lens: number[]): number[] {
  return lens.slice().reverse();
}

/**
 * Which vector component (index along the vector dim) holds spatial dim `grid.spatial[k]`: by the
 * vector dim's item names; without them (files before 2022-03, PhiFlow 2.0) the entries pair with
 * the spatial dims in storage order, as PhiFlow's `unstack_staggered_tensor` zips them — so a
 * y-first file's entry 0 is the y component.
 */
export function compIndex(grid: GridFile, k: number): number {
  const vd = grid.dims[grid.vectorDim];
  const name = grid.spatial[k];
  if (vd.items) {
    const i = vd.items.indexOf(name);
    if (i >= 0) return i;
  }
  return grid.dims.filter((d) => d.type === 'spatial').findIndex((d) => d.name === name);
}

/** Face-component extent along each spatial dim: [start, length] per dim (x, y, z order). */
export function faceRanges(grid: GridFile, comp: number): [number, number][] {
  return grid.spatial.map((dimName, k) => {
    const n = grid.resolution[k];
    if (k !== comp) return [0, n];
    const lowPad = isPadding(grid.extrapolation.side(dimName, false), false);
    const upPad = isPadding(grid.extrapolation.side(dimName, true), true);
    const start = lowPad ? 1 : 0;
    const end = upPad ? n : n + 1;
    return [start, end - start];
  });
}

/** All fields a grid yields (the same for every frame of the field as long as the file layout holds). */
export function planFields(grid: GridFile, field: string): FieldPlan[] {
  const expand = grid.dims.map((d, k) => ({ d, k })).filter(({ d, k }) => d.type !== 'spatial' && k !== grid.vectorDim);
  const combos: { dim: number; index: number }[][] = [[]];
  for (const { d, k } of expand) {
    const next: { dim: number; index: number }[][] = [];
    for (const c of combos) for (let i = 0; i < d.size; i++) next.push([...c, { dim: k, index: i }]);
    combos.splice(0, combos.length, ...next);
    if (combos.length > 4096) fail(grid.path, 'too many batch entries (> 4096) to show as separate fields');
  }
  const parts: ('re' | 'im' | undefined)[] = isComplex(grid.dtype) ? ['re', 'im'] : [undefined];
  const cellShape = outShape(grid.resolution);
  const nsp = grid.spatial.length;
  const plans: FieldPlan[] = [];
  for (const fixed of combos) {
    const base = batchedName(
      field,
      fixed.map((f) => ({ name: grid.dims[f.dim].name, index: f.index })),
    );
    for (const part of parts) {
      const suffix = part ? `/${part}` : '';
      const add = (name: string, kind: FieldKind, shape: number[], source: PlanSource) =>
        plans.push({ name: name + suffix, kind, shape, fixed, source, ...(part ? { part } : {}) });
      if (grid.fieldType === 'StaggeredGrid') {
        const comps = grid.spatial.map((_, k) => compIndex(grid, k));
        if (nsp >= 2) add(base, 'vector', cellShape, { type: 'staggered-vector', comps });
        grid.spatial.forEach((dimName, k) => {
          const lens = faceRanges(grid, k).map((r) => r[1]);
          add(`${base}/${dimName}`, 'scalar', outShape(lens), { type: 'face', comp: comps[k], dim: k });
        });
      } else if (grid.vectorDim < 0) {
        add(base, 'scalar', cellShape, { type: 'scalar' });
      } else {
        const vd = grid.dims[grid.vectorDim];
        if (nsp >= 2 && vd.size === nsp) add(base, 'vector', cellShape, { type: 'vector', comps: grid.spatial.map((_, k) => compIndex(grid, k)) });
        else for (let c = 0; c < vd.size; c++) add(`${base}/${vd.items?.[c] ?? c}`, 'scalar', cellShape, { type: 'component', comp: c });
      }
    }
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------
// extraction

/** Accessor over the raw data: C-order strides per data dim; complex handled by `per`/`part`. */
export interface DataView3 {
  src: ArrayLike<number>;
  strides: number[];
  per: number;
  part: number;
}

export function dataView(grid: GridFile, data: NpyData, part?: 're' | 'im'): DataView3 {
  const strides = new Array<number>(grid.dims.length);
  let s = 1;
  for (let k = grid.dims.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= grid.dims[k].size;
  }
  const src = data instanceof BigInt64Array || data instanceof BigUint64Array ? toFloat64(data) : (data as ArrayLike<number>);
  const per = isComplex(grid.dtype) ? 2 : 1;
  return { src, strides, per, part: part === 'im' ? 1 : 0 };
}

export function makeOut(grid: GridFile, n: number, forceF32 = false): Float32Array | Float64Array {
  return !forceF32 && /f8$|c16$/.test(grid.dtype) ? new Float64Array(n) : new Float32Array(n);
}

/**
 * Copy a block to an x-fastest output. `ranges` gives [start, length] per spatial dim (x, y, z
 * order), `base` the flat element offset of the fixed (batch / component) indices.
 */
export function extractBlock(grid: GridFile, v: DataView3, base: number, ranges: [number, number][], out: Float32Array | Float64Array): void {
  const ax = grid.spatial.map((n) => v.strides[grid.dims.findIndex((d) => d.name === n)]);
  const [sx, sy, sz] = [ax[0], ax[1] ?? 0, ax[2] ?? 0];
  const [[x0, nx], [y0, ny], [z0, nz]] = [ranges[0], ranges[1] ?? [0, 1], ranges[2] ?? [0, 1]];
  const { src, per, part } = v;
  const plane = nx * ny;
  // 32×32 tiles: PhiFlow data has y fastest, the output x fastest, so a plain loop would stride
  // through memory on every read; tiles keep both sides in cache.
  const T = 32;
  for (let iz = 0; iz < nz; iz++) {
    const zb = base + (z0 + iz) * sz;
    for (let ty = 0; ty < ny; ty += T) {
      const ey = Math.min(ny, ty + T);
      for (let tx = 0; tx < nx; tx += T) {
        const ex = Math.min(nx, tx + T);
        for (let iy = ty; iy < ey; iy++) {
          let s = zb + (y0 + iy) * sy + (x0 + tx) * sx;
          let o = iz * plane + iy * nx + tx;
          for (let ix = tx; ix < ex; ix++, s += sx) out[o++] = src[s * per + part];
        }
      }
    }
  }
}

export function fixedOffset(v: DataView3, fixed: { dim: number; index: number }[]): number {
  let b = 0;
  for (const f of fixed) b += f.index * v.strides[f.dim];
  return b;
}

const unitScale = (description: string): Scale => ({ slope: 1, offset: 0, unit: '', description });

/** Scales for x/y(/z); `starts[k]` is the first face index along dim k for face data, null for cell centres. */
export function scalesOf(grid: GridFile, faceStart: (number | null)[]): FieldData['scales'] {
  const sc = grid.spatial.map((name, k) => {
    const d = (grid.upper[k] - grid.lower[k]) / grid.resolution[k];
    const start = faceStart[k];
    const offset = start === null ? grid.lower[k] + 0.5 * d : grid.lower[k] + start * d;
    return { slope: d, offset, unit: '', description: name } satisfies Scale;
  });
  const out: NonNullable<FieldData['scales']> = { x: sc[0], y: sc[1] ?? unitScale('') };
  if (sc[2]) out.z = sc[2];
  return out;
}
