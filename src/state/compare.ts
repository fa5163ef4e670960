import { create } from 'zustand';
import { defaultColormapFor } from '../render/colormaps';
import { align, positionOf, type AlignMode, type Alignment, type GapPolicy } from './align';
import { useDatasets, type DatasetEntry } from './datasets';
import { Player, type Want } from './player';
import { useView, viewRequestOf } from './view';

export type PanelMode = 'normal' | 'difference' | 'abs-difference' | 'blink';

export interface PanelState {
  /** dataset id, or null for an empty panel */
  datasetId: string | null;
  field: string;
  colormap: string;
  /** seconds added to this dataset's times (time alignment) */
  offset: number;
  mode: PanelMode;
  /** the other dataset of a difference or blink */
  refId: string | null;
}

export interface CompareState {
  /** 1 = the single view; 2 or 4 panels on one timeline */
  layout: 1 | 2 | 4;
  align: AlignMode;
  gaps: GapPolicy;
  /** position on the aligned timeline */
  cursor: number;
  panels: PanelState[];
  /** panels with the same physical extent zoom and pan together */
  linkZoom: boolean;
  /** every panel uses the colour limits of panel 0 */
  sharedLimits: boolean;
  /** blink panels alternate between A and B at this rate */
  blinkHz: number;
  blinkPhase: 0 | 1;
  /** the physical point under the pointer in any panel (linked cursor) */
  pointer: { x: number; y: number; panel: number } | null;
  /** limits drawn by panel 0 (shared limits) */
  limits0: [number, number] | null;
  set(p: Partial<Omit<CompareState, 'set' | 'setPanel'>>): void;
  setPanel(i: number, p: Partial<PanelState>): void;
}

const emptyPanel = (): PanelState => ({ datasetId: null, field: '', colormap: 'viridis', offset: 0, mode: 'normal', refId: null });

export const useCompare = create<CompareState>((set) => ({
  layout: 1,
  align: 'index',
  gaps: 'hold',
  cursor: 0,
  panels: [emptyPanel(), emptyPanel(), emptyPanel(), emptyPanel()],
  linkZoom: true,
  sharedLimits: false,
  blinkHz: 2,
  blinkPhase: 0,
  pointer: null,
  limits0: null,
  set: (p) => set(p),
  setPanel: (i, p) =>
    set((s) => {
      const panels = s.panels.slice();
      panels[i] = { ...panels[i], ...p };
      return { panels };
    }),
}));

const byId = (id: string | null): DatasetEntry | undefined => (id ? useDatasets.getState().datasets.find((d) => d.id === id) : undefined);

/** A panel's field: the chosen one when the dataset has it, else its first main field. */
export function fieldOf(d: DatasetEntry, wanted: string): string {
  const names = d.summary.fields.map((f) => f.name);
  return names.includes(wanted) ? wanted : (names.find((n) => !n.includes('/')) ?? names[0] ?? '');
}

/** Switch to a layout: empty panels are filled with the open datasets in order (the active one first). */
export function setLayout(layout: 1 | 2 | 4): void {
  const c = useCompare.getState();
  const ds = useDatasets.getState();
  const order = [...ds.datasets].sort((a, b) => Number(b.id === ds.activeId) - Number(a.id === ds.activeId));
  const panels = c.panels.map((p, i) => {
    if (p.datasetId && byId(p.datasetId)) return p;
    const d = order[i % Math.max(1, order.length)];
    if (!d) return p;
    const field = fieldOf(d, '');
    return {
      ...p,
      datasetId: d.id,
      field,
      colormap: defaultColormapFor(
        d.summary.format,
        d.summary.fields.find((f) => f.name === field),
      ),
    };
  });
  useView.getState().set({ playing: false });
  c.set({ layout, panels, cursor: 0 });
}

let memo: { key: string; a: Alignment } | null = null;
/** The aligned timeline of the visible panels (memoised on what it depends on). */
export function alignment(): Alignment {
  const c = useCompare.getState();
  const panels = c.panels.slice(0, c.layout).map((p) => ({ d: byId(p.datasetId), offset: p.offset }));
  const key = JSON.stringify([c.align, c.gaps, panels.map((p) => [p.d?.id, p.d?.summary.sceneIndex, p.d?.summary.frames.length, p.offset])]);
  if (memo?.key === key) return memo.a;
  const a = align(
    panels.map((p) => ({ frames: p.d?.summary.frames ?? [], offset: p.offset })),
    c.align,
    c.gaps,
  );
  memo = { key, a };
  return a;
}

/** The frame panel `i` shows at the cursor (null: none), and how far it is from the cursor's key. */
export function panelSlot(i: number): { index: number | null; delta: number | null; key: number | null } {
  const a = alignment();
  const c = useCompare.getState();
  const pos = Math.max(0, Math.min(a.keys.length - 1, c.cursor));
  const slot = a.slots[pos]?.[i];
  return { index: slot?.index ?? null, delta: slot?.delta ?? null, key: a.keys[pos] ?? null };
}

const refMemo = new Map<string, Alignment>();
/** The reference dataset's own timeline (memoised: panels ask for it on every store change). */
function refAlignment(ref: DatasetEntry, offset: number, mode: AlignMode): Alignment {
  const key = `${ref.id}|${ref.summary.sceneIndex}|${ref.summary.frames.length}|${offset}|${mode}`;
  let a = refMemo.get(key);
  if (!a) {
    if (refMemo.size > 16) refMemo.clear();
    a = align([{ frames: ref.summary.frames, offset }], mode, 'hold');
    refMemo.set(key, a);
  }
  return a;
}

/** The reference dataset's frame for the same cursor key (difference and blink). */
function refIndex(p: PanelState, own: number): number | null {
  const ref = byId(p.refId);
  const mine = byId(p.datasetId);
  if (!ref || !mine) return null;
  const c = useCompare.getState();
  const f = mine.summary.frames[own];
  if (!f) return null;
  // the reference frame at the same key as ours (index, number, or time + offsets)
  const refPanel = c.panels.find((q) => q.datasetId === ref.id);
  const key = c.align === 'index' ? f.index : c.align === 'number' ? f.number : (f.time ?? 0) + p.offset;
  const a = refAlignment(ref, refPanel?.offset ?? 0, c.align);
  const pos = positionOf(a, key);
  return a.slots[pos]?.[0]?.index ?? null;
}

/** What panel `i` wants drawn now (its Player follows this). */
export function panelWant(i: number): Want | null {
  const c = useCompare.getState();
  const p = c.panels[i];
  if (c.layout === 1 || i >= c.layout) return null;
  let d = byId(p.datasetId);
  if (!d) return null;
  const slot = panelSlot(i);
  if (slot.index === null) return null;
  let index = slot.index;
  let field = fieldOf(d, p.field);
  const v = useView.getState();
  let view = viewRequestOf({ ...v, field, colormap: p.colormap, playLimits: null });
  if (c.sharedLimits && i > 0 && c.limits0) view = { ...view, limitsMode: 'manual', manual: c.limits0 };
  if (p.mode === 'blink' && c.blinkPhase === 1) {
    const r = refIndex(p, index);
    const ref = byId(p.refId);
    if (ref && r !== null) {
      d = ref;
      index = r;
      field = fieldOf(ref, field);
      view = { ...view, field };
    }
  } else if ((p.mode === 'difference' || p.mode === 'abs-difference') && p.refId) {
    const r = refIndex(p, index);
    const ref = byId(p.refId);
    if (ref && r !== null) {
      const refField = fieldOf(ref, field);
      const label = p.mode === 'abs-difference' ? `|${d.label} − ${ref.label}|` : `${d.label} − ${ref.label}`;
      view = { ...view, reference: { id: ref.id, index: r, field: refField, abs: p.mode === 'abs-difference', label: `${field}: ${label}` } };
    }
  }
  return { datasetId: d.id, index, view, key: `${i}|${d.id}|${d.summary.sceneIndex}|${index}|${JSON.stringify(view)}` };
}

/**
 * The compare coordinator: one Player per panel, all following one cursor. Playback advances the
 * cursor once every visible panel has drawn it (no panel a frame behind the others).
 */
class CompareController {
  readonly players: Player[];
  private shown = new Map<number, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private blinkTimer: ReturnType<typeof setInterval> | undefined;
  private lastStep = 0;

  constructor() {
    this.players = [0, 1, 2, 3].map(
      (i) =>
        new Player(() => panelWant(i), {
          onShown: (key) => this.onShown(i, key),
          subscribe: (l) => useCompare.subscribe(l),
        }),
    );
    useView.subscribe((v, prev) => {
      if (v.playing && !prev.playing && useCompare.getState().layout > 1) this.maybeStep();
    });
    useCompare.subscribe((c, prev) => {
      if (c.blinkHz !== prev.blinkHz || c.panels !== prev.panels || c.layout !== prev.layout) this.blink();
    });
  }

  private onShown(i: number, key: string): void {
    this.shown.set(i, key);
    this.maybeStep();
  }

  /** Every visible panel shows what it wants for the cursor: the next step may be scheduled. */
  private maybeStep(): void {
    const c = useCompare.getState();
    if (c.layout === 1 || !useView.getState().playing) return;
    for (let i = 0; i < c.layout; i++) {
      const w = panelWant(i);
      if (w && this.players[i].shown !== w.key) return;
    }
    clearTimeout(this.timer);
    const wait = Math.max(0, 1000 / useView.getState().fps - (performance.now() - this.lastStep));
    this.timer = setTimeout(() => {
      this.lastStep = performance.now();
      const s = useCompare.getState();
      if (!useView.getState().playing || s.layout === 1) return;
      const n = alignment().keys.length;
      s.set({ cursor: s.cursor + 1 >= n ? 0 : s.cursor + 1 });
      // panels with nothing to draw at the new position report nothing: step on after them
      setTimeout(() => this.maybeStep(), 0);
    }, wait);
  }

  private blink(): void {
    clearInterval(this.blinkTimer);
    const c = useCompare.getState();
    if (c.layout === 1 || !c.panels.slice(0, c.layout).some((p) => p.mode === 'blink')) return;
    this.blinkTimer = setInterval(
      () => useCompare.getState().set({ blinkPhase: useCompare.getState().blinkPhase ? 0 : 1 }),
      1000 / Math.max(0.1, c.blinkHz) / 2,
    );
  }
}

let controller: CompareController | null = null;
export function compareController(): CompareController {
  controller ??= new CompareController();
  return controller;
}

/** Compare timeline actions. */
export const compareTimeline = {
  seek(pos: number): void {
    const n = alignment().keys.length;
    if (n) useCompare.getState().set({ cursor: Math.max(0, Math.min(n - 1, Math.round(pos))) });
  },
  step(d: number): void {
    useView.getState().set({ playing: false });
    compareTimeline.seek(useCompare.getState().cursor + d);
  },
  seekKey(key: number): void {
    compareTimeline.seek(positionOf(alignment(), key));
  },
};

/** The comparison in the URL hash (only when more than one panel is shown): layout, alignment, per panel dataset label, field, mode, reference and offset. */
export function compareToHash(c: CompareState = useCompare.getState()): string {
  if (c.layout === 1) return '';
  const p = new URLSearchParams();
  p.set('layout', String(c.layout));
  if (c.align !== 'index') p.set('align', c.align);
  if (c.gaps !== 'hold') p.set('gaps', c.gaps);
  if (c.cursor) p.set('pos', String(c.cursor));
  c.panels.slice(0, c.layout).forEach((q, i) => {
    const d = byId(q.datasetId);
    if (d) p.set(`p${i}`, d.label);
    if (q.field) p.set(`f${i}`, q.field);
    if (q.mode !== 'normal') p.set(`m${i}`, q.mode);
    const r = byId(q.refId);
    if (r && q.mode !== 'normal') p.set(`r${i}`, r.label);
    if (q.offset) p.set(`o${i}`, String(q.offset));
  });
  return p.toString();
}

/** Restore a comparison from the hash once its datasets are open (labels → ids). */
export function compareFromHash(hash: string): void {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const layout = Number(p.get('layout'));
  if (layout !== 2 && layout !== 4) return;
  const ds = useDatasets.getState().datasets;
  const idOf = (label: string | null) => (label ? (ds.find((d) => d.label === label)?.id ?? null) : null);
  setLayout(layout);
  const c = useCompare.getState();
  const al = p.get('align');
  const gaps = p.get('gaps');
  c.set({
    align: al === 'number' || al === 'time' ? al : 'index',
    gaps: gaps === 'blank' || gaps === 'skip' ? gaps : 'hold',
  });
  for (let i = 0; i < layout; i++) {
    const patch: Partial<PanelState> = {};
    const id = idOf(p.get(`p${i}`));
    if (id) patch.datasetId = id;
    const f = p.get(`f${i}`);
    if (f) patch.field = f;
    const m = p.get(`m${i}`);
    if (m === 'difference' || m === 'abs-difference' || m === 'blink') patch.mode = m;
    const r = idOf(p.get(`r${i}`));
    if (r) patch.refId = r;
    const o = Number(p.get(`o${i}`));
    if (Number.isFinite(o) && o) patch.offset = o;
    c.setPanel(i, patch);
  }
  const pos = Number(p.get('pos'));
  if (Number.isInteger(pos) && pos > 0) useCompare.getState().set({ cursor: pos });
}
