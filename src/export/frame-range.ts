import type { FrameSource } from '../core/types';

/**
 * Which frames an export takes, the way in-silico-framework's `write_video` chooses them
 * (`t_start`/`t_stop`/`t_step`, see shared/formats/isf-video.md §2), made explicit:
 *
 * - `by: 'time'`: one frame per time point t_k = start + k·step for k = 0, 1, … while
 *   t_k ≤ stop (stop is INCLUDED, like numpy `arange(t_start, t_stop + t_step, t_step)` is meant to;
 *   the count is computed as floor((stop − start)/step + 1e-9) + 1, so float rounding never adds or
 *   drops the last point). Each time point shows the frame whose time is NEAREST to t_k (the
 *   source's `nearestIndex`, no interpolation); a frame can therefore repeat when step is smaller
 *   than the frame spacing — that keeps the movie's clock uniform, exactly as ISF does.
 *   Defaults: start = first frame time, stop = last frame time, step = median frame spacing (= every
 *   frame for a uniformly sampled source). start and stop must lie within [first, last] time
 *   (ISF asserts the same); step must be > 0. Needs frame times (throws when a source has none).
 * - `by: 'index'`: frame indices start, start+step, … ≤ stop (stop INCLUDED). Defaults 0, last, 1.
 *
 * The result is a list of frame indices into `source.frames`, in output order.
 */
export interface FrameRangeSpec {
  by: 'index' | 'time';
  start?: number;
  stop?: number;
  step?: number;
}

/** Hard cap on the number of output frames a range may produce (protects against step ≈ 0). */
export const MAX_RANGE_FRAMES = 10_000_000;

export function frameRange(source: Pick<FrameSource, 'frames' | 'nearestIndex'>, spec: FrameRangeSpec): number[] {
  const n = source.frames.length;
  if (!n) return [];
  if (spec.by === 'index') {
    const start = spec.start ?? 0;
    const stop = spec.stop ?? n - 1;
    const step = spec.step ?? 1;
    if (![start, stop, step].every(Number.isInteger))
      throw new RangeError(`frame range by index needs integers (got start ${start}, stop ${stop}, step ${step})`);
    if (step <= 0) throw new RangeError(`frame range step must be > 0 (got ${step})`);
    if (start < 0 || start >= n) throw new RangeError(`frame range start ${start} outside 0…${n - 1}`);
    if (stop < start) throw new RangeError(`frame range stop ${stop} before start ${start}`);
    const last = Math.min(stop, n - 1);
    const out: number[] = [];
    for (let i = start; i <= last; i += step) out.push(i);
    return out;
  }
  if (spec.by !== 'time') throw new RangeError(`frame range: unknown 'by' ${String(spec.by)} (use 'index' or 'time')`);
  const times = source.frames.map((f) => f.time);
  if (times.some((t) => t === null || !Number.isFinite(t)))
    throw new RangeError('frame range by time: this source has no (finite) time for every frame; select by index');
  const ts = times as number[];
  const tMin = Math.min(...ts);
  const tMax = Math.max(...ts);
  const start = spec.start ?? ts[0];
  const stop = spec.stop ?? ts[ts.length - 1];
  const step = spec.step ?? medianSpacing(ts);
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step))
    throw new RangeError('frame range by time: start, stop and step must be finite numbers');
  if (!(step > 0)) throw new RangeError(`frame range step must be > 0 (got ${step})`);
  const tol = 1e-9 * Math.max(1, Math.abs(tMin), Math.abs(tMax));
  if (start < tMin - tol || start > tMax + tol) throw new RangeError(`frame range start ${start} outside the source's times ${tMin}…${tMax}`);
  if (stop > tMax + tol) throw new RangeError(`frame range stop ${stop} after the last time ${tMax}`);
  if (stop < start) throw new RangeError(`frame range stop ${stop} before start ${start}`);
  const count = Math.floor((stop - start) / step + 1e-9) + 1;
  if (count > MAX_RANGE_FRAMES) throw new RangeError(`frame range would give ${count} frames (limit ${MAX_RANGE_FRAMES}); use a larger step`);
  const out: number[] = new Array(count);
  for (let k = 0; k < count; k++) out[k] = source.nearestIndex(start + k * step);
  return out;
}

/** Median of the positive differences of consecutive times (1 when there is none). */
export function medianSpacing(ts: number[]): number {
  const d: number[] = [];
  for (let i = 1; i < ts.length; i++) {
    const x = ts[i] - ts[i - 1];
    if (x > 0) d.push(x);
  }
  if (!d.length) return 1;
  d.sort((a, b) => a - b);
  const m = d.length >> 1;
  return d.length % 2 ? d[m] : (d[m - 1] + d[m]) / 2;
}
