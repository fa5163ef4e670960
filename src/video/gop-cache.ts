/**
 * Decoded-frame cache of the WebCodecs H.264 path (./webcodecs-h264), bounded in bytes (LRU). It
 * keeps every frame the decoder gives on its way to a target, in the decoder's own form: the I420
 * planes (1.5 bytes/pixel), or only the luma plane (1 byte/pixel) when both chroma planes are
 * exactly 128 (8-bit gray recordings stored as H.264, as imgstore writes them). The pixel format a
 * caller asks for (yuv420p, rgb24, rgba) is made from that on each read and not kept here: the
 * worker pipeline (src/workers/pipeline.ts) caches the frames it was given, so this cache does not
 * hold a second copy of them in the output form.
 */
import { ByteLru } from '../core/byte-lru';
import { i420ToRgb } from '../codecs/yuv';

export { i420ToRgb };

export interface CachedPlanes {
  /** I420 planes, or the luma plane alone when `gray` */
  data: Uint8Array;
  gray: boolean;
  /** the stream says full range (else limited range, 16..235) */
  full: boolean;
}

/** Both chroma planes of I420 `planes` (w×h luma first) are exactly 128. */
export function neutralChroma(planes: Uint8Array, w: number, h: number): boolean {
  for (let k = w * h; k < planes.length; k++) if (planes[k] !== 128) return false;
  return true;
}

/** Canonical form of decoded I420 planes (copies the luma plane when the chroma is neutral). */
export function canonical(planes: Uint8Array, w: number, h: number, full: boolean): CachedPlanes {
  if (neutralChroma(planes, w, h)) return { data: planes.slice(0, w * h), gray: true, full };
  return { data: planes, gray: false, full };
}

/** The luma plane of a gray frame → packed RGB(A): what i420ToRgb gives for chroma 128, by table. */
function grayToRgb(y: Uint8Array, out: Uint8Array, channels: 3 | 4, full: boolean): void {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    const Y = full ? v : (v - 16) * (255 / 219);
    lut[v] = Y < 0 ? 0 : Y > 255 ? 255 : Math.round(Y);
  }
  let o = 0;
  for (let k = 0; k < y.length; k++) {
    const v = lut[y[k]];
    out[o] = v;
    out[o + 1] = v;
    out[o + 2] = v;
    if (channels === 4) out[o + 3] = 255;
    o += channels;
  }
}

/**
 * A cached frame in `pixFmt` (yuv420p, rgb24 or rgba), always a new array: the cache's buffers are
 * used again for other frames once evicted.
 */
export function toPixFmt(c: CachedPlanes, pixFmt: string, w: number, h: number): Uint8Array {
  if (pixFmt === 'yuv420p') {
    if (!c.gray) return c.data.slice();
    const cw = (w + 1) >> 1;
    const ch = (h + 1) >> 1;
    const out = new Uint8Array(w * h + 2 * cw * ch).fill(128);
    out.set(c.data);
    return out;
  }
  const n = pixFmt === 'rgba' ? 4 : 3;
  const out = new Uint8Array(w * h * n);
  if (c.gray) grayToRgb(c.data, out, n, c.full);
  // BT.601 as ffmpeg assumes for untagged streams (Chromium reports its own BT.709 guess for those)
  else i420ToRgb(c.data, w, h, out, n, false, c.full);
  return out;
}

/** Display index → cached planes, bounded in bytes (least recently used go first). */
export class GopFrameCache {
  private readonly lru: ByteLru<number, CachedPlanes>;
  /** `onEvict` gets each frame pushed out (its buffer may be used again) */
  constructor(maxBytes: number, onEvict?: (c: CachedPlanes) => void) {
    this.lru = new ByteLru<number, CachedPlanes>(maxBytes, (c) => c.data.byteLength, onEvict);
  }
  get(i: number): CachedPlanes | undefined {
    return this.lru.get(i);
  }
  has(i: number): boolean {
    return this.lru.has(i);
  }
  /** The cached display index nearest to `i` (the earlier one on a tie) no farther than `within`, or -1. */
  nearest(i: number, within: number): number {
    let best = -1;
    let bestD = within + 1;
    for (const k of this.lru.keys()) {
      const d = Math.abs(k - i);
      if (d < bestD || (d === bestD && k < best)) {
        best = k;
        bestD = d;
      }
    }
    return best;
  }
  set(i: number, c: CachedPlanes): void {
    this.lru.set(i, c);
  }
  clear(): void {
    this.lru.clear();
  }
  get bytes(): number {
    return this.lru.byteSize;
  }
  get size(): number {
    return this.lru.size;
  }
}
