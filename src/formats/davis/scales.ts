import type { Scale } from '../types';

export const defaultScale = (unit: string, description = ''): Scale => ({ slope: 1, offset: 0, unit, description });

const num = (t: string | undefined): number | null => {
  if (t === undefined) return null;
  const s = t.trim();
  if (!s) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
};

/**
 * Parse a DaVis scale string in either spelling:
 *  1. "<factor> <offset>" SEP unit SEP description [SEP]   (SEP = NUL in IEH items)
 *  2. factor SEP offset SEP unit SEP description           (SEP = '\n', FrameScale*<n> attributes, some items)
 * Returns null when no factor can be read.
 */
export function parseScale(text: string): Scale | null {
  const lines = text.replace(/\r/g, '').replace(/\0/g, '\n').split('\n');
  const first = (lines[0] ?? '').trim();
  const toks = first.split(/[\s]+/).filter(Boolean);
  if (toks.length >= 2 && num(toks[0]) !== null && num(toks[1]) !== null) {
    return { slope: num(toks[0])!, offset: num(toks[1])!, unit: (lines[1] ?? '').trim(), description: (lines[2] ?? '').trim() };
  }
  const f = num(lines[0]);
  if (f === null) return null;
  return { slope: f, offset: num(lines[1]) ?? 0, unit: (lines[2] ?? '').trim(), description: (lines[3] ?? '').trim() };
}

/** sign used by lvpyio's "scaling of vectors by the sign of the slope" (0 counts as +1) */
export const signOf = (s: Scale): number => (s.slope < 0 ? -1 : 1);

/**
 * Index -> cell-centre coordinate scale for FieldData (coord(i) = offset + i*slope), from a DaVis
 * axis scale and a grid step in pixels: x_i = offset + (i + 0.5)*grid*slope.
 */
export function cellCentreScale(s: Scale, grid: number): Scale {
  return { slope: s.slope * grid, offset: s.offset + 0.5 * grid * s.slope, unit: s.unit, description: s.description };
}
