import type { LineProfile, PointHistory, ProfileOptions } from '../analysis/profile';
import type { Point, Region, RegionOptions, RegionSeries, RegionStats } from '../analysis/region';
import type { SmoothOptions } from '../analysis/smooth';
import type { WireError } from '../core/errors';
import type { Frame, FrameSource } from '../core/types';
import type { TreeSpec } from '../io/spec';
import type { ViewModel, ViewRequest } from '../render/view-model';

export type { WireError };

/** What the UI knows about an open dataset (everything but the frames' data). */
export interface DatasetSummary
  extends Pick<FrameSource, 'format' | 'name' | 'frames' | 'fields' | 'metadata' | 'timeUnit'>,
    Required<Pick<FrameSource, 'documents' | 'series' | 'warnings'>> {
  id: string;
  scenes: string[];
  sceneIndex: number;
  /** milliseconds spent opening (sniff + reader) */
  openMs: number;
}

export interface ViewResult {
  model: ViewModel;
  /** the colormapped frame, drawn at once beneath the plot's axes */
  bitmap?: ImageBitmap;
  attributes: Record<string, unknown>;
  cached: boolean;
  readMs: number;
  renderMs: number;
}

/**
 * The dataset workers' protocol: one entry per operation, its arguments and its result. The client
 * (`client.ts`) and the worker (`dataset-worker.ts`) are both typed by this map, so a request and its
 * answer cannot drift apart.
 */
export interface DatasetOps {
  open: { args: { id: string; spec: TreeSpec }; result: DatasetSummary };
  scene: { args: { id: string; scene: number }; result: DatasetSummary };
  view: { args: { id: string; index: number; view: ViewRequest }; result: ViewResult };
  /** scrubbing: a frame near `index` the source has at once (FramePipeline.preview), or null */
  preview: { args: { id: string; index: number; view: ViewRequest }; result: ViewResult | null };
  /** work ahead; `around`: then decode on around that paused frame in the background (FrameSource.warm) */
  prefetch: { args: { id: string; indices: number[]; view?: ViewRequest; around?: number }; result: null };
  nearest: { args: { id: string; time: number }; result: number };
  close: { args: { id: string }; result: null };
  config: { args: { cacheBytes: number }; result: null };
  /** time statistics of a field over frames, opened as a new dataset `newId` (one frame, a field per statistic) */
  statistics: { args: { id: string; newId: string; field: string; frames?: number[]; quantity?: string }; result: DatasetSummary };
  /** probes (src/analysis): a line profile of one frame's field (bilinear, masked samples NaN) */
  profile: { args: { id: string; index: number; field: string; points: Point[]; options?: ProfileOptions }; result: LineProfile };
  /** ROI statistics of one frame's field */
  region: { args: { id: string; index: number; field: string; region: Region; options?: RegionOptions }; result: RegionStats };
  /** ROI statistics of every frame (streamed, progress, cancellable) */
  regionSeries: { args: { id: string; field: string; region: Region; frames?: number[]; options?: RegionOptions }; result: RegionSeries };
  /** the value at a point over every frame (streamed, progress, cancellable) */
  pointHistory: {
    args: { id: string; field: string; point: Point; frames?: number[]; quantity?: string; plane?: number; smooth?: SmoothOptions | null };
    result: PointHistory;
  };
  /** decoded frames as they are (the export worker gets a computed dataset's frames this way) */
  frames: { args: { id: string; indices: number[] }; result: { summary: Omit<DatasetSummary, 'id' | 'openMs'>; frames: Frame[] } };
}
export type DatasetOp = keyof DatasetOps;

/** Page → worker: an operation, the cancellation of an earlier request, or the IO worker's port. */
export type WorkerRequest =
  | { [K in DatasetOp]: { op: K; reqId: number; args: DatasetOps[K]['args'] } }[DatasetOp]
  | { op: 'cancel'; reqId: number; target: number }
  /** the worker's end of a MessagePort to the page's IO worker (shared block cache and host limit) */
  | { op: 'io'; reqId: number; port: MessagePort };

/** Worker → page: the answer to request `reqId`, or progress of a long one. */
export type WorkerResponse =
  | { reqId: number; ok: true; result: unknown }
  | { reqId: number; ok: false; error: WireError }
  | { reqId: number; progress: [number, number] };
