import { throwIfAborted } from '../core/abort';
import { fromWire } from '../core/errors';
import type { TreeSpec } from '../io/spec';
import type { ViewRequest } from '../render/view-model';
import type { DatasetOp, DatasetOps, DatasetSummary, ViewResult, WorkerRequest, WorkerResponse } from './protocol';

type Pending = { resolve(v: unknown): void; reject(e: Error): void; progress?(done: number, total: number): void };

/** Formats whose frames are decoded in parallel by the whole worker pool. */
const POOLED_FORMATS = new Set(['phiflow', 'davis']);

/**
 * Datasets whose frames are decoded independently in TypeScript or by the browser's image decoders
 * spread over the pool: PhiFlow, DaVis, and imgstores of images or MJPEG (each frame its own JPEG).
 * Other video formats stay on one worker: ffmpeg.wasm would load a core per worker, and a long-GOP
 * H.264 store would decode the same GOPs once per worker.
 */
function pooled(summary: DatasetSummary): boolean {
  if (POOLED_FORMATS.has(summary.format)) return true;
  if (summary.format !== 'imgstore') return false;
  const m = summary.metadata;
  return m.class === 'DirectoryImgStore' || /^mjpeg/i.test(String(m.store_format ?? ''));
}

/** One dataset worker and its pending requests. */
class WorkerHandle {
  readonly worker: Worker;
  private next = 1;
  private pending = new Map<number, Pending>();
  /** datasets this worker is opening or has open (the latest open/scene request) */
  readonly ready = new Map<string, Promise<DatasetSummary>>();
  /** datasets whose latest open/scene request has finished here */
  readonly opened = new Set<string>();

  constructor(k: number) {
    this.worker = new Worker(new URL('./dataset-worker.ts', import.meta.url), { type: 'module', name: `framescope-datasets-${k}` });
    this.worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      const msg = ev.data;
      const p = this.pending.get(msg.reqId);
      if (!p) return;
      if ('progress' in msg) return p.progress?.(msg.progress[0], msg.progress[1]);
      this.pending.delete(msg.reqId);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(fromWire(msg.error));
    };
    this.worker.onerror = (ev) => {
      for (const p of this.pending.values()) p.reject(new Error(`dataset worker failed: ${ev.message}`));
      this.pending.clear();
    };
  }

  /** Send one typed operation; the promise has that operation's result type. */
  call<K extends DatasetOp>(
    op: K,
    args: DatasetOps[K]['args'],
    progress?: (done: number, total: number) => void,
  ): { reqId: number; promise: Promise<DatasetOps[K]['result']> } {
    const reqId = this.next++;
    const promise = new Promise<DatasetOps[K]['result']>((resolve, reject) => {
      this.pending.set(reqId, { resolve: resolve as (v: unknown) => void, reject, progress });
    });
    this.worker.postMessage({ op, reqId, args } as WorkerRequest);
    return { reqId, promise };
  }

  /** Connect this worker to the IO worker (its remote reads then share one block cache). */
  connectIo(io: Worker): void {
    const ch = new MessageChannel();
    io.postMessage({ port: ch.port1 }, [ch.port1]);
    this.worker.postMessage({ op: 'io', reqId: 0, port: ch.port2 } satisfies WorkerRequest, [ch.port2]);
  }

  cancel(target: number): void {
    this.worker.postMessage({ op: 'cancel', reqId: 0, target } satisfies WorkerRequest);
  }
}

/**
 * Main-thread handle of the dataset workers: typed requests, each cancellable. Frames are spread
 * over a small pool (frame i → worker i mod n) so decoding and colormapping run on several cores
 * during playback; the first worker answers at once, the others open the dataset in the background.
 */
export class DatasetClient {
  private pool: WorkerHandle[];
  private io: Worker | null = null;

  /** `opts.sharedIo: false` gives every worker its own block cache and host limit (the bench's "before") */
  constructor(size = Math.max(1, Math.min(4, typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2)), opts: { sharedIo?: boolean } = {}) {
    this.pool = Array.from({ length: size }, (_, k) => new WorkerHandle(k));
    // one IO worker fetches remote bytes for all of them: the same block is fetched once per page
    if (opts.sharedIo !== false) {
      this.io = new Worker(new URL('./io-worker.ts', import.meta.url), { type: 'module', name: 'framescope-io' });
      for (const w of this.pool) w.connectIo(this.io);
    }
    const share = Math.floor((256 * 1024 * 1024) / size);
    for (const w of this.pool) void w.call('config', { cacheBytes: share }).promise;
  }

  /** The worker for frame `index`: its own share of the pool once it has the dataset open. */
  private workerFor(id: string, index: number): WorkerHandle {
    const w = this.pool[index % this.pool.length];
    return w.opened.has(id) ? w : this.pool[0];
  }

  private openOn(w: WorkerHandle, id: string, p: Promise<DatasetSummary>): Promise<DatasetSummary> {
    w.ready.set(id, p);
    w.opened.delete(id);
    p.then(
      () => w.ready.get(id) === p && w.opened.add(id),
      () => w.ready.get(id) === p && w.ready.delete(id),
    );
    return p;
  }

  /**
   * Open a tree as dataset `id`. Aborting `signal` sends the worker a `cancel` for the request: the
   * listing, its reads in flight and the reader stop, the promise rejects with an AbortError, and
   * nothing is kept (datasets already open stay as they are).
   */
  async open(id: string, spec: TreeSpec, opts: { signal?: AbortSignal } = {}): Promise<DatasetSummary> {
    const { signal } = opts;
    throwIfAborted(signal);
    const w0 = this.pool[0];
    const { reqId, promise } = w0.call('open', { id, spec });
    const onAbort = () => w0.cancel(reqId);
    signal?.addEventListener('abort', onAbort, { once: true });
    let summary: DatasetSummary;
    try {
      summary = await this.openOn(w0, id, promise);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted) {
      // the answer crossed the cancel: drop what the worker opened
      this.close(id);
      throwIfAborted(signal);
    }
    // Only independently decoded frames spread over the pool (see `pooled`).
    if (pooled(summary)) for (const w of this.pool.slice(1)) void this.openOn(w, id, w.call('open', { id, spec }).promise).catch(() => undefined);
    return summary;
  }

  async scene(id: string, scene: number): Promise<DatasetSummary> {
    const summary = await this.openOn(this.pool[0], id, this.pool[0].call('scene', { id, scene }).promise);
    for (const w of this.pool.slice(1))
      if (w.ready.has(id))
        void w.ready
          .get(id)!
          .then(() => this.openOn(w, id, w.call('scene', { id, scene }).promise))
          .catch(() => undefined);
    return summary;
  }

  /** Request a frame's view; `cancel()` aborts it in the worker (a stale scrub position). */
  view(id: string, index: number, view: ViewRequest): { promise: Promise<ViewResult>; cancel(): void } {
    // a difference needs both datasets in one worker: the first one opens every dataset
    const ref = view.reference?.id;
    const w0 = this.workerFor(id, index);
    const w = ref && !w0.opened.has(ref) ? this.pool[0] : w0;
    const { reqId, promise } = w.call('view', { id, index, view });
    return { promise, cancel: () => w.cancel(reqId) };
  }

  /**
   * Scrubbing: a frame near `index` the worker that shows it has at once (null: wait for `view`).
   * The result's `model.info.index` says which frame it is.
   */
  preview(id: string, index: number, view: ViewRequest): { promise: Promise<ViewResult | null>; cancel(): void } {
    const w = this.workerFor(id, index);
    const { reqId, promise } = w.call('preview', { id, index, view });
    return { promise, cancel: () => w.cancel(reqId) };
  }

  /**
   * Decode (and, given the view, render) these frames ahead, each on the worker that will show it;
   * `around`: a paused frame, around which its worker's source then decodes on in the background.
   */
  prefetch(id: string, indices: number[], view?: ViewRequest, around?: number): void {
    const lists = new Map<WorkerHandle, number[]>(this.pool.map((w) => [w, []]));
    for (const i of indices) lists.get(this.workerFor(id, i))!.push(i);
    const home = around === undefined ? null : this.workerFor(id, around);
    // every worker gets its list, an empty one too: a new list replaces (stops) the old one
    for (const [w, list] of lists) void w.call('prefetch', { id, indices: list, view, ...(w === home && { around }) }).promise.catch(() => undefined);
  }

  /**
   * Time statistics of a field over frames (in the first worker, which has every dataset), held there
   * as the new dataset `newId`; cancellable, with progress.
   */
  statistics(args: DatasetOps['statistics']['args'], onProgress: (done: number, total: number) => void): { promise: Promise<DatasetSummary>; cancel(): void } {
    const w = this.pool[0];
    const { reqId, promise } = w.call('statistics', args, onProgress);
    const out = promise.then((summary) => {
      w.opened.add(args.newId);
      return summary;
    });
    return { promise: out, cancel: () => w.cancel(reqId) };
  }

  /**
   * A probe computation (line profile, ROI statistics, ROI series, point history; the frames of a
   * computed dataset): single-frame ones on the worker that shows that frame (its cache has it),
   * series on the pool's last worker that has the dataset, so the shown frames keep coming from the
   * others while it runs. Cancellable, with progress for the series.
   */
  analysis<K extends 'profile' | 'region' | 'regionSeries' | 'pointHistory' | 'frames'>(
    op: K,
    args: DatasetOps[K]['args'],
    progress?: (done: number, total: number) => void,
  ): { promise: Promise<DatasetOps[K]['result']>; cancel(): void } {
    const id = args.id;
    let w: WorkerHandle;
    if ('index' in args && typeof args.index === 'number') w = this.workerFor(id, args.index);
    else w = [...this.pool].reverse().find((x) => x.opened.has(id)) ?? this.pool[0];
    const { reqId, promise } = w.call(op, args, progress);
    return { promise, cancel: () => w.cancel(reqId) };
  }

  /** The reader's own nearest-frame-to-time rule (imgstore's get_nearest_image semantics, etc.). */
  nearest(id: string, time: number): Promise<number> {
    return this.pool[0].call('nearest', { id, time }).promise;
  }

  close(id: string): void {
    for (const w of this.pool) {
      w.ready.delete(id);
      w.opened.delete(id);
      void w.call('close', { id }).promise.catch(() => undefined);
    }
  }
}
