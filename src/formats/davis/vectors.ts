import type { FieldData, Scale } from '../types';
import type { BlockLayout } from './buffer-format';
import { dtypeOf, extraScalars, fieldShape, physicalValues } from './components';
import type { DavisArray, DavisComponent, DavisFrame, DavisHeader, DavisTypedScalar } from './model';
import { cellCentreScale, defaultScale, signOf } from './scales';

const AXES = ['U', 'V', 'W'];

export interface VectorInput {
  h: DavisHeader;
  layout: BlockLayout;
  data: Float32Array;
  f: number;
  /** DaVis mask of the whole buffer (1 = valid) or null */
  mask: Uint8Array | null;
  typed: DavisTypedScalar[];
  rec: Record<string, unknown>;
  scales: DavisFrame['scales'];
}

/**
 * Components of vector frame f in lvpyio's order: U0 V0 [W0] .. U3 V3 [W3], ACTIVE_CHOICE, ENABLED,
 * [TS:Peak ratio from the peak block], [MASK], the other typed scalars sorted by name.
 * Choice header h: 0 -> disabled; 1..4 -> peak h-1; 5 (post-processed, slot 3) -> 4; 6 -> 5.
 * Simple formats: ACTIVE_CHOICE 0, ENABLED = typed scalar `isValid` != 0 when present, else 1.
 */
export function vectorComponents(inp: VectorInput): DavisComponent[] {
  const { h, layout, data, f, mask, typed, rec, scales } = inp;
  const n = h.nx * h.ny * h.nz;
  const B = layout.C + h.scalarN;
  const base = f * B * n;
  const shape: [number, number, number] = [h.nz, h.ny, h.nx];
  const block = (c: number) => data.subarray(base + c * n, base + (c + 1) * n);
  const comps: DavisComponent[] = [];
  for (let s = 0; s < layout.choices; s++) {
    for (let a = 0; a < layout.dims; a++) {
      comps.push({ name: `${AXES[a]}${s}`, dtype: 'float32', shape, data: block(layout.slotBlock(s, a)), scale: scales.i });
    }
  }
  const active = new Int32Array(n);
  const enabled = new Uint8Array(n);
  if (layout.headerBlock >= 0) {
    const hd = block(layout.headerBlock);
    for (let i = 0; i < n; i++) {
      const v = Math.round(hd[i]);
      if (v >= 1) {
        enabled[i] = 1;
        active[i] = v > 6 ? 5 : v - 1;
      }
    }
  } else {
    const isValid = typed.find((t) => t.name === 'isValid' && t.nx * t.ny * t.nz === n);
    if (isValid) {
      const ff = Math.min(f, isValid.nf - 1);
      const d = isValid.data;
      for (let i = 0; i < n; i++) enabled[i] = d[ff * n + i] !== 0 ? 1 : 0;
    } else enabled.fill(1);
  }
  const counts = defaultScale('counts');
  comps.push({ name: 'ACTIVE_CHOICE', dtype: 'int32', shape, data: active, scale: counts });
  comps.push({ name: 'ENABLED', dtype: 'uint8', shape, data: enabled, scale: { ...counts } });
  const skip = new Set<string>(['isValid']);
  if (layout.peakBlock >= 0) {
    const ts = typed.find((t) => t.name === 'Peak ratio');
    const pk = block(layout.peakBlock);
    comps.push({ name: 'TS:Peak ratio', dtype: 'float32', shape, data: pk, scale: ts ? ts.scales[4] : defaultScale('', 'Peak ratio') });
    skip.add('Peak ratio');
    skip.add('TS:Peak ratio');
  }
  if (mask) {
    const m = mask.subarray(f * n, (f + 1) * n);
    comps.push({ name: 'MASK', dtype: 'uint8', shape, data: m, scale: { slope: 1, offset: 0, unit: 'Valid', description: 'Mask' } });
  }
  comps.push(...extraScalars(h, rec, data, base, layout.C, f, typed, skip));
  return comps;
}

/**
 * lvpyio `VectorFrame.as_masked_array`: best choice per cell (ACTIVE_CHOICE i < choices -> slot i,
 * else slot choices-1), invalid = NOT(MASK & ENABLED) (set to 0), u/v/w = (offset_I + raw*slope_I) *
 * sign(slope of the axis), plus every component as `frame{k}/{name}` in its own scale.
 */
export function vectorFields(frame: DavisFrame, h: DavisHeader, layout: BlockLayout, k: number): Record<string, FieldData> {
  const byName = new Map(frame.components.map((c) => [c.name, c]));
  const n = h.nx * h.ny * h.nz;
  const shape = fieldShape(h);
  const { scales, grid } = frame;
  const fs: { x: Scale; y: Scale; z?: Scale; i?: Scale } = {
    x: cellCentreScale(scales.x, grid.x),
    y: cellCentreScale(scales.y, grid.y),
  };
  if (h.nz > 1) fs.z = cellCentreScale(scales.z, grid.z);
  const active = byName.get('ACTIVE_CHOICE')!.data as Int32Array;
  const enabled = byName.get('ENABLED')!.data as Uint8Array;
  const dmask = byName.get('MASK')?.data as Uint8Array | undefined;
  const invalid = new Uint8Array(n);
  for (let i = 0; i < n; i++) invalid[i] = enabled[i] && (!dmask || dmask[i]) ? 0 : 1;
  const axisScale = [scales.x, scales.y, scales.z];
  const out: Partial<Record<'u' | 'v' | 'w', Float32Array>> = {};
  const { slope, offset } = scales.i;
  for (let a = 0; a < layout.dims; a++) {
    const slots: DavisArray[] = [];
    for (let s = 0; s < layout.choices; s++) slots.push(byName.get(`${AXES[a]}${s}`)!.data);
    const sg = signOf(axisScale[a]);
    const res = new Float32Array(n);
    const last = layout.choices - 1;
    for (let i = 0; i < n; i++) {
      if (invalid[i]) continue;
      const ac = active[i];
      const raw = slots[ac < layout.choices && ac >= 0 ? ac : last][i];
      res[i] = (offset + raw * slope) * sg;
    }
    out[(['u', 'v', 'w'] as const)[a]] = res;
  }
  const fields: Record<string, FieldData> = {
    [`frame${k}`]: { kind: 'vector', shape, ...out, mask: invalid, scales: { ...fs, i: { ...scales.i } } },
  };
  for (const c of frame.components) {
    const sameGrid = c.shape[0] === h.nz && c.shape[1] === h.ny && c.shape[2] === h.nx;
    fields[`frame${k}/${c.name}`] = {
      kind: 'scalar',
      shape: sameGrid ? shape : c.shape[0] > 1 ? [...c.shape] : [c.shape[1], c.shape[2]],
      values: physicalValues(c),
      scales: { ...fs, i: { ...c.scale } },
    };
  }
  return fields;
}

export { dtypeOf };
