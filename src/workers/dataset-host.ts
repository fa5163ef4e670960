import { openDataset } from '../formats/index';
import type { Frame, FrameSource } from '../core/types';
import { treeFromSpec, type TreeSpec } from '../io/spec';
import { FrameCache } from '../render/frame-cache';
import { buildViewModel, type ViewRequest } from '../render/view-model';
import { abortError, isAbort } from './errors';
import type { DatasetSummary, ViewResult } from './protocol';

interface Open {
  root: FrameSource;
  source: FrameSource;
  scene: number;
  cache: FrameCache;
  inflight: Map<number, { promise: Promise<Frame>; ctl: AbortController; waiters: number }>;
  prefetchCtl: AbortController | null;
}

const now = () => performance.now();

/**
 * Holds the open datasets of one worker: frame reads with de-duplication, a byte-bounded cache,
 * cancellation and prefetch, and the view models built from frames. Runs in the dataset worker
 * (and can run in a page for tests).
 */
export class DatasetHost {
  private open = new Map<string, Open>();
  constructor(private cacheBytes = 256 * 1024 * 1024) {}

  setCacheBytes(n: number): void {
    this.cacheBytes = n;
    for (const o of this.open.values()) o.cache.maxBytes = n;
  }

  async openSpec(id: string, spec: TreeSpec): Promise<DatasetSummary> {
    const t0 = now();
    const source = await openDataset(await treeFromSpec(spec));
    const o: Open = { root: source, source, scene: 0, cache: new FrameCache(this.cacheBytes), inflight: new Map(), prefetchCtl: null };
    this.close(id);
    this.open.set(id, o);
    return this.summary(id, o, now() - t0);
  }

  async openScene(id: string, scene: number): Promise<DatasetSummary> {
    const o = this.get(id);
    const t0 = now();
    const scenes = o.root.scenes ?? [];
    if (scene < 0 || scene >= Math.max(1, scenes.length)) throw new Error(`no scene ${scene}`);
    const src = scenes.length ? await scenes[scene].open() : o.root;
    if (o.source !== o.root) o.source.close();
    o.source = src;
    o.scene = scene;
    o.cache.clear();
    o.inflight.clear();
    return this.summary(id, o, now() - t0);
  }

  private summary(id: string, o: Open, openMs: number): DatasetSummary {
    const s = o.source;
    return {
      id,
      format: s.format,
      name: s.name,
      frames: s.frames,
      fields: s.fields,
      metadata: s.metadata,
      timeUnit: s.timeUnit,
      documents: s.documents ?? [],
      series: s.series ?? [],
      warnings: s.warnings ?? [],
      scenes: (o.root.scenes ?? []).map((x) => x.name),
      sceneIndex: o.scene,
      openMs,
    };
  }

  private get(id: string): Open {
    const o = this.open.get(id);
    if (!o) throw new Error(`dataset ${id} is not open`);
    return o;
  }

  /** Read a frame through the cache; concurrent requests for the same frame share one read. */
  async frame(id: string, index: number, signal?: AbortSignal): Promise<{ frame: Frame; cached: boolean }> {
    const o = this.get(id);
    if (index < 0 || index >= o.source.frames.length) throw new Error(`frame index ${index} out of range 0..${o.source.frames.length - 1}`);
    const hit = o.cache.get(index);
    if (hit) return { frame: hit, cached: true };
    let entry = o.inflight.get(index);
    if (!entry) {
      const ctl = new AbortController();
      const promise = o.source.readFrame(index, { signal: ctl.signal }).then((f) => {
        o.cache.set(index, f);
        return f;
      });
      entry = { promise, ctl, waiters: 0 };
      o.inflight.set(index, entry);
      const e = entry;
      promise.then(
        () => o.inflight.get(index) === e && o.inflight.delete(index),
        () => o.inflight.get(index) === e && o.inflight.delete(index),
      );
    }
    const e = entry;
    e.waiters++;
    try {
      const frame = await new Promise<Frame>((resolve, reject) => {
        const onAbort = () => reject(abortError());
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        e.promise.then(resolve, reject).finally(() => signal?.removeEventListener('abort', onAbort));
      });
      return { frame, cached: false };
    } finally {
      e.waiters--;
      // Nobody wants this frame any more: stop decoding it (stale scrub request).
      if (e.waiters === 0 && signal?.aborted && o.inflight.get(index) === e) {
        e.ctl.abort();
        o.inflight.delete(index);
      }
    }
  }

  async view(id: string, index: number, req: ViewRequest, signal?: AbortSignal): Promise<Omit<ViewResult, 'png'>> {
    const t0 = now();
    const { frame, cached } = await this.frame(id, index, signal);
    const t1 = now();
    if (signal?.aborted) throw abortError();
    const model = buildViewModel(frame, req);
    return { model, attributes: frame.attributes, cached, readMs: t1 - t0, renderMs: now() - t1 };
  }

  /** Decode ahead (playback): cancels the previous prefetch list; errors are ignored. */
  prefetch(id: string, indices: number[]): void {
    const o = this.open.get(id);
    if (!o) return;
    o.prefetchCtl?.abort();
    const ctl = new AbortController();
    o.prefetchCtl = ctl;
    void (async () => {
      for (const i of indices) {
        if (ctl.signal.aborted) return;
        if (i < 0 || i >= o.source.frames.length || o.cache.has(i)) continue;
        try {
          await this.frame(id, i, ctl.signal);
        } catch (e) {
          if (isAbort(e)) return;
        }
      }
    })();
  }

  /** The open FrameSource (used by the export worker path and tests). */
  source(id: string): FrameSource {
    return this.get(id).source;
  }

  close(id: string): void {
    const o = this.open.get(id);
    if (!o) return;
    o.prefetchCtl?.abort();
    for (const e of o.inflight.values()) e.ctl.abort();
    if (o.source !== o.root) o.source.close();
    o.root.close();
    o.cache.clear();
    this.open.delete(id);
  }
}
