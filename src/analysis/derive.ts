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
import { PLANAR_FAST, planarQuantity } from './planar';
import { give, take64, take8 } from './scratch';
import { describeSmoothing, smoothComponents, type SmoothOptions } from './smooth';
import { divideUnits } from './units';

export interface DeriveOptions {
  /** smooth the input before computing (off by default) */
  smooth?: SmoothOptions | null;
  /** field name used in the result's description (deriveField sets it) */
  fieldName?: string;
  /** tests: false computes through the general gradient arrays even where the planar fast path applies */
  fused?: boolean;
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
    for (const c of comps)
      if (c.length !== dims.cells) throw analysisError(`field holds ${c.length} values for shape [${f.shape.join(', ')}] (${dims.cells} cells)`);
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
      g = { d: take64(cells), ok: take8(cells) };
      const c = this.comps[ci];
      if (!c) {
        // a missing w of a volume counts as 0
        g.d.fill(0);
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
      s = { d: take64(cells), ok: take8(cells) };
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

  /**
   * Run a kernel where the cell and every given gradient are valid. The kernel holds its own loop
   * (`for p: if (ok[p]) out[p] = …`) so that each quantity's loop is monomorphic and inlined.
   */
  run(gs: Grad[], kernel: (out: Float32Array, ok: Uint8Array) => void): { values: Float32Array; mask: Uint8Array } {
    const cells = this.dims.cells;
    const ok = take8(cells);
    const mask = new Uint8Array(cells);
    combineOk(this.valid, gs, ok, mask);
    const values = new Float32Array(cells);
    kernel(values, ok);
    give(ok);
    return { values, mask };
  }

  /** Hand the intermediate arrays back to the scratch pool. */
  dispose(): void {
    for (const m of [this.grads, this.seconds]) {
      for (const g of m.values()) {
        give(g.d);
        give(g.ok);
      }
      m.clear();
    }
  }

  compute(info: QuantityInfo): { values: Float32Array; mask: Uint8Array } {
    const c = this.comps;
    // planar (u, v) on a uniform grid: one fused pass, no gradient arrays
    const { ndim, nx, ny } = this.dims;
    if (
      this.opts.fused !== false &&
      this.f.kind === 'vector' &&
      c.length === 2 &&
      ndim === 2 &&
      PLANAR_FAST[info.name] &&
      !this.geo.x.coords &&
      !this.geo.y.coords
    )
      return planarQuantity(info.name, c[0], c[1], this.valid, nx, ny, this.spacing('x').h, this.spacing('y').h);
    const [u, v, w] = c;
    const d = (ci: number, a: AxisName) => this.grad(ci, a);
    const vol = this.dims.ndim === 3 && this.dims.nz > 1;
    const n = this.dims.cells;
    switch (info.name) {
      case 'magnitude':
        return this.run([], (o, ok) => {
          if (w)
            for (let p = 0; p < n; p++) {
              if (ok[p]) o[p] = Math.sqrt(u[p] * u[p] + v[p] * v[p] + w[p] * w[p]);
            }
          else for (let p = 0; p < n; p++) if (ok[p]) o[p] = Math.sqrt(u[p] * u[p] + v[p] * v[p]);
        });
      case 'kinetic-energy':
        return this.run([], (o, ok) => {
          if (w)
            for (let p = 0; p < n; p++) {
              if (ok[p]) o[p] = 0.5 * (u[p] * u[p] + v[p] * v[p] + w[p] * w[p]);
            }
          else for (let p = 0; p < n; p++) if (ok[p]) o[p] = 0.5 * (u[p] * u[p] + v[p] * v[p]);
        });
      case 'flow-angle':
        return this.run([], (o, ok) => {
          for (let p = 0; p < n; p++) if (ok[p]) o[p] = (Math.atan2(v[p], u[p]) * 180) / Math.PI;
        });
      case 'luminance': {
        const [r, g, b] = c;
        return this.run([], (o, ok) => {
          for (let p = 0; p < n; p++) if (ok[p]) o[p] = 0.299 * r[p] + 0.587 * g[p] + 0.114 * b[p];
        });
      }
      case 'vorticity':
      case 'vorticity-z':
        return this.diff(d(1, 'x'), d(0, 'y'), 1);
      case 'vorticity-x':
        return this.diff(d(2, 'y'), d(1, 'z'), 1);
      case 'vorticity-y':
        return this.diff(d(0, 'z'), d(2, 'x'), 1);
      case 'vorticity-magnitude': {
        const gs = [d(1, 'x'), d(0, 'y'), d(2, 'y'), d(1, 'z'), d(0, 'z'), d(2, 'x')];
        const [vx, uy, wy, vz, uz, wx] = gs.map((g) => g.d);
        return this.run(gs, (o, ok) => {
          for (let p = 0; p < n; p++) {
            if (!ok[p]) continue;
            const ox = wy[p] - vz[p];
            const oy = uz[p] - wx[p];
            const oz = vx[p] - uy[p];
            o[p] = Math.sqrt(ox * ox + oy * oy + oz * oz);
          }
        });
      }
      case 'divergence': {
        if (vol) {
          const gs = [d(0, 'x'), d(1, 'y'), d(2, 'z')];
          const [a, b, e] = gs.map((g) => g.d);
          return this.run(gs, (o, ok) => {
            for (let p = 0; p < n; p++) if (ok[p]) o[p] = a[p] + b[p] + e[p];
          });
        }
        return this.diff(d(0, 'x'), d(1, 'y'), -1);
      }
      case 'shear-strain':
        return this.half(d(0, 'y'), d(1, 'x'));
      case 'shear-strain-xz':
        return this.half(d(0, 'z'), d(2, 'x'));
      case 'shear-strain-yz':
        return this.half(d(1, 'z'), d(2, 'y'));
      case 'normal-strain-x':
        return this.single(d(0, 'x'));
      case 'normal-strain-y':
        return this.single(d(1, 'y'));
      case 'normal-strain-z':
        return this.single(d(2, 'z'));
      case 'q-criterion': {
        if (vol) {
          const A = this.tensor3();
          const [a00, a01, a02, a10, a11, a12, a20, a21, a22] = A.map((g) => g.d);
          return this.run(A, (o, ok) => {
            for (let p = 0; p < n; p++) {
              if (!ok[p]) continue;
              const s = a00[p] * a00[p] + a11[p] * a11[p] + a22[p] * a22[p] + 2 * (a01[p] * a10[p] + a02[p] * a20[p] + a12[p] * a21[p]);
              o[p] = -0.5 * s;
            }
          });
        }
        const gs = [d(0, 'x'), d(0, 'y'), d(1, 'x'), d(1, 'y')];
        const [ux, uy, vx, vy] = gs.map((g) => g.d);
        return this.run(gs, (o, ok) => {
          for (let p = 0; p < n; p++) if (ok[p]) o[p] = -0.5 * (ux[p] * ux[p] + 2 * uy[p] * vx[p] + vy[p] * vy[p]);
        });
      }
      case 'swirling-strength': {
        if (vol) {
          const A = this.tensor3();
          const [a00, a01, a02, a10, a11, a12, a20, a21, a22] = A.map((g) => g.d);
          return this.run(A, (o, ok) => {
            for (let p = 0; p < n; p++) if (ok[p]) o[p] = swirl3(a00[p], a01[p], a02[p], a10[p], a11[p], a12[p], a20[p], a21[p], a22[p]);
          });
        }
        const gs = [d(0, 'x'), d(0, 'y'), d(1, 'x'), d(1, 'y')];
        const [ux, uy, vx, vy] = gs.map((g) => g.d);
        return this.run(gs, (o, ok) => {
          for (let p = 0; p < n; p++) if (ok[p]) o[p] = swirl2(ux[p], uy[p], vx[p], vy[p]);
        });
      }
      case 'lambda2': {
        const A = this.tensor3();
        const [a00, a01, a02, a10, a11, a12, a20, a21, a22] = A.map((g) => g.d);
        return this.run(A, (o, ok) => {
          for (let p = 0; p < n; p++) if (ok[p]) o[p] = lambda2Of(a00[p], a01[p], a02[p], a10[p], a11[p], a12[p], a20[p], a21[p], a22[p]);
        });
      }
      case 'dfdx':
        return this.single(d(0, 'x'));
      case 'dfdy':
        return this.single(d(0, 'y'));
      case 'dfdz':
        return this.single(d(0, 'z'));
      case 'gradient-magnitude': {
        const gs = this.axes().map((a) => d(0, a));
        const ds = gs.map((g) => g.d);
        return this.run(gs, (o, ok) => {
          for (let p = 0; p < n; p++) {
            if (!ok[p]) continue;
            let s = 0;
            for (let k = 0; k < ds.length; k++) s += ds[k][p] * ds[k][p];
            o[p] = Math.sqrt(s);
          }
        });
      }
      case 'laplacian': {
        const gs = this.axes().map((a) => this.second(0, a));
        const ds = gs.map((g) => g.d);
        return this.run(gs, (o, ok) => {
          for (let p = 0; p < n; p++) {
            if (!ok[p]) continue;
            let s = 0;
            for (let k = 0; k < ds.length; k++) s += ds[k][p];
            o[p] = s;
          }
        });
      }
    }
    const m = /^d([uvw])d([xyz])$/.exec(info.name);
    if (m) return this.single(d('uvw'.indexOf(m[1]), m[2] as AxisName));
    // every catalogued quantity has a branch above (checked for each one); reaching here is a catalogue/branch mismatch
    throw analysisError(`quantity ${info.name} is in the catalogue but has no computation (an internal fault)`);
  }

  /** a − b (sign 1) or a + b (sign −1) */
  private diff(ga: Grad, gb: Grad, sign: 1 | -1) {
    const a = ga.d;
    const b = gb.d;
    const n = this.dims.cells;
    return this.run(
      [ga, gb],
      sign === 1
        ? (o, ok) => {
            for (let p = 0; p < n; p++) if (ok[p]) o[p] = a[p] - b[p];
          }
        : (o, ok) => {
            for (let p = 0; p < n; p++) if (ok[p]) o[p] = a[p] + b[p];
          },
    );
  }

  private half(ga: Grad, gb: Grad) {
    const a = ga.d;
    const b = gb.d;
    const n = this.dims.cells;
    return this.run([ga, gb], (o, ok) => {
      for (let p = 0; p < n; p++) if (ok[p]) o[p] = 0.5 * (a[p] + b[p]);
    });
  }

  private single(g: Grad) {
    const a = g.d;
    const n = this.dims.cells;
    return this.run([g], (o, ok) => {
      for (let p = 0; p < n; p++) if (ok[p]) o[p] = a[p];
    });
  }

  /** A = ∂u_i/∂x_j row-major (i: u, v, w; j: x, y, z) */
  private tensor3(): Grad[] {
    const out: Grad[] = [];
    for (let i = 0; i < 3; i++) for (const a of AXES) out.push(this.grad(i, a));
    return out;
  }
}

/** ok = valid AND every gradient's ok; mask = NOT ok (one pass, no closures). */
function combineOk(valid: Uint8Array, gs: Grad[], ok: Uint8Array, mask: Uint8Array): void {
  const n = valid.length;
  if (gs.length === 0) ok.set(valid);
  else if (gs.length === 1) {
    const a = gs[0].ok;
    for (let p = 0; p < n; p++) ok[p] = valid[p] & a[p];
  } else if (gs.length === 2) {
    const a = gs[0].ok;
    const b = gs[1].ok;
    for (let p = 0; p < n; p++) ok[p] = valid[p] & a[p] & b[p];
  } else {
    ok.set(valid);
    for (const g of gs) {
      const a = g.ok;
      for (let p = 0; p < n; p++) ok[p] &= a[p];
    }
  }
  for (let p = 0; p < n; p++) mask[p] = 1 - ok[p];
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
  try {
    return resultField(d, info, d.compute(info));
  } finally {
    d.dispose();
  }
}

/** Several quantities of one field, sharing the gradients (and the smoothing) between them. */
export function deriveMany(f: FieldData, quantities: string[], opts: DeriveOptions = {}): Record<string, FieldData> {
  const infos = quantities.map((q) => checked(f, q));
  // many quantities: the gradient arrays once, shared (the fused pass would differentiate per quantity)
  const d = new Deriver(f, { fused: infos.length <= 3, ...opts });
  try {
    const out: Record<string, FieldData> = {};
    for (const info of infos) out[info.name] = resultField(d, info, d.compute(info));
    return out;
  } finally {
    d.dispose();
  }
}

/** The contract: quantity of field `fieldName` of `frame` (see quantities.ts for names and conventions). */
export function deriveField(frame: Frame, fieldName: string, quantity: string, opts: DeriveOptions = {}): FieldData {
  const f = frame.fields[fieldName];
  if (!f)
    throw analysisError(
      `field “${fieldName}” is not in frame ${frame.info.number} (index ${frame.info.index}); fields: ${Object.keys(frame.fields).join(', ')}`,
    );
  return deriveFromField(f, quantity, { fieldName, ...opts });
}
