import { create } from 'zustand';
import type { LimitsMode } from '../render/colorize';
import type { ViewRequest } from '../render/view-model';
import { drawnStore } from './drawn';

/** Everything that decides what is drawn; serialisable and mirrored in the URL hash. */
export interface ViewState {
  /** dataset name the state belongs to (for restoring after reload) */
  dataset: string;
  scene: number;
  frame: number;
  field: string;
  component: string;
  plane: number;
  colormap: string;
  limitsMode: LimitsMode;
  vmin: number | null;
  vmax: number | null;
  stride: number;
  arrowScale: number;
  quiver: boolean;
  /** arrow colour: 'magnitude' (coloured by |v|), 'black' or 'white' */
  arrowColor: string;
  fps: number;
  /** how masked cells look (render/mask-style.ts) */
  mask: string;
  /** zoomed axis ranges [x0, x1, y0, y1] in physical units, or null for the whole field */
  zoom: [number, number, number, number] | null;
  /** a derived quantity shown as the background (src/analysis names: vorticity, q-criterion, …), '' for the stored values */
  derived: string;
  /** Gaussian smoothing σ in cells before differentiating (0 = off) */
  smooth: number;
  /** the probe on the plot (state/probes.ts encodes it: `line:x,y;x,y`, `rect:x0,y0,x1,y1`, `ellipse:cx,cy,rx,ry`, `poly:…`, `point:x,y`), '' for none */
  probe: string;
  /** show the frame minus the time mean of a statistics dataset computed from it (fluctuation view) */
  fluct: boolean;
}

export const DEFAULT_VIEW: ViewState = {
  dataset: '',
  scene: 0,
  frame: 0,
  field: '',
  component: 'magnitude',
  plane: 0,
  colormap: 'viridis',
  limitsMode: 'minmax',
  vmin: null,
  vmax: null,
  stride: 0,
  arrowScale: 1,
  quiver: true,
  arrowColor: 'black',
  fps: 10,
  mask: 'hatch',
  zoom: null,
  derived: '',
  smooth: 0,
  probe: '',
  fluct: false,
};

interface ViewStore extends ViewState {
  playing: boolean;
  /**
   * Colour limits held during playback (automatic limits are frozen at the frame where playback
   * started, so the colour scale is steady and the colour bar exact while frames change); null otherwise.
   */
  playLimits: [number, number] | null;
  set(p: Partial<ViewState & { playing: boolean }>): void;
  /** the view each dataset had when it was last shown, by dataset key */
  saved: Record<string, ViewState>;
  /**
   * Show another dataset: the current view is kept under its key, the other dataset's saved view
   * (or `fresh` for a dataset never shown) comes back.
   */
  switchTo(key: string, fresh: () => ViewState): void;
  /** forget a closed dataset's view */
  forget(key: string): void;
}

/** The ViewState part of the store (what is saved per dataset and mirrored in the hash). */
export function viewStateOf(s: ViewState): ViewState {
  const out = {} as Record<string, unknown>;
  for (const k of Object.keys(DEFAULT_VIEW) as (keyof ViewState)[]) out[k] = s[k];
  return out as unknown as ViewState;
}

export const useView = create<ViewStore>((set, get) => ({
  ...DEFAULT_VIEW,
  playing: false,
  playLimits: null,
  saved: {},
  switchTo: (key, fresh) => {
    const cur = get();
    const saved = { ...cur.saved };
    if (cur.dataset) saved[cur.dataset] = viewStateOf(cur);
    const next = saved[key] ?? fresh();
    set({ ...next, dataset: key, saved, playing: false, playLimits: null });
  },
  forget: (key) =>
    set((s) => {
      const saved = { ...s.saved };
      delete saved[key];
      return { saved };
    }),
  set: (p) =>
    set((s) => {
      const next: Partial<ViewStore> = { ...p };
      const changesLimits = (['limitsMode', 'vmin', 'vmax', 'field', 'component', 'plane', 'derived', 'smooth', 'fluct'] as const).some((k) => k in p);
      if (p.playing === true && !s.playing) next.playLimits = (p.limitsMode ?? s.limitsMode) === 'manual' ? null : drawnStore.getState().limits;
      else if (p.playing === false || changesLimits) next.playLimits = null;
      return next;
    }),
}));

const KEYS: Record<keyof ViewState, string> = {
  dataset: 'd',
  scene: 'sc',
  frame: 'i',
  field: 'f',
  component: 'c',
  plane: 'z',
  colormap: 'cmap',
  limitsMode: 'lim',
  vmin: 'vmin',
  vmax: 'vmax',
  stride: 'stride',
  arrowScale: 'arrow',
  quiver: 'q',
  arrowColor: 'ac',
  fps: 'fps',
  mask: 'mask',
  zoom: 'zoom',
  derived: 'dq',
  smooth: 'sm',
  probe: 'pr',
  fluct: 'fl',
};

/** View state → URL hash (only what differs from the defaults). */
export function toHash(v: ViewState): string {
  const p = new URLSearchParams();
  for (const k of Object.keys(KEYS) as (keyof ViewState)[]) {
    const val = v[k];
    if (val === DEFAULT_VIEW[k] || val === null) continue;
    p.set(KEYS[k], Array.isArray(val) ? val.map((x) => Number(x.toPrecision(6))).join(',') : String(val));
  }
  return p.toString();
}

/** URL hash → partial view state (ignores what it does not understand). */
export function fromHash(hash: string): Partial<ViewState> {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const out: Partial<ViewState> = {};
  const num = (s: string | null) => (s !== null && s !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);
  for (const k of Object.keys(KEYS) as (keyof ViewState)[]) {
    const raw = p.get(KEYS[k]);
    if (raw === null) continue;
    const def = DEFAULT_VIEW[k];
    if (k === 'zoom') {
      const z = raw.split(',').map(Number);
      if (z.length === 4 && z.every(Number.isFinite)) out.zoom = z as [number, number, number, number];
    } else if (k === 'vmin' || k === 'vmax' || typeof def === 'number') {
      const n = num(raw);
      if (n !== undefined) (out as Record<string, unknown>)[k] = n;
    } else if (typeof def === 'boolean') (out as Record<string, unknown>)[k] = raw === 'true';
    else (out as Record<string, unknown>)[k] = raw;
  }
  return out;
}

/** What the worker is asked to render for this view state (the same for the shown and prefetched frames). */
export function viewRequestOf(v: ViewState & { playLimits?: [number, number] | null }): ViewRequest {
  if (v.playLimits) return { ...viewRequestOf({ ...v, playLimits: null }), limitsMode: 'manual', manual: v.playLimits };
  return {
    field: v.field,
    plane: v.plane,
    component: v.component,
    colormap: v.colormap,
    limitsMode: v.limitsMode,
    manual: v.vmin !== null && v.vmax !== null ? [v.vmin, v.vmax] : undefined,
    stride: v.stride,
    quiver: v.quiver,
    ...(v.derived ? { derived: { quantity: v.derived, smooth: v.smooth > 0 ? { kind: 'gaussian' as const, size: v.smooth } : null } } : {}),
  };
}
