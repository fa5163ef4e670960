/**
 * Worker-thread pool for the fuzzer with a time limit and a heap limit per case.
 *
 * - time: a case that has not answered within `timeoutMs` is a hang; its worker is terminated and
 *   replaced.
 * - heap: each worker runs with V8 resource limits (`heapMb` old generation); running out is an OOM.
 *   ArrayBuffers live outside that heap, so the process's resident size is also watched: above
 *   `rssMb`, the running cases are stopped and re-run one at a time, and a case that passes the limit
 *   alone is an OOM.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker';

export type RunResult =
  | { kind: 'reply'; reply: Extract<WorkerReply, { caseNo: number }> }
  | { kind: 'hang'; ms: number }
  | { kind: 'oom'; detail: string }
  | { kind: 'crash'; detail: string };

interface Slot {
  worker: Worker | null;
  ready: Promise<void> | null;
  busy: boolean;
  settle: ((r: RunResult) => void) | null;
  timer: NodeJS.Timeout | null;
}

export interface PoolOptions {
  workers: number;
  timeoutMs: number;
  heapMb: number;
  rssMb: number;
  init: WorkerInit;
}

const WORKER_URL = new URL('./worker-boot.mjs', import.meta.url);

export class Pool {
  private slots: Slot[];
  private exclusive = false;
  private waiting: (() => void)[] = [];
  private rssTimer: NodeJS.Timeout;
  /** cases stopped because the process grew too large while they ran together */
  private rssVictims = new Set<Slot>();
  private isolatedSlot: Slot | null = null;

  constructor(private o: PoolOptions) {
    this.slots = Array.from({ length: o.workers }, () => ({ worker: null, ready: null, busy: false, settle: null, timer: null }));
    this.rssTimer = setInterval(() => this.checkRss(), 200);
    this.rssTimer.unref();
  }

  private spawn(s: Slot): Promise<void> {
    const w = new Worker(WORKER_URL, {
      workerData: this.o.init,
      resourceLimits: { maxOldGenerationSizeMb: this.o.heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    w.stdout.resume();
    w.stderr.resume();
    s.worker = w;
    s.ready = new Promise<void>((res, rej) => {
      const onMsg = (m: WorkerReply) => {
        if ('ready' in m) {
          w.off('message', onMsg);
          res();
        }
      };
      w.on('message', onMsg);
      w.once('error', rej);
    });
    w.on('message', (m: WorkerReply) => {
      if ('ready' in m) return;
      this.finish(s, { kind: 'reply', reply: m });
    });
    w.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') this.finish(s, { kind: 'oom', detail: e.message });
      else this.finish(s, { kind: 'crash', detail: `${e.name}: ${e.message}` });
      this.drop(s);
    });
    w.on('exit', (code) => {
      if (s.worker === w) {
        this.finish(s, { kind: 'crash', detail: `worker exited with code ${code}` });
        this.drop(s);
      }
    });
    return s.ready;
  }

  private drop(s: Slot) {
    const w = s.worker;
    s.worker = null;
    s.ready = null;
    if (w) void w.terminate().catch(() => undefined);
  }

  private finish(s: Slot, r: RunResult) {
    if (!s.settle) return;
    if (s.timer) clearTimeout(s.timer);
    const settle = s.settle;
    s.settle = null;
    s.timer = null;
    settle(r);
  }

  private checkRss() {
    const rss = process.memoryUsage.rss() / 2 ** 20;
    if (rss <= this.o.rssMb) return;
    for (const s of this.slots) {
      if (!s.settle) continue;
      if (this.isolatedSlot === s) this.finish(s, { kind: 'oom', detail: `process grew to ${Math.round(rss)} MB (limit ${this.o.rssMb} MB)` });
      else {
        this.rssVictims.add(s);
        this.finish(s, { kind: 'crash', detail: 'rss-retry' });
      }
      this.drop(s);
    }
  }

  private async acquire(exclusive: boolean): Promise<Slot> {
    for (;;) {
      const free = this.slots.find((s) => !s.busy);
      const anyBusy = this.slots.some((s) => s.busy);
      if (!this.exclusive && free && (!exclusive || !anyBusy)) {
        free.busy = true;
        if (exclusive) this.exclusive = true;
        return free;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private release(s: Slot, exclusive: boolean) {
    s.busy = false;
    if (exclusive) this.exclusive = false;
    const w = this.waiting.splice(0);
    for (const r of w) r();
  }

  /** Run one case; re-run alone when it was stopped for the process's size. */
  async run(req: WorkerRequest, exclusive = false): Promise<RunResult> {
    const s = await this.acquire(exclusive);
    try {
      if (!s.worker) await this.spawn(s);
      else await s.ready;
      if (exclusive) this.isolatedSlot = s;
      const r = await new Promise<RunResult>((res) => {
        s.settle = res;
        const t0 = performance.now();
        s.timer = setTimeout(() => {
          this.finish(s, { kind: 'hang', ms: performance.now() - t0 });
          this.drop(s);
        }, this.o.timeoutMs);
        s.worker!.postMessage(req);
      });
      if (exclusive) this.isolatedSlot = null;
      if (r.kind === 'crash' && r.detail === 'rss-retry' && this.rssVictims.delete(s)) {
        this.release(s, exclusive);
        return this.run(req, true);
      }
      this.release(s, exclusive);
      return r;
    } catch (e) {
      this.drop(s);
      this.release(s, exclusive);
      return { kind: 'crash', detail: `worker failed to start: ${(e as Error).message}` };
    }
  }

  async close() {
    clearInterval(this.rssTimer);
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }
}
