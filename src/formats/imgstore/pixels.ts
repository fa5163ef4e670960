/**
 * Decoded frame pixels → the `image` field (DESIGN.md: scalar for grayscale, rgb in RGB order).
 * This is the one place where imgstore's BGR semantics, grayscale conversion and `encoding` are
 * handled (formats/imgstore.md §6).
 */
import type { FieldData, Scale } from '../types';
import { bayerPatternOf, demosaicBilinear } from './bayer';

export type PixelArray = Uint8Array | Uint16Array | Float32Array | Float64Array;

export interface Pixels {
  width: number;
  height: number;
  /** interleaved channels: 1 gray, 2 gray+alpha, 3 colour, 4 colour+alpha */
  channels: number;
  /** channel order of colour data: 'bgr' for imgstore ndarrays (npy), 'rgb' for decoded image files/video */
  order: 'rgb' | 'bgr';
  data: PixelArray;
}

export interface PixelPolicy {
  /** colour store (imgshape [h, w, 3]) */
  isColor: boolean;
  encoding: string | null;
  /** npy stores: the stored array decides gray vs colour, no conversion (imgstore's np.load) */
  raw: boolean;
}

const pxScale = (axis: string): Scale => ({ slope: 1, offset: 0, unit: 'px', description: axis });

/** OpenCV's 8-bit BGR2GRAY (ITU-R BT.601, fixed point with 14 fractional bits). */
export function luma(px: Pixels): PixelArray {
  const n = px.width * px.height;
  const c = px.channels;
  const [ri, bi] = px.order === 'rgb' ? [0, 2] : [2, 0];
  const d = px.data;
  if (d instanceof Uint8Array) {
    const out = new Uint8Array(n);
    for (let i = 0, j = 0; i < n; i++, j += c) out[i] = (d[j + ri] * 4899 + d[j + 1] * 9617 + d[j + bi] * 1868 + 8192) >> 14;
    return out;
  }
  const out = d instanceof Uint16Array ? new Uint16Array(n) : d instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  const round = d instanceof Uint16Array;
  for (let i = 0, j = 0; i < n; i++, j += c) {
    const v = d[j + ri] * 0.299 + d[j + 1] * 0.587 + d[j + bi] * 0.114;
    out[i] = round ? Math.round(v) : v;
  }
  return out;
}

function sameType(d: PixelArray, n: number): PixelArray {
  return d instanceof Uint8Array
    ? new Uint8Array(n)
    : d instanceof Uint16Array
      ? new Uint16Array(n)
      : d instanceof Float32Array
        ? new Float32Array(n)
        : new Float64Array(n);
}

/** Interleaved colour (3 or 4 channels, given order) → RGB. */
function toRgb(px: Pixels): PixelArray {
  const n = px.width * px.height;
  const c = px.channels;
  if (c === 3 && px.order === 'rgb') return px.data;
  const out = sameType(px.data, n * 3);
  const [ri, bi] = px.order === 'rgb' ? [0, 2] : [2, 0];
  const d = px.data;
  for (let i = 0, j = 0; i < n; i++, j += c) {
    out[i * 3] = d[j + ri];
    out[i * 3 + 1] = d[j + 1];
    out[i * 3 + 2] = d[j + bi];
  }
  return out;
}

function replicate(d: PixelArray, n: number, stride: number): PixelArray {
  const out = sameType(d, n * 3);
  for (let i = 0; i < n; i++) {
    const v = d[i * stride];
    out[i * 3] = v;
    out[i * 3 + 1] = v;
    out[i * 3 + 2] = v;
  }
  return out;
}

function firstChannel(px: Pixels): PixelArray {
  if (px.channels === 1) return px.data;
  const n = px.width * px.height;
  const out = sameType(px.data, n);
  for (let i = 0; i < n; i++) out[i] = px.data[i * px.channels];
  return out;
}

/**
 * Build the `image` field. `onWarn` is told (once per reason, by the caller's de-duplication) when
 * an encoding cannot be undone.
 */
export function toImageField(px: Pixels, policy: PixelPolicy, onWarn?: (msg: string) => void): FieldData {
  const { width: w, height: h } = px;
  const n = w * h;
  const scales = { x: pxScale('x (image column)'), y: pxScale('y (image row)') };
  const gray = (values: PixelArray): FieldData => ({ kind: 'scalar', shape: [h, w], values, scales });
  const rgb = (values: PixelArray): FieldData => ({ kind: 'rgb', shape: [h, w, 3], values, scales });

  if (policy.encoding) {
    const enc = policy.encoding.toLowerCase();
    const pattern = bayerPatternOf(enc);
    if (pattern) {
      const mosaic = firstChannel(px);
      if (mosaic instanceof Uint8Array || mosaic instanceof Uint16Array) return rgb(demosaicBilinear(mosaic, w, h, pattern));
      onWarn?.(`encoding '${policy.encoding}' on ${mosaic.constructor.name} samples is not supported: showing the raw mosaic`);
      return gray(mosaic);
    }
    if (enc === 'cv_rgb' || enc === 'cv_rgba' || enc === 'cv_bgra' || enc === 'cv_bgr') {
      if (px.channels >= 3) {
        // the stored ndarray is in the order the code names; decoded files present the ndarray as BGR
        const named: 'rgb' | 'bgr' = enc.startsWith('cv_rgb') ? 'rgb' : 'bgr';
        const order: 'rgb' | 'bgr' = px.order === 'bgr' ? named : named === 'rgb' ? 'bgr' : 'rgb';
        return rgb(toRgb({ ...px, order }));
      }
    } else if (enc === 'cv_gray') {
      return rgb(replicate(firstChannel(px), n, 1));
    } else {
      onWarn?.(`encoding '${policy.encoding}' is not supported: showing the stored pixels`);
    }
  }

  if (px.channels === 1) return policy.isColor && !policy.raw ? rgb(replicate(px.data, n, 1)) : gray(px.data);
  if (px.channels === 2) return policy.isColor && !policy.raw ? rgb(replicate(px.data, n, 2)) : gray(firstChannel(px));
  if (!policy.isColor && !policy.raw) return gray(luma(px));
  return rgb(toRgb(px));
}
