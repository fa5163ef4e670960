/** Synthetic grids for the analysis tests: FieldData on physical scales (DaVis-like, PhiFlow-like, py-pde-like). */
import type { FieldData, Frame, Scale } from '../../src/core/types';

export interface GridSpec {
  nx: number;
  ny: number;
  nz?: number;
  x: Scale;
  y: Scale;
  z?: Scale;
  valueUnit?: string;
  coords?: { x?: Float64Array; y?: Float64Array; z?: Float64Array };
}

export const scale = (slope: number, offset: number, unit = '', description = ''): Scale => ({ slope, offset, unit, description });

export function coordsOf(g: GridSpec): { xs: Float64Array; ys: Float64Array; zs: Float64Array } {
  const ax = (s: Scale | undefined, n: number, c?: Float64Array) => c ?? Float64Array.from({ length: n }, (_, i) => (s ? s.offset + i * s.slope : i));
  return { xs: ax(g.x, g.nx, g.coords?.x), ys: ax(g.y, g.ny, g.coords?.y), zs: ax(g.z, g.nz ?? 1, g.coords?.z) };
}

/** A vector field (u, v[, w]) = fn(x, y, z) sampled at the cell centres (physical coordinates). */
export function vectorField(g: GridSpec, fn: (x: number, y: number, z: number) => number[], mask?: (i: number, j: number, k: number) => boolean): FieldData {
  const nz = g.nz ?? 1;
  const n = g.nx * g.ny * nz;
  const { xs, ys, zs } = coordsOf(g);
  const u = new Float32Array(n);
  const v = new Float32Array(n);
  let w: Float32Array | undefined;
  const m = new Uint8Array(n);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < g.ny; j++)
      for (let i = 0; i < g.nx; i++) {
        const p = (k * g.ny + j) * g.nx + i;
        const r = fn(xs[i], ys[j], zs[k]);
        if (mask?.(i, j, k)) {
          m[p] = 1;
          continue;
        }
        u[p] = r[0];
        v[p] = r[1];
        if (r.length > 2) (w ??= new Float32Array(n))[p] = r[2];
      }
  return {
    kind: 'vector',
    shape: g.nz ? [nz, g.ny, g.nx] : [g.ny, g.nx],
    u,
    v,
    ...(w ? { w } : {}),
    ...(mask ? { mask: m } : {}),
    scales: { x: g.x, y: g.y, ...(g.z ? { z: g.z } : {}), i: scale(1, 0, g.valueUnit ?? '', 'velocity') },
    ...(g.coords ? { coords: g.coords } : {}),
  };
}

export function scalarField(g: GridSpec, fn: (x: number, y: number, z: number) => number, mask?: (i: number, j: number, k: number) => boolean): FieldData {
  const nz = g.nz ?? 1;
  const n = g.nx * g.ny * nz;
  const { xs, ys, zs } = coordsOf(g);
  const values = new Float32Array(n);
  const m = new Uint8Array(n);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < g.ny; j++)
      for (let i = 0; i < g.nx; i++) {
        const p = (k * g.ny + j) * g.nx + i;
        if (mask?.(i, j, k)) m[p] = 1;
        else values[p] = fn(xs[i], ys[j], zs[k]);
      }
  return {
    kind: 'scalar',
    shape: g.nz ? [nz, g.ny, g.nx] : [g.ny, g.nx],
    values,
    ...(mask ? { mask: m } : {}),
    scales: { x: g.x, y: g.y, ...(g.z ? { z: g.z } : {}), i: scale(1, 0, g.valueUnit ?? '', 'value') },
    ...(g.coords ? { coords: g.coords } : {}),
  };
}

export function frameOf(fields: Record<string, FieldData>, index = 0, time: number | null = null): Frame {
  return { info: { index, number: index + 1, time }, fields, attributes: {} };
}

/** max |a − b| over cells valid in both (mask 1 = invalid), and how many were compared */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>, mask?: Uint8Array): { max: number; n: number } {
  let max = 0;
  let n = 0;
  for (let p = 0; p < a.length; p++) {
    if (mask?.[p]) continue;
    max = Math.max(max, Math.abs(a[p] - b[p]));
    n++;
  }
  return { max, n };
}

import type { FrameSource } from '../../src/core/types';

/** An in-memory FrameSource over prepared frames (counts reads). */
export function memorySource(frames: Frame[], name = 'memory'): FrameSource & { reads: number[] } {
  const reads: number[] = [];
  const first = frames[0];
  return {
    reads,
    format: 'memory',
    name,
    frames: frames.map((f) => f.info),
    fields: Object.entries(first.fields).map(([n, f]) => ({ name: n, kind: f.kind, shape: f.shape, unit: f.scales?.i?.unit ?? '' })),
    metadata: {},
    timeUnit: 's',
    async readFrame(i: number, o?: { signal?: AbortSignal }) {
      if (o?.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      reads.push(i);
      return frames[i];
    },
    nearestIndex: () => 0,
    close() {},
  };
}

/** one unit in the last place of float32 at x */
export function ulp32(x: number): number {
  const a = Math.abs(Math.fround(x));
  if (a === 0) return 2 ** -149;
  const e = Math.floor(Math.log2(a));
  return 2 ** (Math.max(e, -126) - 23);
}

/** |a − b| within `ulps` float32 ulps of the larger magnitude (plus `abs` for results of cancellation) */
export function f32near(a: number, b: number, ulps = 1, abs = 0): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= ulps * ulp32(Math.max(Math.abs(a), Math.abs(b))) + abs;
}
