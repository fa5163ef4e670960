/**
 * From a table of scattered rows (x, y, u, v, … per vector, in any order) to framescope fields on a
 * regular grid: the distinct x and y positions become the columns and rows (y ascending, so the y
 * axis runs upward as PIV tools draw it), missing positions are masked, evenly spaced axes give a
 * linear Scale (else explicit coordinates).
 */
import { FormatError } from '../errors';
import type { FieldData, FieldInfo, Scale } from '../types';
import { FORMAT, type Table } from './table';

export interface Grid {
  nx: number;
  ny: number;
  xs: Float64Array;
  ys: Float64Array;
  /** cell index of each row */
  cell: Int32Array;
}

function distinct(values: Float64Array): Float64Array {
  const finite = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (!finite.length) return new Float64Array(0);
  const span = finite[finite.length - 1] - finite[0];
  const tol = Math.max(span, Math.abs(finite[0]), 1) * 1e-7;
  const out: number[] = [finite[0]];
  for (const v of finite) if (v - out[out.length - 1] > tol) out.push(v);
  return Float64Array.from(out);
}

function lookup(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(sorted[lo - 1] - v) < Math.abs(sorted[lo] - v)) lo--;
  return lo;
}

export function gridOf(path: string, t: Table): Grid {
  const X = t.columns[t.x].values;
  const Y = t.columns[t.y].values;
  const xs = distinct(X);
  const ys = distinct(Y);
  const nx = xs.length;
  const ny = ys.length;
  if (!nx || !ny) throw new FormatError(FORMAT, path, 'no finite x/y positions');
  if (nx * ny > 1 << 26) throw new FormatError(FORMAT, path, `the positions span ${nx} × ${ny} cells, too many for a vector grid (scattered data?)`);
  if (nx * ny > 4 * X.length + 16)
    throw new FormatError(FORMAT, path, `${X.length} vectors at ${nx} distinct x and ${ny} distinct y positions: not a grid (scattered data is not supported)`);
  const cell = new Int32Array(X.length);
  for (let i = 0; i < X.length; i++) cell[i] = Number.isFinite(X[i]) && Number.isFinite(Y[i]) ? lookup(ys, Y[i]) * nx + lookup(xs, X[i]) : -1;
  return { nx, ny, xs, ys, cell };
}

export function axisScale(values: Float64Array, unit: string, description: string): { scale: Scale; coords?: Float64Array } {
  const n = values.length;
  if (n < 2) return { scale: { slope: 1, offset: n ? values[0] : 0, unit, description } };
  const slope = (values[n - 1] - values[0]) / (n - 1);
  let even = true;
  for (let i = 0; i < n && even; i++) if (Math.abs(values[i] - (values[0] + i * slope)) > Math.abs(slope) * 1e-3) even = false;
  return even
    ? { scale: { slope, offset: values[0], unit, description } }
    : { scale: { slope: 1, offset: 0, unit, description }, coords: Float64Array.from(values) };
}

/** Field names: the vector `velocity`, then every further column as a scalar (flags included). */
export function fieldInfos(t: Table, g: Grid): FieldInfo[] {
  const out: FieldInfo[] = [{ name: 'velocity', kind: 'vector', shape: [g.ny, g.nx], unit: t.columns[t.u].unit }];
  t.columns.forEach((c, i) => {
    if (i === t.x || i === t.y || i === t.u || i === t.v || i === t.w) return;
    out.push({ name: scalarName(c.name, out), kind: 'scalar', shape: [g.ny, g.nx], unit: c.unit });
  });
  return out;
}

function scalarName(name: string, taken: FieldInfo[]): string {
  const base = name.trim() || 'column';
  let n = base;
  for (let k = 2; taken.some((f) => f.name === n); k++) n = `${base}_${k}`;
  return n;
}

export function fieldsOf(t: Table, g: Grid, infos: FieldInfo[]): Record<string, FieldData> {
  const cells = g.nx * g.ny;
  const xs = axisScale(g.xs, t.columns[t.x].unit, 'x');
  const ys = axisScale(g.ys, t.columns[t.y].unit, 'y');
  const scales = { x: xs.scale, y: ys.scale };
  const coords = xs.coords || ys.coords ? { x: xs.coords ?? Float64Array.from(g.xs), y: ys.coords ?? Float64Array.from(g.ys) } : undefined;
  const mask = new Uint8Array(cells).fill(1);
  const scatter = (col: Float64Array, into: Float32Array | Float64Array) => {
    for (let i = 0; i < col.length; i++) if (g.cell[i] >= 0) into[g.cell[i]] = col[i];
  };
  for (let i = 0; i < g.cell.length; i++) if (g.cell[i] >= 0) mask[g.cell[i]] = t.invalid[i];
  const u = new Float32Array(cells).fill(NaN);
  const v = new Float32Array(cells).fill(NaN);
  scatter(t.columns[t.u].values, u);
  scatter(t.columns[t.v].values, v);
  const out: Record<string, FieldData> = {};
  const vel: FieldData = { kind: 'vector', shape: [g.ny, g.nx], u, v, mask, scales, ...(coords ? { coords } : {}) };
  if (t.w !== undefined) {
    const w = new Float32Array(cells).fill(NaN);
    scatter(t.columns[t.w].values, w);
    vel.w = w;
  }
  out.velocity = vel;
  let k = 1;
  t.columns.forEach((c, i) => {
    if (i === t.x || i === t.y || i === t.u || i === t.v || i === t.w) return;
    const values = new Float64Array(cells).fill(NaN);
    scatter(c.values, values);
    const flag = t.flagColumns.includes(i);
    const f: FieldData = { kind: 'scalar', shape: [g.ny, g.nx], values, scales, ...(coords ? { coords } : {}) };
    if (!flag) f.mask = mask;
    else {
      // a flag column is masked only where no vector was written at all
      const absent = new Uint8Array(cells).fill(1);
      for (let r = 0; r < g.cell.length; r++) if (g.cell[r] >= 0) absent[g.cell[r]] = 0;
      f.mask = absent;
    }
    out[infos[k++].name] = f;
  });
  return out;
}
