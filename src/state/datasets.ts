import { create } from 'zustand';
import { isAbort } from '../core/abort';
import { onRemoteProgress } from '../io/progress-channel';
import { specName, type TreeSpec } from '../io/spec';
import { defaultColormapFor } from '../render/colormaps';
import type { DatasetSummary } from '../workers/protocol';
import { datasetClient } from './client';
import { DEFAULT_VIEW, useView, type ViewState } from './view';

export interface DatasetEntry {
  id: string;
  spec: TreeSpec;
  summary: DatasetSummary;
  /** unique among the open datasets (the name, with a suffix where two have the same name); keys the view state and the URL hash */
  label: string;
  /** computed here (time statistics): lives in the dataset worker only, not re-openable from `spec` */
  computedFrom?: string;
}

export interface LoadError {
  path: string;
  reason: string;
}

export interface Loading {
  name: string;
  /** performance.now() when opening started */
  since: number;
}

interface DatasetsState {
  datasets: DatasetEntry[];
  activeId: string | null;
  /** datasets being opened right now */
  loading: Loading[];
  /** the grouped message of the last load: every file that failed and why */
  errors: LoadError[];
  /** bytes received and requests made per remote link (while it opens, and by its reads after) */
  progress: Record<string, { bytes: number; requests: number }>;
  /** open several datasets; failures are collected into one grouped error, nothing loaded is lost */
  /** `signal` cancels the opens still running (a cancelled spec is neither opened nor an error) */
  openSpecs(specs: TreeSpec[], opts?: { activate?: boolean; signal?: AbortSignal }): Promise<DatasetEntry[]>;
  setActive(id: string): void;
  close(id: string): void;
  selectScene(id: string, scene: number): Promise<void>;
  dismissErrors(): void;
  /** a dataset computed in the worker (time statistics) joins the list and is shown */
  addComputed(summary: DatasetSummary, from: DatasetEntry): DatasetEntry;
}

/** A fresh dataset id (the worker keys datasets by it). */
export function newDatasetId(): string {
  return `ds${nextId++}`;
}

let nextId = 1;
/** The view state the page was loaded with (URL hash), applied once to the dataset it names. */
let restored: Partial<ViewState> | null = null;
export function restoreFromHash(v: Partial<ViewState>): void {
  restored = v;
}
export function restoredDatasetName(): string | undefined {
  return restored?.dataset;
}

function uniqueLabel(name: string, taken: Set<string>, spec: TreeSpec): string {
  if (!taken.has(name)) return name;
  // a folder above the dataset, where the spec knows one (URL trees); else a counter
  const parent = spec.kind === 'urls' ? spec.entries[0]?.url.split('/').slice(-3, -2)[0] : undefined;
  if (parent && !taken.has(`${name} (${parent})`)) return `${name} (${parent})`;
  for (let k = 2; ; k++) if (!taken.has(`${name} (${k})`)) return `${name} (${k})`;
}

/** The first view of a dataset: what the hash asked for (once), else sensible defaults. */
function freshView(d: DatasetEntry): ViewState {
  const s = d.summary;
  const fromUrl = restored && (restored.dataset === d.label || restored.dataset === s.name) ? restored : {};
  if (fromUrl === restored) restored = null;
  const names = s.fields.map((f) => f.name);
  const field = fromUrl.field && names.includes(fromUrl.field) ? fromUrl.field : (names.find((n) => !n.includes('/')) ?? names[0] ?? '');
  const info = s.fields.find((f) => f.name === field);
  const next: ViewState = { ...DEFAULT_VIEW, colormap: defaultColormapFor(s.format, info), ...fromUrl, dataset: d.label, field };
  next.frame = Math.max(0, Math.min(s.frames.length - 1, next.frame ?? 0));
  if (fromUrl.scene && fromUrl.scene !== s.sceneIndex && fromUrl.scene < s.scenes.length) void useDatasets.getState().selectScene(d.id, fromUrl.scene);
  return next;
}

function show(d: DatasetEntry | undefined): void {
  if (d) useView.getState().switchTo(d.label, () => freshView(d));
}

export const useDatasets = create<DatasetsState>((set, get) => ({
  datasets: [],
  activeId: null,
  loading: [],
  errors: [],
  progress: {},
  async openSpecs(specs, opts = {}) {
    const client = datasetClient();
    const started = specs.map((sp) => ({ name: specName(sp), since: performance.now() }));
    // a load the user started replaces the last grouped message; a background load (the samples) leaves it
    const background = opts.activate === false;
    set((s) => ({ loading: [...s.loading, ...started], errors: background ? s.errors : [] }));
    const results = await Promise.allSettled(
      specs.map(async (spec) => {
        const id = `ds${nextId++}`;
        const summary = await client.open(id, spec, { signal: opts.signal });
        return { id, spec, summary, label: summary.name };
      }),
    );
    const ok: DatasetEntry[] = [];
    const errors: LoadError[] = [];
    const taken = new Set(get().datasets.map((d) => d.label));
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        const e = r.value;
        e.label = uniqueLabel(e.summary.name, taken, e.spec);
        taken.add(e.label);
        ok.push(e);
      } else if (!isAbort(r.reason)) {
        const e = r.reason as { path?: string; reason?: string; message?: string };
        errors.push({ path: e.path ?? specName(specs[i]), reason: e.reason ?? e.message ?? String(r.reason) });
      }
    });
    const activate = ok.length > 0 && ((opts.activate ?? true) || !get().activeId);
    set((s) => ({
      datasets: [...s.datasets, ...ok],
      loading: s.loading.filter((l) => !started.includes(l)),
      errors: background && !errors.length ? s.errors : errors,
    }));
    if (activate) {
      // the dataset the URL hash names comes first, else the first one opened
      const want = restored?.dataset;
      get().setActive((ok.find((d) => d.label === want || d.summary.name === want) ?? ok[0]).id);
    }
    return ok;
  },
  setActive(id) {
    const d = get().datasets.find((x) => x.id === id);
    if (!d) return;
    show(d);
    set({ activeId: id });
  },
  close(id) {
    datasetClient().close(id);
    const d = get().datasets.find((x) => x.id === id);
    const datasets = get().datasets.filter((x) => x.id !== id);
    if (d) {
      const v = useView.getState();
      if (v.dataset === d.label) useView.setState({ dataset: '' });
      v.forget(d.label);
    }
    if (get().activeId === id) {
      show(datasets[0]);
      set({ datasets, activeId: datasets[0]?.id ?? null });
    } else set({ datasets });
  },
  async selectScene(id, scene) {
    try {
      const summary = await datasetClient().scene(id, scene);
      set((s) => ({ datasets: s.datasets.map((d) => (d.id === id ? { ...d, summary } : d)) }));
      // another scene of the same dataset: keep the view where it still applies
      const d = get().datasets.find((x) => x.id === id);
      const v = useView.getState();
      if (d && v.dataset === d.label) {
        const names = summary.fields.map((f) => f.name);
        const patch: Partial<ViewState> = { scene: summary.sceneIndex };
        if (!names.includes(v.field)) patch.field = names.find((n) => !n.includes('/')) ?? names[0] ?? '';
        if (v.frame >= summary.frames.length) patch.frame = Math.max(0, summary.frames.length - 1);
        v.set(patch);
      }
    } catch (e) {
      const err = e as { path?: string; reason?: string; message?: string };
      set({ errors: [{ path: err.path ?? `scene ${scene}`, reason: err.reason ?? err.message ?? String(e) }] });
    }
  },
  dismissErrors() {
    set({ errors: [] });
  },
  addComputed(summary, from) {
    const taken = new Set(get().datasets.map((d) => d.label));
    const e: DatasetEntry = { id: summary.id, spec: from.spec, summary, label: uniqueLabel(summary.name, taken, from.spec), computedFrom: from.id };
    set((s) => ({ datasets: [...s.datasets, e] }));
    get().setActive(e.id);
    return e;
  },
}));

export function useActiveDataset(): DatasetEntry | null {
  return useDatasets((s) => s.datasets.find((d) => d.id === s.activeId) ?? null);
}

onRemoteProgress(({ url, bytes, requests }) => useDatasets.setState((s) => ({ progress: { ...s.progress, [url]: { bytes, requests } } })));
