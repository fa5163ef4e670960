/**
 * Export entry point (DESIGN.md "Contracts"): `exportDataset(source, job, ctl)` writes the frames
 * and fields of any FrameSource to one of the targets in EXPORT_TARGETS and returns the files
 * (paths relative, '/'-separated). Each target's module is imported lazily. Targets whose
 * `needsBrowser` is false also run under Node (tests, scripts); the rest need ffmpeg.wasm,
 * WebCodecs or OffscreenCanvas (page or worker).
 *
 * Progress: `ctl.onProgress(done, total)` after every frame (frames read / encoded); cancel with
 * `ctl.signal` (checked between frames and inside the encoders).
 */
import { asError } from '../core/errors';
import type { FrameSource } from '../core/types';
import { ExportError, resolveFrames, type ExportControl, type ExportedFile, type ExportJob } from './job';

export { frameRange, type FrameRangeSpec } from './frame-range';
export { EXPORT_TARGETS, targetById, type ExportTarget, type OptionSpec } from './targets';
export { ExportError, type ExportControl, type ExportedFile, type ExportJob } from './job';

type Runner = (source: FrameSource, job: ExportJob, ctl?: ExportControl) => Promise<ExportedFile[]>;

const RUNNERS: Record<string, () => Promise<Runner>> = {
  'pypde-movie': async () => (await import('./pypde-movie')).exportPypdeMovie,
  mp4: async () => (await import('./rendered-movie')).exportRenderedMovie,
  webm: async () => (await import('./rendered-movie')).exportRenderedMovie,
  gif: async () => (await import('./rendered-movie')).exportRenderedMovie,
  'png-zip': async () => (await import('./png-zip')).exportPngZip,
  npz: async () => (await import('./npz')).exportNpz,
  imgstore: async () => (await import('./imgstore')).exportImgstore,
  'davis-set': async () => {
    const { exportDavisSet } = await import('./davis-set');
    return (source, job, ctl) => exportDavisSet(source, { ...job, frames: resolveFrames(source, job) }, ctl);
  },
  'phiflow-scene': async () => (await import('./phiflow-scene')).exportPhiflowScene,
};

export async function exportDataset(
  source: FrameSource,
  job: { target: string; frames?: number[]; fields?: string[]; options?: Record<string, unknown> },
  ctl?: { onProgress?(done: number, total: number): void; signal?: AbortSignal },
): Promise<{ path: string; bytes: Uint8Array }[]> {
  const load = RUNNERS[job.target];
  if (!load) throw new ExportError(job.target, `unknown export target (available: ${Object.keys(RUNNERS).join(', ')})`);
  try {
    const run = await load();
    return await run(source, job, ctl);
  } catch (e) {
    // only Errors with words cross the boundary (a thrown string or wasm object becomes one)
    const err = asError(e);
    if (err.message) throw err;
    throw new Error(`${err.name || 'Error'} without a message (an internal fault of the ${job.target} export)`, { cause: err });
  }
}
