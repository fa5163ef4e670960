/**
 * Aligning several datasets on one timeline (pure TypeScript, runs in Node). The timeline's
 * positions are the union of the panels' keys — frame index, frame number, or time plus the panel's
 * offset — and each panel shows its frame for a position under a gap policy, as imgstore's aligner
 * does: hold the last frame, show nothing, or skip positions where a panel has no frame.
 */
import type { FrameInfo } from '../core/types';

export type AlignMode = 'index' | 'number' | 'time';
export type GapPolicy = 'hold' | 'blank' | 'skip';

export interface AlignedPanel {
  frames: FrameInfo[];
  /** added to this dataset's times: its frame at dataset time t sits at timeline time t + offset */
  offset: number;
}

/** One timeline position: its key (index, number or time) and, per panel, the frame shown and how far it is from the key. */
export interface Slot {
  index: number | null;
  /** key − the frame's own key (0 for an exact match; null when no frame is shown) */
  delta: number | null;
}

const keyOf = (f: FrameInfo, mode: AlignMode, offset: number): number | null =>
  mode === 'index' ? f.index : mode === 'number' ? f.number : f.time === null || !Number.isFinite(f.time) ? null : f.time + offset;

/** The typical spacing of sorted keys (median of the gaps), for deciding whether a panel has a frame at a key. */
function typicalStep(keys: number[]): number {
  if (keys.length < 2) return Infinity;
  const gaps: number[] = [];
  for (let i = 1; i < keys.length; i++) if (keys[i] > keys[i - 1]) gaps.push(keys[i] - keys[i - 1]);
  if (!gaps.length) return Infinity;
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1];
}

interface PanelKeys {
  keys: number[];
  idx: number[];
  /** half of the panel's typical frame spacing: a frame within it counts as "at" the key */
  tolerance: number;
}

function panelKeys(p: AlignedPanel, mode: AlignMode): PanelKeys {
  const pairs: [number, number][] = [];
  for (const f of p.frames) {
    const k = keyOf(f, mode, p.offset);
    if (k !== null) pairs.push([k, f.index]);
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const keys = pairs.map((x) => x[0]);
  return { keys, idx: pairs.map((x) => x[1]), tolerance: mode === 'time' ? typicalStep(keys) / 2 : 0 };
}

/** The panel's frame at `key`: an exact (or within-tolerance nearest) frame, else the gap policy. */
function slotOf(pk: PanelKeys, key: number, policy: GapPolicy): Slot {
  const { keys, idx, tolerance } = pk;
  if (!keys.length) return { index: null, delta: null };
  // last key <= key
  let lo = -1;
  let hi = keys.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] <= key) lo = mid;
    else hi = mid;
  }
  const cands = [lo, lo + 1].filter((i) => i >= 0 && i < keys.length);
  let best = -1;
  for (const i of cands) if (best < 0 || Math.abs(keys[i] - key) < Math.abs(keys[best] - key)) best = i;
  if (best >= 0 && Math.abs(keys[best] - key) <= tolerance + Math.max(1e-9, 1e-14 * Math.abs(key))) {
    // the earliest frame with that key
    while (best > 0 && keys[best - 1] === keys[best]) best--;
    return { index: idx[best], delta: key - keys[best] };
  }
  if (policy === 'hold' && lo >= 0) return { index: idx[lo], delta: key - keys[lo] };
  return { index: null, delta: null };
}

export interface Alignment {
  /** the timeline positions (sorted keys) */
  keys: number[];
  /** per position, per panel: the frame shown */
  slots: Slot[][];
}

/**
 * The timeline of several panels. `skip` keeps only the positions where every panel has a frame at
 * the key; `hold` and `blank` keep the union and fill the gaps (hold: the panel's last frame before
 * the key; blank: nothing).
 */
export function align(panels: AlignedPanel[], mode: AlignMode, policy: GapPolicy = 'hold'): Alignment {
  const pks = panels.map((p) => panelKeys(p, mode));
  const all = pks.flatMap((p) => p.keys).sort((a, b) => a - b);
  const keys: number[] = [];
  for (const k of all) if (!keys.length || k - keys[keys.length - 1] > Math.max(1e-9, 1e-14 * Math.abs(k))) keys.push(k);
  const slots = keys.map((k) => pks.map((pk) => slotOf(pk, k, policy)));
  if (policy === 'skip') {
    const keep = slots.map((row) => row.every((s) => s.index !== null));
    return { keys: keys.filter((_, i) => keep[i]), slots: slots.filter((_, i) => keep[i]) };
  }
  return { keys, slots };
}

/** The position whose key is nearest to `key` (for keeping the cursor when the alignment changes). */
export function positionOf(a: Alignment, key: number): number {
  if (!a.keys.length) return 0;
  let best = 0;
  for (let i = 1; i < a.keys.length; i++) if (Math.abs(a.keys[i] - key) < Math.abs(a.keys[best] - key)) best = i;
  return best;
}
