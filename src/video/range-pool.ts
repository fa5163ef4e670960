/**
 * Parallel read-ahead for files whose keyframes split them into independent ranges (FFV1: every
 * keyframe resets the range coder's context states, so a GOP decodes without the frames before it;
 * intra-only codecs: any frame). Each range [start, end) lies inside one GOP and is decoded by one
 * ffmpeg exec (seek to the GOP's keyframe, drop the frames before `start`) on one of several
 * ffmpeg.wasm instances (lanes, each its own worker), so on a machine with two cores two ranges
 * decode at once.
 *
 * The caller's frame is decoded first and alone (a cold open must not wait for a long run), then
 * the ranges after it are decoded in the background on the idle lanes, up to a look-ahead bound in
 * bytes. Background ranges not yet started when the reader jumps elsewhere are dropped; a started
 * one runs to its end (at most one GOP or `maxFrames` frames) and fills the cache.
 *
 * Frames land in the caller's byte-bounded cache only: nothing here keeps a second copy.
 */
import type { FfmpegLane } from './ffmpeg-loader';

export interface RangePoolDeps {
  frameCount: number;
  /** display indices of the keyframes, ascending (frame 0 first) */
  keys: number[];
  /** frames per background range at most */
  maxFrames: number;
  /** frames decoded ahead of the reader at most (the caller's cache must hold them) */
  lookahead: number;
  /**
   * frames a range may run past the look-ahead bound to finish its GOP (default 0; the cache must
   * hold lookahead + beyond frames)
   */
  beyond?: number;
  lanes: FfmpegLane[];
  /** decode frames [start, start+count) on `lane`, put them in the cache */
  /** background work must be dropped when `signal` has fired before it starts (and never killed once started) */
  decode(lane: FfmpegLane, start: number, count: number, pixFmt: string, signal: AbortSignal | undefined, background: boolean): Promise<void>;
  cached(index: number, pixFmt: string): boolean;
}

/** frames of the first background range after a jump (doubling after that) */
const SLOW_START = 8;

export interface RangePoolStats {
  /** background ranges decoded, per lane */
  ranges: number[];
  /** background ranges dropped before they started */
  dropped: number;
}

export class RangePool {
  readonly stats: RangePoolStats;
  private readonly inflight = new Map<string, Promise<void>>();
  private cursor = 0;
  /** background ranges started since the last jump */
  private sinceJump = 0;
  private pixFmt = '';
  private closed = false;

  constructor(private readonly d: RangePoolDeps) {
    this.stats = { ranges: d.lanes.map(() => 0), dropped: 0 };
  }

  get lanes(): readonly FfmpegLane[] {
    return this.d.lanes;
  }

  /** The keyframe at or before `i`, and the next keyframe after it (or the end). */
  private gop(i: number): [number, number] {
    const k = this.d.keys;
    let lo = 0;
    let hi = k.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (k[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return [k[lo] ?? 0, lo + 1 < k.length ? k[lo + 1] : this.d.frameCount];
  }

  /** The last keyframe in [lo, hi], or null. */
  private lastKeyIn(lo: number, hi: number): number | null {
    const [k] = this.gop(hi);
    return k >= lo ? k : null;
  }

  /** A decode of `i` already under way (foreground or background), if any. */
  pending(i: number, pixFmt: string): Promise<void> | undefined {
    return this.inflight.get(`${pixFmt}:${i}`);
  }

  /** The least busy lane (the foreground request goes there). */
  private leastBusy(): FfmpegLane {
    return this.d.lanes.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  private track(start: number, count: number, pixFmt: string, p: Promise<void>): void {
    for (let j = start; j < start + count; j++) {
      const key = `${pixFmt}:${j}`;
      this.inflight.set(key, p);
      const drop = () => void (this.inflight.get(key) === p && this.inflight.delete(key));
      p.then(drop, drop);
    }
  }

  /** Decode frame `i` now (alone), on the least busy lane. */
  foreground(i: number, pixFmt: string, signal?: AbortSignal): Promise<void> {
    const lane = this.leastBusy();
    const p = this.d.decode(lane, i, 1, pixFmt, signal, false);
    this.track(i, 1, pixFmt, p);
    return p;
  }

  /**
   * The reader is at `i`: keep the idle lanes decoding the ranges after it. A jump (a frame outside
   * the look-ahead of the previous position) drops the background ranges that have not started.
   */
  advance(i: number, pixFmt: string): void {
    if (this.closed) return;
    if (pixFmt !== this.pixFmt || i < this.cursor || i > this.cursor + this.d.lookahead) {
      this.dropStale();
      this.sinceJump = 0;
    }
    this.cursor = i;
    this.pixFmt = pixFmt;
    this.pump();
  }

  private pump(): void {
    if (this.closed) return;
    const { lanes, lookahead, frameCount, maxFrames } = this.d;
    const pixFmt = this.pixFmt;
    const busy = (j: number) => this.d.cached(j, pixFmt) || this.inflight.has(`${pixFmt}:${j}`);
    let f = this.cursor;
    const limit = Math.min(frameCount, this.cursor + 1 + lookahead);
    lanes.forEach((lane, k) => {
      if (lane.busy > 0) return;
      // the first frame after the cursor that is neither cached nor under way
      while (f < limit && busy(f)) f++;
      if (f >= limit) return;
      // ranges grow after a jump (the first frames come soon), end on a keyframe where one is near
      const span = Math.min(maxFrames, Math.max(1, Math.floor(lookahead / lanes.length)), SLOW_START << this.sinceJump++);
      const [, next] = this.gop(f);
      const snap = this.lastKeyIn(f + 1, f + span);
      let end = Math.min(snap ?? Math.max(f + span, Math.min(next, f + maxFrames)), frameCount);
      if (end > limit) {
        // the look-ahead bound cuts the range: end it on the last keyframe before the bound, or,
        // inside one GOP, at the GOP's end, so the next range starts on a keyframe instead of
        // decoding this GOP's first frames a second time
        end = this.lastKeyIn(f + 1, limit) ?? Math.min(next, limit + (this.d.beyond ?? 0), f + maxFrames);
      }
      for (let j = f + 1; j < end; j++)
        if (busy(j)) {
          end = j;
          break;
        }
      const count = end - f;
      // dropped before it starts when the reader jumps meanwhile (decode checks the signal first)
      const ctl = new AbortController();
      this.background.add(ctl);
      const p = this.d
        .decode(lane, f, count, pixFmt, ctl.signal, true)
        .then(
          () => void this.stats.ranges[k]++,
          () => undefined,
        )
        .finally(() => {
          this.background.delete(ctl);
          this.pump();
        });
      this.track(f, count, pixFmt, p);
      f = end;
    });
  }

  private readonly background = new Set<AbortController>();

  /** Drop the background ranges that have not started (on a jump and on close). */
  private dropStale(): void {
    for (const c of this.background) {
      if (!c.signal.aborted) this.stats.dropped++;
      c.abort();
    }
    this.background.clear();
  }

  close(): void {
    this.closed = true;
    this.dropStale();
  }
}
