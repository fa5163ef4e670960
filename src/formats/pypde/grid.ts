/**
 * py-pde grid states (the `grid` JSON of field_attributes) → geometry: axes with cell-centre
 * coordinates and the index→coordinate scales of framescope's FieldData. Pure TS.
 */
import type { Scale } from '../types';
import { MetadataError, type GridState } from './metadata';

/** A parsed value for a message: never `${obj}` (a mapping whose toString is not callable throws a TypeError). */
function shown(v: unknown): string {
  if (typeof v === 'string') return v.length > 40 ? `${v.slice(0, 40)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return String(v);
  return Array.isArray(v) ? '(a list)' : `(a ${typeof v === 'object' ? 'mapping' : typeof v})`;
}

export interface GridAxis {
  /** x, y (Cartesian), r (polar/spherical/cylindrical), z (cylindrical) */
  name: string;
  lo: number;
  hi: number;
  n: number;
  periodic: boolean;
  /** cell-centre coordinates */
  centres: Float64Array;
  /** coord(i) = offset + i * slope */
  scale: Scale;
}

export interface GridGeometry {
  class: string;
  /** dimension of the embedding space (components per vector) */
  dim: number;
  axes: GridAxis[];
  /** the serialised state, as stored */
  state: GridState;
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new MetadataError(`grid ${what} is not a finite number`);
  return v;
}

function count(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1 << 24) throw new MetadataError(`grid ${what} is not a positive cell count`);
  return v;
}

function pair(v: unknown, what: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new MetadataError(`grid ${what} is not a [lo, hi] pair`);
  const lo = num(v[0], what);
  const hi = num(v[1], what);
  if (!(hi > lo)) throw new MetadataError(`grid ${what} has hi <= lo`);
  return [lo, hi];
}

function axis(name: string, lo: number, hi: number, n: number, periodic: boolean): GridAxis {
  const d = (hi - lo) / n;
  const centres = new Float64Array(n);
  for (let i = 0; i < n; i++) centres[i] = lo + (i + 0.5) * d;
  return {
    name,
    lo,
    hi,
    n,
    periodic,
    centres,
    scale: { slope: d, offset: lo + d / 2, unit: '', description: name },
  };
}

function radial(radius: unknown): [number, number] {
  if (typeof radius === 'number') {
    if (!(radius > 0)) throw new MetadataError('grid radius must be positive');
    return [0, radius];
  }
  return pair(radius, 'radius');
}

/** Build the geometry of a serialised py-pde grid. */
export function gridGeometry(state: GridState): GridGeometry {
  if (!state || typeof state !== 'object' || typeof state.class !== 'string') throw new MetadataError(`grid state has no class name (${shown(state?.class)})`);
  const shape = state.shape;
  if (!Array.isArray(shape) || !shape.length) throw new MetadataError(`grid ${shown(state.class)} has no shape`);
  const ns = shape.map((v, k) => count(v, `shape[${k}]`));
  switch (state.class) {
    case 'CartesianGrid':
    case 'UnitGrid': {
      const periodic = Array.isArray(state.periodic) ? state.periodic : [];
      const bounds = state.class === 'UnitGrid' ? ns.map((n) => [0, n]) : state.bounds;
      if (!Array.isArray(bounds) || bounds.length !== ns.length) throw new MetadataError('grid bounds do not match its shape');
      const names = ['x', 'y', 'z'];
      const axes = ns.map((n, k) => {
        const [lo, hi] = pair(bounds[k], `bounds[${k}]`);
        return axis(names[k] ?? `axis${k}`, lo, hi, n, !!periodic[k]);
      });
      return { class: state.class, dim: ns.length, axes, state };
    }
    case 'PolarSymGrid':
    case 'SphericalSymGrid': {
      if (ns.length !== 1) throw new MetadataError(`${shown(state.class)} must have one axis`);
      const [lo, hi] = radial(state.radius);
      return { class: state.class, dim: state.class === 'PolarSymGrid' ? 2 : 3, axes: [axis('r', lo, hi, ns[0], false)], state };
    }
    case 'CylindricalSymGrid': {
      if (ns.length !== 2) throw new MetadataError('CylindricalSymGrid must have two axes (r, z)');
      const [rlo, rhi] = radial(state.radius);
      const [zlo, zhi] = pair(state.bounds_z, 'bounds_z');
      return {
        class: state.class,
        dim: 3,
        axes: [axis('r', rlo, rhi, ns[0], false), axis('z', zlo, zhi, ns[1], !!state.periodic_z)],
        state,
      };
    }
    default:
      throw new MetadataError(`unsupported grid class ${shown(state.class)}`);
  }
}
