import type { FieldData, Scale } from '../types';
import type { DavisArray, DavisComponent, DavisDType, DavisHeader, DavisTypedScalar } from './model';
import { defaultScale, parseScale } from './scales';

export const dtypeOf = (a: DavisArray): DavisDType =>
  a instanceof Uint8Array
    ? 'uint8'
    : a instanceof Uint16Array
      ? 'uint16'
      : a instanceof Int32Array
        ? 'int32'
        : a instanceof Float64Array
          ? 'float64'
          : 'float32';

export const fieldShape = (h: DavisHeader): number[] => (h.nz > 1 ? [h.nz, h.ny, h.nx] : [h.ny, h.nx]);

/** Physical values (offset + raw*slope) of a component: integer data with an identity scale stays as is. */
export function physicalValues(c: DavisComponent): FieldData['values'] {
  const { slope, offset } = c.scale;
  const d = c.data;
  if (slope === 1 && offset === 0 && (d instanceof Uint8Array || d instanceof Uint16Array || d instanceof Float32Array || d instanceof Float64Array)) {
    return d;
  }
  const out = d instanceof Float64Array ? new Float64Array(d.length) : new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = offset + d[i] * slope;
  return out;
}

/**
 * The scalar planes a frame carries besides its main blocks: the file's scalarN blocks (named from
 * `ComponentName<i>` as "TS:<name>", scale `ComponentScale<i>`; "SCALAR<i>" when unnamed) and the typed
 * scalars ("TS:<name>", 5th scale), minus `skip` names. Sorted by name, without duplicates.
 */
export function extraScalars(
  h: DavisHeader,
  rec: Record<string, unknown>,
  data: DavisArray,
  frameBase: number,
  C: number,
  f: number,
  typed: DavisTypedScalar[],
  skip: Set<string>,
): DavisComponent[] {
  const n = h.nx * h.ny * h.nz;
  const shape: [number, number, number] = [h.nz, h.ny, h.nx];
  const list: DavisComponent[] = [];
  const seen = new Set<string>(skip);
  for (let s = 0; s < h.scalarN; s++) {
    const nm = rec[`ComponentName${s}`];
    const name = typeof nm === 'string' && nm.trim() ? `TS:${nm.trim()}` : `SCALAR${s}`;
    if (seen.has(name)) continue;
    seen.add(name);
    const sc = rec[`ComponentScale${s}`];
    const scale: Scale = (typeof sc === 'string' ? parseScale(sc) : null) ?? defaultScale('');
    const start = frameBase + (C + s) * n;
    const sub = data.subarray(start, start + n) as DavisArray;
    list.push({ name, dtype: dtypeOf(sub), shape, data: sub, scale });
  }
  for (const ts of typed) {
    const name = `TS:${ts.name}`;
    if (seen.has(name) || skip.has(ts.name)) continue;
    seen.add(name);
    const m = ts.nx * ts.ny * ts.nz;
    const ff = Math.min(f, ts.nf - 1);
    const sub = ts.data.subarray(ff * m, (ff + 1) * m) as DavisArray;
    list.push({ name, dtype: dtypeOf(sub), shape: [ts.nz, ts.ny, ts.nx], data: sub, scale: ts.scales[4] });
  }
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return list;
}
