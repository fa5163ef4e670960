/**
 * The fast path of deriveField for the common case: a planar vector field (u, v) on a uniform grid.
 * One pass over the cells computes the velocity gradients a cell needs in registers (no gradient
 * arrays, no per-cell allocation) and the quantity from them. Bit-identical to the general path
 * (gradient.ts + derive.ts): the same expressions in the same order in float64, the same
 * numpy.gradient(edge_order=1) rule per valid run (central where both neighbours along an axis are
 * valid, one-sided next to an edge or a masked cell, masked where neither is), stored as float32.
 * Interior cells whose four neighbours are valid take the central differences without the rule.
 */

/** Quantities this path computes, and which axes each differentiates along. */
export const PLANAR_FAST: Record<string, { code: number; x: boolean; y: boolean }> = {
  magnitude: { code: 0, x: false, y: false },
  'kinetic-energy': { code: 1, x: false, y: false },
  'flow-angle': { code: 2, x: false, y: false },
  vorticity: { code: 3, x: true, y: true },
  'vorticity-z': { code: 3, x: true, y: true },
  divergence: { code: 4, x: true, y: true },
  'shear-strain': { code: 5, x: true, y: true },
  'normal-strain-x': { code: 6, x: true, y: false },
  'normal-strain-y': { code: 7, x: false, y: true },
  'q-criterion': { code: 8, x: true, y: true },
  'swirling-strength': { code: 9, x: true, y: true },
  dudx: { code: 6, x: true, y: false },
  dudy: { code: 10, x: false, y: true },
  dvdx: { code: 11, x: true, y: false },
  dvdy: { code: 7, x: false, y: true },
};

/**
 * values/mask of quantity `code` for u, v on an nx × ny uniform grid with signed spacings hx, hy
 * (in the derivative's units). `valid` is the cell validity (1 = valid). Masked cells get value 0.
 */
export function planarQuantity(
  name: string,
  u: ArrayLike<number>,
  v: ArrayLike<number>,
  valid: Uint8Array,
  nx: number,
  ny: number,
  hx: number,
  hy: number,
): { values: Float32Array; mask: Uint8Array } {
  const q = PLANAR_FAST[name];
  const cells = nx * ny;
  const o = new Float32Array(cells);
  const mask = new Uint8Array(cells);
  const code = q.code;
  const needX = q.x;
  const needY = q.y;
  const hx2 = 2 * hx;
  const hy2 = 2 * hy;
  if (!needX && !needY) {
    pointwise(code, u, v, valid, o, mask);
    return { values: o, mask };
  }
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    const innerRow = j > 0 && j < ny - 1;
    for (let i = 0; i < nx; i++) {
      const p = row + i;
      if (valid[p] === 0) {
        mask[p] = 1;
        continue;
      }
      let ux = 0;
      let vx = 0;
      let uy = 0;
      let vy = 0;
      if (innerRow && i > 0 && i < nx - 1 && valid[p - 1] & valid[p + 1] & valid[p - nx] & valid[p + nx]) {
        // interior cell with every neighbour valid: central differences
        if (needX) {
          ux = (u[p + 1] - u[p - 1]) / hx2;
          vx = (v[p + 1] - v[p - 1]) / hx2;
        }
        if (needY) {
          uy = (u[p + nx] - u[p - nx]) / hy2;
          vy = (v[p + nx] - v[p - nx]) / hy2;
        }
      } else {
        if (needX) {
          const prev = i > 0 && valid[p - 1] === 1;
          const next = i < nx - 1 && valid[p + 1] === 1;
          if (prev && next) {
            ux = (u[p + 1] - u[p - 1]) / hx2;
            vx = (v[p + 1] - v[p - 1]) / hx2;
          } else if (next) {
            ux = (u[p + 1] - u[p]) / hx;
            vx = (v[p + 1] - v[p]) / hx;
          } else if (prev) {
            ux = (u[p] - u[p - 1]) / hx;
            vx = (v[p] - v[p - 1]) / hx;
          } else {
            mask[p] = 1;
            continue;
          }
        }
        if (needY) {
          const prev = j > 0 && valid[p - nx] === 1;
          const next = j < ny - 1 && valid[p + nx] === 1;
          if (prev && next) {
            uy = (u[p + nx] - u[p - nx]) / hy2;
            vy = (v[p + nx] - v[p - nx]) / hy2;
          } else if (next) {
            uy = (u[p + nx] - u[p]) / hy;
            vy = (v[p + nx] - v[p]) / hy;
          } else if (prev) {
            uy = (u[p] - u[p - nx]) / hy;
            vy = (v[p] - v[p - nx]) / hy;
          } else {
            mask[p] = 1;
            continue;
          }
        }
      }
      switch (code) {
        case 3:
          o[p] = vx - uy;
          break;
        case 4:
          o[p] = ux + vy;
          break;
        case 5:
          o[p] = 0.5 * (uy + vx);
          break;
        case 6:
          o[p] = ux;
          break;
        case 7:
          o[p] = vy;
          break;
        case 8:
          o[p] = -0.5 * (ux * ux + 2 * uy * vx + vy * vy);
          break;
        case 9: {
          const half = (ux - vy) / 2;
          const disc = half * half + uy * vx;
          o[p] = disc < 0 ? Math.sqrt(-disc) : 0;
          break;
        }
        case 10:
          o[p] = uy;
          break;
        case 11:
          o[p] = vx;
          break;
      }
    }
  }
  return { values: o, mask };
}

/** The quantities without derivatives (|v|, ½|v|², the flow angle): one loop each. */
function pointwise(code: number, u: ArrayLike<number>, v: ArrayLike<number>, valid: Uint8Array, o: Float32Array, mask: Uint8Array): void {
  const n = o.length;
  if (code === 0) for (let p = 0; p < n; p++) valid[p] ? (o[p] = Math.sqrt(u[p] * u[p] + v[p] * v[p])) : (mask[p] = 1);
  else if (code === 1) for (let p = 0; p < n; p++) valid[p] ? (o[p] = 0.5 * (u[p] * u[p] + v[p] * v[p])) : (mask[p] = 1);
  else for (let p = 0; p < n; p++) valid[p] ? (o[p] = (Math.atan2(v[p], u[p]) * 180) / Math.PI) : (mask[p] = 1);
}
