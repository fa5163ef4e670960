import { create } from 'zustand';
import { outputSize, type ExportJob as ExportJobSpec, type ExportOutput, type ExportStage } from '../export/job';
import type { DirectoryLike } from '../export/job';
import type { TreeSpec } from '../io/spec';
import { runExport } from '../workers/export-client';
import type { ComputedDataset } from '../workers/memory-source';
import { removeExport } from '../workers/opfs-disk';
import type { ComparisonRequest } from './compare-job';

/** One export job as the UI lists it. */
export interface ExportJob {
  id: number;
  target: string;
  dataset: string;
  status: 'running' | 'done' | 'error' | 'cancelled';
  /** frames done of `total` in the current stage */
  done: number;
  total: number;
  /** 'scan' = a first pass over the frames (colour limits, value ranges), 'write' = the frames written */
  stage: ExportStage;
  startedAt: number;
  /** when the current stage started (for the time left) */
  stageAt: number;
  finishedAt?: number;
  /** `where`: in memory (bytes), on disk in the browser's private file system, or a folder already written */
  files?: { path: string; size: number; note?: string; where: 'memory' | 'disk' | 'folder' }[];
  error?: string;
}

interface JobsState {
  jobs: ExportJob[];
  /** start an export of a dataset in the export worker; returns the job id */
  start(req: { spec: TreeSpec; scene: number; key: string; dataset: string; job: ExportJobSpec; computed?: ComputedDataset; folder?: DirectoryLike }): number;
  /** start a comparison export (every panel's dataset opened in one export worker) */
  startComparison(req: ComparisonRequest): number;
  cancel(id: number): void;
  /** the files of a finished job (kept outside the store: they can be large) */
  filesOf(id: number): ExportOutput[] | undefined;
  /**
   * Forget a job and its files (after saving, or when the user dismisses it). Files on disk (OPFS)
   * are deleted after `keepMs` (a download still reading them), else at once.
   */
  dismiss(id: number, keepMs?: number): void;
}

let nextId = 1;
const files = new Map<number, ExportOutput[]>();
const cancels = new Map<number, () => void>();

export const useJobs = create<JobsState>((set) => {
  const update = (id: number, p: Partial<ExportJob>) => set((s) => ({ jobs: s.jobs.map((j) => (j.id === id ? { ...j, ...p } : j)) }));
  const api: JobsState = {
    jobs: [],
    start({ spec, scene, key, dataset, job, computed, folder }) {
      return launch(dataset, job.target, job.frames?.length ?? 0, (onProgress) => runExport({ spec, scene, key, job, computed, folder }, onProgress));
    },
    startComparison(req) {
      return launch(`comparison of ${req.names.join(', ')}`, req.job.target, req.job.steps.length, (onProgress) =>
        runExport({ datasets: req.datasets, job: req.job, compare: true }, onProgress),
      );
    },
    cancel(id) {
      cancels.get(id)?.();
    },
    filesOf: (id) => files.get(id),
    dismiss(id, keepMs = 0) {
      cancels.get(id)?.();
      cancels.delete(id);
      const out = files.get(id);
      if (out) forgetFiles(out, keepMs);
      files.delete(id);
      set((s) => ({ jobs: s.jobs.filter((j) => j.id !== id) }));
    },
  };

  function launch(
    dataset: string,
    target: string,
    total: number,
    runIt: (onProgress: (done: number, total: number, stage: ExportStage) => void) => ReturnType<typeof runExport>,
  ): number {
    const id = nextId++;
    const now = Date.now();
    set((s) => ({ jobs: [{ id, target, dataset, status: 'running', done: 0, total, stage: 'write', startedAt: now, stageAt: now }, ...s.jobs] }));
    const run = runIt((done, total, stage) =>
      set((s) => ({
        jobs: s.jobs.map((j) => (j.id === id ? { ...j, done, total, stage, stageAt: j.stage === stage ? j.stageAt : Date.now() } : j)),
      })),
    );
    cancels.set(id, run.cancel);
    run.promise.then(
      (out) => {
        cancels.delete(id);
        if (!useJobs.getState().jobs.some((j) => j.id === id)) {
          forgetFiles(out, 0); // dismissed meanwhile
          return;
        }
        files.set(id, out);
        update(id, {
          status: 'done',
          finishedAt: Date.now(),
          files: out.map((f) => ({ path: f.path, size: outputSize(f), note: f.note, where: 'bytes' in f ? 'memory' : 'blob' in f ? 'disk' : 'folder' })),
        });
      },
      (e: Error) => {
        cancels.delete(id);
        update(id, { status: e.name === 'AbortError' ? 'cancelled' : 'error', error: e.message, finishedAt: Date.now() });
      },
    );
    return id;
  }

  return api;
});

/** Delete a job's files that live in OPFS (by the name their File carries). */
function forgetFiles(out: ExportOutput[], keepMs: number): void {
  const names = out.flatMap((f) => ('blob' in f && f.blob instanceof File ? [f.blob.name] : []));
  if (!names.length) return;
  const drop = () => void Promise.all(names.map((n) => removeExport(n))).catch(() => undefined);
  if (keepMs > 0) setTimeout(drop, keepMs);
  else drop();
}

/** Seconds left in the current stage, from its rate so far (null until there is progress). */
export function eta(j: ExportJob, now = Date.now()): number | null {
  if (!j.done || !j.total || j.status !== 'running') return null;
  const rate = j.done / ((now - j.stageAt) / 1000);
  return rate > 0 ? (j.total - j.done) / rate : null;
}

/** Progress in words a person reads: "3 of 5 frames", with the stage when it is a first pass. */
export function progressText(j: Pick<ExportJob, 'done' | 'total' | 'stage' | 'status'>): string {
  const frames = `${j.done} of ${j.total} frame${j.total === 1 ? '' : 's'}`;
  if (j.status !== 'running') return j.status === 'done' ? `${j.total} frame${j.total === 1 ? '' : 's'} written` : j.status;
  return j.stage === 'scan' ? `reading ${frames} for the colour limits / value range` : `${frames} written`;
}
