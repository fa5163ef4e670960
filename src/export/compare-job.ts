/**
 * A comparison export (issue 9): what the export worker is told to draw — the panels (dataset,
 * field, colormap, mode) and, per output frame, which frame of which dataset each panel shows. The
 * plan is made on the main thread from the compare state's alignment (src/state/compare-export.ts,
 * pure); the worker only executes it (compare-movie.ts).
 */
export type CompareTargetId = 'mp4' | 'webm' | 'gif' | 'png-zip';
export const COMPARE_TARGETS: readonly CompareTargetId[] = ['mp4', 'webm', 'gif', 'png-zip'];

export interface ComparePanelPlan {
  /** index into the job's datasets (the worker opens each once) */
  dataset: number;
  field: string;
  colormap: string;
  /** drawn above the panel: "A · sim_000003 · density" */
  label: string;
  mode: 'normal' | 'difference' | 'abs-difference' | 'blink';
  /** the other dataset of a difference or blink (index into the datasets) */
  ref: number | null;
  refField: string | null;
  /** the colour bar's title of a difference ("density: sim_000003 − sim_000002") */
  diffLabel?: string;
}

/** One panel in one output frame: the frame it shows (and the reference frame of a difference), or nothing. */
export interface CompareCell {
  index: number;
  /** difference: the reference dataset's frame; blink: set when this output frame shows B */
  ref?: number | null;
  /** blink: this output frame shows the reference dataset (B) */
  showRef?: boolean;
}

export interface CompareStep {
  /** the timeline key (index, number or time on the common timeline) */
  key: number;
  /** the common time label drawn above the grid */
  label: string;
  cells: (CompareCell | null)[];
}

export interface ComparisonJob {
  target: CompareTargetId;
  /** the target's options (render options, timing, name); field and colormap come from each panel */
  options: Record<string, unknown>;
  layout: 2 | 4;
  panels: ComparePanelPlan[];
  steps: CompareStep[];
  /** every panel uses panel 0's colour limits */
  sharedLimits: boolean;
}
