import { create } from 'zustand';
import { onRemoteProgress } from '../io/progress-channel';
import { specName, type TreeSpec } from '../io/spec';
import type { DatasetSummary } from '../workers/protocol';
import { datasetClient } from './client';

export interface DatasetEntry {
  id: string;
  spec: TreeSpec;
  summary: DatasetSummary;
}

export interface LoadError {
  path: string;
  reason: string;
}

interface DatasetsState {
  datasets: DatasetEntry[];
  activeId: string | null;
  /** names of datasets being opened right now */
  loading: string[];
  /** the grouped message of the last load: every file that failed and why */
  errors: LoadError[];
  /** bytes received and requests made per remote link (while it opens, and by its reads after) */
  progress: Record<string, { bytes: number; requests: number }>;
  /** open several datasets; failures are collected into one grouped error, nothing loaded is lost */
  openSpecs(specs: TreeSpec[], opts?: { activate?: boolean }): Promise<DatasetEntry[]>;
  setActive(id: string): void;
  close(id: string): void;
  selectScene(id: string, scene: number): Promise<void>;
  dismissErrors(): void;
}

let nextId = 1;

export const useDatasets = create<DatasetsState>((set, get) => ({
  datasets: [],
  activeId: null,
  loading: [],
  errors: [],
  progress: {},
  async openSpecs(specs, opts = {}) {
    const client = datasetClient();
    set((s) => ({ loading: [...s.loading, ...specs.map(specName)], errors: [] }));
    const results = await Promise.allSettled(
      specs.map(async (spec) => {
        const id = `ds${nextId++}`;
        const summary = await client.open(id, spec);
        return { id, spec, summary } satisfies DatasetEntry;
      }),
    );
    const ok: DatasetEntry[] = [];
    const errors: LoadError[] = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') ok.push(r.value);
      else {
        const e = r.reason as { path?: string; reason?: string; message?: string };
        errors.push({ path: e.path ?? specName(specs[i]), reason: e.reason ?? e.message ?? String(r.reason) });
      }
    });
    set((s) => ({
      datasets: [...s.datasets, ...ok],
      activeId: ok.length && (opts.activate ?? true) ? ok[0].id : s.activeId ?? ok[0]?.id ?? null,
      loading: s.loading.filter((n) => !specs.some((sp) => specName(sp) === n)),
      errors,
    }));
    return ok;
  },
  setActive(id) {
    if (get().datasets.some((d) => d.id === id)) set({ activeId: id });
  },
  close(id) {
    datasetClient().close(id);
    set((s) => {
      const datasets = s.datasets.filter((d) => d.id !== id);
      return { datasets, activeId: s.activeId === id ? datasets[0]?.id ?? null : s.activeId };
    });
  },
  async selectScene(id, scene) {
    try {
      const summary = await datasetClient().scene(id, scene);
      set((s) => ({ datasets: s.datasets.map((d) => (d.id === id ? { ...d, summary } : d)) }));
    } catch (e) {
      const err = e as { path?: string; reason?: string; message?: string };
      set({ errors: [{ path: err.path ?? `scene ${scene}`, reason: err.reason ?? err.message ?? String(e) }] });
    }
  },
  dismissErrors() {
    set({ errors: [] });
  },
}));

export function useActiveDataset(): DatasetEntry | null {
  return useDatasets((s) => s.datasets.find((d) => d.id === s.activeId) ?? null);
}

onRemoteProgress(({ url, bytes, requests }) => useDatasets.setState((s) => ({ progress: { ...s.progress, [url]: { bytes, requests } } })));
