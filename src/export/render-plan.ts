/**
 * What the rendered exports (movies, rendered PNGs, the dialog's preview) draw: the field, the
 * compose options and the colour limits, from the typed render options (render-options.ts).
 *
 * Limits: the viewer's modes (minmax, p1-99, symmetric, manual) taken over a scope. Scope `frame`
 * leaves them to each frame (compose-frame computes them as the viewer does); scope `global` scans
 * the exported frames first (the displayed values: the scalar, or |v| / one component of a vector
 * field, masked and non-finite cells excluded) so that the colours mean the same in every frame.
 * Global p1-99 takes two passes (range, then a 4096-bin histogram over all frames: exact to 1/4096
 * of the range, as the viewer's per-frame percentiles).
 */
import type { FieldData, FieldInfo, FrameSource } from '../core/types';
import type { ComposeOptions } from '../render/compose-frame';
import { eachFrame, resolveFields, type ExportControl } from './job';
import type { RenderOptions } from './render-options';

export interface RenderPlan {
  field: FieldInfo;
  compose: ComposeOptions;
  /** the fixed limits of a global scope or manual limits (null: per frame) */
  limits: [number, number] | null;
}

/** The values a field shows for a component and z plane (data order), with the plane's mask. */
export function displayedValues(d: FieldData, component: string, plane: number): { values: ArrayLike<number>; mask?: Uint8Array } | null {
  if (d.kind === 'rgb') return null;
  const cells = d.shape.length === 1 ? d.shape[0] : d.shape.slice(-2).reduce((a, b) => a * b, 1);
  const nz = d.shape.length >= 3 ? d.shape[0] : 1;
  const base = Math.max(0, Math.min(nz - 1, plane)) * (d.shape.length >= 3 ? cells : 0);
  const mask = d.mask?.subarray(base, base + cells);
  if (d.kind === 'vector') {
    const c = component === 'u' ? d.u : component === 'v' ? d.v : component === 'w' ? d.w : null;
    if (c) return { values: c.subarray(base, base + cells), mask };
    const out = new Float32Array(cells);
    for (let i = 0; i < cells; i++) {
      const a = d.u![base + i];
      const b = d.v![base + i];
      const w = d.w ? d.w[base + i] : 0;
      out[i] = Math.sqrt(a * a + b * b + w * w);
    }
    return { values: out, mask };
  }
  const v = d.values as Float32Array;
  return { values: v.subarray(base, base + cells), mask };
}

/** Min/max of what is displayed for one field of one frame, folded into `into`. */
export function displayedRange(d: FieldData, component: string, plane: number, into: [number, number]): [number, number] {
  const s = displayedValues(d, component, plane);
  if (!s) return into;
  const { values, mask } = s;
  for (let i = 0; i < values.length; i++) {
    if (mask?.[i]) continue;
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    if (x < into[0]) into[0] = x;
    if (x > into[1]) into[1] = x;
  }
  return into;
}

const BINS = 4096;

/** Fixed colour limits over the exported frames for a mode (not manual). */
export async function globalLimits(
  source: FrameSource,
  field: string,
  mode: 'minmax' | 'p1-99' | 'symmetric',
  component: string,
  plane: number,
  frames: number[],
  ctl: ExportControl | undefined,
): Promise<[number, number]> {
  const r: [number, number] = [Infinity, -Infinity];
  await eachFrame(
    source,
    frames,
    ctl,
    (frame) => {
      const d = frame.fields[field];
      if (d) displayedRange(d, component, plane, r);
    },
    'scan',
  );
  if (!(r[0] <= r[1])) return [0, 1];
  if (mode === 'symmetric') {
    const m = Math.max(Math.abs(r[0]), Math.abs(r[1])) || 1;
    return [-m, m];
  }
  if (mode === 'minmax' || r[0] === r[1]) return r[0] < r[1] ? r : [r[0] - 0.5, r[1] + 0.5];
  // p1-99: a histogram of every displayed value of every frame between the global min and max
  const hist = new Float64Array(BINS);
  const k = (BINS - 1) / (r[1] - r[0]);
  let valid = 0;
  await eachFrame(
    source,
    frames,
    ctl,
    (frame) => {
      const d = frame.fields[field];
      const s = d && displayedValues(d, component, plane);
      if (!s) return;
      for (let i = 0; i < s.values.length; i++) {
        if (s.mask?.[i]) continue;
        const x = s.values[i];
        if (!Number.isFinite(x)) continue;
        hist[Math.floor((x - r[0]) * k)]++;
        valid++;
      }
    },
    'scan',
  );
  const at = (q: number) => {
    const target = q * valid;
    let acc = 0;
    for (let b = 0; b < BINS; b++) {
      acc += hist[b];
      if (acc >= target) return r[0] + b / k;
    }
    return r[1];
  };
  const lo = at(0.01);
  const hi = Math.min(r[1], at(0.99) + 1 / k);
  return lo < hi ? [lo, hi] : r;
}

/** The field a render shows: the option, else the job's first field, else the first field of the dataset. */
export function renderField(source: FrameSource, job: { target: string; fields?: string[] }, o: Pick<RenderOptions, 'field'>): FieldInfo {
  const want = o.field || job.fields?.[0];
  return resolveFields(source, { target: job.target, fields: want ? [want] : undefined }, ['scalar', 'vector', 'rgb'])[0];
}

export async function planRender(
  source: FrameSource,
  job: { target: string; frames: number[]; fields?: string[] },
  o: RenderOptions,
  ctl?: ExportControl,
): Promise<RenderPlan> {
  const field = renderField(source, job, o);
  let limits: [number, number] | null = null;
  if (o.limits === 'manual') limits = [o.vmin!, o.vmax!];
  else if (o.limitsScope === 'global' && field.kind !== 'rgb') limits = await globalLimits(source, field.name, o.limits, o.component, o.plane, job.frames, ctl);
  const compose: ComposeOptions = {
    field: field.name,
    component: o.component,
    plane: o.plane,
    colormap: o.colormap,
    limitsMode: o.limits,
    limits: limits ?? undefined,
    quiver: o.quiver,
    stride: o.stride,
    arrowScale: o.arrowScale,
    arrowColor: o.arrowColor,
    maskColor: o.maskColor,
    width: o.width,
    label: o.label,
    colorbar: o.colorbar,
    timeUnit: source.timeUnit,
  };
  return { field, compose, limits };
}
