import { create } from 'zustand';
import type { LineProfile, PointHistory } from '../analysis/profile';
import type { Point, Region, RegionSeries, RegionStats } from '../analysis/region';
import { datasetClient } from './client';
import { panelSlot, useCompare, fieldOf } from './compare';
import { useDatasets, type DatasetEntry } from './datasets';
import { decodeProbe, encodeProbe, type ProbeGeom, type ProbeTool } from './probe-geometry';
import { useView, type ViewState } from './view';

/**
 * Probes on the plot (issue 14): a line or polyline profile, a region of interest (rectangle,
 * ellipse, polygon) and a point, in the plot's physical coordinates. The geometry is part of the
 * view state (`ViewState.probe`, mirrored in the URL hash as `pr=`); what is being drawn and what was
 * computed live here. The computations run in the dataset workers (`profile`, `region`,
 * `regionSeries`, `pointHistory` ops) on src/analysis; this store only asks and keeps the answers.
 */
export { decodeProbe, encodeProbe, type ProbeGeom, type ProbeTool } from './probe-geometry';

/** One panel's (or the single view's) answers. */
export interface ProbeResult {
  datasetId: string;
  /** the dataset's label (the legend names it) */
  label: string;
  field: string;
  /** frame index the frame-wise answers belong to */
  index: number;
  profile?: LineProfile;
  stats?: RegionStats;
  series?: RegionSeries;
  history?: PointHistory;
  error?: string;
}

interface ProbesState {
  tool: ProbeTool;
  /** vertices placed so far (line, polygon) or the drag's two corners (rectangle, ellipse) */
  draft: Point[];
  /** profiles of vector fields: also the tangential and normal components */
  tangential: boolean;
  /** compare: the probe applies to every panel */
  allPanels: boolean;
  results: ProbeResult[];
  /** a series (ROI over time, point history) being computed */
  progress: { done: number; total: number } | null;
  set(p: Partial<Omit<ProbesState, 'set'>>): void;
}

export const useProbes = create<ProbesState>((set) => ({
  tool: 'none',
  draft: [],
  tangential: false,
  allPanels: true,
  results: [],
  progress: null,
  set: (p) => set(p),
}));

/** The probe geometry of the view in force. */
export function currentProbe(): ProbeGeom | null {
  return decodeProbe(useView.getState().probe);
}

export function setProbe(g: ProbeGeom | null): void {
  useView.getState().set({ probe: encodeProbe(g) });
}

/** Choose a drawing tool (the same tool again switches drawing off). */
export function chooseTool(tool: ProbeTool): void {
  const s = useProbes.getState();
  s.set({ tool: s.tool === tool ? 'none' : tool, draft: [] });
}

/** Finish a line or polygon being drawn (double-click, Enter). */
export function finishDraft(): void {
  const { tool, draft } = useProbes.getState();
  // a double-click adds its two clicks as vertices at one place: drop the repeats
  const ps = draft.filter((p, i) => i === 0 || p.x !== draft[i - 1].x || p.y !== draft[i - 1].y);
  if (tool === 'line' && ps.length >= 2) setProbe({ kind: 'line', points: ps });
  else if (tool === 'polygon' && ps.length >= 3) setProbe({ kind: 'roi', region: { type: 'polygon', points: ps } });
  else return;
  useProbes.getState().set({ draft: [], tool: 'none' });
}

/** A finished drag of a rectangle or ellipse (corners in physical units). */
export function finishBox(a: Point, b: Point): void {
  const { tool } = useProbes.getState();
  if (a.x === b.x || a.y === b.y) return;
  if (tool === 'rectangle')
    setProbe({ kind: 'roi', region: { type: 'rectangle', x0: Math.min(a.x, b.x), y0: Math.min(a.y, b.y), x1: Math.max(a.x, b.x), y1: Math.max(a.y, b.y) } });
  else if (tool === 'ellipse')
    setProbe({ kind: 'roi', region: { type: 'ellipse', cx: (a.x + b.x) / 2, cy: (a.y + b.y) / 2, rx: Math.abs(b.x - a.x) / 2, ry: Math.abs(b.y - a.y) / 2 } });
  else return;
  useProbes.getState().set({ draft: [], tool: 'none' });
}

const ellipsePath = (r: Extract<Region, { type: 'ellipse' }>) => ({ type: 'circle', x0: r.cx - r.rx, x1: r.cx + r.rx, y0: r.cy - r.ry, y1: r.cy + r.ry });
/** a ring of 12 px anchored at a physical point (zero-length paths draw nothing) */
const dot = (p: Point, color: string) => ({
  type: 'circle',
  xref: 'x',
  yref: 'y',
  xsizemode: 'pixel',
  ysizemode: 'pixel',
  xanchor: p.x,
  yanchor: p.y,
  x0: -6,
  x1: 6,
  y0: -6,
  y1: 6,
  line: { color, width: 3 },
  fillcolor: 'rgba(255,255,255,0.5)',
  layer: 'above',
});
const pathOf = (ps: Point[], close: boolean) => `M${ps.map((p) => `${p.x},${p.y}`).join('L')}${close ? 'Z' : ''}`;

/** The probe (and the draft being drawn) as Plotly shapes in the plot's data coordinates. */
export function probeShapes(
  g: ProbeGeom | null = currentProbe(),
  draft: Point[] = useProbes.getState().draft,
  tool: ProbeTool = useProbes.getState().tool,
): Record<string, unknown>[] {
  const line = { color: '#ff2d95', width: 2.5 };
  const base = { xref: 'x', yref: 'y', line, layer: 'above' };
  const out: Record<string, unknown>[] = [];
  if (g?.kind === 'line') out.push({ ...base, type: 'path', path: pathOf(g.points, false) });
  else if (g?.kind === 'point') {
    out.push(dot(g.point, '#ff2d95'));
  } else if (g?.kind === 'roi') {
    const r = g.region;
    const fill = { fillcolor: 'rgba(255,45,149,0.12)' };
    if (r.type === 'rectangle') out.push({ ...base, ...fill, type: 'rect', x0: r.x0, x1: r.x1, y0: r.y0, y1: r.y1 });
    else if (r.type === 'ellipse') out.push({ ...base, ...fill, ...ellipsePath(r) });
    else out.push({ ...base, ...fill, type: 'path', path: pathOf(r.points, true) });
  }
  if (draft.length) {
    const dash = { ...base, line: { color: '#ff9900', width: 2, dash: 'dot' } };
    if ((tool === 'rectangle' || tool === 'ellipse') && draft.length === 2) {
      const [a, b] = draft;
      out.push(
        tool === 'rectangle' ? { ...dash, type: 'rect', x0: a.x, x1: b.x, y0: a.y, y1: b.y } : { ...dash, type: 'circle', x0: a.x, x1: b.x, y0: a.y, y1: b.y },
      );
    } else out.push(draft.length === 1 ? dot(draft[0], '#ff9900') : { ...dash, type: 'path', path: pathOf(draft, false) });
  }
  return out;
}

/** What a probe is computed on: the single view, or every compare panel showing a frame. */
interface Target {
  d: DatasetEntry;
  field: string;
  index: number;
}

function targets(v: ViewState): Target[] {
  const ds = useDatasets.getState();
  const c = useCompare.getState();
  const byId = (id: string | null) => (id ? ds.datasets.find((d) => d.id === id) : undefined);
  if (c.layout > 1) {
    const out: Target[] = [];
    const n = useProbes.getState().allPanels ? c.layout : 1;
    for (let i = 0; i < n; i++) {
      const d = byId(c.panels[i].datasetId);
      const slot = panelSlot(i);
      if (d && slot.index !== null) out.push({ d, field: fieldOf(d, c.panels[i].field), index: slot.index });
    }
    return out;
  }
  const d = byId(ds.activeId);
  if (!d || !d.summary.frames.length || v.dataset !== d.label || !v.field) return [];
  return [{ d, field: v.field, index: Math.max(0, Math.min(d.summary.frames.length - 1, v.frame)) }];
}

/** The quantity probed: the derived one in force, else the component shown (a vector's magnitude: the vector itself). */
export function probeQuantity(v: Pick<ViewState, 'derived' | 'component'>, kind: string | undefined): string | undefined {
  if (v.derived) return v.derived;
  if (kind === 'vector' && v.component && v.component !== 'magnitude') return v.component;
  return undefined;
}

const smoothOf = (v: ViewState) => (v.derived && v.smooth > 0 ? { kind: 'gaussian' as const, size: v.smooth } : null);

let frameJobs: { cancel(): void }[] = [];
let seriesJobs: { cancel(): void }[] = [];
let frameKey = '';
let seriesKey = '';

/** Recompute what changed: the frame-wise answers on every frame change, the series when the probe, field or quantity change. */
function update(): void {
  const v = useView.getState();
  const g = decodeProbe(v.probe);
  const ts = g ? targets(v) : [];
  const base = ts.map((t) => {
    const info = t.d.summary.fields.find((f) => f.name === t.field);
    return { t, quantity: probeQuantity(v, info?.kind), plane: info && info.shape.length >= 3 && info.kind !== 'rgb' ? v.plane : undefined };
  });
  const sKey = JSON.stringify([v.probe, base.map((b) => [b.t.d.id, b.t.d.summary.sceneIndex, b.t.field, b.quantity, b.plane]), smoothOf(v)]);
  const fKey = JSON.stringify([sKey, base.map((b) => b.t.index)]);
  if (fKey === frameKey && sKey === seriesKey) return;
  const client = datasetClient();
  const store = useProbes.getState();
  if (!g || !ts.length) {
    frameJobs.forEach((j) => j.cancel());
    seriesJobs.forEach((j) => j.cancel());
    frameJobs = [];
    seriesJobs = [];
    frameKey = fKey;
    seriesKey = sKey;
    store.set({ results: [], progress: null });
    return;
  }
  const seriesChanged = sKey !== seriesKey;
  const prev = useProbes.getState().results;
  // keep the series of each target while only the frame changes
  const results: ProbeResult[] = base.map(({ t }, k) => {
    const old = prev[k]?.datasetId === t.d.id ? prev[k] : undefined;
    return {
      datasetId: t.d.id,
      label: t.d.label,
      field: t.field,
      index: t.index,
      ...(old && !seriesChanged ? { series: old.series, history: old.history } : {}),
      ...(old && !seriesChanged ? { profile: old.profile, stats: old.stats } : {}),
    };
  });
  store.set({ results });
  const patch = (k: number, p: Partial<ProbeResult>, key: string, which: 'frame' | 'series') => {
    if ((which === 'frame' ? frameKey : seriesKey) !== key) return;
    const rs = useProbes.getState().results.slice();
    if (!rs[k]) return;
    rs[k] = { ...rs[k], ...p };
    useProbes.getState().set({ results: rs });
  };
  const fail = (k: number, key: string, which: 'frame' | 'series') => (e: Error) => {
    if (e.name !== 'AbortError') patch(k, { error: e.message }, key, which);
  };
  if (fKey !== frameKey) {
    frameJobs.forEach((j) => j.cancel());
    frameKey = fKey;
    frameJobs = [];
    base.forEach(({ t, quantity, plane }, k) => {
      if (g.kind === 'line') {
        const job = client.analysis('profile', {
          id: t.d.id,
          index: t.index,
          field: t.field,
          points: g.points,
          options: { quantity, plane, smooth: smoothOf(v) },
        });
        frameJobs.push(job);
        job.promise.then((profile) => patch(k, { profile, index: t.index, error: undefined }, fKey, 'frame'), fail(k, fKey, 'frame'));
      } else if (g.kind === 'roi') {
        const job = client.analysis('region', {
          id: t.d.id,
          index: t.index,
          field: t.field,
          region: g.region,
          options: { quantity, plane, smooth: smoothOf(v) },
        });
        frameJobs.push(job);
        job.promise.then((stats) => patch(k, { stats, index: t.index, error: undefined }, fKey, 'frame'), fail(k, fKey, 'frame'));
      }
    });
  }
  if (seriesChanged) {
    seriesJobs.forEach((j) => j.cancel());
    seriesKey = sKey;
    seriesJobs = [];
    if (g.kind === 'line') {
      store.set({ progress: null });
      return;
    }
    const prog = base.map(() => ({ done: 0, total: 0 }));
    const onProgress = (k: number) => (done: number, total: number) => {
      if (seriesKey !== sKey) return;
      prog[k] = { done, total };
      const sum = prog.reduce((a, p) => ({ done: a.done + p.done, total: a.total + p.total }), { done: 0, total: 0 });
      useProbes.getState().set({ progress: sum.done >= sum.total && sum.total > 0 && prog.every((p) => p.total && p.done >= p.total) ? null : sum });
    };
    store.set({ progress: { done: 0, total: base.reduce((a, b) => a + b.t.d.summary.frames.length, 0) } });
    let left = base.length;
    const finished = () => {
      if (--left === 0 && seriesKey === sKey) useProbes.getState().set({ progress: null });
    };
    base.forEach(({ t, quantity, plane }, k) => {
      if (g.kind === 'roi') {
        const job = client.analysis(
          'regionSeries',
          { id: t.d.id, field: t.field, region: g.region, options: { quantity, plane, smooth: smoothOf(v) } },
          onProgress(k),
        );
        seriesJobs.push(job);
        job.promise.then((series) => patch(k, { series }, sKey, 'series'), fail(k, sKey, 'series')).finally(finished);
      } else {
        const job = client.analysis('pointHistory', { id: t.d.id, field: t.field, point: g.point, quantity, plane, smooth: smoothOf(v) }, onProgress(k));
        seriesJobs.push(job);
        job.promise.then((history) => patch(k, { history }, sKey, 'series'), fail(k, sKey, 'series')).finally(finished);
      }
    });
  }
}

/** Stop the series being computed (the button beside its progress). */
export function cancelSeries(): void {
  seriesJobs.forEach((j) => j.cancel());
  seriesJobs = [];
  useProbes.getState().set({ progress: null });
}

let started = 0;
let unsubs: (() => void)[] = [];
/** Follow the view, the datasets and the compare cursor (the probe panel starts it while shown). */
export function startProbes(): () => void {
  if (started++ === 0) {
    unsubs = [
      useView.subscribe(update),
      useDatasets.subscribe(update),
      useCompare.subscribe(update),
      useProbes.subscribe((s, p) => s.allPanels !== p.allPanels && update()),
    ];
    update();
  }
  return () => {
    if (--started === 0) {
      unsubs.forEach((u) => u());
      unsubs = [];
    }
  };
}
