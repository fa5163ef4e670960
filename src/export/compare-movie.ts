/**
 * Browser-only (OffscreenCanvas, ffmpeg.wasm / WebCodecs): a comparison export — the whole grid of
 * panels, each drawn as the rendered targets draw one dataset (compose-frame.ts: axes, colour bar,
 * title with its own frame and time), laid out by compose-grid.ts under the common time label, and
 * written through the rendered targets: mp4, webm, gif (rendered-movie.ts's encoders) or png-zip.
 *
 * The plan (ComparisonJob: which frame of which dataset per panel per output frame) comes from the
 * main thread (src/state/compare-export.ts); this executes it with every panel's dataset open.
 * Differences are computed as the viewer computes them (analysis/difference.ts, passed in by the
 * worker: B resampled onto A's grid). Colour limits: manual, or global over the panel's exported frames (normal panels), or
 * per frame (differences and blink panels always); shared limits = panel 1's for every panel.
 */
import { zipSync, type Zippable } from 'fflate';
import { encodePng } from '../codecs/png-encode';
import { ExportError } from '../core/errors';
import type { FieldData, Frame, FrameSource } from '../core/types';
import { composeFrame, type ComposedFrame, type ComposeOptions } from '../render/compose-frame';
import { composeGrid, type ComposedGrid } from '../render/compose-grid';
import { COMPARE_TARGETS, type ComparisonJob } from './compare-job';
import { pad6, throwIfAborted, type ExportControl, type ExportedFile } from './job';
import type { RenderOptions } from './render-options';
import { globalLimits } from './render-plan';
import { encodeRenderedFrames, type MovieOptions } from './rendered-movie';
import { resolveOptions } from './target';
import { requireTarget } from './targets';
import { movieTiming } from './targets/movies';

const safeName = (s: string) => s.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/^\.+/, '') || 'comparison';

/**
 * A − B of two fields (B resampled onto A's grid where they differ): the viewer's own
 * (analysis/difference.ts `differenceField`), passed in by the export worker — analysis imports
 * export, so export does not import analysis.
 */
export type DifferenceFn = (a: FieldData, b: FieldData, opts: { abs?: boolean }) => FieldData;

export async function exportComparison(
  sources: FrameSource[],
  job: ComparisonJob,
  ctl: ExportControl | undefined,
  difference: DifferenceFn,
): Promise<ExportedFile[]> {
  if (!COMPARE_TARGETS.includes(job.target))
    throw new ExportError(job.target, `a comparison is exported through a rendered target (${COMPARE_TARGETS.join(', ')})`);
  if (!job.steps.length) throw new ExportError(job.target, 'no timeline positions selected');
  const t = requireTarget(job.target);
  const given = job.target === 'png-zip' ? { ...job.options, mode: 'rendered' } : job.options;
  const opts = resolveOptions(t, { ...given, field: undefined }) as unknown as RenderOptions & MovieOptions & { name: string };
  const panels = job.panels;
  for (const p of panels) {
    if (!sources[p.dataset]) throw new ExportError(job.target, `panel “${p.label}” names dataset ${p.dataset}, which the job does not open`);
  }

  // fixed colour limits per panel (null = per frame)
  const fixed: ([number, number] | null)[] = [];
  for (const [i, p] of panels.entries()) {
    if (opts.limits === 'manual') fixed.push([opts.vmin!, opts.vmax!]);
    else if (opts.limitsScope === 'global' && p.mode === 'normal' && !(job.sharedLimits && i > 0)) {
      const idx = [...new Set(job.steps.flatMap((s) => (s.cells[i] ? [s.cells[i]!.index] : [])))];
      const kind = sources[p.dataset].fields.find((f) => f.name === p.field)?.kind;
      fixed.push(idx.length && kind !== 'rgb' ? await globalLimits(sources[p.dataset], p.field, opts.limits, opts.component, opts.plane, idx, ctl) : null);
    } else fixed.push(null);
  }
  if (job.sharedLimits) for (let i = 1; i < panels.length; i++) fixed[i] = fixed[0];

  // a few recent frames per dataset: held frames and the reference of a difference are read once
  const cache = new Map<string, Promise<Frame>>();
  const read = (ds: number, index: number): Promise<Frame> => {
    const key = `${ds}|${index}`;
    let f = cache.get(key);
    if (!f) {
      f = sources[ds].readFrame(index, { signal: ctl?.signal });
      cache.set(key, f);
      if (cache.size > 3 * panels.length + 2) cache.delete(cache.keys().next().value!);
    }
    return f;
  };

  const compose = (p: (typeof panels)[number], ds: number, field: string, limits: [number, number] | null): ComposeOptions => ({
    field,
    component: opts.component,
    plane: opts.plane,
    colormap: p.colormap,
    limitsMode: opts.limits === 'manual' ? 'minmax' : opts.limits,
    limits: limits ?? undefined,
    quiver: opts.quiver,
    stride: opts.stride,
    arrowScale: opts.arrowScale,
    arrowColor: opts.arrowColor,
    maskColor: opts.maskColor,
    width: opts.width,
    label: opts.label,
    colorbar: opts.colorbar,
    timeUnit: sources[ds].timeUnit,
  });

  let cell: ComposedGrid['cell'] | undefined;
  const renderStep = async (k: number): Promise<ComposedGrid> => {
    throwIfAborted(ctl?.signal);
    const step = job.steps[k];
    const drawn: (ComposedFrame | null)[] = [];
    let limits0: [number, number] | null = null;
    for (const [i, p] of panels.entries()) {
      const c = step.cells[i];
      if (!c) {
        drawn.push(null);
        continue;
      }
      const lim = fixed[i] ?? (job.sharedLimits && i > 0 ? limits0 : null);
      let out: ComposedFrame;
      if (p.mode === 'blink' && c.showRef && p.ref !== null && c.ref != null) {
        out = composeFrame(await read(p.ref, c.ref), compose(p, p.ref, p.refField ?? p.field, lim));
      } else if ((p.mode === 'difference' || p.mode === 'abs-difference') && p.ref !== null && c.ref != null) {
        const [a, b] = await Promise.all([read(p.dataset, c.index), read(p.ref, c.ref)]);
        const fa = a.fields[p.field];
        const fb = b.fields[p.refField ?? p.field];
        if (!fa || !fb)
          throw new ExportError(
            job.target,
            `panel “${p.label}”: ${!fa ? `field “${p.field}”` : `the reference's field “${p.refField}”`} is missing in its frame`,
          );
        const name = p.diffLabel ?? `${p.field} difference`;
        const shown: Frame = { ...a, fields: { [name]: difference(fa, fb, { abs: p.mode === 'abs-difference' }) } };
        out = composeFrame(shown, compose(p, p.dataset, name, lim));
      } else {
        out = composeFrame(await read(p.dataset, c.index), compose(p, p.dataset, p.field, lim));
      }
      if (i === 0) limits0 = out.limits;
      drawn.push(out);
    }
    const g = composeGrid(drawn, { columns: 2, labels: panels.map((p) => p.label), timeLabel: step.label, cell });
    cell = g.cell;
    return g;
  };

  const name = safeName(opts.name || 'comparison');
  const first = await renderStep(0);
  const { width, height } = first;
  const notes = [`${panels.length} panels, ${job.steps.length} frames, ${width}×${height}`];
  notes.push(
    opts.limits === 'manual'
      ? `manual colour limits ${opts.vmin} … ${opts.vmax}`
      : `colour limits ${opts.limits} ${opts.limitsScope === 'global' ? 'over the exported frames (per frame for differences and blink panels)' : 'per frame'}${job.sharedLimits ? ', panel A’s for every panel' : ''}`,
  );

  if (job.target === 'png-zip') {
    const zip: Zippable = {};
    for (let k = 0; k < job.steps.length; k++) {
      const g = k === 0 ? first : await renderStep(k);
      const n = g.width * g.height;
      const rgb = new Uint8Array(n * 3);
      for (let i = 0; i < n; i++) {
        rgb[3 * i] = g.rgba[4 * i];
        rgb[3 * i + 1] = g.rgba[4 * i + 1];
        rgb[3 * i + 2] = g.rgba[4 * i + 2];
      }
      zip[`${pad6(k)}.png`] = [encodePng({ width: g.width, height: g.height, channels: 3, data: rgb }), { level: 0 }];
      ctl?.onProgress?.(k + 1, job.steps.length, 'write');
    }
    const table = job.steps.map((s, k) => ({ k, key: s.key, label: s.label, panels: s.cells }));
    zip['frames.json'] = new TextEncoder().encode(JSON.stringify({ format: 'framescope comparison png-zip', panels, frames: table }, null, 2));
    return [{ path: `${name}.zip`, bytes: zipSync(zip, { mtime: new Date(1980, 0, 1) }), note: notes.join('; ') }];
  }

  const frame = async (k: number): Promise<Uint8Array> => {
    const g = k === 0 ? first : await renderStep(k);
    return new Uint8Array(g.rgba.buffer, g.rgba.byteOffset, g.rgba.byteLength);
  };
  const r = await encodeRenderedFrames(job.target, opts, name, { width, height, count: job.steps.length, frame }, ctl);
  return [{ path: `${name}.${r.ext}`, bytes: r.bytes, note: [movieTiming(job.target, opts).note, ...r.notes, ...notes].join('; ') }];
}

/** The first output frame of a comparison as a PNG (the dialog's preview). */
export async function previewComparison(
  sources: FrameSource[],
  job: ComparisonJob,
  ctl: ExportControl | undefined,
  difference: DifferenceFn,
): Promise<{ png: Uint8Array; width: number; height: number }> {
  const one = { ...job, target: 'png-zip' as const, steps: job.steps.slice(0, 1), options: { ...job.options, mode: 'rendered' } };
  // the same drawing path, one frame, straight from the zip entry
  const files = await exportComparison(
    sources,
    { ...one, options: Object.fromEntries(Object.entries(one.options).filter(([k]) => !MOVIE_ONLY.has(k))) },
    ctl,
    difference,
  );
  const { unzipSync } = await import('fflate');
  const png = unzipSync(files[0].bytes)['000000.png'];
  const w = new DataView(png.buffer, png.byteOffset + 16, 8);
  return { png, width: w.getUint32(0), height: w.getUint32(4) };
}

/** Options of the movie targets that png-zip does not take (the preview draws through png-zip). */
const MOVIE_ONLY = new Set(['codec', 'encoder', 'quality', 'bitrateKbps', 'fps', 'frameDurationMs']);
