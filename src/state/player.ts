import { isAbort } from '../core/abort';
import type { ViewRequest } from '../render/view-model';
import type { ViewResult } from '../workers/protocol';
import { datasetClient } from './client';
import { useDatasets } from './datasets';
import { drawnStore } from './drawn';
import { fluctuationReference } from './fluctuation';
import { useView, viewRequestOf } from './view';

/** What a view component gives the controller: it draws a result, or shows that a frame failed. */
export interface Presenter {
  /**
   * draw the frame (resolves once it is on screen); `approximateFor`: scrubbing, this is a nearby
   * frame (an already decoded one or its GOP's keyframe) shown until frame `approximateFor`, the
   * wanted one, is decoded; the view marks it as such
   */
  present(r: ViewResult, datasetId: string, opts?: { approximateFor?: number }): Promise<void> | void;
  /** frame `index` could not be read: show why, never the previous picture */
  fail(index: number, error: Error, datasetId: string): void;
  /** nothing to show (no dataset, no frames) */
  clear(): void;
}

export interface Want {
  datasetId: string;
  index: number;
  view: ViewRequest;
  key: string;
}

/** Delay before the neighbours of a paused frame are decoded (so they never compete with it). */
const NEIGHBOUR_DELAY_MS = 120;

/**
 * The frame controller of one view: which frame is wanted (the view store's `frame`), which one is
 * drawn, the one request in flight (a newer wish cancels it), prefetch, and the playback timer that
 * advances only once the current frame is on screen (so every frame is shown). Components render and
 * dispatch (`seek`, `step`, `play`); they never request frames themselves.
 *
 * One controller per view; the timeline store (`useView`) is shared, so several views on one timeline
 * each follow the same cursor through their own controller.
 */
export class Player {
  private presenter: Presenter | null = null;
  private inflight: { key: string; cancel(): void } | null = null;
  private shownKey = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private neighbourTimer: ReturnType<typeof setTimeout> | undefined;
  private lastShownAt = 0;
  /** the picture on screen: dataset, frame index and view (a preview of the same picture is not drawn again) */
  private picture = '';
  /** presents run one after another (a preview never lands on top of the exact frame) */
  private presenting: Promise<unknown> = Promise.resolve();
  private unsub: (() => void)[] = [];
  private wasPlaying = false;

  constructor(
    private readonly wanted: () => Want | null | 'switching' = currentWant,
    /**
     * Several views on one timeline: a coordinator drives playback (it advances the cursor once every
     * view has drawn it), so this controller only reports what it has shown.
     */
    private readonly coordinated?: { onShown(key: string): void; subscribe(listener: () => void): () => void },
  ) {}

  /** The key of the frame on screen (for coordinators). */
  get shown(): string {
    return this.shownKey;
  }

  /** A view component attaches its presenter; the controller starts following the stores. */
  attach(p: Presenter): () => void {
    this.presenter = p;
    this.shownKey = '';
    if (!this.unsub.length) {
      this.unsub = [useView.subscribe(() => this.sync()), useDatasets.subscribe(() => this.sync())];
      if (this.coordinated) this.unsub.push(this.coordinated.subscribe(() => this.sync()));
    }
    this.sync();
    return () => {
      if (this.presenter === p) this.detach();
    };
  }

  private detach(): void {
    this.presenter = null;
    for (const u of this.unsub) u();
    this.unsub = [];
    this.inflight?.cancel();
    this.inflight = null;
    clearTimeout(this.timer);
    clearTimeout(this.neighbourTimer);
  }

  /** Ask again for the wanted frame even if it is the one on screen (e.g. after a resize lost it). */
  refresh(): void {
    this.shownKey = '';
    this.sync();
  }

  /** Follow the stores: request the wanted frame when it differs from what is shown or asked for. */
  sync(): void {
    if (!this.presenter) return;
    const w = this.wanted();
    if (w === 'switching') return;
    if (!w) {
      this.inflight?.cancel();
      this.inflight = null;
      this.shownKey = '';
      this.picture = '';
      clearTimeout(this.timer);
      this.presenter.clear();
      return;
    }
    const playing = useView.getState().playing;
    const started = playing && !this.wasPlaying;
    this.wasPlaying = playing;
    if (!playing) clearTimeout(this.timer);
    if (w.key === this.shownKey) {
      // play pressed on the frame already on screen: the first step starts from here
      if (started) this.afterShown(w);
      return;
    }
    if (w.key === this.inflight?.key) return;
    this.inflight?.cancel();
    clearTimeout(this.neighbourTimer);
    const client = datasetClient();
    const req = client.view(w.datasetId, w.index, w.view);
    // scrubbing or jumping (not playing): a nearby frame the worker has at once (an already decoded
    // frame, or the GOP's keyframe), drawn marked approximate until the exact one is on screen. Not
    // for a step from the frame on screen: the nearest frame would be the one already shown, and
    // the exact one is a single decode away.
    const viewJson = JSON.stringify(w.view);
    const step = [w.index - 1, w.index + 1].some((i) => this.picture === `${w.datasetId}|${i}|${viewJson}`);
    const pv = playing || step ? null : client.preview(w.datasetId, w.index, w.view);
    const mine = {
      key: w.key,
      cancel: () => {
        req.cancel();
        pv?.cancel();
      },
    };
    this.inflight = mine;
    if (playing && !this.coordinated) this.prefetchAhead(w);
    const shown = (r: ViewResult) => {
      this.inflight = null;
      this.shownKey = w.key;
      this.picture = `${w.datasetId}|${w.index}|${viewJson}`;
      drawnStore.getState().setDrawn(r.model.info.index, r.attributes, r.model.limits ?? null);
      this.afterShown(w);
    };
    const present = (r: ViewResult, approximateFor?: number): Promise<boolean> => {
      const run = this.presenting.then(async () => {
        if (this.inflight !== mine || !this.presenter) {
          r.bitmap?.close();
          return false;
        }
        await this.presenter.present(r, w.datasetId, approximateFor === undefined ? undefined : { approximateFor });
        return this.inflight === mine;
      });
      this.presenting = run.catch(() => false);
      return run;
    };
    pv?.promise.then(
      async (r) => {
        if (!r) return;
        const k = r.model.info.index;
        const picture = `${w.datasetId}|${k}|${viewJson}`;
        if (this.inflight !== mine || (k !== w.index && picture === this.picture)) {
          r.bitmap?.close();
          return;
        }
        if (!(await present(r, k === w.index ? undefined : w.index))) return;
        if (k === w.index) {
          // the decoder had the exact frame: done
          req.cancel();
          shown(r);
          return;
        }
        this.picture = picture;
        drawnStore.getState().setDrawn(k, r.attributes, r.model.limits ?? null, null, w.index);
      },
      () => undefined,
    );
    req.promise.then(
      async (r) => {
        if (!(await present(r))) return;
        pv?.cancel();
        shown(r);
      },
      (e: Error) => {
        if (this.inflight !== mine || isAbort(e)) return;
        pv?.cancel();
        this.inflight = null;
        this.shownKey = w.key;
        this.picture = '';
        this.presenter?.fail(w.index, e, w.datasetId);
        drawnStore.getState().setDrawn(w.index, {}, null, e.message);
        this.afterShown(w);
      },
    );
  }

  /** After a frame is on screen: the next playback step, or the neighbours while paused. */
  private afterShown(w: Want): void {
    if (this.coordinated) {
      this.coordinated.onShown(w.key);
      clearTimeout(this.neighbourTimer);
      if (!useView.getState().playing) this.neighbourTimer = setTimeout(() => this.prefetchNeighbours(w), NEIGHBOUR_DELAY_MS);
      return;
    }
    const v = useView.getState();
    const n = frameCount(w.datasetId);
    const now = performance.now();
    if (v.playing && n > 1) {
      const wait = Math.max(0, 1000 / v.fps - (now - this.lastShownAt));
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.lastShownAt = performance.now();
        const s = useView.getState();
        if (s.playing) s.set({ frame: s.frame + 1 >= n ? 0 : s.frame + 1 });
      }, wait);
      return;
    }
    this.lastShownAt = now;
    this.neighbourTimer = setTimeout(() => this.prefetchNeighbours(w), NEIGHBOUR_DELAY_MS);
  }

  private prefetchNeighbours(w: Want): void {
    const n = frameCount(w.datasetId);
    const neighbours = [w.index + 1, w.index - 1].filter((i) => i >= 0 && i < n);
    // then the source decodes on around the paused frame (a video's GOP) so stepping is instant
    if (neighbours.length && !w.view.reference) datasetClient().prefetch(w.datasetId, neighbours, w.view, w.index);
  }

  private prefetchAhead(w: Want): void {
    const n = frameCount(w.datasetId);
    const fps = useView.getState().fps;
    const idx: number[] = [];
    for (let k = 1; k <= Math.max(4, Math.round(fps)) && k < n; k++) idx.push((w.index + k) % n);
    datasetClient().prefetch(w.datasetId, idx, w.view);
  }
}

function frameCount(datasetId: string): number {
  return useDatasets.getState().datasets.find((d) => d.id === datasetId)?.summary.frames.length ?? 0;
}

/** The active dataset's wanted frame and view request, from the stores. */
function currentWant(): Want | null | 'switching' {
  const ds = useDatasets.getState();
  const active = ds.datasets.find((d) => d.id === ds.activeId);
  const v = useView.getState();
  const n = active?.summary.frames.length ?? 0;
  if (!active || !n || !v.field) return null;
  // the view store belongs to another dataset until switchTo ran for this one
  if (v.dataset !== active.label) return 'switching';
  const index = Math.max(0, Math.min(n - 1, v.frame));
  let view = viewRequestOf(v);
  if (v.fluct) {
    const reference = fluctuationReference(ds.datasets, active, v.field);
    if (reference) view = { ...view, reference };
  }
  return { datasetId: active.id, index, view, key: `${active.id}|${active.summary.sceneIndex}|${index}|${JSON.stringify(view)}` };
}

/** The main view's controller. */
export const mainPlayer = new Player();

/** Timeline actions (what the buttons, keys and slider dispatch). */
export const timeline = {
  seek(i: number): void {
    const n = activeFrameCount();
    if (n) useView.getState().set({ frame: Math.max(0, Math.min(n - 1, Math.round(i))) });
  },
  step(d: number): void {
    const v = useView.getState();
    v.set({ playing: false });
    timeline.seek(v.frame + d);
  },
  first(): void {
    useView.getState().set({ playing: false });
    timeline.seek(0);
  },
  last(): void {
    useView.getState().set({ playing: false });
    timeline.seek(activeFrameCount() - 1);
  },
  toggle(): void {
    const v = useView.getState();
    v.set({ playing: !v.playing });
  },
  /** jump to the reader's nearest frame to a time */
  async seekTime(t: number): Promise<void> {
    const ds = useDatasets.getState();
    if (!ds.activeId) return;
    timeline.seek(await datasetClient().nearest(ds.activeId, t));
  },
};

function activeFrameCount(): number {
  const ds = useDatasets.getState();
  return ds.datasets.find((d) => d.id === ds.activeId)?.summary.frames.length ?? 0;
}
