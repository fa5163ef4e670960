/**
 * Zarr v2 reader (the `zarr` export target's stores and xarray-style stores): a folder or a zip.
 * Chunks are read and decoded by zarrita, one frame's slab per variable per readFrame.
 */
import * as zarr from 'zarrita';
import { abortError } from '../../core/abort';
import { nearestIndex } from '../../core/nearest';
import { FormatError } from '../errors';
import type { FieldData, FieldInfo, Frame, FrameInfo, FrameSource, Scale, SourceTree } from '../types';
import { fieldLayouts, frameDim, readMetadata, scaleOf, type ArrMeta } from './layout';
import { FORMAT, openTreeStore, type TreeStore } from './store';

async function readJson(store: TreeStore, key: string): Promise<unknown> {
  const b = await store.get(`/${key}`);
  if (!b) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(b));
  } catch {
    throw new FormatError(FORMAT, `${store.where}/${key}`, 'is not valid JSON');
  }
}

async function metadataDocs(store: TreeStore): Promise<{ keys: string[]; docs: Map<string, unknown> }> {
  const docs = new Map<string, unknown>();
  const cons = (await readJson(store, '.zmetadata')) as { metadata?: Record<string, unknown> } | undefined;
  if (cons) {
    if (!cons.metadata || typeof cons.metadata !== 'object') throw new FormatError(FORMAT, `${store.where}/.zmetadata`, 'has no “metadata” object');
    for (const [k, v] of Object.entries(cons.metadata)) docs.set(k, v);
    return { keys: [...docs.keys()], docs };
  }
  const keys = store.keys.filter((k) => /(^|\/)\.z(array|attrs|group)$/.test(k));
  for (const k of keys) docs.set(k, await readJson(store, k));
  return { keys, docs };
}

type Arr = zarr.Array<zarr.DataType, TreeStore>;

async function readAll(arr: Arr, where: string): Promise<ArrayLike<number | bigint>> {
  try {
    return (await zarr.get(arr)).data as ArrayLike<number | bigint>;
  } catch (e) {
    throw new FormatError(FORMAT, where, `cannot read (${(e as Error).message})`);
  }
}

const asF64 = (a: ArrayLike<number | bigint>) => Float64Array.from(a as ArrayLike<number>, Number);

export async function open(tree: SourceTree): Promise<FrameSource> {
  const store = await openTreeStore(tree);
  const { keys, docs } = await metadataDocs(store);
  const { arrays, attrs } = readMetadata(store.where, keys, docs);
  const tdim = frameDim(arrays);
  const layouts = fieldLayouts(store.where, arrays, tdim);
  if (!layouts.length) throw new FormatError(FORMAT, store.where, `no array runs over the frame dimension “${tdim}” with a spatial dimension`);
  const opened = new Map<string, Arr>();
  const arrOf = async (a: ArrMeta): Promise<Arr> => {
    let arr = opened.get(a.name);
    if (!arr) {
      try {
        arr = await zarr.open.v2(zarr.root(store).resolve(a.name), { kind: 'array', attrs: false });
      } catch (e) {
        throw new FormatError(FORMAT, `${store.where}/${a.name}`, `cannot open the array (${(e as Error).message})`);
      }
      opened.set(a.name, arr);
    }
    return arr;
  };
  const byName = new Map(arrays.map((a) => [a.name, a]));
  const nf = layouts[0].parts.values?.shape[0] ?? layouts[0].parts.u!.shape[0];

  // frame table
  const timeMeta = byName.get(tdim);
  const times: (number | null)[] = new Array(nf).fill(null);
  const numbers: number[] = Array.from({ length: nf }, (_, i) => i);
  if (timeMeta && timeMeta.shape.length === 1 && timeMeta.shape[0] === nf) {
    const t = asF64(await readAll(await arrOf(timeMeta), `${store.where}/${tdim}`));
    if (timeMeta.attrs.framescope_time === 'number') t.forEach((x, i) => Number.isFinite(x) && (numbers[i] = x));
    else t.forEach((x, i) => (times[i] = Number.isFinite(x) ? x : null));
  }
  const fnMeta = byName.get('frame_number');
  if (fnMeta && fnMeta.shape.length === 1 && fnMeta.shape[0] === nf)
    asF64(await readAll(await arrOf(fnMeta), `${store.where}/frame_number`)).forEach((x, i) => (numbers[i] = x));
  const frames: FrameInfo[] = numbers.map((number, index) => ({ index, number, time: times[index] }));

  // scales from the dimension coordinates
  const coordCache = new Map<string, Float64Array | null>();
  const coordOf = async (dim: string, n: number): Promise<{ values: Float64Array | null; attrs: Record<string, unknown> }> => {
    const m = byName.get(dim);
    if (m?.shape.length !== 1 || m.shape[0] !== n) return { values: null, attrs: {} };
    if (!coordCache.has(dim)) coordCache.set(dim, asF64(await readAll(await arrOf(m), `${store.where}/${dim}`)));
    return { values: coordCache.get(dim)!, attrs: m.attrs };
  };
  const scales = new Map<string, { scales?: FieldData['scales']; coords?: FieldData['coords'] }>();
  for (const f of layouts) {
    const cell = f.kind === 'rgb' ? f.shape.slice(0, -1) : f.shape;
    const axes = (['z', 'y', 'x'] as const).slice(3 - cell.length);
    const got: Partial<Record<'x' | 'y' | 'z', ReturnType<typeof scaleOf>>> = {};
    for (let i = 0; i < axes.length; i++) {
      const c = await coordOf(f.axes[axes[i]]!, cell[i]);
      got[axes[i]] = scaleOf(c.values, c.attrs, cell[i]);
    }
    if (Object.values(got).every((g) => g!.pixel)) {
      scales.set(f.name, {});
      continue;
    }
    const unit: Scale = { slope: 1, offset: 0, unit: '', description: '' };
    const s: NonNullable<FieldData['scales']> = { x: got.x?.scale ?? unit, y: got.y?.scale ?? unit };
    if (got.z) s.z = got.z.scale;
    const coords: NonNullable<FieldData['coords']> = {};
    for (const ax of axes) if (got[ax]?.coords) coords[ax] = got[ax]!.coords;
    scales.set(f.name, { scales: s, coords: Object.keys(coords).length ? coords : undefined });
  }

  let metadata: Record<string, unknown> = { ...attrs };
  if (typeof attrs.framescope_metadata === 'string') {
    try {
      metadata = JSON.parse(attrs.framescope_metadata) as Record<string, unknown>;
    } catch {
      /* keep the flat attributes */
    }
  }
  const timeUnit =
    typeof attrs.framescope_time_unit === 'string'
      ? attrs.framescope_time_unit
      : timeMeta && typeof timeMeta.attrs.units === 'string' && timeMeta.attrs.framescope_time !== 'number'
        ? timeMeta.attrs.units
        : null;
  const fields: FieldInfo[] = layouts.map((f) => ({ name: f.name, kind: f.kind, shape: f.shape, unit: f.unit }));

  const slab = async (a: ArrMeta, index: number, signal?: AbortSignal): Promise<ArrayLike<number | bigint>> => {
    const arr = await arrOf(a);
    try {
      const d = (await zarr.get(arr, [index, ...a.shape.slice(1).map(() => null)], { signal })).data as ArrayLike<number | bigint>;
      const want = a.shape.slice(1).reduce((x, y) => x * y, 1);
      if (d.length !== want) throw new Error(`decoded ${d.length} values, expected ${want}`);
      return d;
    } catch (e) {
      if (signal?.aborted) throw abortError();
      throw new FormatError(FORMAT, `${store.where}/${a.name}`, `frame ${index}: cannot read its chunk (${(e as Error).message})`);
    }
  };
  const asValues = (d: ArrayLike<number | bigint>): NonNullable<FieldData['values']> =>
    d instanceof Float32Array || d instanceof Float64Array || d instanceof Uint8Array || d instanceof Uint16Array
      ? d
      : Float64Array.from(d as ArrayLike<number>, Number);
  const asF32 = (d: ArrayLike<number | bigint>): Float32Array => (d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>, Number));

  return {
    format: FORMAT,
    name: tree.name,
    frames,
    fields,
    metadata,
    timeUnit,
    async readFrame(index: number, opts?: { signal?: AbortSignal }): Promise<Frame> {
      if (!Number.isInteger(index) || index < 0 || index >= nf) throw new RangeError(`frame index ${index} is outside 0…${nf - 1}`);
      const out: Record<string, FieldData> = {};
      for (const f of layouts) {
        if (opts?.signal?.aborted) throw abortError();
        const d: FieldData = { kind: f.kind, shape: f.shape.slice(), ...scales.get(f.name) };
        if (f.kind === 'vector') {
          d.u = asF32(await slab(f.parts.u!, index, opts?.signal));
          d.v = asF32(await slab(f.parts.v!, index, opts?.signal));
          if (f.parts.w) d.w = asF32(await slab(f.parts.w, index, opts?.signal));
        } else d.values = asValues(await slab(f.parts.values!, index, opts?.signal));
        if (f.parts.mask) {
          const m = await slab(f.parts.mask, index, opts?.signal);
          const mask = new Uint8Array(m.length);
          for (let i = 0; i < m.length; i++) mask[i] = m[i] ? 1 : 0;
          d.mask = mask;
        }
        out[f.name] = d;
      }
      return { info: frames[index], fields: out, attributes: {} };
    },
    nearestIndex(t: number): number {
      return nearestIndex(times, t);
    },
    close() {
      opened.clear();
    },
  };
}
