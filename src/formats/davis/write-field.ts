/**
 * framescope FieldData (physical values, numpy masks 1 = invalid, index→cell-centre scales) → raw DaVis
 * frames for the writer, chosen so that a DaVis reader following davis.md reproduces the field:
 *
 * - axes: DaVis positions are x_i = offset + (i + 0.5)·grid·slope (§4.4; images use grid 1), FieldData
 *   has coord(i) = o + i·s, so slope = s/grid and offset = o − s/2.
 * - vectors: physical = (offset_I + raw·slope_I)·sign(slope_axis) (§4.3). The writer uses the identity
 *   I scale (slope 1, offset 0, the field's unit), so raw = physical·sign(slope_axis), bit-exact in float32.
 * - masks: DaVis keeps 1 = valid, so valid = 1 − mask. A mask alone never needs the choice header.
 * - images: 'float32' stores the physical values with an identity I scale (exact for float32 input);
 *   'uint16' stores integer counts with the I scale that maps them back: the field's own `scales.i`
 *   when it reproduces every value exactly, else a linear quantisation of [min, max] onto 0..65535
 *   (error ≤ slope/2).
 */
import type { FieldData, Scale } from '../types';
import type { DavisAttributes } from './write-attributes';
import type { DavisImageFrame, DavisScales, DavisVectorFrame } from './write-frames';

export interface FieldToImageOptions {
  /** 'auto': uint16 when the values are exactly integer counts of their I scale, else float32 */
  imageFormat?: 'auto' | 'uint16' | 'float32';
  /** value unit when the field has no `scales.i` */
  unit?: string;
  time?: number;
  attributes?: DavisAttributes;
}

export interface FieldToVectorOptions {
  /** vector_grid in pixels (default 1) */
  grid?: number;
  /** velocity unit when the field has no `scales.i` */
  unit?: string;
  time?: number;
  attributes?: DavisAttributes;
}

/** [nz, ny, nx] of a FieldData shape ([nx], [ny, nx] or [nz, ny, nx]). */
export function dimsOf(fd: FieldData): { nx: number; ny: number; nz: number } {
  const s = fd.shape;
  if (s.length === 1) return { nx: s[0], ny: 1, nz: 1 };
  if (s.length === 2) return { nx: s[1], ny: s[0], nz: 1 };
  if (s.length === 3 && fd.kind !== 'rgb') return { nx: s[2], ny: s[1], nz: s[0] };
  throw new RangeError(`DaVis writer: cannot write a ${fd.kind} field of shape [${s.join(', ')}]`);
}

const PIXEL: Scale = { slope: 1, offset: 0, unit: 'pixel', description: '' };

/** The DaVis axis scale whose (i + 0.5)·grid positions reproduce FieldData's coord(i) = offset + i·slope. */
export function davisAxisScale(s: Scale | undefined, grid: number): Scale {
  if (!s) return PIXEL;
  return { slope: s.slope / grid, offset: s.offset - 0.5 * s.slope, unit: s.unit, description: s.description };
}

function validFromMask(mask: Uint8Array | undefined, n: number): Uint8Array | undefined {
  if (!mask) return undefined;
  if (mask.length !== n) throw new RangeError(`DaVis writer: mask holds ${mask.length} values, expected ${n}`);
  const valid = new Uint8Array(n);
  for (let k = 0; k < n; k++) valid[k] = mask[k] ? 0 : 1;
  return valid;
}

/** Integer counts under `i` reproducing every value exactly (as float32, as the reader delivers it), or null. */
function exactCounts(values: ArrayLike<number>, i: Scale): Uint16Array | null {
  const out = new Uint16Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    const raw = Math.round((v - i.offset) / i.slope);
    if (!(raw >= 0 && raw <= 65535)) return null;
    if (Math.fround(i.offset + raw * i.slope) !== Math.fround(v)) return null;
    out[k] = raw;
  }
  return out;
}

export function imageFrameFromField(fd: FieldData, opts: FieldToImageOptions = {}): DavisImageFrame {
  if (fd.kind !== 'scalar' || !fd.values) throw new RangeError(`DaVis writer: an image needs a scalar field with values (got ${fd.kind})`);
  const { nx, ny, nz } = dimsOf(fd);
  const n = nx * ny * nz;
  if (fd.values.length !== n) throw new RangeError(`DaVis writer: field holds ${fd.values.length} values, shape says ${n}`);
  const unit = fd.scales?.i?.unit ?? opts.unit ?? '';
  const description = fd.scales?.i?.description ?? '';
  const identity: Scale = { slope: 1, offset: 0, unit, description };
  const mode = opts.imageFormat ?? 'auto';
  let data: DavisImageFrame['data'];
  let iScale: Scale;
  const values = fd.values;
  const counts = mode === 'float32' ? null : exactCounts(values, fd.scales?.i ?? identity);
  if (counts) {
    data = counts;
    iScale = fd.scales?.i ?? identity;
  } else if (mode === 'uint16') {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < n; k++) {
      const v = values[k];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (!(lo <= hi)) lo = hi = 0;
    const slope = hi > lo ? (hi - lo) / 65535 : 1;
    const q = new Uint16Array(n);
    for (let k = 0; k < n; k++) {
      const v = values[k];
      q[k] = Number.isFinite(v) ? Math.min(65535, Math.max(0, Math.round((v - lo) / slope))) : 0;
    }
    data = q;
    iScale = { slope, offset: lo, unit, description };
  } else {
    data = values instanceof Float32Array ? values : Float32Array.from(values);
    iScale = identity;
  }
  const scales: DavisScales = {
    x: davisAxisScale(fd.scales?.x, 1),
    y: davisAxisScale(fd.scales?.y, 1),
    z: davisAxisScale(fd.scales?.z, 1),
    i: iScale,
  };
  return { kind: 'image', nx, ny, nz, data, scales, valid: validFromMask(fd.mask, n), time: opts.time, attributes: opts.attributes };
}

export function vectorFrameFromField(fd: FieldData, opts: FieldToVectorOptions = {}): DavisVectorFrame {
  if (fd.kind !== 'vector' || !fd.u || !fd.v) throw new RangeError(`DaVis writer: a vector buffer needs a vector field with u and v (got ${fd.kind})`);
  const { nx, ny, nz } = dimsOf(fd);
  const n = nx * ny * nz;
  for (const [name, a] of [
    ['u', fd.u],
    ['v', fd.v],
    ['w', fd.w],
  ] as const) {
    if (a && a.length !== n) throw new RangeError(`DaVis writer: ${name} holds ${a.length} values, shape says ${n}`);
  }
  const grid = opts.grid ?? 1;
  const x = davisAxisScale(fd.scales?.x, grid);
  const y = davisAxisScale(fd.scales?.y, grid);
  const z = davisAxisScale(fd.scales?.z, grid);
  const i: Scale = { slope: 1, offset: 0, unit: fd.scales?.i?.unit ?? opts.unit ?? '', description: fd.scales?.i?.description ?? 'velocity' };
  const signed = (a: Float32Array, s: Scale): Float32Array => {
    if (s.slope >= 0) return a;
    const out = new Float32Array(a.length);
    for (let k = 0; k < a.length; k++) out[k] = -a[k];
    return out;
  };
  return {
    kind: 'vector',
    nx,
    ny,
    nz,
    u: signed(fd.u, x),
    v: signed(fd.v, y),
    w: fd.w ? signed(fd.w, z) : undefined,
    scales: { x, y, z, i },
    valid: validFromMask(fd.mask, n),
    time: opts.time,
    attributes: opts.attributes,
  };
}
