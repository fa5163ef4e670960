/**
 * A − B of two fields for the compare view (pure TypeScript). On the same grid the difference is
 * taken cell by cell; on different grids of one physical domain B is resampled bilinearly onto A's
 * cell centres (cells of A outside B's domain, or next to B's masked cells, are masked). Vector
 * fields give the difference vector field; |A − B| is the absolute difference (the vector's length).
 */
import type { FieldData, Scale } from '../core/types';

export class DifferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DifferenceError';
  }
}

type Comp = ArrayLike<number>;

const gridOf = (f: FieldData) => {
  const shape = f.kind === 'rgb' ? f.shape.slice(0, -1) : f.shape;
  if (shape.length !== 2) throw new DifferenceError(`differences need 2D fields (got shape ${shape.join('×')})`);
  const [ny, nx] = shape;
  return { nx, ny };
};

/** Physical coordinate of index i along an axis (coords, else scale, else the index). */
function coord(scale: Scale | undefined, coords: Float64Array | undefined, i: number): number {
  if (coords && i < coords.length) return coords[i];
  return scale?.slope ? scale.offset + i * scale.slope : i;
}

/** Fractional index of physical coordinate x along an axis of n cells, or NaN outside [0, n−1]. */
function fracIndex(scale: Scale | undefined, coords: Float64Array | undefined, n: number, x: number): number {
  if (coords && coords.length === n && n > 1) {
    const inc = coords[n - 1] > coords[0];
    const lo = inc ? coords[0] : coords[n - 1];
    const hi = inc ? coords[n - 1] : coords[0];
    if (x < lo - 1e-12 * Math.abs(lo || 1) || x > hi + 1e-12 * Math.abs(hi || 1)) return NaN;
    // binary search on the monotone coordinates
    let a = 0;
    let b = n - 1;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (inc ? coords[m] <= x : coords[m] >= x) a = m;
      else b = m;
    }
    const t = (x - coords[a]) / (coords[b] - coords[a]);
    return a + Math.max(0, Math.min(1, t));
  }
  const slope = scale?.slope ? scale.slope : 1;
  const offset = scale?.slope ? scale.offset : 0;
  const f = (x - offset) / slope;
  if (f < -1e-9 || f > n - 1 + 1e-9) return NaN;
  return Math.max(0, Math.min(n - 1, f));
}

function sameGrid(a: FieldData, b: FieldData): boolean {
  const ga = gridOf(a);
  const gb = gridOf(b);
  if (ga.nx !== gb.nx || ga.ny !== gb.ny) return false;
  for (const ax of ['x', 'y'] as const) {
    for (const i of [0, (ax === 'x' ? ga.nx : ga.ny) - 1]) {
      const ca = coord(a.scales?.[ax], a.coords?.[ax], i);
      const cb = coord(b.scales?.[ax], b.coords?.[ax], i);
      if (Math.abs(ca - cb) > 1e-6 * Math.max(1, Math.abs(ca))) return false;
    }
  }
  return true;
}

/** B's components on A's grid (bilinear; NaN where A's cell centre is outside B or touches a masked cell of B). */
export function resampleOnto(a: FieldData, b: FieldData, comps: Comp[]): Float32Array[] {
  const { nx, ny } = gridOf(a);
  const gb = gridOf(b);
  const out = comps.map(() => new Float32Array(nx * ny));
  for (let j = 0; j < ny; j++) {
    const fy = fracIndex(b.scales?.y, b.coords?.y, gb.ny, coord(a.scales?.y, a.coords?.y, j));
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const fx = fracIndex(b.scales?.x, b.coords?.x, gb.nx, coord(a.scales?.x, a.coords?.x, i));
      if (!(fx === fx) || !(fy === fy)) {
        for (const o of out) o[k] = NaN;
        continue;
      }
      const x0 = Math.min(Math.floor(fx), gb.nx - 1);
      const y0 = Math.min(Math.floor(fy), gb.ny - 1);
      const x1 = Math.min(x0 + 1, gb.nx - 1);
      const y1 = Math.min(y0 + 1, gb.ny - 1);
      const tx = fx - x0;
      const ty = fy - y0;
      const corners = [
        [y0 * gb.nx + x0, (1 - tx) * (1 - ty)],
        [y0 * gb.nx + x1, tx * (1 - ty)],
        [y1 * gb.nx + x0, (1 - tx) * ty],
        [y1 * gb.nx + x1, tx * ty],
      ] as const;
      let bad = false;
      for (const [c, w] of corners) if (w > 0 && b.mask?.[c]) bad = true;
      comps.forEach((src, n) => {
        if (bad) {
          out[n][k] = NaN;
          return;
        }
        let v = 0;
        for (const [c, w] of corners) if (w > 0) v += w * src[c];
        out[n][k] = v;
      });
    }
  }
  return out;
}

/**
 * A − B (or |A − B|) on A's grid, with A's scales and a mask that is A's, B's (resampled) and every
 * non-finite result combined.
 */
export function differenceField(a: FieldData, b: FieldData, opts: { abs?: boolean } = {}): FieldData {
  if (a.kind === 'rgb' || b.kind === 'rgb') throw new DifferenceError('differences of colour images are not defined (choose a gray field)');
  if (a.kind !== b.kind) throw new DifferenceError(`cannot subtract a ${b.kind} field from a ${a.kind} field`);
  const { nx, ny } = gridOf(a);
  const n = nx * ny;
  const compsA: Comp[] = a.kind === 'vector' ? [a.u!, a.v!, ...(a.w && b.w ? [a.w] : [])] : [a.values as Comp];
  const compsB: Comp[] = b.kind === 'vector' ? [b.u!, b.v!, ...(a.w && b.w ? [b.w] : [])] : [b.values as Comp];
  const same = sameGrid(a, b);
  const bOnA: Comp[] = same ? compsB : resampleOnto(a, b, compsB);
  const mask = new Uint8Array(n);
  const diffs = compsA.map(() => new Float32Array(n));
  for (let k = 0; k < n; k++) {
    let bad = !!a.mask?.[k] || (same && !!b.mask?.[k]);
    for (let c = 0; c < compsA.length && !bad; c++) {
      const d = Number(compsA[c][k]) - Number(bOnA[c][k]);
      if (!Number.isFinite(d)) bad = true;
      else diffs[c][k] = d;
    }
    if (bad) {
      mask[k] = 1;
      for (const d of diffs) d[k] = 0;
    }
  }
  const scales = a.scales ? { ...a.scales } : undefined;
  if (a.kind === 'vector') {
    if (opts.abs) {
      const m = new Float32Array(n);
      for (let k = 0; k < n; k++) m[k] = Math.hypot(...diffs.map((d) => d[k]));
      return { kind: 'scalar', shape: [ny, nx], values: m, mask, scales, coords: a.coords };
    }
    return { kind: 'vector', shape: [ny, nx], u: diffs[0], v: diffs[1], w: diffs[2], mask, scales, coords: a.coords };
  }
  const values = diffs[0];
  if (opts.abs) for (let k = 0; k < n; k++) values[k] = Math.abs(values[k]);
  return { kind: 'scalar', shape: [ny, nx], values, mask, scales, coords: a.coords };
}
