/**
 * deriveField: one derived quantity of one field of a frame, as a new scalar FieldData on the same
 * grid (same shape, scales and coords; the value scale `scales.i` says the unit and what it is).
 * Cells without a stencil (see gradient.ts) or invalid in the input are masked (mask = 1, value 0).
 * Computed in float64, stored as float32.
 */
import type { FieldData, Frame } from '../core/types';
import { analysisError } from './fail';
import { derivative, type Axis, type Spacing } from './gradient';
import { axesOf, sameGrid, validity, type AxisGeom, type AxisName, type Dims } from './grid';
import { lambda2Of, swirl2, swirl3 } from './eigen';
import { applicability, quantityInfo, quantityUnit, traitsOf, QUANTITIES, type QuantityInfo } from './quantities';
import { describeSmoothing, smoothComponents, type SmoothOptions } from './smooth';
import { divideUnits } from './units';

export interface DeriveOptions {
  /** smooth the input before computing (off by default) */
  smooth?: SmoothOptions | null;
  /** field name used in the result's description (deriveField sets it) */
  fieldName?: string;
}

interface Grad {
  d: Float64Array;
  ok: Uint8Array;
}

const AXES: AxisName[] = ['x', 'y', 'z'];

/** Shared state of one field while deriving one or more quantities: gradients are computed once. */
class Deriver {
  readonly dims: Dims;
  readonly geo: Record<AxisName, AxisGeom>;
  readonly comps: ArrayLike<number>[];
  readonly valid: Uint8Array;
  readonly valueUnit: string;
  private grads = new Map<string, Grad>();
  private seconds = new Map<string, Grad>();

  constructor(
    readonly f: FieldData,
    readonly opts: DeriveOptions,
  ) {
    const { dims, x, y, z } = axesOf(f);
    this.dims = dims;
    this.geo = { x, y, z };
    this.valueUnit = f.scales?.i?.unit ?? '';
    let comps: ArrayLike<number>[];
    if (f.kind === 'vector') {
      if (!f.u || !f.v) throw analysisError('vector field without u and v components');
      comps = f.w ? [f.u, f.v, f.w] : [f.u, f.v];
    } else if (f.kind === 'rgb') {
      const vals = f.values;
      if (!vals || vals.length !== dims.cells * 3) throw analysisError(`rgb field holds ${vals?.length ?? 0} values for ${dims.cells} cells × 3`);
      const r = new Float64Array(dims.cells);
      const g = new Float64Array(dims.cells);
      const b = new Float64Array(dims.cells);
      for (let p = 0; p < dims.cells; p++) {
        r[p] = vals[3 * p];
        g[p] = vals[3 * p + 1];
        b[p] = vals[3 * p + 2];
      }
      comps = [r, g, b];
    } else {
      if (!f.values) throw analysisError('scalar field without values');
      comps = [f.values];
    }
    for (const c of comps) if (c.length !== dims.cells) throw analysisError(`field holds ${c.length} values for shape [${f.shape.join(', ')}] (${dims.cells} cells)`);
    if (f.mask && f.mask.length !== dims.cells) throw analysisError(`mask has ${f.mask.length} cells for shape [${f.shape.join(', ')}]`);
    this.valid = validity(f, comps, dims.cells);
    this.comps = opts.smooth ? smoothComponents(comps, this.valid, dims, opts.smooth) : comps;
  }

  /** Spacing of an axis in metres (known lengths) per value unit factor. */
  spacing(a: AxisName, valueUnit = this.valueUnit): Spacing {
    const g = this.geo[a];
    const k = divideUnits(valueUnit, g.unit).factor;
    if (g.coords) {
      const c = new Float64Array(g.n);
      for (let i = 0; i < g.n; i++) c[i] = k === 1 ? g.coords[i] : g.coords[i] / k;
      return { h: 0, c };
    }
    return { h: k === 1 ? g.slope : g.slope / k };
  }

  /** ∂(component ci)/∂a */
  grad(ci: number, a: AxisName): Grad {
    const key = `${ci}${a}`;
    let g = this.grads.get(key);
    if (!g) {
      const cells = this.dims.cells;
      g = { d: new Float64Array(cells), ok: new Uint8Array(cells) };
      const c = this.comps[ci];
      if (!c) {
        // a missing w of a volume counts as 0
        g.ok.set(this.valid);
      } else derivative(c, this.valid, this.dims, AXES.indexOf(a) as Axis, this.spacing(a), g.d, g.ok);
      this.grads.set(key, g);
    }
    return g;
  }

  /** ∂²(component ci)/∂a²: the gradient of the gradient (numpy.gradient applied twice). */
  second(ci: number, a: AxisName): Grad {
    const key = `${ci}${a}`;
    let s = this.seconds.get(key);
    if (!s) {
      const g = this.grad(ci, a);
      const cells = this.dims.cells;
      s = { d: new Float64Array(cells), ok: new Uint8Array(cells) };
      const rateUnit = divideUnits(this.valueUnit, this.geo[a].unit).unit;
      derivative(g.d, g.ok, this.dims, AXES.indexOf(a) as Axis, this.spacing(a, rateUnit), s.d, s.ok);
      this.seconds.set(key, s);
    }
    return s;
  }

  /** The axes with more than one cell. */
  axes(): AxisName[] {
    const { nx, ny, nz, ndim } = this.dims;
    const out: AxisName[] = [];
    if (nx > 1) out.push('x');
    if (ndim >= 2 && ny > 1) out.push('y');
    if (ndim >= 3 && nz > 1) out.push('z');
    return out;
  }

  /** Combine: out[p] = fn(p) where the cell and every given gradient are valid. */
  combine(gs: Grad[], fn: (p: number) => number): { values: Float32Array; mask: Uint8Array } {
    const cells = this.dims.cells;
    const ok = Uint8Array.from(this.valid);
    for (const g of gs) for (let p = 0; p < cells; p++) ok[p] &= g.ok[p];
    const values = new Float32Array(cells);
    const mask = new Uint8Array(cells);
    for (let p = 0; p < cells; p++) {
      if (ok[p]) values[p] = fn(p);
      else mask[p] = 1;
    }
    return { values, mask };
  }

  compute(info: QuantityInfo): { values: Float32Array; mask: Uint8Array } {
    const c = this.comps;
    const [u, v, w] = c;
    const G = (ci: number, a: AxisName) => this.grad(ci, a);
    const vol = this.dims.ndim === 3 && this.dims.nz > 1;
    switch (info.name) {
      case 'magnitude':
        return this.combine([], w ? (p) => Math.sqrt(u[p] * u[p] + v[p] * v[p] + w[p] * w[p]) : (p) => Math.sqrt(u[p] * u[p] + v[p] * v[p]));
      case 'kinetic-energy':
        return this.combine([], w ? (p) => 0.5 * (u[p] * u[p] + v[p] * v[p] + w[p] * w[p]) : (p) => 0.5 * (u[p] * u[p] + v[p] * v[p]));
      case 'flow-angle':
        return this.combine([], (p) => (Math.atan2(v[p], u[p]) * 180) / Math.PI);
      case 'luminance':
        return this.combine([], (p) => 0.299 * c[0][p] + 0.587 * c[1][p] + 0.114 * c[2][p]);
      case 'vorticity':
      case 'vorticity-z': {
        const vx = G(1, 'x'), uy = G(0, 'y');
        return this.combine([vx, uy], (p) => vx.d[p] - uy.d[p]);
      }
      case 'vorticity-x': {
        const wy = G(2, 'y'), vz = G(1, 'z');
        return this.combine([wy, vz], (p) => wy.d[p] - vz.d[p]);
      }
      case 'vorticity-y': {
        const uz = G(0, 'z'), wx = G(2, 'x');
        return this.combine([uz, wx], (p) => uz.d[p] - wx.d[p]);
      }
      case 'vorticity-magnitude': {
        const [vx, uy, wy, vz, uz, wx] = [G(1, 'x'), G(0, 'y'), G(2, 'y'), G(1, 'z'), G(0, 'z'), G(2, 'x')];
        return this.combine([vx, uy, wy, vz, uz, wx], (p) => {
          const ox = wy.d[p] - vz.d[p];
          const oy = uz.d[p] - wx.d[p];
          const oz = vx.d[p] - uy.d[p];
          return Math.sqrt(ox * ox + oy * oy + oz * oz);
        });
      }
      case 'divergence': {
        const ux = G(0, 'x'), vy = G(1, 'y');
        if (vol) {
          const wz = G(2, 'z');
          return this.combine([ux, vy, wz], (p) => ux.d[p] + vy.d[p] + wz.d[p]);
        }
        return this.combine([ux, vy], (p) => ux.d[p] + vy.d[p]);
      }
      case 'shear-strain': {
        const uy = G(0, 'y'), vx = G(1, 'x');
        return this.combine([uy, vx], (p) => 0.5 * (uy.d[p] + vx.d[p]));
      }
      case 'shear-strain-xz': {
        const uz = G(0, 'z'), wx = G(2, 'x');
        return this.combine([uz, wx], (p) => 0.5 * (uz.d[p] + wx.d[p]));
      }
      case 'shear-strain-yz': {
        const vz = G(1, 'z'), wy = G(2, 'y');
        return this.combine([vz, wy], (p) => 0.5 * (vz.d[p] + wy.d[p]));
      }
      case 'normal-strain-x':
        return this.single(G(0, 'x'));
      case 'normal-strain-y':
        return this.single(G(1, 'y'));
      case 'normal-strain-z':
        return this.single(G(2, 'z'));
      case 'q-criterion': {
        if (vol) {
          const A = this.tensor3();
          return this.combine(A, (p) => {
            let s = 0;
            for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += A[3 * i + j].d[p] * A[3 * j + i].d[p];
            return -0.5 * s;
          });
        }
        const ux = G(0, 'x'), uy = G(0, 'y'), vx = G(1, 'x'), vy = G(1, 'y');
        return this.combine([ux, uy, vx, vy], (p) => -0.5 * (ux.d[p] * ux.d[p] + 2 * uy.d[p] * vx.d[p] + vy.d[p] * vy.d[p]));
      }
      case 'swirling-strength': {
        if (vol) {
          const A = this.tensor3();
          return this.combine(A, (p) => swirl3(A[0].d[p], A[1].d[p], A[2].d[p], A[3].d[p], A[4].d[p], A[5].d[p], A[6].d[p], A[7].d[p], A[8].d[p]));
        }
        const ux = G(0, 'x'), uy = G(0, 'y'), vx = G(1, 'x'), vy = G(1, 'y');
        return this.combine([ux, uy, vx, vy], (p) => swirl2(ux.d[p], uy.d[p], vx.d[p], vy.d[p]));
      }
      case 'lambda2': {
        const A = this.tensor3();
        return this.combine(A, (p) => lambda2Of(A[0].d[p], A[1].d[p], A[2].d[p], A[3].d[p], A[4].d[p], A[5].d[p], A[6].d[p], A[7].d[p], A[8].d[p]));
      }
      case 'dfdx':
        return this.single(G(0, 'x'));
      case 'dfdy':
        return this.single(G(0, 'y'));
      case 'dfdz':
        return this.single(G(0, 'z'));
      case 'gradient-magnitude': {
        const gs = this.axes().map((a) => G(0, a));
        return this.combine(gs, (p) => {
          let s = 0;
          for (const g of gs) s += g.d[p] * g.d[p];
          return Math.sqrt(s);
        });
      }
      case 'laplacian': {
        const gs = this.axes().map((a) => this.second(0, a));
        return this.combine(gs, (p) => {
          let s = 0;
          for (const g of gs) s += g.d[p];
          return s;
        });
      }
    }
    const m = /^d([uvw])d([xyz])$/.exec(info.name);
    if (m) return this.single(G('uvw'.indexOf(m[1]), m[2] as AxisName));
    throw analysisError(`quantity ${info.name} is not implemented`);
  }

  private single(g: Grad) {
    return this.combine([g], (p) => g.d[p]);
  }

  /** A = ∂u_i/∂x_j row-major (i: u, v, w; j: x, y, z) */
  private tensor3(): Grad[] {
    const out: Grad[] = [];
    for (let i = 0; i < 3; i++) for (const a of AXES) out.push(this.grad(i, a));
    return out;
  }
}

function resultField(d: Deriver, info: QuantityInfo, r: { values: Float32Array; mask: Uint8Array }): FieldData {
  const f = d.f;
  const unit = quantityUnit(info, d.valueUnit, d.geo.x.unit);
  const sm = describeSmoothing(d.opts.smooth, d.dims.ndim);
  const what = `${info.description}${d.opts.fieldName ? ` of ${d.opts.fieldName}` : ''}${sm ? `, ${sm} smoothing` : ''}`;
  return {
    kind: 'scalar',
    shape: f.kind === 'rgb' ? f.shape.slice(0, -1) : f.shape.slice(),
    values: r.values,
    mask: r.mask,
    ...sameGrid(f, { slope: 1, offset: 0, unit, description: what }),
  };
}

function checked(f: FieldData, quantity: string): QuantityInfo {
  const info = quantityInfo(quantity);
  if (!info) {
    const names = QUANTITIES.filter((x) => x.kinds.includes(f.kind)).map((x) => x.name);
    throw analysisError(`unknown quantity '${quantity}' for a ${f.kind} field (known: ${names.join(', ')})`);
  }
  const why = applicability(info, traitsOf(f));
  if (why) throw analysisError(why);
  return info;
}

/** One derived quantity of a FieldData. */
export function deriveFromField(f: FieldData, quantity: string, opts: DeriveOptions = {}): FieldData {
  const info = checked(f, quantity);
  const d = new Deriver(f, opts);
  return resultField(d, info, d.compute(info));
}

/** Several quantities of one field, sharing the gradients (and the smoothing) between them. */
export function deriveMany(f: FieldData, quantities: string[], opts: DeriveOptions = {}): Record<string, FieldData> {
  const infos = quantities.map((q) => checked(f, q));
  const d = new Deriver(f, opts);
  const out: Record<string, FieldData> = {};
  for (const info of infos) out[info.name] = resultField(d, info, d.compute(info));
  return out;
}

/** The contract: quantity of field `fieldName` of `frame` (see quantities.ts for names and conventions). */
export function deriveField(frame: Frame, fieldName: string, quantity: string, opts: DeriveOptions = {}): FieldData {
  const f = frame.fields[fieldName];
  if (!f) throw analysisError(`field “${fieldName}” is not in frame ${frame.info.number} (index ${frame.info.index}); fields: ${Object.keys(frame.fields).join(', ')}`);
  return deriveFromField(f, quantity, { fieldName, ...opts });
}
