/** A strided sample of a vector field for Plotly's quiver trace (masked vectors dropped). */
export interface QuiverSample {
  x: Float32Array;
  y: Float32Array;
  u: Float32Array;
  v: Float32Array;
  mag: Float32Array;
  /** indices into the full field of every arrow (for hover) */
  index: Uint32Array;
  stride: number;
  maxMag: number;
}

/** Arrow count the automatic stride aims for: the quiver trace draws one SVG path per arrow. */
export const AUTO_ARROWS = 1500;

export function autoStride(nx: number, ny: number, target = AUTO_ARROWS): number {
  return Math.max(1, Math.ceil(Math.sqrt((nx * ny) / target)));
}

export function sampleQuiver(
  u: Float32Array,
  v: Float32Array,
  mask: Uint8Array | undefined,
  nx: number,
  ny: number,
  stride: number,
  xAt: (i: number) => number,
  yAt: (j: number) => number,
): QuiverSample {
  const s = stride > 0 ? Math.floor(stride) : autoStride(nx, ny);
  const o = Math.floor(s / 2);
  const cap = Math.ceil(nx / s) * Math.ceil(ny / s);
  const xs = new Float32Array(cap),
    ys = new Float32Array(cap),
    us = new Float32Array(cap),
    vs = new Float32Array(cap),
    ms = new Float32Array(cap);
  const idx = new Uint32Array(cap);
  let n = 0;
  let maxMag = 0;
  for (let j = Math.min(o, ny - 1); j < ny; j += s) {
    const y = yAt(j);
    for (let i = Math.min(o, nx - 1); i < nx; i += s) {
      const k = j * nx + i;
      if (mask?.[k]) continue;
      const a = u[k],
        b = v[k];
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      xs[n] = xAt(i);
      ys[n] = y;
      us[n] = a;
      vs[n] = b;
      const m = Math.hypot(a, b);
      ms[n] = m;
      if (m > maxMag) maxMag = m;
      idx[n] = k;
      n++;
    }
  }
  return { x: xs.slice(0, n), y: ys.slice(0, n), u: us.slice(0, n), v: vs.slice(0, n), mag: ms.slice(0, n), index: idx.slice(0, n), stride: s, maxMag };
}
