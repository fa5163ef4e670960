/**
 * What the rendered exports (movies, rendered PNGs) draw: the field, the compose options and the
 * colour limits. `limits: 'global'` scans the exported frames once (min/max of the displayed values:
 * the scalar, or |v| / one component of a vector field, masked cells excluded) so the colours
 * mean the same in every frame; 'frame' uses each frame's own min/max; 'manual' uses vmin/vmax.
 */
import type { FieldData, FieldInfo, FrameSource } from '../core/types';
import type { ComposeOptions } from '../render/compose-frame';
import { eachFrame, ExportError, resolveFields, type ExportControl, type ExportJob } from './job';

export interface RenderPlan {
  field: FieldInfo;
  compose: ComposeOptions;
  limitsMode: 'global' | 'frame' | 'manual';
}

/** Min/max of what is displayed for one field of one frame, folded into `into`. */
export function displayedRange(d: FieldData, component: string, plane: number, into: [number, number]): [number, number] {
  const cells = d.kind === 'rgb' ? 0 : d.shape.slice(-2).reduce((a, b) => a * b, 1);
  if (!cells) return into;
  const nz = d.shape.length >= 3 && d.kind !== 'rgb' ? d.shape[0] : 1;
  const base = Math.max(0, Math.min(nz - 1, plane)) * (d.shape.length >= 3 ? cells : 0);
  const mask = d.mask;
  const n = d.shape.length === 1 ? d.shape[0] : cells;
  const take = (x: number) => {
    if (!Number.isFinite(x)) return;
    if (x < into[0]) into[0] = x;
    if (x > into[1]) into[1] = x;
  };
  if (d.kind === 'vector') {
    const c = component === 'u' ? d.u : component === 'v' ? d.v : component === 'w' ? d.w : null;
    for (let i = 0; i < n; i++) {
      const k = base + i;
      if (mask?.[k]) continue;
      if (c) take(c[k]);
      else {
        const a = d.u![k];
        const b = d.v![k];
        const w = d.w ? d.w[k] : 0;
        take(Math.sqrt(a * a + b * b + w * w));
      }
    }
  } else {
    const v = d.values as ArrayLike<number>;
    for (let i = 0; i < n; i++) {
      const k = base + i;
      if (mask?.[k]) continue;
      take(v[k]);
    }
  }
  return into;
}

export async function planRender(
  source: FrameSource,
  job: ExportJob,
  opts: Record<string, unknown>,
  frames: number[],
  ctl: ExportControl | undefined,
  progressTotal: number,
): Promise<RenderPlan> {
  const want = typeof opts.field === 'string' && opts.field ? opts.field : job.fields?.[0];
  const field = resolveFields(source, { ...job, fields: want ? [want] : undefined }, ['scalar', 'vector', 'rgb'])[0];
  const limitsMode = (opts.limits as RenderPlan['limitsMode']) ?? 'global';
  const component = String(opts.component ?? 'magnitude');
  const plane = Number(opts.plane ?? 0);
  const compose: ComposeOptions = {
    field: field.name,
    component,
    colormap: String(opts.colormap ?? 'viridis'),
    quiver: opts.quiver !== false,
    stride: Number(opts.stride ?? 0),
    arrowScale: Number(opts.arrowScale ?? 1),
    arrowColor: String(opts.arrowColor ?? 'black'),
    plane,
    width: Number(opts.width ?? 0),
    label: opts.label !== false,
    colorbar: opts.colorbar !== false,
    timeUnit: source.timeUnit,
  };
  if (limitsMode === 'manual') {
    const a = Number(opts.vmin);
    const b = Number(opts.vmax);
    if (!(Number.isFinite(a) && Number.isFinite(b) && b > a)) throw new ExportError(job.target, `manual limits need vmin < vmax (got ${opts.vmin}, ${opts.vmax})`);
    compose.limits = [a, b];
  } else if (limitsMode === 'global' && field.kind !== 'rgb') {
    const r: [number, number] = [Infinity, -Infinity];
    await eachFrame(
      source,
      frames,
      ctl,
      (frame) => {
        const d = frame.fields[field.name];
        if (d) displayedRange(d, component, plane, r);
      },
      { offset: 0, total: progressTotal },
    );
    compose.limits = r[0] <= r[1] ? (r[0] < r[1] ? r : [r[0] - 0.5, r[1] + 0.5]) : [0, 1];
  }
  return { field, compose, limitsMode };
}
