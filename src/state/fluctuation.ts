import type { ViewRequest } from '../render/view-model';
import type { DatasetEntry } from './datasets';

/**
 * The fluctuation view: the frame minus the time mean. Available once a statistics dataset has been
 * computed from this dataset for the shown field (its `mean` field, of the stored values, not of a
 * derived quantity); it is drawn through the compare feature's difference path (the pipeline's
 * `reference`, src/analysis/difference.ts), so masks and units behave as in A − B.
 */
export function meanDatasetFor(datasets: DatasetEntry[], source: DatasetEntry | undefined, field: string): DatasetEntry | undefined {
  if (!source) return undefined;
  const ok = (d: DatasetEntry) => {
    const m = d.summary.metadata as { field?: unknown; quantity?: unknown };
    return d.computedFrom === source.id && m.field === field && !m.quantity && d.summary.fields.some((f) => f.name === 'mean');
  };
  // the latest computed one
  return [...datasets].reverse().find(ok);
}

/** The reference a fluctuation view asks the pipeline for (null when no mean exists). */
export function fluctuationReference(datasets: DatasetEntry[], source: DatasetEntry | undefined, field: string): ViewRequest['reference'] | null {
  const mean = meanDatasetFor(datasets, source, field);
  if (!mean) return null;
  return { id: mean.id, index: 0, field: 'mean', abs: false, label: `${field} − time mean` };
}
