/**
 * CSV and JSON for profiles, region series and point histories. CSV: one header row, units in
 * square brackets after the column name (`distance [mm]`, `mean [m/s]`), comma-separated, numbers
 * in the shortest form that reads back to the same float64, masked/undefined samples as empty
 * cells, `\n` line ends, fields quoted only when needed (RFC 4180). JSON: the same columns as
 * arrays with `null` for NaN, plus the units and what was measured.
 */
import type { LineProfile, PointHistory } from './profile';
import type { RegionSeries, SeriesColumns } from './region';

export interface Column {
  name: string;
  unit?: string;
  values: ArrayLike<number | null>;
}

function quote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const head = (c: Column) => quote(c.unit ? `${c.name} [${c.unit}]` : c.name);
const num = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '' : String(x));

export function columnsToCsv(cols: Column[]): string {
  const n = cols.reduce((m, c) => Math.max(m, c.values.length), 0);
  const lines = [cols.map(head).join(',')];
  for (let r = 0; r < n; r++) lines.push(cols.map((c) => num(c.values[r])).join(','));
  return lines.join('\n') + '\n';
}

export function profileColumns(p: LineProfile): Column[] {
  const du = p.distanceUnit;
  const cols: Column[] = [
    { name: 'distance', unit: du, values: p.distance },
    { name: 'x', unit: du, values: p.x },
    { name: 'y', unit: du, values: p.y },
    { name: p.quantity, unit: p.unit, values: p.values },
  ];
  for (const k of ['u', 'v', 'w', 'tangential', 'normal'] as const) if (p[k]) cols.push({ name: k, unit: p.unit, values: p[k]! });
  return cols;
}

function frameColumns(s: { index: number[]; number: number[]; time: (number | null)[]; timeUnit: string | null }): Column[] {
  return [
    { name: 'index', values: s.index },
    { name: 'number', values: s.number },
    { name: 'time', unit: s.timeUnit ?? '', values: s.time },
  ];
}

function statColumns(prefix: string, c: SeriesColumns, unit: string): Column[] {
  return [
    { name: `${prefix}mean`, unit, values: c.mean },
    { name: `${prefix}std`, unit, values: c.std },
    { name: `${prefix}min`, unit, values: c.min },
    { name: `${prefix}max`, unit, values: c.max },
    { name: `${prefix}count`, values: c.count },
  ];
}

export function seriesColumns(s: RegionSeries): Column[] {
  const cols = [...frameColumns(s), ...statColumns('', s, s.unit)];
  for (const [k, c] of Object.entries(s.components ?? {})) cols.push(...statColumns(`${k} `, c, s.unit));
  return cols;
}

export function historyColumns(h: PointHistory): Column[] {
  const cols = [...frameColumns(h), { name: h.quantity, unit: h.unit, values: h.values }];
  for (const k of ['u', 'v', 'w'] as const) if (h[k]) cols.push({ name: k, unit: h.unit, values: h[k]! });
  return cols;
}

export const profileToCsv = (p: LineProfile) => columnsToCsv(profileColumns(p));
export const seriesToCsv = (s: RegionSeries) => columnsToCsv(seriesColumns(s));
export const historyToCsv = (h: PointHistory) => columnsToCsv(historyColumns(h));

function columnsJson(cols: Column[]) {
  return {
    units: Object.fromEntries(cols.map((c) => [c.name, c.unit ?? ''])),
    columns: Object.fromEntries(
      cols.map((c) => [c.name, Array.from(c.values as ArrayLike<number | null>, (x) => (x === null || Number.isNaN(x as number) ? null : x))]),
    ),
  };
}

export function profileToJson(p: LineProfile, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    kind: 'line-profile',
    quantity: p.quantity,
    unit: p.unit,
    distanceUnit: p.distanceUnit,
    length: p.length,
    ...extra,
    ...columnsJson(profileColumns(p)),
  });
}

export function seriesToJson(s: RegionSeries, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    kind: 'region-series',
    field: s.field,
    quantity: s.quantity,
    unit: s.unit,
    region: s.region,
    ...(s.plane !== undefined ? { plane: s.plane } : {}),
    cells: s.cells,
    timeUnit: s.timeUnit,
    ...extra,
    ...columnsJson(seriesColumns(s)),
  });
}

export function historyToJson(h: PointHistory, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    kind: 'point-history',
    field: h.field,
    quantity: h.quantity,
    unit: h.unit,
    point: h.point,
    cell: h.cell,
    interpolation: h.interpolation,
    timeUnit: h.timeUnit,
    ...extra,
    ...columnsJson(historyColumns(h)),
  });
}
