/**
 * `npz` target: one numpy.savez-compatible archive of raw physical values.
 *
 * Members (np.load keys):
 * - `<field>`: scalar (frames, ny, nx) / (frames, nx) / (frames, nz, ny, nx) in the field's own
 *   dtype; vector (frames, ny, nx, 2|3) float32 with components u, v(, w) last; rgb (frames, ny, nx, 3) uint8;
 * - `<field>_mask`: bool, same cell shape, True = invalid (numpy.ma convention); only for fields
 *   that have a mask in some frame (frames without a mask are all False);
 * - `<field>_x`, `<field>_y`(, `<field>_z`): float64 cell-centre coordinates per axis (option `coords`);
 * - `frame_number` int64, `frame_time` float64 (NaN where the source has no time), `frame_index` int64;
 * - `info`: a 0-d unicode string holding JSON (source, units, time unit) — loads without allow_pickle.
 */
import { encodeNpy, type NumericData } from '../codecs/npy';
import { encodeNpz } from '../codecs/npz';
import type { FieldData, FieldInfo, FrameSource, Scale } from '../core/types';
import { baseName, cellCount, eachFrame, ExportError, fieldOf, resolveFields, sameShape, type ExportControl, type ExportedFile } from './job';
import type { ResolvedJob } from './target';
import type { NpzOptions } from './targets/npz';

const T = 'npz';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor;

interface Stack {
  info: FieldInfo;
  shape: number[];
  kind: FieldData['kind'];
  /** values per frame */
  per: number;
  comps: number;
  ctor: Ctor;
  data: Float32Array | Float64Array | Uint8Array | Uint16Array;
  mask: Uint8Array | null;
  cells: number;
  coords: { x?: Float64Array; y?: Float64Array; z?: Float64Array };
}

function ctorOf(a: unknown): Ctor {
  if (a instanceof Float64Array) return Float64Array;
  if (a instanceof Uint8Array) return Uint8Array;
  if (a instanceof Uint16Array) return Uint16Array;
  return Float32Array;
}

/** Cell-centre coordinates of an axis of n cells (explicit coords, else the linear scale). */
export function axisCoords(scale: Scale | undefined, coords: Float64Array | undefined, n: number): Float64Array | undefined {
  if (coords && coords.length === n) return Float64Array.from(coords);
  if (!scale || !Number.isFinite(scale.slope) || !Number.isFinite(scale.offset)) return undefined;
  return Float64Array.from({ length: n }, (_, i) => scale.offset + i * scale.slope);
}

export async function exportNpz(source: FrameSource, job: ResolvedJob<NpzOptions>, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = job.options;
  const frames = job.frames;
  const fields = resolveFields(source, job, ['scalar', 'vector', 'rgb']);
  const nf = frames.length;
  const stacks = new Map<string, Stack>();
  const numbers = new BigInt64Array(nf);
  const times = new Float64Array(nf);
  const indices = new BigInt64Array(nf);

  await eachFrame(source, frames, ctl, (frame, k) => {
    numbers[k] = BigInt(Math.trunc(frame.info.number));
    times[k] = frame.info.time ?? NaN;
    indices[k] = BigInt(frame.info.index);
    for (const fi of fields) {
      const d = fieldOf(frame, fi.name, T);
      let s = stacks.get(fi.name);
      if (!s) {
        const cells = cellCount(d);
        const comps = d.kind === 'vector' ? (d.w ? 3 : 2) : d.kind === 'rgb' ? 3 : 1;
        const ctor = d.kind === 'vector' ? Float32Array : d.kind === 'rgb' ? Uint8Array : ctorOf(d.values);
        const per = cells * comps;
        if (nf * per > 2 ** 31) throw new ExportError(T, `field “${fi.name}” would need ${nf * per} values; export fewer frames`);
        const cellShape = d.kind === 'rgb' ? d.shape.slice(0, -1) : d.shape;
        const n = cellShape.length;
        s = {
          info: fi,
          shape: d.shape.slice(),
          kind: d.kind,
          per,
          comps,
          ctor,
          data: new ctor(nf * per),
          mask: null,
          cells,
          coords: {
            x: axisCoords(d.scales?.x, d.coords?.x, cellShape[n - 1]),
            y: n >= 2 ? axisCoords(d.scales?.y, d.coords?.y, cellShape[n - 2]) : undefined,
            z: n >= 3 ? axisCoords(d.scales?.z, d.coords?.z, cellShape[n - 3]) : undefined,
          },
        };
        stacks.set(fi.name, s);
      }
      if (d.kind !== s.kind || !sameShape(d.shape, s.shape))
        throw new ExportError(
          T,
          `field “${fi.name}” changes from ${s.kind} ${s.shape.join('×')} to ${d.kind} ${d.shape.join('×')} in frame ${frame.info.number}; export those frames separately`,
        );
      const off = k * s.per;
      if (d.kind === 'vector') {
        const comps = [d.u, d.v, d.w].slice(0, s.comps);
        if (comps.some((c) => !c || c.length !== s!.cells))
          throw new ExportError(T, `vector field “${fi.name}” lacks a component in frame ${frame.info.number}`);
        const out = s.data as Float32Array;
        for (let c = 0; c < s.comps; c++) {
          const a = comps[c]!;
          for (let i = 0; i < s.cells; i++) out[off + i * s.comps + c] = a[i];
        }
      } else {
        const vals = d.values;
        if (!vals || vals.length !== s.per)
          throw new ExportError(T, `field “${fi.name}” has ${vals?.length ?? 0} values in frame ${frame.info.number}, expected ${s.per}`);
        s.data.set(vals as ArrayLike<number>, off);
      }
      if (d.mask) {
        if (d.mask.length !== s.cells) throw new ExportError(T, `mask of “${fi.name}” has ${d.mask.length} cells, expected ${s.cells}`);
        s.mask ??= new Uint8Array(nf * s.cells);
        for (let i = 0; i < s.cells; i++) s.mask[k * s.cells + i] = d.mask[i] ? 1 : 0;
      }
    }
  });

  const members: Record<string, Uint8Array> = {};
  const add = (name: string, bytes: Uint8Array) => {
    if (members[name]) throw new ExportError(T, `two arrays would be called “${name}”; rename a field`);
    members[name] = bytes;
  };
  const fieldInfo: Record<string, unknown> = {};
  for (const s of stacks.values()) {
    const cellShape = s.kind === 'rgb' ? s.shape.slice(0, -1) : s.shape;
    const shape = [nf, ...cellShape, ...(s.comps > 1 ? [s.comps] : [])];
    add(s.info.name, encodeNpy({ shape, data: s.data as NumericData }));
    if (s.mask) add(`${s.info.name}_mask`, encodeNpy({ dtype: '|b1', shape: [nf, ...cellShape], data: s.mask }));
    if (opts.coords) {
      for (const ax of ['x', 'y', 'z'] as const) {
        const c = s.coords[ax];
        if (c) add(`${s.info.name}_${ax}`, encodeNpy({ shape: [c.length], data: c }));
      }
    }
    fieldInfo[s.info.name] = {
      kind: s.kind,
      unit: s.info.unit,
      components: s.kind === 'vector' ? ['u', 'v', 'w'].slice(0, s.comps) : undefined,
      masked: !!s.mask,
    };
  }
  add('frame_number', encodeNpy({ shape: [nf], data: numbers }));
  add('frame_time', encodeNpy({ shape: [nf], data: times }));
  add('frame_index', encodeNpy({ shape: [nf], data: indices }));
  const info = JSON.stringify({ source: { format: source.format, name: source.name }, timeUnit: source.timeUnit, fields: fieldInfo });
  add('info', encodeNpy({ shape: [], data: [info] }));
  const bytes = encodeNpz(members, { compress: opts.compressed });
  return [{ path: `${baseName(source, opts.name)}.npz`, bytes }];
}
