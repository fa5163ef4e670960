/**
 * PhiFlow/PhiML extrapolation dicts (the pickled `extrapolation` member), reduced to what a viewer
 * needs per spatial dim and side: which boundary faces of a StaggeredGrid are padding, and what
 * value a padding face stands for.
 *
 * Padding ("determines boundary values", PhiML `valid_outer_faces`):
 *   constant (incl. 'zero', 'one', any number) → lower and upper faces are padding;
 *   periodic → lower face stored, upper face padding;
 *   zero-gradient ('boundary', '∇=0'), symmetric, antisymmetric, reflect, antireflect,
 *   symmetric-gradient, none → both faces stored;
 *   mixed_v2 → key `D-` / `D+`, else `D`; legacy mixed → `dims[D] = (lower, upper)`;
 *   normal-tangential → the `normal` part decides (staggered faces normal to D carry the normal
 *   component); undefined → its `derived_from`; conditional → its `false` branch (with a warning).
 */
import { isNdArrayValue, toPlain } from '../../codecs/pickle';
import { toFloat64 } from '../../codecs/npy';

export type SideKind = 'constant' | 'periodic' | 'zero-gradient' | 'symmetric' | 'antisymmetric' | 'reflect' | 'antireflect' | 'symmetric-gradient' | 'none' | 'unknown';

export interface Side {
  kind: SideKind;
  /** constant value(s): one number, or one per vector component (in item order) */
  value?: number[];
}

export interface Extrapolation {
  /** the dict as plain JSON (ndarrays → numbers / {dtype, shape, value}) for metadata */
  plain: unknown;
  /** boundary condition of one side of a spatial dim */
  side(dim: string, upper: boolean): Side;
  warnings: string[];
}

type Dict = Record<string, unknown>;

const isDict = (x: unknown): x is Dict => !!x && typeof x === 'object' && !Array.isArray(x) && !isNdArrayValue(x);

function numbersOf(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (typeof v === 'bigint') return [Number(v)];
  if (typeof v === 'boolean') return [v ? 1 : 0];
  if (isNdArrayValue(v) && ArrayBuffer.isView(v.data)) return Array.from(toFloat64(v.data));
  if (Array.isArray(v)) return v.flatMap(numbersOf);
  return [NaN];
}

function primitive(d: unknown, dim: string, upper: boolean, warn: (w: string) => void, depth = 0): Side {
  if (depth > 16 || !isDict(d)) return { kind: 'unknown' };
  const type = String(d.type ?? '');
  switch (type) {
    case 'constant':
      return { kind: 'constant', value: numbersOf(d.value) };
    case 'zero':
      return { kind: 'constant', value: [0] };
    case 'one':
      return { kind: 'constant', value: [1] };
    case 'periodic':
      return { kind: 'periodic' };
    case 'zero-gradient':
    case 'boundary':
    case '∇=0':
      return { kind: 'zero-gradient' };
    case 'symmetric':
    case 'antisymmetric':
    case 'reflect':
    case 'antireflect':
    case 'symmetric-gradient':
    case 'none':
      return { kind: type };
    case 'mixed_v2': {
      const dims = isDict(d.dims) ? d.dims : {};
      const key = `${dim}${upper ? '+' : '-'}`;
      const sub = key in dims ? dims[key] : dims[dim];
      return sub === undefined ? { kind: 'unknown' } : primitive(sub, dim, upper, warn, depth + 1);
    }
    case 'mixed': {
      const dims = isDict(d.dims) ? d.dims : {};
      const pair = dims[dim];
      if (Array.isArray(pair) && pair.length === 2) return primitive(pair[upper ? 1 : 0], dim, upper, warn, depth + 1);
      return pair === undefined ? { kind: 'unknown' } : primitive(pair, dim, upper, warn, depth + 1);
    }
    case 'normal-tangential':
      return primitive(d.normal, dim, upper, warn, depth + 1);
    case 'undefined':
      return primitive(d.derived_from, dim, upper, warn, depth + 1);
    case 'conditional':
      warn('conditional extrapolation: staggered boundary faces follow its "false" branch');
      return primitive(d.false, dim, upper, warn, depth + 1);
  }
  warn(`unknown extrapolation type '${type}' (boundary faces treated as stored data)`);
  return { kind: 'unknown' };
}

export function parseExtrapolation(x: unknown): Extrapolation {
  const warnings: string[] = [];
  const warn = (w: string) => {
    if (!warnings.includes(w)) warnings.push(w);
  };
  return {
    plain: toPlain(x),
    side: (dim, upper) => primitive(x, dim, upper, warn),
    warnings,
  };
}

/** true when the boundary face on that side is padding (not stored data) in a staggered tensor. */
export function isPadding(side: Side, upper: boolean): boolean {
  if (side.kind === 'constant') return true;
  if (side.kind === 'periodic') return upper;
  return false;
}
