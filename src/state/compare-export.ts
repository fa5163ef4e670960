/**
 * The plan of a comparison export (pure; runs in Node): from the panels' frame tables, their offsets,
 * the alignment mode and gap policy, which frame of which dataset each panel shows in each output
 * frame — the same frames the compare view shows at each cursor position (align() and the reference
 * rule of a difference: the reference dataset's frame at the same key) — and the common time label.
 * `comparisonFromState` builds it from the compare store for the export dialog.
 */
import type { FrameInfo } from '../core/types';
import type { CompareCell, ComparePanelPlan, CompareStep, CompareTargetId, ComparisonJob } from '../export/compare-job';
import { align, positionOf, type AlignMode, type Alignment, type GapPolicy } from './align';

export interface PlanPanel {
  frames: FrameInfo[];
  offset: number;
  mode: ComparePanelPlan['mode'];
  /** the other dataset of a difference or blink: its frames and its own offset */
  ref?: { frames: FrameInfo[]; offset: number } | null;
}

export interface PlanInput {
  panels: PlanPanel[];
  align: AlignMode;
  gaps: GapPolicy;
  /** timeline positions to export, in order (default: every position) */
  positions?: number[];
  /** blink panels alternate A and B at `hz` in a movie played at `fps` */
  blink?: { hz: number; fps: number };
  timeUnit?: string | null;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : String(+x.toPrecision(6)));

/** The common label of a timeline key. */
export function keyLabel(mode: AlignMode, key: number, timeUnit?: string | null): string {
  if (mode === 'index') return `frame index ${key}`;
  if (mode === 'number') return `frame number ${key}`;
  return `t = ${fmt(key)}${timeUnit ? ` ${timeUnit}` : ' s'}`;
}

/** The reference dataset's frame at the key of panel frame `f` (the compare view's rule). */
function refAt(f: FrameInfo, mode: AlignMode, offset: number, refAlign: Alignment): number | null {
  const key = mode === 'index' ? f.index : mode === 'number' ? f.number : (f.time ?? 0) + offset;
  if (!refAlign.keys.length) return null;
  return refAlign.slots[positionOf(refAlign, key)]?.[0]?.index ?? null;
}

export function planComparison(input: PlanInput): { keys: number[]; steps: CompareStep[] } {
  const a = align(
    input.panels.map((p) => ({ frames: p.frames, offset: p.offset })),
    input.align,
    input.gaps,
  );
  const refAligns = input.panels.map((p) =>
    p.mode !== 'normal' && p.ref ? align([{ frames: p.ref.frames, offset: p.ref.offset }], input.align, 'hold') : null,
  );
  const positions = input.positions ?? a.keys.map((_, i) => i);
  const steps: CompareStep[] = positions.map((pos, k) => {
    if (!Number.isInteger(pos) || pos < 0 || pos >= a.keys.length) throw new RangeError(`timeline position ${pos} is outside 0…${a.keys.length - 1}`);
    const key = a.keys[pos];
    const showB = input.blink ? Math.floor((k / input.blink.fps) * input.blink.hz * 2) % 2 === 1 : false;
    const cells = input.panels.map((p, i): CompareCell | null => {
      const index = a.slots[pos][i].index;
      if (index === null) return null;
      const ra = refAligns[i];
      if (!ra || !p.ref) return { index };
      const f = p.frames.find((x) => x.index === index) ?? p.frames[index];
      const ref = f ? refAt(f, input.align, p.offset, ra) : null;
      if (p.mode === 'blink') return showB && ref !== null ? { index, ref, showRef: true } : { index };
      return { index, ref };
    });
    return { key, label: keyLabel(input.align, key, input.timeUnit), cells };
  });
  return { keys: a.keys, steps };
}

/** Positions start…stop (inclusive) every `step` on a timeline of `n` positions (the dialog's range). */
export function positionRange(n: number, start?: number, stop?: number, step?: number): number[] {
  const a = Math.max(0, Math.min(n - 1, Math.round(start ?? 0)));
  const b = Math.max(0, Math.min(n - 1, Math.round(stop ?? n - 1)));
  const s = Math.max(1, Math.round(step ?? 1));
  const out: number[] = [];
  for (let i = a; i <= b; i += s) out.push(i);
  return out;
}

export type { CompareTargetId, ComparisonJob };
