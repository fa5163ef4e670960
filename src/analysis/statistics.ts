/**
 * Time statistics per cell over a range of frames, streamed one frame at a time (memory does not
 * depend on the number of frames): Welford's running mean and sum of squared deviations in float64,
 * with the co-moments for the Reynolds shear stresses. Only valid samples count (unmasked and
 * finite in every component): `count` is per cell. Population statistics (ddof = 0, numpy's default):
 *   mean, std = √(Σ(x − x̄)²/n), min, max, count;
 *   vectors also reynolds-uu/-vv/-ww = ⟨u'u'⟩…, reynolds-uv/-uw/-vw = ⟨u'v'⟩…,
 *   tke = ½(⟨u'u'⟩ + ⟨v'v'⟩ [+ ⟨w'w'⟩]) (only the components the data has).
 * mean, std, min and max of a vector field are vector fields (per component: the mean field draws as
 * a quiver); count, the stresses and tke are scalar. Cells with fewer than `minCount` (default 1)
 * valid samples are masked (value 0).
 */
import type { FieldData, FieldKind, FrameInfo, FrameSource } from '../core/types';
import type { DeriveOptions } from './derive';
import { analysisError } from './fail';
import { dimsOf, sameGrid } from './grid';
import { scalarView } from './scalar-view';
import type { SmoothOptions } from './smooth';
import { frameList, streamFrames, type AnalysisControl, type FrameSelection } from './stream';
import { powerUnit } from './units';

export const VECTOR_STATS = [
  'mean',
  'std',
  'min',
  'max',
  'count',
  'reynolds-uu',
  'reynolds-vv',
  'reynolds-ww',
  'reynolds-uv',
  'reynolds-uw',
  'reynolds-vw',
  'tke',
] as const;
export const SCALAR_STATS = ['mean', 'std', 'min', 'max', 'count'] as const;
export type StatName = (typeof VECTOR_STATS)[number];

export interface StatInfo {
  name: StatName;
  label: string;
  description: string;
}

export const STATISTICS: readonly StatInfo[] = [
  { name: 'mean', label: 'mean', description: 'mean over the frames' },
  { name: 'std', label: 'std', description: 'standard deviation (population, ddof = 0): RMS of the fluctuations' },
  { name: 'min', label: 'min', description: 'minimum over the frames' },
  { name: 'max', label: 'max', description: 'maximum over the frames' },
  { name: 'count', label: 'count', description: 'number of valid samples per cell' },
  { name: 'reynolds-uu', label: "⟨u'u'⟩", description: "Reynolds normal stress ⟨u'u'⟩ (per unit density)" },
  { name: 'reynolds-vv', label: "⟨v'v'⟩", description: "Reynolds normal stress ⟨v'v'⟩ (per unit density)" },
  { name: 'reynolds-ww', label: "⟨w'w'⟩", description: "Reynolds normal stress ⟨w'w'⟩ (per unit density)" },
  { name: 'reynolds-uv', label: "⟨u'v'⟩", description: "Reynolds shear stress ⟨u'v'⟩ (per unit density, without the minus sign)" },
  { name: 'reynolds-uw', label: "⟨u'w'⟩", description: "Reynolds shear stress ⟨u'w'⟩ (per unit density, without the minus sign)" },
  { name: 'reynolds-vw', label: "⟨v'w'⟩", description: "Reynolds shear stress ⟨v'w'⟩ (per unit density, without the minus sign)" },
  { name: 'tke', label: 'k', description: "turbulent kinetic energy ½ Σ ⟨u_i'u_i'⟩ over the components present" },
];

/** The statistics a field offers: scalars (and derived quantities) 5, 2-component vectors 9, 3-component 12. */
export function availableStatistics(f: { kind: FieldKind; hasW?: boolean; w?: unknown }, quantity?: string): StatName[] {
  if (f.kind !== 'vector' || quantity) return [...SCALAR_STATS];
  const w = f.hasW ?? !!f.w;
  return VECTOR_STATS.filter((s) => w || !(s === 'reynolds-ww' || s === 'reynolds-uw' || s === 'reynolds-vw'));
}

export interface TimeStatisticsRequest {
  field: string;
  /** frame indices (default: every frame); use export's frameRange for start/stop/step semantics */
  frames?: FrameSelection;
  /** statistic names (default: every one the field offers) */
  stats?: string[];
  /** statistics of a component or derived quantity (scalar) instead of the field itself */
  quantity?: string;
  /** smoothing before deriving `quantity` */
  smooth?: SmoothOptions | null;
  /** cells with fewer valid samples are masked (default 1) */
  minCount?: number;
}

const PAIRS: Record<string, [number, number]> = { 'reynolds-uv': [0, 1], 'reynolds-uw': [0, 2], 'reynolds-vw': [1, 2] };
const NORMAL: Record<string, number> = { 'reynolds-uu': 0, 'reynolds-vv': 1, 'reynolds-ww': 2 };

/** Running per-cell statistics of one field; add frames one by one, then read the result. */
export class StatsAccumulator {
  readonly cells: number;
  readonly nc: number;
  private n: Float64Array;
  private mean: Float64Array[];
  private m2: Float64Array[];
  private lo: Float64Array[] | null;
  private hi: Float64Array[] | null;
  private delta: Float64Array[];
  private co: { name: string; a: number; b: number; c: Float64Array }[];
  private valid: Uint8Array;
  frames = 0;

  constructor(
    readonly template: FieldData,
    readonly kind: 'scalar' | 'vector',
    components: number,
    readonly stats: StatName[],
    readonly meta: { field: string; quantity?: string; unit: string; minCount: number },
  ) {
    this.cells = dimsOf(template).cells;
    this.nc = components;
    const C = () => Array.from({ length: components }, () => new Float64Array(this.cells));
    this.n = new Float64Array(this.cells);
    this.mean = C();
    this.m2 = C();
    this.delta = C();
    const wantsExtremes = stats.includes('min') || stats.includes('max');
    this.lo = wantsExtremes ? C().map((a) => a.fill(Infinity)) : null;
    this.hi = wantsExtremes ? C().map((a) => a.fill(-Infinity)) : null;
    this.co = stats.filter((s) => PAIRS[s]).map((s) => ({ name: s, a: PAIRS[s][0], b: PAIRS[s][1], c: new Float64Array(this.cells) }));
    this.valid = new Uint8Array(this.cells);
  }

  /** Add one frame's components (values with the frame's mask). */
  add(comps: ArrayLike<number>[], mask: Uint8Array | undefined): void {
    const { cells, n, valid } = this;
    const m = mask;
    const [a, b, c3] = comps;
    // x − x === 0 is false exactly for NaN and ±Infinity
    if (comps.length === 1) for (let p = 0; p < cells; p++) valid[p] = !m?.[p] && a[p] - a[p] === 0 ? 1 : 0;
    else if (comps.length === 2) for (let p = 0; p < cells; p++) valid[p] = !m?.[p] && a[p] - a[p] === 0 && b[p] - b[p] === 0 ? 1 : 0;
    else for (let p = 0; p < cells; p++) valid[p] = !m?.[p] && a[p] - a[p] === 0 && b[p] - b[p] === 0 && c3[p] - c3[p] === 0 ? 1 : 0;
    for (let p = 0; p < cells; p++) n[p] += valid[p];
    for (let c = 0; c < this.nc; c++) {
      const x = comps[c];
      const mean = this.mean[c];
      const m2 = this.m2[c];
      const dl = this.delta[c];
      const lo = this.lo?.[c];
      const hi = this.hi?.[c];
      for (let p = 0; p < cells; p++) {
        if (!valid[p]) continue;
        const xv = x[p];
        const d = xv - mean[p];
        const mu = mean[p] + d / n[p];
        mean[p] = mu;
        m2[p] += d * (xv - mu);
        dl[p] = d;
        if (lo) {
          if (xv < lo[p]) lo[p] = xv;
          if (xv > hi![p]) hi![p] = xv;
        }
      }
    }
    for (const { a, b, c } of this.co) {
      const da = this.delta[a];
      const xb = comps[b];
      const mb = this.mean[b];
      for (let p = 0; p < cells; p++) if (valid[p]) c[p] += da[p] * (xb[p] - mb[p]);
    }
    this.frames++;
  }

  result(): Record<string, FieldData> {
    const { cells, n } = this;
    const minCount = Math.max(1, this.meta.minCount);
    const mask = new Uint8Array(cells);
    for (let p = 0; p < cells; p++) mask[p] = n[p] >= minCount ? 0 : 1;
    const unit = this.meta.unit;
    const what = `${this.meta.quantity ? `${this.meta.quantity} of ` : ''}${this.meta.field} over ${this.frames} frame${this.frames === 1 ? '' : 's'}`;
    const info = (s: StatName) => STATISTICS.find((x) => x.name === s)!;
    const field = (s: StatName, arrays: Float32Array[], u: string, vectorial: boolean, masked = true): FieldData => {
      const base = {
        shape: this.template.kind === 'rgb' ? this.template.shape.slice(0, -1) : this.template.shape.slice(),
        ...(masked ? { mask: Uint8Array.from(mask) } : {}),
        ...sameGrid(this.template, { slope: 1, offset: 0, unit: u, description: `${info(s).description} of ${what}` }),
      };
      if (vectorial) return { kind: 'vector', u: arrays[0], v: arrays[1], ...(arrays[2] ? { w: arrays[2] } : {}), ...base };
      return { kind: 'scalar', values: arrays[0], ...base };
    };
    const per = (fn: (c: number, p: number) => number): Float32Array[] =>
      Array.from({ length: this.nc }, (_, c) => {
        const out = new Float32Array(cells);
        for (let p = 0; p < cells; p++) if (!mask[p]) out[p] = fn(c, p);
        return out;
      });
    const one = (fn: (p: number) => number): Float32Array[] => {
      const out = new Float32Array(cells);
      for (let p = 0; p < cells; p++) if (!mask[p]) out[p] = fn(p);
      return [out];
    };
    const vec = this.kind === 'vector';
    const u2 = unit ? powerUnit(unit, 2) : '';
    const out: Record<string, FieldData> = {};
    for (const s of this.stats) {
      if (s === 'mean')
        out[s] = field(
          s,
          per((c, p) => this.mean[c][p]),
          unit,
          vec,
        );
      else if (s === 'std')
        out[s] = field(
          s,
          per((c, p) => Math.sqrt(this.m2[c][p] / n[p])),
          unit,
          vec,
        );
      else if (s === 'min')
        out[s] = field(
          s,
          per((c, p) => this.lo![c][p]),
          unit,
          vec,
        );
      else if (s === 'max')
        out[s] = field(
          s,
          per((c, p) => this.hi![c][p]),
          unit,
          vec,
        );
      else if (s === 'count') out[s] = field(s, [Float32Array.from(n)], '', false, false);
      else if (s in NORMAL)
        out[s] = field(
          s,
          one((p) => this.m2[NORMAL[s]][p] / n[p]),
          u2,
          false,
        );
      else if (s in PAIRS) {
        const c = this.co.find((x) => x.name === s)!.c;
        out[s] = field(
          s,
          one((p) => c[p] / n[p]),
          u2,
          false,
        );
      } else if (s === 'tke')
        out[s] = field(
          s,
          one((p) => {
            let t = 0;
            for (let c = 0; c < this.nc; c++) t += this.m2[c][p];
            return (0.5 * t) / n[p];
          }),
          u2,
          false,
        );
    }
    return out;
  }
}

/** Statistics of the field over the frames; resolves to one FieldData per statistic name. */
export async function timeStatistics(source: FrameSource, req: TimeStatisticsRequest, ctl?: AnalysisControl): Promise<Record<string, FieldData>> {
  const indices = frameList(source, req.frames);
  if (!indices.length) throw analysisError('time statistics need at least one frame');
  const info = source.fields.find((f) => f.name === req.field);
  if (!info) throw analysisError(`field “${req.field}” is not in ${source.name} (fields: ${source.fields.map((f) => f.name).join(', ')})`);
  const dopts: DeriveOptions = req.smooth ? { smooth: req.smooth, fieldName: req.field } : { fieldName: req.field };
  let acc: StatsAccumulator | null = null;
  let shape: number[] = [];
  await streamFrames(source, indices, ctl, (frame) => {
    const f = frame.fields[req.field];
    if (!f) throw analysisError(`field “${req.field}” is missing in frame ${frame.info.number} (index ${frame.info.index})`);
    let comps: ArrayLike<number>[];
    let mask: Uint8Array | undefined;
    let unit = f.scales?.i?.unit ?? '';
    let kind: 'scalar' | 'vector' = 'scalar';
    if (req.quantity || f.kind === 'rgb') {
      const sv = scalarView(f, req.quantity, dopts);
      comps = [sv.values];
      mask = new Uint8Array(sv.valid.length);
      for (let p = 0; p < mask.length; p++) mask[p] = sv.valid[p] ? 0 : 1;
      unit = sv.unit;
    } else if (f.kind === 'vector') {
      if (!f.u || !f.v) throw analysisError(`vector field “${req.field}” of frame ${frame.info.number} has no u/v`);
      comps = f.w ? [f.u, f.v, f.w] : [f.u, f.v];
      mask = f.mask;
      kind = 'vector';
    } else {
      if (!f.values) throw analysisError(`scalar field “${req.field}” of frame ${frame.info.number} has no values`);
      comps = [f.values];
      mask = f.mask;
    }
    if (!acc) {
      const offered = kind === 'vector' ? availableStatistics({ kind, hasW: comps.length === 3 }) : [...SCALAR_STATS];
      const want = req.stats ?? offered;
      for (const s of want)
        if (!offered.includes(s as StatName))
          throw analysisError(
            `statistic '${s}' is not available for ${kind === 'vector' ? `a ${comps.length}-component vector field` : 'a scalar quantity'} (available: ${offered.join(', ')})`,
          );
      shape = f.shape.slice();
      acc = new StatsAccumulator(f, kind, comps.length, want as StatName[], { field: req.field, quantity: req.quantity, unit, minCount: req.minCount ?? 1 });
    } else {
      if (f.shape.length !== shape.length || f.shape.some((x, i) => x !== shape[i]))
        throw analysisError(
          `field “${req.field}” has shape [${f.shape.join(', ')}] in frame ${frame.info.number} but [${shape.join(', ')}] in the first frame of the range`,
        );
      if (comps.length !== acc.nc)
        throw analysisError(`field “${req.field}” has ${comps.length} components in frame ${frame.info.number} but ${acc.nc} in the first frame`);
    }
    if (mask && mask.length !== acc.cells)
      throw analysisError(`mask of “${req.field}” in frame ${frame.info.number} has ${mask.length} cells, expected ${acc.cells}`);
    for (const c of comps)
      if (c.length !== acc.cells) throw analysisError(`field “${req.field}” in frame ${frame.info.number} holds ${c.length} values for ${acc.cells} cells`);
    acc.add(comps, mask);
  });
  return acc!.result();
}

/** The current frame minus the mean: u − ū (vectors) or f − f̄, masked where either is. */
export function fluctuation(field: FieldData, mean: FieldData): FieldData {
  const cells = dimsOf(field).cells;
  if (dimsOf(mean).cells !== cells || field.kind !== mean.kind)
    throw analysisError(
      `fluctuation needs the mean of the same field (a ${field.kind} [${field.shape.join(', ')}] against a ${mean.kind} [${mean.shape.join(', ')}])`,
    );
  const mask = new Uint8Array(cells);
  const pairs: [ArrayLike<number>, ArrayLike<number>][] =
    field.kind === 'vector'
      ? (
          [
            ['u', 'u'],
            ['v', 'v'],
            ['w', 'w'],
          ] as const
        )
          .filter(([a]) => field[a] && mean[a])
          .map(([a]) => [field[a]!, mean[a]!])
      : [[field.values!, mean.values!]];
  const outs = pairs.map(() => new Float32Array(cells));
  for (let p = 0; p < cells; p++) {
    let bad = field.mask?.[p] || mean.mask?.[p] ? 1 : 0;
    if (!bad)
      for (const [a, b] of pairs) {
        const d = a[p] - b[p];
        if (!(d - d === 0)) bad = 1;
      }
    if (bad) {
      mask[p] = 1;
      continue;
    }
    for (let k = 0; k < pairs.length; k++) outs[k][p] = pairs[k][0][p] - pairs[k][1][p];
  }
  const i = { ...(field.scales?.i ?? { slope: 1, offset: 0, unit: '', description: '' }), description: 'fluctuation (frame − mean)' };
  const base = { shape: field.shape.slice(), mask, ...sameGrid(field, i) };
  if (field.kind === 'vector') return { kind: 'vector', u: outs[0], v: outs[1], ...(outs[2] ? { w: outs[2] } : {}), ...base };
  return { kind: 'scalar', values: outs[0], ...base };
}

export interface StatisticsSourceOptions {
  field: string;
  frames?: FrameSelection;
  quantity?: string;
  /** dataset name (default: "<source> – statistics of <field>") */
  name?: string;
}

/**
 * The statistics as a dataset: ONE frame whose fields are the statistics (`mean`, `std`, …).
 * Why one frame with a field per statistic rather than one frame per statistic: the statistics
 * differ in kind and unit (mean/std/min/max of a vector are vectors in m/s, count is a scalar
 * without unit, the stresses and tke scalars in m²/s²), and every view and exporter assumes a field
 * keeps its kind, shape and unit from frame to frame; as fields they are picked like stored fields
 * (the field picker), the mean draws as a quiver, and an npz export writes one member per statistic
 * under its own name (`mean`, `std`, `reynolds-uv`, …) as numpy users expect.
 */
export function statisticsSource(
  source: Pick<FrameSource, 'name' | 'frames' | 'timeUnit' | 'nearestIndex'>,
  result: Record<string, FieldData>,
  opts: StatisticsSourceOptions,
): FrameSource {
  const indices = frameList(source, opts.frames);
  const info: FrameInfo = { index: 0, number: 0, time: null };
  const first = source.frames[indices[0]];
  const last = source.frames[indices[indices.length - 1]];
  const fields = Object.entries(result).map(([name, f]) => ({ name, kind: f.kind, shape: f.shape.slice(), unit: f.scales?.i?.unit ?? '' }));
  const metadata = {
    analysis: 'time-statistics',
    source: source.name,
    field: opts.field,
    ...(opts.quantity ? { quantity: opts.quantity } : {}),
    frames: {
      count: indices.length,
      first: first ? { ...first } : null,
      last: last ? { ...last } : null,
      indices: indices.length <= 10000 ? indices.slice() : undefined,
    },
    ddof: 0,
    statistics: Object.fromEntries(Object.entries(result).map(([k, f]) => [k, f.scales?.i?.description ?? k])),
  };
  return {
    format: 'statistics',
    name: opts.name ?? `${source.name} – statistics of ${opts.quantity ? `${opts.quantity} of ` : ''}${opts.field}`,
    frames: [info],
    fields,
    metadata,
    timeUnit: null,
    async readFrame(index: number) {
      if (index !== 0) throw new RangeError(`statistics dataset has one frame (index 0), not ${index}`);
      return { info, fields: { ...result }, attributes: { ...metadata } };
    },
    nearestIndex: () => 0,
    close() {},
  };
}
