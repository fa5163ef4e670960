import { abortError, isAbort, throwIfAborted } from '../core/abort';
import { ByteLru } from '../core/byte-lru';
import type { FieldData, Frame, FrameSource, SourceTree } from '../core/types';
import { frameBytes } from '../render/frame-cache';
import { deriveField } from '../analysis/derive';
import { differenceField } from '../analysis/difference';
import { buildViewModel, type ViewRequest } from '../render/view-model';
import type { DatasetSummary, ViewResult } from './protocol';
import { RenderCache } from './render-cache';

interface OpenDataset {
  root: FrameSource;
  source: FrameSource;
  scene: number;
  /** bumped on every (re)open or scene switch: keys of older work never reach the caches */
  generation: number;
}

/** One piece of work shared by everyone who wants it; aborted when the last one stops wanting it. */
interface Job<T> {
  promise: Promise<T>;
  ctl: AbortController;
  waiters: number;
  settled: boolean;
}

export interface PipelineOptions {
  /** opens a tree (the format registry in the app; a fake in tests) */
  open(tree: SourceTree): Promise<FrameSource>;
  /** RGBA → ImageBitmap (the worker); absent in Node tests: views then carry no bitmap */
  makeBitmap?(rgba: Uint8ClampedArray, width: number, height: number): Promise<ImageBitmap>;
  frameCacheBytes?: number;
  renderCacheBytes?: number;
}

const now = () => performance.now();

/**
 * The worker's one layer for frames: open datasets, in-flight requests (shared, reference-counted,
 * cancelled when nobody waits any more), the decoded-frame cache, the rendered-view cache and the one
 * prefetch queue. Every frame of the page is requested, cached, decoded and rendered here.
 */
export class FramePipeline {
  private datasets = new Map<string, OpenDataset>();
  private frames: ByteLru<string, Frame>;
  private views: RenderCache;
  private jobs = new Map<string, Job<unknown>>();
  private generation = 0;
  private ahead: { id: string; indices: number[]; view?: ViewRequest; around?: number } | null = null;
  private warmCtl: AbortController | null = null;
  private aheadRunning = false;
  private aheadCtl = new AbortController();

  constructor(private readonly opts: PipelineOptions) {
    this.frames = new ByteLru<string, Frame>(opts.frameCacheBytes ?? 256 * 1024 * 1024, frameBytes);
    this.views = new RenderCache(opts.renderCacheBytes ?? 128 * 1024 * 1024);
  }

  setCacheBytes(n: number): void {
    this.frames.maxBytes = n;
  }

  /** Bytes held by the two caches (tests and the bench read them). */
  get cacheBytes(): { frames: number; views: number } {
    return { frames: this.frames.bytes, views: this.views.bytes };
  }

  async openTree(id: string, tree: SourceTree, signal?: AbortSignal): Promise<DatasetSummary> {
    const t0 = now();
    throwIfAborted(signal);
    const source = await this.opts.open(tree);
    if (signal?.aborted) {
      // cancelled while the reader finished: nothing is kept
      source.close();
      throwIfAborted(signal);
    }
    this.close(id);
    const d: OpenDataset = { root: source, source, scene: 0, generation: ++this.generation };
    this.datasets.set(id, d);
    return this.summary(id, d, now() - t0);
  }

  async openScene(id: string, scene: number): Promise<DatasetSummary> {
    const d = this.get(id);
    const t0 = now();
    const scenes = d.root.scenes ?? [];
    if (scene < 0 || scene >= Math.max(1, scenes.length)) throw new Error(`no scene ${scene} in ${d.root.name}`);
    const src = scenes.length ? await scenes[scene].open() : d.root;
    this.dropWork(id);
    if (d.source !== d.root) d.source.close();
    d.source = src;
    d.scene = scene;
    d.generation = ++this.generation;
    return this.summary(id, d, now() - t0);
  }

  /** Hold a FrameSource made here (a statistics result) as a dataset, like an opened one. */
  adopt(id: string, source: FrameSource): DatasetSummary {
    this.close(id);
    const d: OpenDataset = { root: source, source, scene: 0, generation: ++this.generation };
    this.datasets.set(id, d);
    return this.summary(id, d, 0);
  }

  source(id: string): FrameSource {
    return this.get(id).source;
  }

  /** What the UI knows of an open dataset (as `open` answered). */
  summaryOf(id: string): DatasetSummary {
    return this.summary(id, this.get(id), 0);
  }

  nearest(id: string, time: number): number {
    return this.get(id).source.nearestIndex(time);
  }

  close(id: string): void {
    const d = this.datasets.get(id);
    if (!d) return;
    this.dropWork(id);
    if (this.ahead?.id === id) this.ahead = null;
    if (d.source !== d.root) d.source.close();
    d.root.close();
    this.datasets.delete(id);
  }

  /** A decoded frame, through the cache; concurrent requests share one read. */
  frame(id: string, index: number, signal?: AbortSignal): Promise<{ frame: Frame; cached: boolean }> {
    const d = this.get(id);
    const n = d.source.frames.length;
    if (!Number.isInteger(index) || index < 0 || index >= n) return Promise.reject(new Error(`frame index ${index} is outside 0…${n - 1} of ${d.source.name}`));
    const key = `${id}|${d.generation}|${index}`;
    const hit = this.frames.get(key);
    if (hit) return Promise.resolve({ frame: hit, cached: true });
    return this.share(
      `f|${key}`,
      async (s) => {
        const f = await d.source.readFrame(index, { signal: s });
        if (this.datasets.get(id)?.generation === d.generation) this.frames.set(key, f);
        return f;
      },
      signal,
    ).then((frame) => ({ frame, cached: false }));
  }

  /**
   * Scrubbing: the rendered view of a frame near `index` that the source has at once (an already
   * decoded frame or the GOP's keyframe, FrameSource.previewFrame), while `view` still decodes the
   * exact one. Null when the source has no quick path or the exact frame is already here (ask
   * `view`). `model.info.index` says which frame it is (the wanted one when the decoder had it).
   */
  async preview(id: string, index: number, req: ViewRequest, signal?: AbortSignal): Promise<ViewResult | null> {
    const d = this.get(id);
    const src = d.source;
    if (!src.previewFrame || req.reference || !Number.isInteger(index) || index < 0 || index >= src.frames.length) return null;
    const fkey = (i: number) => `${id}|${d.generation}|${i}`;
    if (this.views.has(`${fkey(index)}|${viewKey(req)}`) || this.frames.has(fkey(index))) return null;
    const f = await src.previewFrame(index, { signal });
    if (!f || signal?.aborted || this.datasets.get(id)?.generation !== d.generation) return null;
    const k = f.info.index;
    if (!this.frames.has(fkey(k))) this.frames.set(fkey(k), f);
    return this.view(id, k, req, signal);
  }

  /** A frame's rendered view (model + bitmap), through the render cache; shared like frames. */
  view(id: string, index: number, req: ViewRequest, signal?: AbortSignal): Promise<ViewResult> {
    const d = this.get(id);
    const key = `${id}|${d.generation}|${index}|${viewKey(req)}`;
    const hit = this.views.get(key);
    if (hit) return Promise.resolve({ ...hit, cached: true, readMs: 0, renderMs: 0 });
    return this.share(
      `v|${key}`,
      async (s) => {
        const t0 = now();
        const { frame, cached } = await this.frame(id, index, s);
        const t1 = now();
        if (s.aborted) throw abortError();
        // a reader that returns the rest of a frame names the field that failed: that is this view's error
        const failed = (frame.attributes.field_errors as Record<string, unknown> | undefined)?.[req.field];
        if (!frame.fields[req.field] && failed)
          throw failed instanceof Error ? failed : new Error(typeof failed === 'string' ? failed : `field “${req.field}” could not be read in this frame`);
        let shown = frame;
        let viewReq = req;
        if (req.reference) {
          // A − B: the other dataset's frame, B resampled onto A's grid where the grids differ
          const ref = req.reference;
          const { frame: other } = await this.frame(ref.id, ref.index, s);
          const fa = frame.fields[req.field];
          const fb = other.fields[ref.field];
          if (!fa || !fb) throw new Error(`${!fa ? `field “${req.field}”` : `the reference's field “${ref.field}”`} is not in this frame`);
          const name = ref.label;
          shown = { ...frame, fields: { [name]: differenceField(fa, fb, { abs: ref.abs }) } };
          viewReq = { ...req, field: name };
        }
        let background: FieldData | undefined;
        if (req.derived && shown.fields[viewReq.field]) {
          const d = deriveField(shown, viewReq.field, req.derived.quantity, req.derived.smooth ? { smooth: req.derived.smooth } : {});
          if (shown.fields[viewReq.field].kind === 'vector') background = d;
          else shown = { ...shown, fields: { [viewReq.field]: d } };
        }
        const model = buildViewModel(shown, viewReq, background);
        if (req.derived && !background) {
          model.valueLabel = shown.fields[viewReq.field].scales?.i?.description || `${viewReq.field} ${req.derived.quantity}`;
          model.valueUnit = shown.fields[viewReq.field].scales?.i?.unit ?? '';
        }
        const out: ViewResult = { model, attributes: frame.attributes, cached, readMs: t1 - t0, renderMs: 0 };
        const { rgba, width, height } = model;
        if (rgba && width && height && this.opts.makeBitmap) out.bitmap = await this.opts.makeBitmap(rgba, width, height);
        out.renderMs = now() - t1;
        if (this.datasets.get(id)?.generation === d.generation) this.views.set(key, out);
        return out;
      },
      signal,
    );
  }

  /**
   * Work ahead. A new list replaces the old one; the frame being worked on is finished rather than
   * aborted (during playback each frame change sends a list that mostly overlaps the last). With a
   * view the frames are rendered, without one only decoded. Failures are reported when the frame is
   * asked for, not here.
   */
  prefetch(id: string, indices: number[], view?: ViewRequest, around?: number): void {
    if (!this.datasets.has(id)) return;
    this.warmCtl?.abort();
    this.warmCtl = null;
    this.ahead = { id, indices: [...indices], view, around };
    if (this.aheadRunning) return;
    this.aheadRunning = true;
    void (async () => {
      try {
        for (;;) {
          while (this.ahead?.indices.length) {
            const { id: dsId, view: v } = this.ahead;
            const i = this.ahead.indices.shift()!;
            const d = this.datasets.get(dsId);
            if (!d || i < 0 || i >= d.source.frames.length) continue;
            try {
              if (v) await this.view(dsId, i, v, this.aheadCtl.signal);
              else await this.frame(dsId, i, this.aheadCtl.signal);
            } catch {
              /* reported when asked for */
            }
          }
          // paused: the source decodes on around the frame in the background (a video's GOP), giving
          // way to every read; a new list or a cancel stops it, and the new list is worked on
          const last = this.ahead;
          const src = last && this.datasets.get(last.id)?.source;
          if (!last || last.around === undefined || !src?.warm) break;
          const ctl = new AbortController();
          this.warmCtl = ctl;
          this.ahead = null;
          await src.warm(last.around, { signal: ctl.signal }).catch(() => undefined);
          if (this.warmCtl === ctl) this.warmCtl = null;
        }
      } finally {
        this.aheadRunning = false;
      }
    })();
  }

  /** Stop all work ahead at once (the controller asks for it when a dataset goes away). */
  cancelPrefetch(): void {
    this.ahead = null;
    this.warmCtl?.abort();
    this.warmCtl = null;
    this.aheadCtl.abort();
    this.aheadCtl = new AbortController();
  }

  private get(id: string): OpenDataset {
    const d = this.datasets.get(id);
    if (!d) throw new Error(`dataset ${id} is not open`);
    return d;
  }

  private dropWork(id: string): void {
    this.frames.deleteWhere((k) => k.startsWith(`${id}|`));
    this.views.dropPrefix(`${id}|`);
    for (const [k, j] of this.jobs)
      if (k.slice(2).startsWith(`${id}|`)) {
        j.ctl.abort();
        this.jobs.delete(k);
      }
  }

  /**
   * Join (or start) the job under `key`. The caller's signal only withdraws this caller; the job
   * itself is aborted when its last waiter withdraws before it finished.
   */
  private share<T>(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError());
    let job = this.jobs.get(key) as Job<T> | undefined;
    if (!job) {
      const ctl = new AbortController();
      const j: Job<T> = { promise: Promise.resolve().then(() => start(ctl.signal)), ctl, waiters: 0, settled: false };
      j.promise.then(
        () => void (j.settled = true),
        () => void (j.settled = true),
      );
      j.promise.finally(() => this.jobs.get(key) === j && this.jobs.delete(key)).catch(() => undefined);
      this.jobs.set(key, j as Job<unknown>);
      job = j;
    }
    const j = job;
    j.waiters++;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const leave = () => {
        if (done) return;
        done = true;
        j.waiters--;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        leave();
        reject(abortError());
        if (j.waiters === 0 && !j.settled && this.jobs.get(key) === j) {
          j.ctl.abort();
          this.jobs.delete(key);
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      j.promise.then(
        (v) => {
          if (done) return;
          leave();
          resolve(v);
        },
        (e) => {
          if (done) return;
          leave();
          // the shared job was aborted by someone else's withdrawal race: this caller still wants it
          if (isAbort(e) && !signal?.aborted) this.share(key, start, signal).then(resolve, reject);
          else reject(e);
        },
      );
    });
  }

  /** Jobs in flight (tests). */
  get inFlight(): number {
    return this.jobs.size;
  }

  private summary(id: string, d: OpenDataset, openMs: number): DatasetSummary {
    const s = d.source;
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
      scenes: (d.root.scenes ?? []).map((x) => x.name),
      sceneIndex: d.scene,
      openMs,
    };
  }
}

/** A stable key of what a view request renders. */
export function viewKey(req: ViewRequest): string {
  return JSON.stringify([
    req.field,
    req.plane,
    req.component,
    req.colormap,
    req.limitsMode,
    req.manual ?? null,
    req.stride,
    req.quiver,
    req.reference ?? null,
    req.derived ?? null,
  ]);
}
