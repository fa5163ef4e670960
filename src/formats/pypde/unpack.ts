/**
 * py-pde channel → field unpacking (pure TS).
 *
 * A raw frame is W·H·Cfmt samples (uint8, or little-endian uint16) with sample (x, y, k) at
 * (x·H + y)·Cfmt + k — y fastest, whatever ffmpeg believes the pixel format's layout to be. Component
 * k of the field list sits in channel k; channels beyond the component count are ignored. Output
 * arrays use framescope's layout: [ny, nx] = [H, W] with x fastest (a transpose of py-pde's (x, y)).
 */
import { maxCount } from './video-formats';

/** The raw frame layout (shared with the writer, pack.ts). */
export interface PackedLayout {
  width: number;
  height: number;
  /** channels per pixel of the video format */
  channels: number;
  /** 8 or 16 bits per channel */
  bits: 8 | 16;
}

export function rawFrameSize(l: PackedLayout): number {
  return l.width * l.height * l.channels * (l.bits / 8);
}

/** Quantised samples of channel k, transposed to [H][W] (x fastest). */
export function channelSamples(raw: Uint8Array, l: PackedLayout, k: number): Uint8Array | Uint16Array {
  const { width: W, height: H, channels: C } = l;
  const n = W * H;
  if (l.bits === 8) {
    const out = new Uint8Array(n);
    for (let x = 0; x < W; x++) {
      let s = x * H * C + k;
      for (let y = 0; y < H; y++, s += C) out[y * W + x] = raw[s];
    }
    return out;
  }
  const out = new Uint16Array(n);
  for (let x = 0; x < W; x++) {
    let s = (x * H * C + k) * 2;
    for (let y = 0; y < H; y++, s += C * 2) out[y * W + x] = raw[s] | (raw[s + 1] << 8);
  }
  return out;
}

/** v = a + q / M · (b − a) in float64 (py-pde's decoding; M = 255 or 65535). */
export function dequantise(q: Uint8Array | Uint16Array, a: number, b: number, bits: 8 | 16): Float64Array {
  const M = maxCount(bits);
  const out = new Float64Array(q.length);
  const span = b - a;
  for (let i = 0; i < q.length; i++) out[i] = a + (q[i] / M) * span;
  return out;
}

/**
 * Channel k dequantised straight from the raw frame, transposed to [H][W] (x fastest): the same
 * values as `dequantise(channelSamples(raw, l, k), a, b, l.bits)` (the same float64 expression per
 * sample; a Float32Array output holds them rounded to float32), without the quantised copy in between.
 * One fresh output array per call: a frame's memory is most of its reading cost.
 */
export function channelValues<T extends Float64Array | Float32Array = Float64Array>(
  raw: Uint8Array,
  l: PackedLayout,
  k: number,
  a: number,
  b: number,
  out?: T,
): T {
  const { width: W, height: H, channels: C } = l;
  const n = W * H;
  const o = (out ?? new Float64Array(n)) as T;
  if (o.length !== n) throw new RangeError(`channelValues: output holds ${o.length} values, the frame ${n}`);
  const M = maxCount(l.bits);
  const span = b - a;
  // rows of the output in blocks, so the strided reads of a block stay in cache
  const B = 32;
  if (l.bits === 8) {
    for (let y0 = 0; y0 < H; y0 += B) {
      const y1 = Math.min(H, y0 + B);
      for (let x = 0; x < W; x++) {
        let s = (x * H + y0) * C + k;
        for (let y = y0; y < y1; y++, s += C) o[y * W + x] = a + (raw[s] / M) * span;
      }
    }
    return o;
  }
  const aligned = raw.byteOffset % 2 === 0;
  const u = aligned ? new Uint16Array(raw.buffer, raw.byteOffset, raw.length >> 1) : null;
  for (let y0 = 0; y0 < H; y0 += B) {
    const y1 = Math.min(H, y0 + B);
    for (let x = 0; x < W; x++) {
      let s = (x * H + y0) * C + k;
      if (u && LITTLE) for (let y = y0; y < y1; y++, s += C) o[y * W + x] = a + (u[s] / M) * span;
      else for (let y = y0; y < y1; y++, s += C) o[y * W + x] = a + ((raw[2 * s] | (raw[2 * s + 1] << 8)) / M) * span;
    }
  }
  return o;
}

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Quantisation step of a field with limits (a, b): one count of the format. */
export function quantisationStep(a: number, b: number, bits: 8 | 16): number {
  return (b - a) / maxCount(bits);
}

/** One component of the flattened field list. */
export interface ComponentSlot {
  /** index of the field in the collection */
  field: number;
  /** tensor index within the field: [] scalar, [i] vector, [i, j] tensor */
  index: number[];
}

/** Components in channel order: fields in collection order, tensor indices flattened in C order. */
export function componentSlots(ranks: number[], dim: number): ComponentSlot[] {
  const slots: ComponentSlot[] = [];
  ranks.forEach((r, field) => {
    if (r === 0) slots.push({ field, index: [] });
    else if (r === 1) for (let i = 0; i < dim; i++) slots.push({ field, index: [i] });
    else for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) slots.push({ field, index: [i, j] });
  });
  return slots;
}
