/**
 * One scalar quantity of a field, for the probes and regions: a stored component ('value' of a
 * scalar; 'u', 'v', 'w', 'magnitude' of a vector; 'r', 'g', 'b', 'luminance' of rgb) or any derived
 * quantity of quantities.ts. Returns the values with a validity array (1 = valid) and the unit.
 */
import type { FieldData } from '../core/types';
import { deriveFromField, type DeriveOptions } from './derive';
import { analysisError } from './fail';
import { dimsOf, validity } from './grid';

export interface ScalarView {
  quantity: string;
  values: ArrayLike<number>;
  valid: Uint8Array;
  unit: string;
}

/** Default quantity of a field kind: the value, the vector magnitude, the RGB luminance. */
export function defaultQuantity(f: Pick<FieldData, 'kind'>): string {
  return f.kind === 'vector' ? 'magnitude' : f.kind === 'rgb' ? 'luminance' : 'value';
}

export function componentOf(f: FieldData, name: string): ArrayLike<number> | null {
  if (f.kind === 'scalar' && name === 'value') return f.values ?? null;
  if (f.kind === 'vector' && (name === 'u' || name === 'v' || name === 'w')) return f[name] ?? null;
  if (f.kind === 'rgb' && (name === 'r' || name === 'g' || name === 'b')) {
    const vals = f.values;
    if (!vals) return null;
    const k = 'rgb'.indexOf(name);
    const out = new Float32Array(vals.length / 3);
    for (let p = 0; p < out.length; p++) out[p] = vals[3 * p + k];
    return out;
  }
  return null;
}

export function scalarView(f: FieldData, quantity?: string, opts: DeriveOptions = {}): ScalarView {
  const q = quantity ?? defaultQuantity(f);
  const cells = dimsOf(f).cells;
  const comp = opts.smooth ? null : componentOf(f, q);
  if (comp) {
    if (comp.length !== cells) throw analysisError(`component ${q} holds ${comp.length} values for ${cells} cells`);
    return { quantity: q, values: comp, valid: validity(f, [comp], cells), unit: f.scales?.i?.unit ?? '' };
  }
  if (q === 'value' || q === 'u' || q === 'v' || q === 'w' || q === 'r' || q === 'g' || q === 'b') {
    if (!opts.smooth) throw analysisError(`a ${f.kind} field has no component '${q}'`);
    throw analysisError(`smoothing applies to derived quantities, not to the stored component '${q}'`);
  }
  const d = deriveFromField(f, q, opts);
  const valid = new Uint8Array(cells);
  for (let p = 0; p < cells; p++) valid[p] = d.mask![p] ? 0 : 1;
  return { quantity: q, values: d.values!, valid, unit: d.scales?.i?.unit ?? '' };
}
