/// <reference lib="webworker" />
import { isAbort } from '../core/abort';
import { toWire } from '../core/errors';
import { openDataset } from '../formats/index';
import { connectSharedBlocks } from '../io/shared-blocks';
import { treeFromSpec } from '../io/spec';
import { FramePipeline } from './pipeline';
import type { DatasetOp, DatasetOps, ViewResult, WorkerRequest, WorkerResponse } from './protocol';

/**
 * Dataset worker: the typed protocol's handlers over one FramePipeline (open datasets, in-flight
 * requests, caches, prefetch, colormapped bitmaps). The page only draws.
 */
const pipeline = new FramePipeline({
  open: openDataset,
  makeBitmap: (rgba, w, h) => createImageBitmap(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, w, h)),
});
const running = new Map<number, AbortController>();
const post = (msg: WorkerResponse, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

type Handlers = {
  [K in DatasetOp]: (
    args: DatasetOps[K]['args'],
    signal: AbortSignal,
    progress: (done: number, total: number) => void,
  ) => Promise<DatasetOps[K]['result']> | DatasetOps[K]['result'];
};

/** What goes over the wire: a copy of the cached bitmap (transferred), never the raw RGBA. */
async function wire(r: ViewResult): Promise<ViewResult> {
  const { rgba: _rgba, ...model } = r.model;
  return { ...r, model, bitmap: r.bitmap ? await createImageBitmap(r.bitmap) : undefined } satisfies ViewResult;
}

const handlers: Handlers = {
  // a cancel (the page's `cancel` message for this request) aborts the listing, every read in flight
  // and the reader; a dataset already open under another id is untouched
  open: async ({ id, spec }, signal) => pipeline.openTree(id, await treeFromSpec(spec, { signal }), signal),
  scene: ({ id, scene }) => pipeline.openScene(id, scene),
  view: async ({ id, index, view }, signal) => wire(await pipeline.view(id, index, view, signal)),
  preview: async ({ id, index, view }, signal) => {
    const r = await pipeline.preview(id, index, view, signal);
    return r && wire(r);
  },
  prefetch: ({ id, indices, view, around }) => {
    pipeline.prefetch(id, indices, view, around);
    return null;
  },
  nearest: ({ id, time }) => pipeline.nearest(id, time),
  close: ({ id }) => {
    pipeline.close(id);
    return null;
  },
  statistics: async ({ id, newId, field, frames, quantity }, signal, progress) => {
    const { timeStatistics, statisticsSource } = await import('../analysis/index');
    const source = pipeline.source(id);
    const result = await timeStatistics(source, { field, frames, quantity }, { signal, onProgress: progress });
    const stats = statisticsSource(source, result, {
      field,
      frames,
      quantity,
      name: `${source.name} · statistics of ${quantity ? `${field} ${quantity}` : field}`,
    });
    return pipeline.adopt(newId, stats);
  },
  profile: async ({ id, index, field, points, options }, signal) => {
    const { runAnalysisJob } = await import('../analysis/jobs');
    const read = async (i: number, s?: AbortSignal) => (await pipeline.frame(id, i, s)).frame;
    return (await runAnalysisJob(
      pipeline.source(id),
      { kind: 'line-profile', index, field, points, options },
      { signal },
      read,
    )) as DatasetOps['profile']['result'];
  },
  region: async ({ id, index, field, region, options }, signal) => {
    const { runAnalysisJob } = await import('../analysis/jobs');
    const read = async (i: number, s?: AbortSignal) => (await pipeline.frame(id, i, s)).frame;
    return (await runAnalysisJob(
      pipeline.source(id),
      { kind: 'region-stats', index, field, region, options },
      { signal },
      read,
    )) as DatasetOps['region']['result'];
  },
  regionSeries: async ({ id, field, region, frames, options }, signal, progress) => {
    const { regionSeries } = await import('../analysis/region');
    return regionSeries(pipeline.source(id), { field, region, frames, ...options }, { signal, onProgress: progress });
  },
  pointHistory: async (args, signal, progress) => {
    const { pointHistory } = await import('../analysis/profile');
    const { id, ...req } = args;
    return pointHistory(pipeline.source(id), req, { signal, onProgress: progress });
  },
  frames: async ({ id, indices }, signal) => {
    const { id: _id, openMs: _ms, ...summary } = pipeline.summaryOf(id);
    const frames = [];
    for (const i of indices) frames.push((await pipeline.frame(id, i, signal)).frame);
    return { summary, frames };
  },
  config: ({ cacheBytes }) => {
    pipeline.setCacheBytes(cacheBytes);
    return null;
  },
};

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const m = ev.data;
  if (m.op === 'cancel') {
    running.get(m.target)?.abort();
    return;
  }
  if (m.op === 'io') {
    connectSharedBlocks(m.port);
    return;
  }
  const ctl = new AbortController();
  running.set(m.reqId, ctl);
  try {
    const handler = handlers[m.op] as (a: unknown, s: AbortSignal, p: (d: number, t: number) => void) => unknown;
    let last = 0;
    const progress = (done: number, total: number) => {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      post({ reqId: m.reqId, progress: [done, total] });
    };
    const result = await handler(m.args, ctl.signal, progress);
    const bitmap = (result as ViewResult | null)?.bitmap;
    post({ reqId: m.reqId, ok: true, result }, bitmap ? [bitmap] : []);
  } catch (e) {
    post({ reqId: m.reqId, ok: false, error: isAbort(e) ? { name: 'AbortError', message: 'aborted' } : toWire(e) });
  } finally {
    running.delete(m.reqId);
  }
};
