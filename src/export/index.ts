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
import { ExportError, resolveFrames, type DirectoryLike, type ExportControl, type ExportDisk, type ExportedFile, type ExportOutput } from './job';
import { RUNNERS } from './runners';
import { resolveOptions, type Runner } from './target';
import { requireTarget } from './targets';

export { frameRange, type FrameRangeSpec } from './frame-range';
export { EXPORT_TARGETS, readOptions, targetById, type ExportTarget, type OptionSpec, type ResolvedJob } from './targets';
export {
  ExportError,
  outputSize,
  type DirectoryLike,
  type ExportControl,
  type ExportDisk,
  type ExportedFile,
  type ExportJob,
  type ExportOutput,
  type ExportStage,
  type FolderResult,
  type StoredFile,
} from './job';
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

/**
 * `exportDataset` with somewhere to put what must not sit in memory (the export worker):
 * - `disk`: the hdf5 target streams its file onto it (OPFS) and returns a disk-backed Blob;
 * - `folder`: the zarr target with option store = folder writes `<name>.zarr/` into it.
 * Every other job runs as `exportDataset` and returns bytes.
 */
export async function exportDatasetTo(
  source: FrameSource,
  job: { target: string; frames?: number[]; fields?: string[]; options?: Record<string, unknown> },
  ctl: ExportControl | undefined,
  where: { disk?: ExportDisk; folder?: DirectoryLike },
): Promise<ExportOutput[]> {
  const target = requireTarget(job.target);
  const options = resolveOptions(target, job.options) as Record<string, unknown>;
  if (target.id === 'hdf5' && where.disk) {
    const frames = resolveFrames(source, job);
    const { runToDisk } = await import('./hdf5');
    return runToDisk(source, { target: target.id, frames, fields: job.fields, options: { ...options } }, ctl, where.disk);
  }
  if (target.id === 'zarr' && options.store === 'folder') {
    if (!where.folder) throw new ExportError(target.id, 'store = folder needs a folder to write into (choose one when starting the export)');
    const frames = resolveFrames(source, job);
    const { runToFolder } = await import('./zarr');
    return runToFolder(source, { target: target.id, frames, fields: job.fields, options: { ...options } }, ctl, where.folder);
  }
  return exportDataset(source, job, ctl);
}
