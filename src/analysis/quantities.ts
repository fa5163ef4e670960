/**
 * The catalogue of derived quantities: names (kebab-case, the contract), labels, the unit rule and
 * what a field needs for each. `availableQuantities` is what the UI's `derived` picker lists.
 *
 * Conventions (also in the README):
 * - derivatives are with respect to the physical coordinates of the cell centres (scales/coords;
 *   a negative slope is a coordinate running the other way, not a flipped derivative), in a
 *   right-handed x–y(–z) frame: ω_z = ∂v/∂x − ∂u/∂y;
 * - every first derivative follows numpy.gradient(edge_order=1) per run of valid cells
 *   (gradient.ts); the Laplacian is that gradient applied twice (numpy.gradient of numpy.gradient);
 * - lengths are converted to metres (mm, cm, µm, …), so m/s over mm gives 1/s;
 * - shear strain is the tensor component ε_xy = ½(∂u/∂y + ∂v/∂x) (the engineering shear rate is
 *   twice that); normal strains are ∂u/∂x, ∂v/∂y(, ∂w/∂z);
 * - Q = ½(‖Ω‖² − ‖S‖²) = −½ ∂u_i/∂x_j ∂u_j/∂x_i; λ₂ the middle eigenvalue of S² + Ω² (volumes);
 *   swirling strength λ_ci the imaginary part of the complex eigenvalues of ∂u_i/∂x_j (2×2 in a
 *   plane, 3×3 in a volume), 0 where they are real;
 * - 2D fields: divergence ∂u/∂x + ∂v/∂y (no ∂w/∂z is known for a plane, even with a w component);
 *   volumes add ∂w/∂z; vorticity on a volume is ω_z (vorticity-x/-y/-z/-magnitude give all);
 * - flow angle atan2(v, u) in degrees, (−180°, 180°], counter-clockwise from +x;
 * - kinetic energy ½(u² + v² [+ w²]) per unit mass; magnitude √(u² + v² [+ w²]);
 * - luminance of RGB: 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, OpenCV's RGB→gray, unrounded).
 */
import type { FieldData, FieldInfo, FieldKind } from '../core/types';
import { divideUnits, powerUnit } from './units';

export type UnitRule =
  /** the value unit (magnitude) */
  | 'value'
  /** value² (kinetic energy) */
  | 'value2'
  /** value / length (first derivatives) */
  | 'rate'
  /** (value / length)² (Q, λ₂) */
  | 'rate2'
  /** value / length² (Laplacian) */
  | 'per-area'
  | 'deg';

export interface QuantityInfo {
  name: string;
  label: string;
  description: string;
  kinds: FieldKind[];
  unit: UnitRule;
  /** spatial axes with more than one cell it differentiates along ('' for none) */
  axes: ('x' | 'y' | 'z')[];
  /** needs the out-of-plane component w */
  needsW?: boolean;
  /** listed for the UI (aliases are accepted but not listed) */
  listed?: boolean;
  /** listed only for volumes (accepted on planes too) */
  volumeOnly?: boolean;
}

const V: FieldKind[] = ['vector'];
const S: FieldKind[] = ['scalar'];

const q = (
  name: string,
  label: string,
  description: string,
  kinds: FieldKind[],
  unit: UnitRule,
  axes: QuantityInfo['axes'],
  extra: Partial<QuantityInfo> = {},
): QuantityInfo => ({
  name,
  label,
  description,
  kinds,
  unit,
  axes,
  listed: true,
  ...extra,
});

const grads: QuantityInfo[] = [];
for (const c of ['u', 'v', 'w'] as const)
  for (const a of ['x', 'y', 'z'] as const)
    grads.push(
      q(
        `d${c}d${a}`,
        `∂${c}/∂${a}`,
        `velocity gradient ∂${c}/∂${a}`,
        V,
        'rate',
        a === 'x' ? ['x'] : a === 'y' ? ['y'] : ['z'],
        c === 'w' ? { needsW: true } : {},
      ),
    );

/** Every quantity, in the order the UI lists them. */
export const QUANTITIES: readonly QuantityInfo[] = [
  q('magnitude', '|v|', 'magnitude √(u² + v² [+ w²])', V, 'value', []),
  q('kinetic-energy', '½|v|²', 'kinetic energy per unit mass ½(u² + v² [+ w²])', V, 'value2', []),
  q('vorticity', 'ω_z', 'vorticity ω_z = ∂v/∂x − ∂u/∂y', V, 'rate', ['x', 'y']),
  q('vorticity-x', 'ω_x', 'vorticity ω_x = ∂w/∂y − ∂v/∂z', V, 'rate', ['y', 'z'], { needsW: true }),
  q('vorticity-y', 'ω_y', 'vorticity ω_y = ∂u/∂z − ∂w/∂x', V, 'rate', ['x', 'z'], { needsW: true }),
  q('vorticity-z', 'ω_z', 'vorticity ω_z = ∂v/∂x − ∂u/∂y', V, 'rate', ['x', 'y'], { volumeOnly: true }),
  q('vorticity-magnitude', '|ω|', 'vorticity magnitude √(ω_x² + ω_y² + ω_z²)', V, 'rate', ['x', 'y', 'z'], { needsW: true }),
  q('divergence', '∇·v', 'divergence ∂u/∂x + ∂v/∂y [+ ∂w/∂z in a volume]', V, 'rate', ['x', 'y']),
  q('shear-strain', 'ε_xy', 'shear strain ε_xy = ½(∂u/∂y + ∂v/∂x)', V, 'rate', ['x', 'y']),
  q('shear-strain-xz', 'ε_xz', 'shear strain ε_xz = ½(∂u/∂z + ∂w/∂x)', V, 'rate', ['x', 'z'], { needsW: true }),
  q('shear-strain-yz', 'ε_yz', 'shear strain ε_yz = ½(∂v/∂z + ∂w/∂y)', V, 'rate', ['y', 'z'], { needsW: true }),
  q('normal-strain-x', 'ε_xx', 'normal strain ε_xx = ∂u/∂x', V, 'rate', ['x']),
  q('normal-strain-y', 'ε_yy', 'normal strain ε_yy = ∂v/∂y', V, 'rate', ['y']),
  q('normal-strain-z', 'ε_zz', 'normal strain ε_zz = ∂w/∂z', V, 'rate', ['z'], { needsW: true }),
  q('q-criterion', 'Q', 'Q-criterion ½(‖Ω‖² − ‖S‖²)', V, 'rate2', ['x', 'y']),
  q('lambda2', 'λ₂', 'λ₂: middle eigenvalue of S² + Ω² (vortex where < 0)', V, 'rate2', ['x', 'y', 'z']),
  q('swirling-strength', 'λ_ci', 'swirling strength λ_ci: imaginary part of the complex eigenvalues of ∇v', V, 'rate', ['x', 'y']),
  ...grads,
  q('flow-angle', 'θ', 'flow angle atan2(v, u), counter-clockwise from +x', V, 'deg', []),
  q('gradient-magnitude', '|∇f|', 'gradient magnitude √((∂f/∂x)² + (∂f/∂y)² [+ (∂f/∂z)²])', S, 'rate', ['x']),
  q('laplacian', '∇²f', 'Laplacian ∂²f/∂x² + ∂²f/∂y² [+ ∂²f/∂z²] (numpy.gradient applied twice)', S, 'per-area', ['x']),
  q('dfdx', '∂f/∂x', 'derivative ∂f/∂x', S, 'rate', ['x']),
  q('dfdy', '∂f/∂y', 'derivative ∂f/∂y', S, 'rate', ['y']),
  q('dfdz', '∂f/∂z', 'derivative ∂f/∂z', S, 'rate', ['z']),
  q('luminance', 'luma', 'luminance 0.299 R + 0.587 G + 0.114 B', ['rgb'], 'value', []),
];

const BY_NAME = new Map(QUANTITIES.map((x) => [x.name, x]));

export function quantityInfo(name: string): QuantityInfo | undefined {
  return BY_NAME.get(name);
}

/** What a field offers: kind, spatial dims with more than one cell, a w component. */
export interface FieldTraits {
  kind: FieldKind;
  /** spatial axes present with more than one cell */
  axes: Set<'x' | 'y' | 'z'>;
  hasW: boolean;
  valueUnit: string;
  lengthUnit: string;
}

export function traitsOf(f: FieldData | FieldInfo): FieldTraits {
  const shape = f.kind === 'rgb' ? f.shape.slice(0, -1) : f.shape;
  const n = shape.length;
  const axes = new Set<'x' | 'y' | 'z'>();
  if (n >= 1 && shape[n - 1] > 1) axes.add('x');
  if (n >= 2 && shape[n - 2] > 1) axes.add('y');
  if (n >= 3 && shape[0] > 1) axes.add('z');
  if ('unit' in f) return { kind: f.kind, axes, hasW: f.kind === 'vector' && n === 3, valueUnit: f.unit, lengthUnit: '' };
  return { kind: f.kind, axes, hasW: !!f.w, valueUnit: f.scales?.i?.unit ?? '', lengthUnit: f.scales?.x?.unit ?? '' };
}

/** Whether quantity `info` applies to a field with these traits (and why not). */
export function applicability(info: QuantityInfo, t: FieldTraits): string | null {
  if (!info.kinds.includes(t.kind)) return `${info.name} applies to ${info.kinds.join('/')} fields, not ${t.kind} fields`;
  for (const a of info.axes)
    if (!t.axes.has(a))
      return `${info.name} needs derivatives along ${a}, and the field has ${t.axes.size ? `only ${[...t.axes].join(', ')}` : 'no'} axes with more than one cell`;
  if (info.needsW && !t.hasW) return `${info.name} needs the out-of-plane component w`;
  return null;
}

/** Resolve the unit of a quantity for a field (value and length units as stored). */
export function quantityUnit(info: QuantityInfo, valueUnit: string, lengthUnit: string): string {
  switch (info.unit) {
    case 'value':
      return valueUnit;
    case 'value2':
      return valueUnit ? powerUnit(valueUnit, 2) : '';
    case 'rate':
      return divideUnits(valueUnit, lengthUnit).unit;
    case 'rate2': {
      const r = divideUnits(valueUnit, lengthUnit).unit;
      return r ? powerUnit(r, 2) : '';
    }
    case 'per-area':
      return divideUnits(divideUnits(valueUnit, lengthUnit).unit, lengthUnit).unit;
    case 'deg':
      return 'deg';
  }
}

export interface QuantityChoice {
  name: string;
  label: string;
  unit: string;
  description: string;
}

/**
 * The quantities the UI can offer for a field: pass the FieldData of the current frame (exact:
 * knows w and the scales) or a FieldInfo from the dataset summary (assumes w only for 3D vectors
 * and takes the length unit as unknown).
 */
export function availableQuantities(f: FieldData | FieldInfo): QuantityChoice[] {
  const t = traitsOf(f);
  return QUANTITIES.filter((x) => x.listed && !(x.volumeOnly && !t.axes.has('z')) && applicability(x, t) === null).map((x) => ({
    name: x.name,
    label: x.label,
    unit: quantityUnit(x, t.valueUnit, t.lengthUnit),
    description: x.description,
  }));
}

/** Per field kind, the whole catalogue (before the shape and w checks; units as rules). */
export function quantitiesByKind(): Record<FieldKind, QuantityInfo[]> {
  const out = { scalar: [], vector: [], rgb: [] } as Record<FieldKind, QuantityInfo[]>;
  for (const x of QUANTITIES) for (const k of x.kinds) out[k].push(x);
  return out;
}
