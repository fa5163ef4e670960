import type { FieldData, Scale } from '../types';
import type { BlockLayout } from './buffer-format';
import { dtypeOf, extraScalars, fieldShape } from './components';
import type { DavisArray, DavisComponent, DavisFrame, DavisHeader, DavisTypedScalar } from './model';
import { cellCentreScale } from './scales';

/** Components of image frame f: PIXEL (uint16 for word data, float32/float64 otherwise), extra scalars, MASK. */
export function imageComponents(
  h: DavisHeader,
  layout: BlockLayout,
  data: DavisArray,
  f: number,
  mask: Uint8Array | null,
  typed: DavisTypedScalar[],
  rec: Record<string, unknown>,
  scales: DavisFrame['scales'],
): DavisComponent[] {
  const n = h.nx * h.ny * h.nz;
  const B = layout.C + h.scalarN;
  const base = f * B * n;
  const shape: [number, number, number] = [h.nz, h.ny, h.nx];
  const px = data.subarray(base, base + n) as DavisArray;
  const comps: DavisComponent[] = [{ name: 'PIXEL', dtype: dtypeOf(px), shape, data: px, scale: scales.i }];
  comps.push(...extraScalars(h, rec, data, base, layout.C, f, typed, new Set()));
  if (mask) {
    comps.push({
      name: 'MASK',
      dtype: 'uint8',
      shape,
      data: mask.subarray(f * n, (f + 1) * n),
      scale: { slope: 1, offset: 0, unit: 'Valid', description: 'Mask' },
    });
  }
  return comps;
}

/**
 * `frame{k}`: physical intensity offset_I + raw*slope_I (Float32Array, Float64Array for double images),
 * masked (1 = invalid) where the DaVis mask is 0. Axis scales map the pixel index to its centre.
 */
export function imageFields(frame: DavisFrame, h: DavisHeader, k: number): Record<string, FieldData> {
  const px = frame.components[0].data;
  const { slope, offset } = frame.scales.i;
  const n = px.length;
  const values = px instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = offset + px[i] * slope;
  const scales: { x: Scale; y: Scale; z?: Scale; i?: Scale } = {
    x: cellCentreScale(frame.scales.x, 1),
    y: cellCentreScale(frame.scales.y, 1),
    i: { ...frame.scales.i },
  };
  if (h.nz > 1) scales.z = cellCentreScale(frame.scales.z, 1);
  const fd: FieldData = { kind: 'scalar', shape: fieldShape(h), values, scales };
  const m = frame.components.find((c) => c.name === 'MASK');
  if (m) {
    const inv = new Uint8Array(n);
    const d = m.data;
    for (let i = 0; i < n; i++) inv[i] = d[i] ? 0 : 1;
    fd.mask = inv;
  }
  return { [`frame${k}`]: fd };
}
