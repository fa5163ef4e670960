/**
 * The worker-side entry: one serialisable request type for every analysis, one function that runs
 * it against an open FrameSource, and the list of buffers to transfer back. A worker forwards
 * `{ op: 'analysis', id, job }` to `runAnalysisJob(host.source(id), job, ctl, host-cached frame read)`.
 * Results are plain objects and typed arrays (structured-clone safe).
 */
import type { FieldData, Frame, FrameSource } from '../core/types';
import { deriveField } from './derive';
import { analysisError } from './fail';
import { lineProfile, pointHistory, type LineProfile, type PointHistory, type PointHistoryRequest, type ProfileOptions } from './profile';
import {
  regionSeries,
  regionStats,
  type Point,
  type Region,
  type RegionOptions,
  type RegionSeries,
  type RegionSeriesRequest,
  type RegionStats,
} from './region';
import type { SmoothOptions } from './smooth';
import { timeStatistics, type TimeStatisticsRequest } from './statistics';
import type { AnalysisControl } from './stream';

export type AnalysisJob =
  | { kind: 'derive'; index: number; field: string; quantity: string; smooth?: SmoothOptions | null }
  | { kind: 'line-profile'; index: number; field: string; points: Point[]; options?: ProfileOptions }
  | { kind: 'region-stats'; index: number; field: string; region: Region; options?: RegionOptions }
  | ({ kind: 'time-statistics' } & TimeStatisticsRequest)
  | ({ kind: 'region-series' } & RegionSeriesRequest)
  | ({ kind: 'point-history' } & PointHistoryRequest);

export interface AnalysisResultMap {
  derive: FieldData;
  'line-profile': LineProfile;
  'region-stats': RegionStats;
  'time-statistics': Record<string, FieldData>;
  'region-series': RegionSeries;
  'point-history': PointHistory;
}

export type FrameReader = (index: number, signal?: AbortSignal) => Promise<Frame>;

/**
 * Run one job. `readFrame` (optional) reads single frames through the caller's cache (the dataset
 * host's); the streaming jobs read through the source directly so they do not evict the cache.
 */
export async function runAnalysisJob(
  source: FrameSource,
  job: AnalysisJob,
  ctl?: AnalysisControl,
  readFrame?: FrameReader,
): Promise<AnalysisResultMap[AnalysisJob['kind']]> {
  const frame = async (index: number) => {
    if (!Number.isInteger(index) || index < 0 || index >= source.frames.length)
      throw analysisError(`frame index ${index} is outside 0…${source.frames.length - 1}`);
    return readFrame ? readFrame(index, ctl?.signal) : source.readFrame(index, { signal: ctl?.signal });
  };
  const fieldOf = (fr: Frame, name: string) => {
    const f = fr.fields[name];
    if (!f) throw analysisError(`field “${name}” is not in frame ${fr.info.number} (index ${fr.info.index})`);
    return f;
  };
  switch (job.kind) {
    case 'derive':
      return deriveField(await frame(job.index), job.field, job.quantity, { smooth: job.smooth ?? null });
    case 'line-profile':
      return lineProfile(fieldOf(await frame(job.index), job.field), job.points, job.options);
    case 'region-stats':
      return regionStats(fieldOf(await frame(job.index), job.field), job.region, job.options);
    case 'time-statistics':
      return timeStatistics(source, job, ctl);
    case 'region-series':
      return regionSeries(source, job, ctl);
    case 'point-history':
      return pointHistory(source, job, ctl);
  }
  throw analysisError(`unknown analysis job '${String((job as { kind?: unknown }).kind)}'`);
}

/** Every distinct ArrayBuffer under a result (typed arrays), for postMessage's transfer list. */
export function transferablesOf(result: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const seen = new Set<unknown>();
  const walk = (x: unknown, depth: number) => {
    if (!x || typeof x !== 'object' || seen.has(x) || depth > 6) return;
    seen.add(x);
    if (ArrayBuffer.isView(x)) {
      if (x.buffer instanceof ArrayBuffer) out.add(x.buffer);
      return;
    }
    for (const v of Array.isArray(x) ? x : Object.values(x)) walk(v, depth + 1);
  };
  walk(result, 0);
  return [...out];
}
