import { create } from 'zustand';
import type { ExportedFile, ExportJob as ExportJobSpec, ExportStage } from '../export/job';
import type { TreeSpec } from '../io/spec';
import { runExport } from '../workers/export-client';
import type { ComputedDataset } from '../workers/memory-source';

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
  files?: { path: string; size: number; note?: string }[];
  error?: string;
}

interface JobsState {
  jobs: ExportJob[];
  /** start an export of a dataset in the export worker; returns the job id */
  start(req: { spec: TreeSpec; scene: number; key: string; dataset: string; job: ExportJobSpec; computed?: ComputedDataset }): number;
  cancel(id: number): void;
  /** the files of a finished job (kept outside the store: they can be large) */
  filesOf(id: number): ExportedFile[] | undefined;
  /** forget a job and its files (after saving, or when the user dismisses it) */
  dismiss(id: number): void;
}

let nextId = 1;
const files = new Map<number, ExportedFile[]>();
const cancels = new Map<number, () => void>();

export const useJobs = create<JobsState>((set) => {
  const update = (id: number, p: Partial<ExportJob>) => set((s) => ({ jobs: s.jobs.map((j) => (j.id === id ? { ...j, ...p } : j)) }));
  return {
    jobs: [],
    start({ spec, scene, key, dataset, job, computed }) {
      const id = nextId++;
      const now = Date.now();
      const total = job.frames?.length ?? 0;
      set((s) => ({ jobs: [{ id, target: job.target, dataset, status: 'running', done: 0, total, stage: 'write', startedAt: now, stageAt: now }, ...s.jobs] }));
      const run = runExport({ spec, scene, key, job, computed }, (done, total, stage) =>
        set((s) => ({
          jobs: s.jobs.map((j) => (j.id === id ? { ...j, done, total, stage, stageAt: j.stage === stage ? j.stageAt : Date.now() } : j)),
        })),
      );
      cancels.set(id, run.cancel);
      run.promise.then(
        (out) => {
          cancels.delete(id);
          if (!useJobs.getState().jobs.some((j) => j.id === id)) return; // dismissed meanwhile
          files.set(id, out);
          update(id, { status: 'done', finishedAt: Date.now(), files: out.map((f) => ({ path: f.path, size: f.bytes.length, note: f.note })) });
        },
        (e: Error) => {
          cancels.delete(id);
          update(id, { status: e.name === 'AbortError' ? 'cancelled' : 'error', error: e.message, finishedAt: Date.now() });
        },
      );
      return id;
    },
    cancel(id) {
      cancels.get(id)?.();
    },
    filesOf: (id) => files.get(id),
    dismiss(id) {
      cancels.get(id)?.();
      cancels.delete(id);
      files.delete(id);
      set((s) => ({ jobs: s.jobs.filter((j) => j.id !== id) }));
    },
  };
});

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
