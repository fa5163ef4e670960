/**
 * The message loop of an analysis worker, without knowing how datasets are opened (the worker file
 * passes `open`, e.g. openDataset(treeFromSpec(spec)) plus the scene): jobs run one after another
 * against a cached source per dataset id, with progress, cancel and results transferred back.
 * Long jobs (time statistics, series) therefore never block the dataset worker's rendering.
 *
 *   main → worker: { type: 'run', id, dataset, key, job }   run a job on dataset `dataset`
 *                  { type: 'cancel', id }                    abort job `id`
 *                  { type: 'close', dataset }                forget the cached source
 *   worker → main: { type: 'progress', id, done, total }
 *                  { type: 'done', id, result }              (typed arrays transferred)
 *                  { type: 'error', id, error }              (core's wire form: fromWire(error))
 */
import { isAbort } from '../core/abort';
import { toWire, type WireError } from '../core/errors';
import type { FrameSource } from '../core/types';
import { runAnalysisJob, transferablesOf, type AnalysisJob } from './jobs';

export type AnalysisRequest<D = unknown> =
  /** `dataset` is what `open` needs (e.g. { spec, scene }); `key` identifies it for the cache */
  { type: 'run'; id: number; key: string; dataset: D; job: AnalysisJob } | { type: 'cancel'; id: number } | { type: 'close'; key: string };

export type AnalysisMessage =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'error'; id: number; error: WireError };

export interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => unknown) | null;
}

/** Progress messages at most every `progressMs` (the last one always). */
export function serveAnalysis<D>(scope: WorkerScope, open: (dataset: D) => Promise<FrameSource>, opts: { progressMs?: number } = {}): void {
  const sources = new Map<string, Promise<FrameSource>>();
  const running = new Map<number, AbortController>();
  let queue: Promise<void> = Promise.resolve();
  const every = opts.progressMs ?? 100;
  const post = (m: AnalysisMessage, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

  scope.onmessage = (ev: MessageEvent<AnalysisRequest<D>>) => {
    const m = ev.data;
    if (m.type === 'cancel') {
      running.get(m.id)?.abort();
      return;
    }
    if (m.type === 'close') {
      const s = sources.get(m.key);
      sources.delete(m.key);
      void s?.then(
        (x) => x.close(),
        () => {},
      );
      return;
    }
    const ctl = new AbortController();
    running.set(m.id, ctl);
    queue = queue.then(async () => {
      try {
        let src = sources.get(m.key);
        if (!src) {
          src = open(m.dataset);
          sources.set(m.key, src);
          src.catch(() => sources.delete(m.key));
        }
        const source = await src;
        let last = 0;
        const result = await runAnalysisJob(source, m.job, {
          signal: ctl.signal,
          onProgress: (done, total) => {
            const t = Date.now();
            if (done === total || t - last >= every) {
              last = t;
              post({ type: 'progress', id: m.id, done, total });
            }
          },
        });
        post({ type: 'done', id: m.id, result }, transferablesOf(result));
      } catch (e) {
        post({ type: 'error', id: m.id, error: isAbort(e) ? { name: 'AbortError', message: 'aborted' } : toWire(e) });
      } finally {
        running.delete(m.id);
      }
    });
  };
}
