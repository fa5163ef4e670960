import type { ExportOutput, ExportStage } from '../export/job';
import type { ExportPreview } from '../export/preview';
import { fromWire } from './errors';
import type { CompareRequest, ExportMessage, ExportRequest } from './export-protocol';

const newWorker = (name: string) => new Worker(new URL('./export-worker.ts', import.meta.url), { type: 'module', name });

function abortError(): Error {
  const e = new Error('export cancelled');
  e.name = 'AbortError';
  return e;
}

/** Run one export in its own worker; the UI stays responsive and can cancel. */
export function runExport(
  req: Omit<ExportRequest, 'op'> | (Omit<CompareRequest, 'op'> & { compare: true }),
  onProgress: (done: number, total: number, stage: ExportStage) => void,
): { promise: Promise<ExportOutput[]>; cancel(): void } {
  const worker = newWorker('framescope-export');
  let rejectFn: (e: Error) => void = () => undefined;
  const promise = new Promise<ExportOutput[]>((resolve, reject) => {
    rejectFn = reject;
    worker.onmessage = (ev: MessageEvent<ExportMessage>) => {
      const m = ev.data;
      if (m.type === 'progress') onProgress(m.done, m.total, m.stage);
      else if (m.type === 'done') {
        resolve(m.files);
        worker.terminate();
      } else if (m.type === 'error') {
        reject(fromWire(m.error));
        worker.terminate();
      }
    };
    worker.onerror = (ev) => {
      reject(new Error(`export worker failed: ${ev.message}`));
      worker.terminate();
    };
  });
  if ('compare' in req) worker.postMessage({ datasets: req.datasets, job: req.job, op: 'compare' } satisfies CompareRequest);
  else worker.postMessage({ ...req, op: 'run' } satisfies ExportRequest);
  return {
    promise,
    cancel: () => {
      worker.postMessage({ op: 'cancel' });
      setTimeout(() => {
        worker.terminate();
        rejectFn(abortError());
      }, 1500);
    },
  };
}

let previewWorker: Worker | null = null;
let pending: { resolve(p: ExportPreview): void; reject(e: Error): void } | null = null;

/**
 * The first output frame of a rendered job, drawn in one long-lived worker that keeps the dataset
 * open between previews. A newer preview supersedes (and cancels) the one still running.
 */
export function previewExport(req: Omit<ExportRequest, 'op'>): Promise<ExportPreview> {
  if (!previewWorker) {
    previewWorker = newWorker('framescope-export-preview');
    previewWorker.onmessage = (ev: MessageEvent<ExportMessage>) => {
      const m = ev.data;
      const p = pending;
      if (!p) return;
      if (m.type === 'preview') {
        pending = null;
        p.resolve(m.preview);
      } else if (m.type === 'error') {
        pending = null;
        p.reject(fromWire(m.error));
      }
    };
    previewWorker.onerror = (ev) => {
      pending?.reject(new Error(`export preview worker failed: ${ev.message}`));
      pending = null;
      previewWorker?.terminate();
      previewWorker = null;
    };
  }
  pending?.reject(abortError());
  return new Promise<ExportPreview>((resolve, reject) => {
    pending = { resolve, reject };
    previewWorker!.postMessage({ ...req, op: 'preview' } satisfies ExportRequest);
  });
}

/** The first frame of a comparison export, drawn in its own short-lived worker (a newer one supersedes). */
let comparePreview: Worker | null = null;
export function previewComparisonExport(req: Omit<CompareRequest, 'op'>): Promise<{ png: Uint8Array; width: number; height: number }> {
  comparePreview?.terminate();
  const worker = newWorker('framescope-compare-preview');
  comparePreview = worker;
  return new Promise((resolve, reject) => {
    worker.onmessage = (ev: MessageEvent<ExportMessage>) => {
      const m = ev.data;
      if (m.type === 'compare-preview') resolve(m);
      else if (m.type === 'error') reject(fromWire(m.error));
      else return;
      worker.terminate();
      if (comparePreview === worker) comparePreview = null;
    };
    worker.onerror = (ev) => {
      reject(new Error(`comparison preview worker failed: ${ev.message}`));
      worker.terminate();
    };
    worker.postMessage({ ...req, op: 'compare-preview' } satisfies CompareRequest);
  });
}
