import type { Scale } from '../types';
import type { DavisHeader } from './model';
import { defaultScale, parseScale } from './scales';

export interface ItemScales {
  x?: Scale;
  y?: Scale;
  z?: Scale;
  i?: Scale;
  f?: Scale;
}

/**
 * Scales of frame k. Frame 0 uses the buffer's `_SCALE_*` items (old headers: the header's x/y/i
 * fields), falling back to `FrameScale{X,Y,Z,I}0`, then to DaVis' defaults (1 0 pixel; 1 0 counts).
 * A later frame k uses its own `FrameScale*<k>` only where that differs from `FrameScale*0` (another
 * camera); otherwise it shares frame 0's scale. (The items carry 6 decimals, the attributes a few
 * more; the reference values this reader is checked against were computed from the items.)
 */
export function frameScales(rec: Record<string, unknown>, k: number, items: ItemScales, h: DavisHeader): { x: Scale; y: Scale; z: Scale; i: Scale } {
  const attr = (axis: string, n: number): Scale | null => {
    const v = rec[`FrameScale${axis}${n}`];
    return typeof v === 'string' ? parseScale(v) : null;
  };
  const same = (a: Scale | null, b: Scale | null) => !!a && !!b && a.slope === b.slope && a.offset === b.offset && a.unit === b.unit;
  const pick = (axis: 'X' | 'Y' | 'Z' | 'I', base: Scale | undefined, def: Scale): Scale => {
    const own = attr(axis, k);
    if (k > 0 && own && !same(own, attr(axis, 0))) return own;
    return base ?? attr(axis, 0) ?? own ?? def;
  };
  const hs = h.headerScales;
  return {
    x: pick('X', hs?.x ?? items.x, defaultScale('pixel')),
    y: pick('Y', hs?.y ?? items.y, defaultScale('pixel')),
    z: pick('Z', items.z, defaultScale('pixel')),
    i: pick('I', hs?.i ?? items.i, defaultScale('counts')),
  };
}

const UNIT: Record<string, number> = { s: 1, sec: 1, ms: 1e-3, us: 1e-6, '\u00b5s': 1e-6, '\u03bcs': 1e-6, ns: 1e-9 };

/** "178439.840 µs" -> 0.17843984 (s); null when not a number with a known time unit */
export function parseDuration(text: string): number | null {
  if (text.length > 256) return null;
  // trimmed first: blanks on both sides of an optional group backtrack quadratically
  const m = /^([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*([a-zA-Z\u00b5]+)?$/.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] ?? 's').toLowerCase();
  const f = UNIT[unit] ?? UNIT[m[2] ?? ''];
  return f === undefined ? null : Number(m[1]) * f;
}

/**
 * Acquisition time of frame k in s: the INTARRAY `AcqTimeSeries` (int32 pairs: s, ns per frame), else the
 * text attribute `AcqTimeSeries<k>` ("178439.840 µs"), else null.
 */
export function acquisitionTime(rec: Record<string, unknown>, k: number): number | null {
  const a = rec['AcqTimeSeries'];
  if (a instanceof Int32Array && a.length >= 2 * (k + 1)) return a[2 * k] + a[2 * k + 1] * 1e-9;
  const t = rec[`AcqTimeSeries${k}`];
  if (typeof t === 'string') return parseDuration(t);
  return null;
}
