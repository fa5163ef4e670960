import type { FrameSource } from '../core/types';
import type { WireError } from '../core/errors';
import type { TreeSpec } from '../io/spec';
import type { ViewModel, ViewRequest } from '../render/view-model';

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

export type WorkerRequest =
  | { op: 'open'; reqId: number; id: string; spec: TreeSpec }
  | { op: 'scene'; reqId: number; id: string; scene: number }
  | { op: 'view'; reqId: number; id: string; index: number; view: ViewRequest; encode: 'bitmap' | 'png' }
  | { op: 'prefetch'; reqId: number; id: string; indices: number[]; view?: ViewRequest }
  | { op: 'nearest'; reqId: number; id: string; time: number }
  | { op: 'close'; reqId: number; id: string }
  | { op: 'cancel'; reqId: number; target: number }
  | { op: 'config'; reqId: number; cacheBytes: number };

export interface ViewResult {
  model: ViewModel;
  /** the colormapped frame, drawn at once beneath the plot's axes (encode 'bitmap') */
  bitmap?: ImageBitmap;
  /** PNG data URI of the same bitmap, for Plotly's image trace once the view settles (encode 'png') */
  png?: string;
  attributes: Record<string, unknown>;
  cached: boolean;
  readMs: number;
  renderMs: number;
}

export type { WireError };

export type WorkerResponse =
  | { reqId: number; ok: true; result: unknown }
  | { reqId: number; ok: false; error: WireError };
