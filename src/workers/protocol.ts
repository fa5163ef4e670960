import type { WireError } from '../core/errors';
import type { FrameSource } from '../core/types';
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
  prefetch: { args: { id: string; indices: number[]; view?: ViewRequest }; result: null };
  nearest: { args: { id: string; time: number }; result: number };
  close: { args: { id: string }; result: null };
  config: { args: { cacheBytes: number }; result: null };
  /** time statistics of a field over frames, opened as a new dataset `newId` (one frame, a field per statistic) */
  statistics: { args: { id: string; newId: string; field: string; frames?: number[]; quantity?: string }; result: DatasetSummary };
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
