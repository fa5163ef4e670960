/**
 * Side files of a scene: `log_<name>.txt` scalar curves ("<frame> <value> [<value> …]" per line,
 * as numpy.savetxt/loadtxt read them) and text documents.
 */
import type { SeriesInfo } from '../types';

/** Parse one log_*.txt; returns null (and a reason) when no line parses. */
export function parseLogSeries(name: string, text: string): { series: SeriesInfo | null; bad: number } {
  const x: number[] = [];
  const rows: number[][] = [];
  let bad = 0;
  let ncol = 0;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const parts = t.split(/[\s,]+/).map(Number);
    if (parts.length < 2 || parts.some((p) => Number.isNaN(p) && !/nan/i.test(t))) {
      bad++;
      continue;
    }
    x.push(parts[0]);
    rows.push(parts.slice(1));
    ncol = Math.max(ncol, parts.length - 1);
  }
  if (!x.length) return { series: null, bad };
  const y = Array.from({ length: ncol }, (_, c) => rows.map((r) => (c < r.length ? r[c] : NaN)));
  const columns = ncol === 1 ? [name] : Array.from({ length: ncol }, (_, c) => `${name}[${c}]`);
  return { series: { name, xKind: 'number', x, y, columns }, bad };
}
