/// <reference lib="webworker" />
import type { ViewRequest } from '../render/view-model';
import { DatasetHost } from './dataset-host';
import { abortError, isAbort, toWire } from './errors';
import type { ViewResult, WorkerRequest, WorkerResponse } from './protocol';
import { RenderCache } from './render-cache';

/**
 * Dataset worker: opens datasets, reads and caches frames, colormaps them into bitmaps. Rendered
 * views are cached, and playback renders ahead (prefetch with a view), so the main thread only
 * draws: an ImageBitmap at once, a PNG for Plotly's image trace when the view settles.
 */
const host = new DatasetHost();
const rendered = new RenderCache();
const rendering = new Map<string, Promise<ViewResult>>();
const running = new Map<number, AbortController>();
const post = (msg: WorkerResponse, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

async function pngDataUri(rgba: Uint8ClampedArray, w: number, h: number): Promise<string> {
  const canvas = new OffscreenCanvas(w, h);
  canvas.getContext('2d')!.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, w, h), 0, 0);
  return new FileReaderSync().readAsDataURL(await canvas.convertToBlob({ type: 'image/png' }));
}

/** Render one frame's view (shared by a request and a prefetch of the same frame), through the cache. */
function renderView(id: string, index: number, view: ViewRequest, signal: AbortSignal): Promise<ViewResult> {
  const key = `${id}|${index}|${JSON.stringify(view)}`;
  const hit = rendered.get(key);
  if (hit) return Promise.resolve({ ...hit, cached: true, readMs: 0, renderMs: 0 });
  const pending = rendering.get(key);
  if (pending) return pending;
  const p = (async () => {
    const r = await host.view(id, index, view, signal);
    const t = performance.now();
    const out: ViewResult = { ...r };
    const { rgba, width, height } = r.model;
    if (rgba && width && height) out.bitmap = await createImageBitmap(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height));
    out.renderMs += performance.now() - t;
    rendered.set(key, out);
    return out;
  })();
  rendering.set(key, p);
  p.then(
    () => rendering.delete(key),
    () => rendering.delete(key),
  );
  return p;
}

/** What goes over the wire: the bitmap (cloned, the cache keeps it) or the PNG, never the raw RGBA. */
async function reply(id: string, index: number, view: ViewRequest, r: ViewResult, encode: 'bitmap' | 'png'): Promise<ViewResult> {
  const { rgba, ...model } = r.model;
  // a copy of the cached bitmap, transferred (not serialised) to the page
  if (encode === 'bitmap') return { ...r, png: undefined, model, bitmap: r.bitmap ? await createImageBitmap(r.bitmap) : undefined };
  if (!r.png && rgba && model.width && model.height) {
    r.png = await pngDataUri(rgba, model.width, model.height);
    rendered.set(`${id}|${index}|${JSON.stringify(view)}`, r);
  }
  return { ...r, bitmap: undefined, model };
}

/**
 * Render ahead. A new list replaces the old one, but the frame being rendered is finished rather
 * than aborted (during playback each frame change sends a new list that mostly overlaps the last).
 */
let ahead: { id: string; indices: number[]; view: ViewRequest } | null = null;
let aheadRunning = false;
const keep = new AbortController().signal;

function prefetch(id: string, indices: number[], view?: ViewRequest): void {
  if (!view) {
    ahead = null;
    return host.prefetch(id, indices);
  }
  ahead = { id, indices: [...indices], view };
  if (aheadRunning) return;
  aheadRunning = true;
  void (async () => {
    try {
      while (ahead && ahead.indices.length) {
        const { id: dsId, view: v } = ahead;
        const i = ahead.indices.shift()!;
        try {
          await renderView(dsId, i, v, keep);
        } catch {
          /* a frame that fails to read is reported when it is asked for */
        }
      }
    } finally {
      aheadRunning = false;
    }
  })();
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
        rendered.dropPrefix(`${m.id}|`);
        post({ reqId: m.reqId, ok: true, result: await host.openSpec(m.id, m.spec) });
        break;
      case 'scene':
        rendered.dropPrefix(`${m.id}|`);
        post({ reqId: m.reqId, ok: true, result: await host.openScene(m.id, m.scene) });
        break;
      case 'view': {
        const signal = ctl.signal;
        const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(abortError()), { once: true }));
        for (let attempt = 0; ; attempt++) {
          try {
            const r = await Promise.race([renderView(m.id, m.index, m.view, signal), aborted]);
            const out = await reply(m.id, m.index, m.view, r, m.encode);
            post({ reqId: m.reqId, ok: true, result: out }, out.bitmap ? [out.bitmap] : []);
            break;
          } catch (e) {
            // the shared render belonged to a prefetch that was cancelled: render again for this request
            if (!isAbort(e) || signal.aborted || attempt >= 2) throw e;
          }
        }
        break;
      }
      case 'prefetch':
        prefetch(m.id, m.indices, m.view);
        post({ reqId: m.reqId, ok: true, result: null });
        break;
      case 'nearest':
        post({ reqId: m.reqId, ok: true, result: host.source(m.id).nearestIndex(m.time) });
        break;
      case 'close':
        if (ahead?.id === m.id) ahead = null;
        rendered.dropPrefix(`${m.id}|`);
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
