/**
 * `phiflow-scene` target: a PhiFlow 3 Scene directory (shared/formats/phiflow-scene.md §1–§5):
 *
 *   sim_NNNNNN/description.json            scene properties (indent 2), tensors listed in __tensors__
 *   sim_NNNNNN/<field>_<frame:06d>.npz     savez_compressed with the nine members PhiFlow reads
 *
 * Every field is written as a CenteredGrid: data in PhiFlow's axis order (x, y[, z][, vector]) —
 * i.e. transposed from our [ny, nx] — float32 (float64 sources stay float64), lower/upper from
 * the cell-centre scales (half a cell outside the first/last centre; axes with a negative slope are
 * flipped so that lower < upper), the chosen extrapolation pickled as PhiFlow's dict. PhiFlow has no
 * masks: masked cells become NaN. RGB fields are not grids and are refused.
 *
 * File names follow PhiFlow's normalisation after '/' → '_' (`velocity/x` → `velocity_x`, lower
 * case, only word characters and '-'). Frame numbers are the source's when they are distinct
 * integers in 0…999999 (PhiFlow parses exactly six digits), else the export positions 0, 1, ….
 */
import { encodeNpy } from '../codecs/npy';
import { encodeNpz } from '../codecs/npz';
import { tuple } from '../codecs/pickle';
import { encodeObjectNpy, scalarArray } from '../codecs/pickle-write';
import type { FieldData, FrameSource, Scale } from '../core/types';
import { eachFrame, ExportError, fieldOf, pad6, resolveFields, resolveFrames, type ExportControl, type ExportedFile, type ExportJob } from './job';
import { readOptions } from './targets';

const T = 'phiflow-scene';
const AXES = ['x', 'y', 'z'] as const;

/** PhiFlow's field-name normalisation (Scene._slugify_filename after our '/' → '_'). */
export function phiflowFieldName(name: string): string {
  let s = name.replace(/\//g, '_').replace(/\._/g, '.').replace(/\./g, '_');
  if (s.startsWith('_')) s = s.slice(1);
  s = s
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, '-');
  return s;
}

interface AxisPlan {
  n: number;
  lo: number;
  hi: number;
  flip: boolean;
}

function axisPlan(scale: Scale | undefined, n: number): AxisPlan {
  if (!scale || !Number.isFinite(scale.slope) || scale.slope === 0 || !Number.isFinite(scale.offset)) return { n, lo: 0, hi: n, flip: false };
  const step = Math.abs(scale.slope);
  const first = Math.min(scale.offset, scale.offset + (n - 1) * scale.slope);
  return { n, lo: first - step / 2, hi: first - step / 2 + n * step, flip: scale.slope < 0 };
}

function extrapolationDict(kind: unknown): Record<string, unknown> {
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
 * The nine npz members of one CenteredGrid file. `cells` is the field's cell shape
 * ([nx], [ny, nx] or [nz, ny, nx]); components are the scalar values or u, v(, w).
 */
export function centeredGridMembers(
  d: FieldData,
  extrapolation: Record<string, unknown>,
  forceF64: boolean,
): Record<string, Uint8Array> {
  const cells = d.shape;
  const nd = cells.length;
  if (nd < 1 || nd > 3) throw new ExportError(T, `a ${nd}-axis field cannot be a PhiFlow grid`);
  // our axes in C order are [.., y, x]; PhiFlow's are x, y, z
  const sizes = AXES.slice(0, nd).map((_, a) => cells[nd - 1 - a]); // nx, ny, nz
  const scales = [d.scales?.x, d.scales?.y, d.scales?.z];
  const plans = sizes.map((n, a) => axisPlan(scales[a], n));
  const comps: ArrayLike<number>[] = d.kind === 'vector' ? ([d.u, d.v, d.w].filter(Boolean) as Float32Array[]) : [d.values as ArrayLike<number>];
  if (d.kind === 'vector' && comps.length < nd) throw new ExportError(T, `vector field has ${comps.length} components on a ${nd}-axis grid`);
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
        const bad = mask ? mask[si] !== 0 : false;
        for (let c = 0; c < C; c++) data[o++] = bad ? NaN : comps[c][si];
      }
    }
  }
  const names: string[] = AXES.slice(0, nd).map(String);
  const types = names.map(() => 'spatial');
  const itemNames: unknown[] = names.map(() => null);
  const shape = sizes.slice();
  if (d.kind === 'vector') {
    names.push('vector');
    types.push('channel');
    itemNames.push(tuple(...AXES.slice(0, C)));
    shape.push(C);
  }
  return {
    dim_names: encodeNpy({ shape: [names.length], data: names }),
    dim_types: encodeNpy({ shape: [types.length], data: types }),
    dim_item_names: encodeObjectNpy(itemNames, [itemNames.length], 3),
    field_type: encodeNpy({ shape: [], data: ['CenteredGrid'] }),
    lower: encodeNpy({ shape: [nd], data: Float64Array.from(plans, (p) => p.lo) }),
    upper: encodeNpy({ shape: [nd], data: Float64Array.from(plans, (p) => p.hi) }),
    bounds_item_names: encodeNpy({ shape: [nd], data: AXES.slice(0, nd).map(String) }),
    extrapolation: encodeObjectNpy([extrapolation], [], 3),
    data: encodeNpy({ shape, data }),
  };
}

export async function exportPhiflowScene(source: FrameSource, job: ExportJob, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = readOptions(T, job.options);
  const frames = resolveFrames(source, job);
  const fields = resolveFields(source, job, ['scalar', 'vector'], (f) => f.shape.length >= 1 && f.shape.length <= 3);
  const sceneId = Number(opts.sceneId);
  if (!Number.isInteger(sceneId) || sceneId < 0) throw new ExportError(T, `scene id must be a non-negative integer (got ${opts.sceneId})`);
  const dir = `sim_${pad6(sceneId)}`;
  const fileNames = new Map<string, string>();
  for (const f of fields) {
    const slug = phiflowFieldName(f.name);
    if (!slug) throw new ExportError(T, `field “${f.name}” has no characters PhiFlow keeps in a file name`);
    const clash = [...fileNames.entries()].find(([, s]) => s === slug);
    if (clash) throw new ExportError(T, `fields “${clash[0]}” and “${f.name}” would both be stored as “${slug}”; export one of them`);
    fileNames.set(f.name, slug);
  }
  const infos = frames.map((i) => source.frames[i]);
  const nums = infos.map((f) => f.number);
  const useSource = nums.every((n) => Number.isInteger(n) && n >= 0 && n <= 999_999) && new Set(nums).size === nums.length;
  const frameNo = useSource ? nums : frames.map((_, k) => k);
  const extrapolation = extrapolationDict(opts.extrapolation);
  const out: ExportedFile[] = [];
  let domain: { lo: number[]; hi: number[]; names: string[] } | null = null;

  await eachFrame(source, frames, ctl, (frame, k) => {
    for (const f of fields) {
      const d = fieldOf(frame, f.name, T);
      if (d.kind !== 'scalar' && d.kind !== 'vector') throw new ExportError(T, `field “${f.name}” is ${d.kind}; PhiFlow grids hold scalar or vector values`);
      const members = centeredGridMembers(d, extrapolation, false);
      if (!domain) {
        const nd = d.shape.length;
        const plans = AXES.slice(0, nd).map((_, a) => axisPlan([d.scales?.x, d.scales?.y, d.scales?.z][a], d.shape[nd - 1 - a]));
        domain = { lo: plans.map((p) => p.lo), hi: plans.map((p) => p.hi), names: AXES.slice(0, nd).map(String) };
      }
      out.push({ path: `${dir}/${fileNames.get(f.name)}_${pad6(frameNo[k])}.npz`, bytes: encodeNpz(members, { compress: true }) });
    }
  });

  const props: Record<string, unknown> = {};
  const tensors: string[] = [];
  const user = opts.properties && typeof opts.properties === 'object' && !Array.isArray(opts.properties) ? (opts.properties as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(user)) if (k !== '__tensors__') props[k] = v;
  props.source = { format: source.format, name: source.name };
  if (source.timeUnit) props.time_unit = source.timeUnit;
  const times = infos.map((f) => f.time);
  if (times.every((t): t is number => t !== null && Number.isFinite(t))) {
    // PhiFlow stores no time; a `dt` property (time = frame · dt) is the convention, written only when it is exact
    const dts = times.map((t, k) => (frameNo[k] ? t / frameNo[k] : NaN)).filter(Number.isFinite);
    const dt = dts.length ? dts[0] : NaN;
    const exact = dts.length > 0 && dt > 0 && times.every((t, k) => Math.abs(t - frameNo[k] * dt) <= 1e-9 * Math.max(1, Math.abs(t)));
    if (exact && !('dt' in props)) props.dt = dt;
    props.frame_times = times;
  }
  props.frame_numbers = frameNo;
  if (useSource === false) props.source_frame_numbers = nums;
  if (domain) {
    const d = domain as { lo: number[]; hi: number[]; names: string[] };
    const tensor = (data: number[]) => ({ names: ['vector'], types: ['channel'], item_names: [d.names], data });
    props.domain_lower = tensor(d.lo);
    props.domain_upper = tensor(d.hi);
    tensors.push('domain_lower', 'domain_upper');
  }
  if (tensors.length) props.__tensors__ = tensors;
  const desc = new TextEncoder().encode(JSON.stringify(props, null, 2));
  return [{ path: `${dir}/description.json`, bytes: desc }, ...out];
}
