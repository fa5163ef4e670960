/// <reference lib="webworker" />
import { transferablesOf } from '../render/view-model';
import { DatasetHost } from './dataset-host';
import { isAbort, toWire } from './errors';
import type { ViewResult, WorkerRequest, WorkerResponse } from './protocol';

/** Dataset worker: opens datasets, reads/caches frames, builds view models and PNG bitmaps. */
const host = new DatasetHost();
const running = new Map<number, AbortController>();
const post = (msg: WorkerResponse, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

/** PNG data URI of a bitmap (Plotly's image trace takes its `source` as a data URI). */
async function encodePng(rgba: Uint8ClampedArray, w: number, h: number): Promise<string> {
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d')!;
  ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, w, h), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new FileReaderSync().readAsDataURL(blob);
}

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const m = ev.data;
  if (m.op === 'cancel') {
    running.get(m.target)?.abort();
    return;
  }
  const ctl = new AbortController();
  running.set(m.reqId, ctl);
  try {
    switch (m.op) {
      case 'open':
        post({ reqId: m.reqId, ok: true, result: await host.openSpec(m.id, m.spec) });
        break;
      case 'scene':
        post({ reqId: m.reqId, ok: true, result: await host.openScene(m.id, m.scene) });
        break;
      case 'view': {
        const r = await host.view(m.id, m.index, m.view, ctl.signal);
        const t = performance.now();
        const out: ViewResult = { ...r };
        if (m.encode === 'png' && r.model.rgba && r.model.width && r.model.height) {
          out.png = await encodePng(r.model.rgba, r.model.width, r.model.height);
          out.model = { ...r.model, rgba: undefined };
        }
        out.renderMs += performance.now() - t;
        if (ctl.signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
        post({ reqId: m.reqId, ok: true, result: out }, transferablesOf(out.model));
        break;
      }
      case 'prefetch':
        host.prefetch(m.id, m.indices);
        post({ reqId: m.reqId, ok: true, result: null });
        break;
      case 'nearest':
        post({ reqId: m.reqId, ok: true, result: host.source(m.id).nearestIndex(m.time) });
        break;
      case 'close':
        host.close(m.id);
        post({ reqId: m.reqId, ok: true, result: null });
        break;
      case 'config':
        host.setCacheBytes(m.cacheBytes);
        post({ reqId: m.reqId, ok: true, result: null });
        break;
    }
  } catch (e) {
    post({ reqId: m.reqId, ok: false, error: isAbort(e) ? { name: 'AbortError', message: 'aborted' } : toWire(e) });
  } finally {
    running.delete(m.reqId);
  }
};
