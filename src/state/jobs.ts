import { create } from 'zustand';

export interface ExportJob {
  id: number;
  target: string;
  dataset: string;
  status: 'running' | 'done' | 'error' | 'cancelled';
  done: number;
  total: number;
  startedAt: number;
  finishedAt?: number;
  files?: { path: string; size: number }[];
  error?: string;
  cancel?: () => void;
}

interface JobsState {
  jobs: ExportJob[];
  add(j: ExportJob): void;
  update(id: number, p: Partial<ExportJob>): void;
}

export const useJobs = create<JobsState>((set) => ({
  jobs: [],
  add: (j) => set((s) => ({ jobs: [j, ...s.jobs] })),
  update: (id, p) => set((s) => ({ jobs: s.jobs.map((j) => (j.id === id ? { ...j, ...p } : j)) })),
}));

/** Seconds left, from the rate so far (null until there is progress). */
export function eta(j: ExportJob, now = Date.now()): number | null {
  if (!j.done || !j.total || j.status !== 'running') return null;
  const rate = j.done / ((now - j.startedAt) / 1000);
  return rate > 0 ? (j.total - j.done) / rate : null;
}
