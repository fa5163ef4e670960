/**
 * The comparison on screen as an export job: the datasets the export worker opens (each once) and
 * the ComparisonJob planned by compare-export.ts from the compare store — the visible panels, their
 * datasets, fields, colormaps, modes and offsets, the alignment and gap policy, shared limits, blink.
 */
import type { ComparePanelPlan, CompareTargetId, ComparisonJob } from '../export/compare-job';
import type { DatasetRef } from '../workers/export-protocol';
import { fieldOf, useCompare } from './compare';
import { planComparison, positionRange, type PlanPanel } from './compare-export';
import { useDatasets, type DatasetEntry } from './datasets';

export interface ComparisonRequest {
  datasets: DatasetRef[];
  /** the datasets' labels, for the job list */
  names: string[];
  job: ComparisonJob;
}

/** Every timeline position of the comparison on screen (for the dialog's range). */
export function comparisonLength(): number {
  const c = useCompare.getState();
  const ds = useDatasets.getState().datasets;
  const byId = (id: string | null) => ds.find((d) => d.id === id);
  return planComparison({
    panels: c.panels.slice(0, c.layout).map((p) => ({ frames: byId(p.datasetId)?.summary.frames ?? [], offset: p.offset, mode: 'normal' as const })),
    align: c.align,
    gaps: c.gaps,
    positions: [],
  }).keys.length;
}

/**
 * The job for the comparison on screen, for `target` with its options, over the timeline positions
 * start…stop every step (default: all). Null when a visible panel has no dataset, or a dataset
 * cannot be re-opened by the export worker (a computed statistics dataset).
 */
export function comparisonFromState(
  target: CompareTargetId,
  options: Record<string, unknown>,
  range: { start?: number; stop?: number; step?: number } = {},
): ComparisonRequest | { error: string } {
  const c = useCompare.getState();
  if (c.layout === 1) return { error: 'show 2 or 4 panels to export a comparison' };
  const all = useDatasets.getState().datasets;
  const byId = (id: string | null) => all.find((d) => d.id === id);
  const used: DatasetEntry[] = [];
  const slot = (d: DatasetEntry) => {
    let i = used.indexOf(d);
    if (i < 0) i = used.push(d) - 1;
    return i;
  };
  const visible = c.panels.slice(0, c.layout);
  const panels: ComparePanelPlan[] = [];
  const plan: PlanPanel[] = [];
  for (const [i, p] of visible.entries()) {
    const d = byId(p.datasetId);
    if (!d) return { error: `panel ${String.fromCharCode(65 + i)} has no dataset` };
    if (d.computedFrom) return { error: `panel ${String.fromCharCode(65 + i)} shows a computed statistics dataset, which lives in the viewer only` };
    const field = fieldOf(d, p.field);
    const ref = p.mode !== 'normal' ? byId(p.refId) : undefined;
    if (ref?.computedFrom) return { error: `panel ${String.fromCharCode(65 + i)}'s reference is a computed statistics dataset` };
    const mode = ref ? p.mode : 'normal';
    const refField = ref ? fieldOf(ref, field) : null;
    const what =
      mode === 'difference'
        ? ` − ${ref!.label}`
        : mode === 'abs-difference'
          ? ` |A − B| (B = ${ref!.label})`
          : mode === 'blink'
            ? ` / ${ref!.label} (blink)`
            : '';
    panels.push({
      dataset: slot(d),
      field,
      colormap: p.colormap,
      label: `${String.fromCharCode(65 + i)} · ${d.label}${what} · ${field}`,
      mode,
      ref: ref ? slot(ref) : null,
      refField,
      diffLabel:
        ref && mode !== 'blink' ? (mode === 'abs-difference' ? `${field}: |${d.label} − ${ref.label}|` : `${field}: ${d.label} − ${ref.label}`) : undefined,
    });
    const refPanel = ref ? visible.find((q) => q.datasetId === ref.id) : undefined;
    plan.push({ frames: d.summary.frames, offset: p.offset, mode, ref: ref ? { frames: ref.summary.frames, offset: refPanel?.offset ?? 0 } : null });
  }
  const n = comparisonLength();
  if (!n) return { error: 'the panels have no frame in common on this timeline' };
  const fps = typeof options.frameDurationMs === 'number' && options.frameDurationMs > 0 ? 1000 / options.frameDurationMs : Number(options.fps) || 10;
  const timeUnit = used[panels[0].dataset].summary.timeUnit;
  const { steps } = planComparison({
    panels: plan,
    align: c.align,
    gaps: c.gaps,
    positions: positionRange(n, range.start, range.stop, range.step),
    blink: { hz: c.blinkHz, fps },
    timeUnit: c.align === 'time' ? (timeUnit ?? 's') : null,
  });
  return {
    datasets: used.map((d) => ({ spec: d.spec, scene: d.summary.sceneIndex, key: `${d.id}/${d.summary.sceneIndex}` })),
    names: used.map((d) => d.label),
    job: { target, options, layout: c.layout as 2 | 4, panels, steps, sharedLimits: c.sharedLimits },
  };
}
