import type { TreeSpec } from '../io/spec';
import type { ViewRequest } from '../render/view-model';
import { fromWire } from './errors';
import type { DatasetSummary, ExportMessage, ExportRequest, ViewResult, WorkerRequest, WorkerResponse } from './protocol';

type Pending = { resolve(v: unknown): void; reject(e: Error): void };
type Body<T> = T extends unknown ? Omit<T, 'reqId'> : never;

/** Main-thread handle of the dataset worker: typed requests, each cancellable. */
export class DatasetClient {
  private worker: Worker;
  private next = 1;
  private pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL('./dataset-worker.ts', import.meta.url), { type: 'module', name: 'framescope-datasets' });
    this.worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      const p = this.pending.get(ev.data.reqId);
      if (!p) return;
      this.pending.delete(ev.data.reqId);
      if (ev.data.ok) p.resolve(ev.data.result);
      else p.reject(fromWire(ev.data.error));
    };
    this.worker.onerror = (ev) => {
      for (const p of this.pending.values()) p.reject(new Error(`dataset worker failed: ${ev.message}`));
      this.pending.clear();
    };
  }

  private call<T>(msg: Body<WorkerRequest>, transfer: Transferable[] = []): { reqId: number; promise: Promise<T> } {
    const reqId = this.next++;
    const promise = new Promise<T>((resolve, reject) => {
      this.pending.set(reqId, { resolve: resolve as (v: unknown) => void, reject });
    });
    this.worker.postMessage({ ...msg, reqId }, transfer);
    return { reqId, promise };
  }

  open(id: string, spec: TreeSpec): Promise<DatasetSummary> {
    return this.call<DatasetSummary>({ op: 'open', id, spec }).promise;
  }

  scene(id: string, scene: number): Promise<DatasetSummary> {
    return this.call<DatasetSummary>({ op: 'scene', id, scene }).promise;
  }

  /** Request a frame's view; `cancel()` aborts it in the worker (a stale scrub position). */
  view(id: string, index: number, view: ViewRequest): { promise: Promise<ViewResult>; cancel(): void } {
    const { reqId, promise } = this.call<ViewResult>({ op: 'view', id, index, view, encode: 'png' });
    return {
      promise,
      cancel: () => {
        this.worker.postMessage({ op: 'cancel', reqId: this.next++, target: reqId } satisfies WorkerRequest);
      },
    };
  }

  prefetch(id: string, indices: number[]): void {
    void this.call({ op: 'prefetch', id, indices }).promise.catch(() => undefined);
  }

  /** The reader's own nearest-frame-to-time rule (imgstore's get_nearest_image semantics, etc.). */
  nearest(id: string, time: number): Promise<number> {
    return this.call<number>({ op: 'nearest', id, time }).promise;
  }

  close(id: string): void {
    void this.call({ op: 'close', id }).promise.catch(() => undefined);
  }
}

/** Run one export in its own worker; the UI stays responsive and can cancel. */
export function runExport(
  req: ExportRequest,
  onProgress: (done: number, total: number) => void,
): { promise: Promise<{ path: string; bytes: Uint8Array }[]>; cancel(): void } {
  const worker = new Worker(new URL('./export-worker.ts', import.meta.url), { type: 'module', name: 'framescope-export' });
  let rejectFn: (e: Error) => void = () => undefined;
  const promise = new Promise<{ path: string; bytes: Uint8Array }[]>((resolve, reject) => {
    rejectFn = reject;
    worker.onmessage = (ev: MessageEvent<ExportMessage>) => {
      const m = ev.data;
      if (m.type === 'progress') onProgress(m.done, m.total);
      else if (m.type === 'done') {
        resolve(m.files);
        worker.terminate();
      } else {
        reject(fromWire(m.error));
        worker.terminate();
      }
    };
    worker.onerror = (ev) => {
      reject(new Error(`export worker failed: ${ev.message}`));
      worker.terminate();
    };
  });
  worker.postMessage(req);
  return {
    promise,
    cancel: () => {
      worker.postMessage({ cancel: true });
      setTimeout(() => {
        worker.terminate();
        const e = new Error('export cancelled');
        e.name = 'AbortError';
        rejectFn(e);
      }, 1500);
    },
  };
}
