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
import { hasOwn, isDict, numberList, own, plainOf, str, type Dict } from './values';

export type SideKind =
  | 'constant'
  | 'periodic'
  | 'zero-gradient'
  | 'symmetric'
  | 'antisymmetric'
  | 'reflect'
  | 'antireflect'
  | 'symmetric-gradient'
  | 'none'
  | 'unknown';

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

function numbersOf(v: unknown): number[] {
  return numberList(v) ?? [NaN];
}

function primitive(d: unknown, dim: string, upper: boolean, warn: (w: string) => void, depth = 0): Side {
  if (depth > 16 || !isDict(d)) return { kind: 'unknown' };
  const rawType = own(d, 'type');
  const type = str(rawType);
  if (type === null) {
    warn(`extrapolation 'type' is ${rawType === undefined ? 'missing' : 'not a string'} (boundary faces treated as stored data)`);
    return { kind: 'unknown' };
  }
  switch (type) {
    case 'constant':
      return { kind: 'constant', value: numbersOf(own(d, 'value')) };
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
      const dims: Dict = isDict(own(d, 'dims')) ? (own(d, 'dims') as Dict) : {};
      const key = `${dim}${upper ? '+' : '-'}`;
      const sub = hasOwn(dims, key) ? own(dims, key) : own(dims, dim);
      return sub === undefined ? { kind: 'unknown' } : primitive(sub, dim, upper, warn, depth + 1);
    }
    case 'mixed': {
      const dims: Dict = isDict(own(d, 'dims')) ? (own(d, 'dims') as Dict) : {};
      const pair = own(dims, dim);
      if (Array.isArray(pair) && pair.length === 2) return primitive(pair[upper ? 1 : 0], dim, upper, warn, depth + 1);
      return pair === undefined ? { kind: 'unknown' } : primitive(pair, dim, upper, warn, depth + 1);
    }
    case 'normal-tangential':
      return primitive(own(d, 'normal'), dim, upper, warn, depth + 1);
    case 'undefined':
      return primitive(own(d, 'derived_from'), dim, upper, warn, depth + 1);
    case 'conditional':
      warn('conditional extrapolation: staggered boundary faces follow its "false" branch');
      return primitive(own(d, 'false'), dim, upper, warn, depth + 1);
  }
  warn(`unknown extrapolation type '${type}' (boundary faces treated as stored data)`);
  return { kind: 'unknown' };
}

/**
 * `path` names the file in errors: a cyclic or absurdly deep pickled dict is a FormatError; wrong
 * types inside it become warnings and 'unknown' sides (the grid still opens).
 */
export function parseExtrapolation(x: unknown, path = 'extrapolation'): Extrapolation {
  const warnings: string[] = [];
  const warn = (w: string) => {
    if (!warnings.includes(w)) warnings.push(w);
  };
  return {
    plain: plainOf(x, path, 'extrapolation'),
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
