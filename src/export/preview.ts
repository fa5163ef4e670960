/**
 * Browser-only (OffscreenCanvas): the first output frame of a rendered export job, exactly as the
 * job will draw it (same option validation, same render plan and colour limits), as a PNG for the
 * export dialog.
 */
import { encodePng } from '../codecs/png-encode';
import { ExportError } from '../core/errors';
import type { FrameInfo, FrameSource } from '../core/types';
import { composeFrame } from '../render/compose-frame';
import { resolveFrames, type ExportControl, type ExportJob } from './job';
import type { RenderOptions } from './render-options';
import { planRender } from './render-plan';
import { resolveOptions } from './target';
import { requireTarget } from './targets';

export interface ExportPreview {
  png: Uint8Array;
  width: number;
  height: number;
  /** the frame shown (the job's first output frame) */
  frame: FrameInfo;
  field: string;
  /** colour limits drawn, and whether they hold for every frame (global or manual) or only this one */
  limits: [number, number] | null;
  fixed: boolean;
}

export async function renderPreview(source: FrameSource, job: ExportJob, ctl?: ExportControl): Promise<ExportPreview> {
  const t = requireTarget(job.target);
  const options = resolveOptions(t, job.options);
  if (!t.rendered(options)) throw new ExportError(t.id, 'this target writes data, not pictures: there is no preview');
  const frames = resolveFrames(source, job);
  const plan = await planRender(source, { target: t.id, frames, fields: job.fields }, options as unknown as RenderOptions, ctl);
  const frame = await source.readFrame(frames[0], { signal: ctl?.signal });
  const c = composeFrame(frame, plan.compose);
  const png = encodePng({ width: c.width, height: c.height, channels: 4, data: new Uint8Array(c.rgba.buffer, c.rgba.byteOffset, c.rgba.byteLength) }, 1);
  return { png, width: c.width, height: c.height, frame: frame.info, field: plan.field.name, limits: c.limits, fixed: plan.limits !== null };
}
