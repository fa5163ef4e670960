/**
 * Export entry point (DESIGN.md "Contracts"): `exportDataset(source, job, ctl)` writes the frames
 * and fields of any FrameSource to one of the targets in EXPORT_TARGETS (targets.ts) and returns
 * the files (paths relative, '/'-separated). The job's untyped options are validated and completed
 * here, once (ExportError in words for a bad value); each runner receives typed options and the
 * checked frame list. Runners are imported lazily. Targets whose `needsBrowser` is false also run
 * under Node (tests, scripts); the rest need ffmpeg.wasm, WebCodecs or OffscreenCanvas.
 *
 * Progress: `ctl.onProgress(done, total, stage)` in output frames of a stage ('scan' for a first
 * pass over the frames, 'write'); cancel with `ctl.signal` (checked between frames and inside the
 * encoders).
 */
import { asError } from '../core/errors';
import type { FrameSource } from '../core/types';
import { ExportError, resolveFrames, type ExportControl, type ExportedFile } from './job';
import { RUNNERS } from './runners';
import { resolveOptions, type Runner } from './target';
import { requireTarget } from './targets';

export { frameRange, type FrameRangeSpec } from './frame-range';
export { EXPORT_TARGETS, readOptions, targetById, type ExportTarget, type OptionSpec, type ResolvedJob } from './targets';
export { ExportError, type ExportControl, type ExportedFile, type ExportJob, type ExportStage } from './job';
export { viewToRenderOptions, type RenderOptions, type ViewSettings } from './render-options';

export async function exportDataset(
  source: FrameSource,
  job: { target: string; frames?: number[]; fields?: string[]; options?: Record<string, unknown> },
  ctl?: ExportControl,
): Promise<ExportedFile[]> {
  const target = requireTarget(job.target);
  const options = resolveOptions(target, job.options);
  const frames = resolveFrames(source, job);
  const load = RUNNERS[target.id];
  if (!load) throw new ExportError(target.id, 'this target has no runner (src/export/runners.ts)');
  try {
    const run = (await load()) as Runner<typeof options>;
    return await run(source, { target: target.id, frames, fields: job.fields, options }, ctl);
  } catch (e) {
    // only Errors with words cross the boundary (a thrown string or wasm object becomes one)
    const err = asError(e);
    if (err.message) throw err;
    throw new Error(`${err.name || 'Error'} without a message (an internal fault of the ${job.target} export)`, { cause: err });
  }
}
