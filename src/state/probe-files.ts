import {
  columnsToCsv,
  historyColumns,
  historyToCsv,
  historyToJson,
  profileColumns,
  profileToCsv,
  profileToJson,
  seriesColumns,
  seriesToCsv,
  seriesToJson,
  type Column,
} from '../analysis/csv';
import type { ProbeGeom, ProbeResult } from './probes';

/**
 * The shown probe answers as files (src/analysis/csv.ts formats): the line profile of the shown
 * frame, or the ROI / point series over the frames. One dataset: exactly csv.ts's file. Several
 * compare panels: their columns side by side, each name prefixed with the panel's dataset label.
 */
function one(r: ProbeResult, g: ProbeGeom): Column[] | null {
  if (g.kind === 'line') return r.profile ? profileColumns(r.profile) : null;
  if (g.kind === 'roi') return r.series ? seriesColumns(r.series) : null;
  return r.history ? historyColumns(r.history) : null;
}

export function probeCsv(results: ProbeResult[], g: ProbeGeom): string | null {
  const ok = results.filter((r) => one(r, g));
  if (!ok.length) return null;
  if (ok.length === 1) {
    const r = ok[0];
    return g.kind === 'line' ? profileToCsv(r.profile!) : g.kind === 'roi' ? seriesToCsv(r.series!) : historyToCsv(r.history!);
  }
  return columnsToCsv(ok.flatMap((r) => one(r, g)!.map((c) => ({ ...c, name: `${r.label}: ${c.name}` }))));
}

export function probeJson(results: ProbeResult[], g: ProbeGeom): string | null {
  const files = results
    .map((r) => {
      const extra = { dataset: r.label, field: r.field, ...(g.kind === 'line' ? { frameIndex: r.index, points: g.points } : {}) };
      if (g.kind === 'line') return r.profile ? profileToJson(r.profile, extra) : null;
      if (g.kind === 'roi') return r.series ? seriesToJson(r.series, extra) : null;
      return r.history ? historyToJson(r.history, extra) : null;
    })
    .filter((x): x is string => x !== null);
  if (!files.length) return null;
  return files.length === 1 ? files[0] : `[${files.join(',')}]`;
}

/** A file name for the download: dataset, what and where. */
export function probeFileName(results: ProbeResult[], g: ProbeGeom, ext: string): string {
  const what = g.kind === 'line' ? `profile-frame${results[0]?.index ?? 0}` : g.kind === 'roi' ? 'roi-series' : 'point-history';
  const ds = results.length === 1 ? results[0].label : 'compare';
  return `${ds}-${results[0]?.field ?? ''}-${what}.${ext}`.replace(/[^\w.\-]+/g, '_');
}
