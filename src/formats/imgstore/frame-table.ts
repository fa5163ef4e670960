import { NEAREST_RULES, nearestIndex } from '../../core/nearest';
/**
 * The imgstore frame table, with imgstore's semantics (see formats/imgstore.md §0 and §9):
 *  - frame_index = position over all non-empty chunks in ascending chunk order, then row order;
 *  - frame_number = the writer's number from the chunk index (gaps, repeats, any order allowed);
 *  - frame_time = epoch seconds from the chunk index.
 * Lookups: exact frame_number (first stored occurrence wins), nearest frame_number (minimal
 * |number − request|, ties → the earliest frame_index) and nearest time (get_nearest_image: minimal
 * |time − t|, ties → the earliest frame_index; times outside the range clamp to the first/last frame).
 */
import type { FrameInfo } from '../types';

export interface ChunkRows {
  chunk: number;
  frameNumber: ArrayLike<number>;
  frameTime: ArrayLike<number>;
}

export interface FrameTableSummary {
  frame_count: number;
  /** NaN for an empty store, like imgstore */
  frame_min: number;
  frame_max: number;
  frame_time_min: number;
  frame_time_max: number;
  duration: number;
  /** non-empty chunks in order */
  chunks: number[];
}

export class FrameTable {
  readonly numbers: Float64Array;
  readonly times: Float64Array;
  /** chunk number of each frame_index */
  readonly chunkOf: Int32Array;
  /** row inside its chunk of each frame_index */
  readonly rowOf: Int32Array;
  readonly chunks: number[];
  private readonly numbersSorted: boolean;
  private exact: Map<number, number> | null = null;

  constructor(chunks: ChunkRows[]) {
    const sorted = chunks.filter((c) => c.frameNumber.length > 0).sort((a, b) => a.chunk - b.chunk);
    const n = sorted.reduce((s, c) => s + c.frameNumber.length, 0);
    this.numbers = new Float64Array(n);
    this.times = new Float64Array(n);
    this.chunkOf = new Int32Array(n);
    this.rowOf = new Int32Array(n);
    this.chunks = sorted.map((c) => c.chunk);
    let i = 0;
    for (const c of sorted) {
      for (let r = 0; r < c.frameNumber.length; r++, i++) {
        this.numbers[i] = Number(c.frameNumber[r]);
        this.times[i] = r < c.frameTime.length ? Number(c.frameTime[r]) : NaN;
        this.chunkOf[i] = c.chunk;
        this.rowOf[i] = r;
      }
    }
    this.numbersSorted = isNonDecreasing(this.numbers);
  }

  get length(): number {
    return this.numbers.length;
  }

  frames(): FrameInfo[] {
    const out: FrameInfo[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = { index: i, number: this.numbers[i], time: Number.isFinite(this.times[i]) ? this.times[i] : null };
    return out;
  }

  summary(): FrameTableSummary {
    let fmin = Infinity;
    let fmax = -Infinity;
    let tmin = Infinity;
    let tmax = -Infinity;
    for (let i = 0; i < this.length; i++) {
      const v = this.numbers[i];
      if (v < fmin) fmin = v;
      if (v > fmax) fmax = v;
      const t = this.times[i];
      if (t < tmin) tmin = t;
      if (t > tmax) tmax = t;
    }
    const empty = this.length === 0;
    const haveT = Number.isFinite(tmin);
    return {
      frame_count: this.length,
      frame_min: empty ? NaN : fmin,
      frame_max: empty ? NaN : fmax,
      frame_time_min: haveT ? tmin : 0,
      frame_time_max: haveT ? tmax : 0,
      duration: haveT ? tmax - tmin : 0,
      chunks: this.chunks.slice(),
    };
  }

  /** frame_numbers that are absent between consecutive stored ones (dropped frames), at most `limit` listed. */
  droppedFrames(limit = 1000): { count: number; numbers: number[] } {
    let count = 0;
    const list: number[] = [];
    for (let i = 1; i < this.length; i++) {
      const a = this.numbers[i - 1];
      const b = this.numbers[i];
      if (b > a + 1 && Number.isInteger(a) && Number.isInteger(b)) {
        count += b - a - 1;
        for (let k = a + 1; k < b && list.length < limit; k++) list.push(k);
      }
    }
    return { count, numbers: list };
  }

  /** imgstore get_nearest_image(t): frame_index with minimal |frame_time − t| (earliest on ties), −1 when empty. */
  nearestTime(t: number): number {
    return nearestIndex(this.times, t, NEAREST_RULES.imgstore);
  }

  /**
   * frame_number → frame_index. 'exact': the first stored occurrence, or −1 when no frame has that
   * number (imgstore raises ValueError). 'nearest': minimal |frame_number − request|, the earliest
   * frame_index on ties (imgstore leaves ties unspecified); −1 only for an empty store.
   */
  indexOfNumber(num: number, mode: 'exact' | 'nearest' = 'exact'): number {
    const n = this.length;
    if (!n) return -1;
    if (mode === 'exact') {
      if (!this.exact) {
        this.exact = new Map();
        for (let i = n - 1; i >= 0; i--) this.exact.set(this.numbers[i], i);
      }
      return this.exact.get(num) ?? -1;
    }
    if (Number.isNaN(num)) return -1;
    if (this.numbersSorted) {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.numbers[mid] < num) lo = mid + 1;
        else hi = mid;
      }
      if (lo === 0) return 0;
      if (lo === n) return firstOf(this.numbers, n - 1);
      return num - this.numbers[lo - 1] <= this.numbers[lo] - num ? firstOf(this.numbers, lo - 1) : lo;
    }
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < n; i++) {
      const d = Math.abs(this.numbers[i] - num);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  /** Median frame-time step (s), a frame-rate estimate (the store has no rate of its own); null if unknown. */
  medianFrameInterval(): number | null {
    const d: number[] = [];
    const step = Math.max(1, Math.floor(this.length / 20000));
    for (let i = step; i < this.length; i += step) {
      const v = (this.times[i] - this.times[i - step]) / step;
      if (Number.isFinite(v) && v > 0) d.push(v);
    }
    if (!d.length) return null;
    d.sort((a, b) => a - b);
    return d[d.length >> 1];
  }
}

function isNonDecreasing(a: Float64Array): boolean {
  for (let i = 1; i < a.length; i++) if (!(a[i] >= a[i - 1])) return false;
  return true;
}

/** earliest index holding the same value as a[i] (runs of equal values in a sorted array) */
function firstOf(a: Float64Array, i: number): number {
  let j = i;
  while (j > 0 && a[j - 1] === a[i]) j--;
  return j;
}
