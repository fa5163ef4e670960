/**
 * Writing the scene-level files of a PhiFlow Scene: field files as `numpy.savez_compressed` does
 * (a deflated zip of .npy members) and `description.json` as `json.dump(props, indent=2)`, with
 * PhiML tensors stored as `{names, types, item_names, data}` and listed in `__tensors__`.
 */
import { encodeNpz } from '../../codecs/npz';
import type { FieldData } from '../types';
import { axisPlan } from './write-grid';

/** One `<field>_<frame>.npz` from its members (in the given order). */
export function encodeFieldFile(members: Record<string, Uint8Array>): Uint8Array {
  return encodeNpz(members, { compress: true });
}

/** The box of a CenteredGrid written from `d` (write-grid.ts centeredGridMembers), per spatial dim. */
export function axisDomain(d: FieldData): { lo: number[]; hi: number[]; names: string[] } {
  const nd = d.shape.length;
  const scales = [d.scales?.x, d.scales?.y, d.scales?.z];
  const plans = ['x', 'y', 'z'].slice(0, nd).map((_, a) => axisPlan(scales[a], d.shape[nd - 1 - a]));
  return { lo: plans.map((p) => p.lo), hi: plans.map((p) => p.hi), names: ['x', 'y', 'z'].slice(0, nd) };
}

/** A PhiML tensor of rank 1 along `vector` with item names, as description.json stores it. */
export function vectorTensor(names: string[], data: number[]): Record<string, unknown> {
  return { names: ['vector'], types: ['channel'], item_names: [names], data };
}

/**
 * Properties for a scene exported from a non-PhiFlow source: the user's, then where it came from,
 * the time step when frame times are exactly number · dt (PhiFlow stores no time; `dt` is the
 * convention), every frame's time and number, and the box of the first grid as tensors.
 */
export function describeExport(
  user: Record<string, unknown>,
  info: {
    source: { format: string; name: string };
    timeUnit: string | null;
    times: (number | null)[];
    frameNumbers: number[];
    domain: { lo: number[]; hi: number[]; names: string[] } | null;
  },
): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(user)) if (k !== '__tensors__') props[k] = v;
  props.source = info.source;
  if (info.timeUnit) props.time_unit = info.timeUnit;
  const { times, frameNumbers: frameNo } = info;
  if (times.every((t): t is number => t !== null && Number.isFinite(t))) {
    const dts = times.map((t, k) => (frameNo[k] ? t / frameNo[k] : NaN)).filter(Number.isFinite);
    const dt = dts.length ? dts[0] : NaN;
    const exact = dts.length > 0 && dt > 0 && times.every((t, k) => Math.abs(t - frameNo[k] * dt) <= 1e-9 * Math.max(1, Math.abs(t)));
    if (exact && !('dt' in props)) props.dt = dt;
    props.frame_times = times;
  }
  props.frame_numbers = frameNo;
  if (info.domain) {
    props.domain_lower = vectorTensor(info.domain.names, info.domain.lo);
    props.domain_upper = vectorTensor(info.domain.names, info.domain.hi);
    props.__tensors__ = ['domain_lower', 'domain_upper'];
  }
  return props;
}

/** description.json bytes (indent 2, as PhiFlow writes it); null when there is nothing to store. */
export function sceneDescription(props: Record<string, unknown>): Uint8Array | null {
  if (!Object.keys(props).length) return null;
  return new TextEncoder().encode(JSON.stringify(props, null, 2));
}
