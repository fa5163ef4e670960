/**
 * Browser-only: one ffmpeg.wasm instance (single-thread core served from our own origin) shared by
 * every video file and encode job, with a FIFO queue so that only one exec runs at a time (lane 0),
 * and extra instances (lanes 1…, each its own worker and queue) for decoding ranges in parallel.
 *
 * The core runs in @ffmpeg/ffmpeg's own module worker, so a long exec never blocks the caller (page
 * or reader worker) and can be cut off by terminating that worker. Files the instance needs
 * (WORKERFS mounts of Blobs, bytes written to MEMFS) are registered here so that they are restored
 * when the instance is reloaded after a termination.
 *
 * `@ffmpeg/ffmpeg` is imported lazily (its Node entry is empty): importing this module, and every
 * reader built on it, works under Node; using it there throws a FormatError from `needsBrowser`.
 */
import type { FFmpeg } from '@ffmpeg/ffmpeg';

export const CORE_PATH = '/ffmpeg/st/ffmpeg-core.js';
export const WASM_PATH = '/ffmpeg/st/ffmpeg-core.wasm';

/** An input made available to the core: a Blob mounted read-only (WORKERFS) or bytes in MEMFS. */
export interface Resource {
  /** absolute path inside the wasm file system */
  path: string;
  /** for a Blob: the directory `path` is mounted and holds the Blob as `<path>/<name>` */
  name?: string;
  blob?: Blob;
  bytes?: Uint8Array;
  /**
   * A MEMFS file at `path` holding a copy of this Blob: read afresh on every load and handed to the
   * instance (transferred, not copied), so no copy stays on this side. ffmpeg reads a WORKERFS Blob
   * in synchronous slices, which costs a third more per FFV1 frame than reading memory.
   */
  copyOf?: Blob;
}

import { AbortError } from '../core/abort';
import { DecodeError } from '../core/errors';
export { AbortError, throwIfAborted } from '../core/abort';

/**
 * Why video decoding cannot run here (null in a page or worker with Web Workers): ffmpeg.wasm runs
 * its core in a module worker served from our own origin, WebCodecs is a browser API.
 */
export function browserMissing(): string | null {
  const g = globalThis as { location?: unknown; Worker?: unknown };
  if (!g.location || typeof g.Worker !== 'function')
    return 'this format needs a browser: its video is decoded with ffmpeg.wasm or WebCodecs, which Node does not have (open it in framescope in the browser)';
  return null;
}

function originUrl(path: string): string {
  const loc = (globalThis as { location?: { href: string } }).location;
  if (!loc) throw new Error('ffmpeg.wasm needs a browser context (page or worker)');
  return new URL(path, loc.href).href;
}

async function restore(ff: FFmpeg, r: Resource, read?: Promise<Uint8Array>): Promise<void> {
  if (r.copyOf) {
    const bytes = await (read ?? r.copyOf.arrayBuffer().then((b) => new Uint8Array(b)));
    if (bytes.length !== r.copyOf.size) throw new DecodeError(`read ${bytes.length} of ${r.copyOf.size} bytes of ${r.path}`);
    await ff.writeFile(r.path, bytes);
  } else if (r.blob) {
    await ff.createDir(r.path);
    await ff.mount('WORKERFS' as Parameters<FFmpeg['mount']>[0], { blobs: [{ name: r.name ?? 'input', data: r.blob }] }, r.path);
  } else if (r.bytes) {
    // writeFile transfers the buffer it is given: hand it a copy, keep ours for a reload.
    await ff.writeFile(r.path, r.bytes.slice());
  }
}

/** time of the last completed load() in ms (for the bench) */
export let lastLoadMs = 0;

export interface ExecContext {
  ff: FFmpeg;
  /** collect the log lines printed while `fn` runs */
  captureLog(on: (line: string) => void): void;
}

/**
 * Decode watchdog: an exec that prints nothing (no log line: frame reports, stats, errors) for this
 * long is taken as hung. The instance is terminated (and reloaded, with its mounted files, by the
 * next task) and the task rejects with a DecodeError. ffmpeg prints a stats line about every 0.5 s
 * while it runs, so only a stuck decoder (or a stuck core load) stays silent this long.
 */
export const WATCHDOG_MS = 20_000;

/**
 * One ffmpeg.wasm instance (its own module worker) with its FIFO queue and the files mounted in it.
 * Lane 0 is the shared instance every probe, decode and encode uses; further lanes are extra
 * instances for decoding ranges in parallel (./ffv1-parallel), created on first use.
 */
export class FfmpegLane {
  private instance: FFmpeg | null = null;
  private loading: Promise<FFmpeg> | null = null;
  private generation = 0;
  private readonly resources = new Map<string, Resource>();
  private logSink: ((line: string) => void) | null = null;
  /** the running task's watchdog heartbeat (any log line of the instance) */
  private activity: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  /** tasks queued or running */
  busy = 0;

  constructor(readonly id: number) {}

  /** Start (or join) loading the core; resolves with the ready instance. */
  get(): Promise<FFmpeg> {
    if (this.instance) return Promise.resolve(this.instance);
    if (this.loading) return this.loading;
    const gen = this.generation;
    const loading = (async () => {
      const why = browserMissing();
      if (why) throw new Error(why);
      const { FFmpeg: FFmpegClass } = await import('@ffmpeg/ffmpeg');
      const ff = new FFmpegClass();
      ff.on('log', ({ message }) => {
        this.activity?.();
        this.logSink?.(message);
      });
      const t0 = performance.now();
      await ff.load({ coreURL: originUrl(CORE_PATH), wasmURL: originUrl(WASM_PATH) });
      lastLoadMs = performance.now() - t0;
      for (const r of this.resources.values()) await restore(ff, r);
      if (gen !== this.generation) {
        ff.terminate();
        throw new AbortError('ffmpeg instance was reset while loading');
      }
      this.instance = ff;
      return ff;
    })();
    this.loading = loading;
    const done = () => {
      if (this.loading === loading) this.loading = null;
    };
    loading.then(done, done);
    return loading;
  }

  /** Kill the running instance (drops whatever it was doing); the next task reloads it. */
  reset(): void {
    this.generation++;
    this.instance?.terminate();
    this.instance = null;
    this.loading = null;
  }

  current(): FFmpeg | null {
    return this.instance;
  }

  queueLength(): number {
    return this.queued;
  }

  /**
   * Make a Blob or bytes available at `path` (a WORKERFS mount directory for Blobs), also after
   * reloads. For a `copyOf` resource, `read` may be its bytes read ahead (they are transferred).
   */
  async add(ff: FFmpeg, r: Resource, read?: Promise<Uint8Array>): Promise<void> {
    this.resources.set(r.path, r);
    try {
      await restore(ff, r, read);
    } catch (e) {
      this.resources.delete(r.path);
      throw e;
    }
  }

  has(path: string): boolean {
    return this.resources.has(path);
  }

  async remove(ff: FFmpeg | null, path: string): Promise<void> {
    const r = this.resources.get(path);
    this.resources.delete(path);
    if (!r || !ff) return;
    try {
      if (r.blob) {
        await ff.unmount(r.path);
        await ff.deleteDir(r.path);
      } else await ff.deleteFile(r.path);
    } catch {
      /* already gone (e.g. after a reload) */
    }
  }

  /**
   * Run `fn` with exclusive use of this instance (FIFO). Work that is aborted while waiting in the
   * queue is dropped without touching ffmpeg. When the signal fires while `fn` runs, the promise
   * rejects at once; if `fn` is still running after `killAfterMs` the instance is terminated (and
   * reloaded by the next task), otherwise it is left to finish and its result is discarded.
   */
  run<T>(
    fn: (ctx: ExecContext) => Promise<T>,
    opts: { signal?: AbortSignal; killAfterMs?: number; watchdogMs?: number; uncounted?: boolean } = {},
  ): Promise<T> {
    const { signal, killAfterMs = 1500, watchdogMs = WATCHDOG_MS } = opts;
    // `uncounted` work (a short set-up such as an input copy) leaves `busy` alone: a range may queue behind it
    const counted = opts.uncounted ? 0 : 1;
    this.queued++;
    this.busy += counted;
    let settled!: Promise<unknown>;
    const result = new Promise<T>((resolve, reject) => {
      settled = this.queue.then(async () => {
        this.queued--;
        if (signal?.aborted) return reject(new AbortError());
        let ff: FFmpeg;
        try {
          ff = await this.get();
        } catch (e) {
          return reject(e);
        }
        if (signal?.aborted) return reject(new AbortError());
        const started = performance.now();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const onAbort = () => {
          reject(new AbortError());
          const left = Math.max(0, killAfterMs - (performance.now() - started));
          timer = setTimeout(() => this.reset(), left);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        // watchdog: every log line is a sign of life
        let lastBeat = performance.now();
        let hung = false;
        const beat = () => void (lastBeat = performance.now());
        const dog = setInterval(
          () => {
            if (hung || performance.now() - lastBeat < watchdogMs) return;
            hung = true;
            reject(
              new DecodeError(
                `ffmpeg.wasm gave no output for ${Math.round(watchdogMs / 1000) || watchdogMs / 1000} s: the decode was cancelled and the decoder restarted`,
              ),
            );
            this.reset();
          },
          Math.max(1, Math.min(1000, watchdogMs / 4)),
        );
        this.activity = beat;
        const ctx = (f: FFmpeg): ExecContext => ({ ff: f, captureLog: (on) => void (this.logSink = on) });
        try {
          resolve(await fn(ctx(ff)));
        } catch (e) {
          if (signal?.aborted) reject(new AbortError());
          else if (hung) {
            /* already rejected by the watchdog */
          } else if (isWasmTrap(e)) {
            // ffmpeg.wasm 0.12 traps ("memory access out of bounds") after several 1-MP sessions in
            // one instance: start a fresh instance (resources are restored on load) and retry once.
            this.reset();
            try {
              resolve(await fn(ctx(await this.get())));
            } catch (e2) {
              reject(signal?.aborted ? new AbortError() : e2);
            }
          } else reject(e);
        } finally {
          // The exec has ended (terminate() rejects pending calls, so this is reached then too).
          if (timer) clearTimeout(timer);
          clearInterval(dog);
          if (this.activity === beat) this.activity = null;
          signal?.removeEventListener('abort', onAbort);
          this.logSink = null;
        }
      });
    });
    this.queue = settled.catch(() => undefined);
    void result.then(
      () => void (this.busy -= counted),
      () => void (this.busy -= counted),
    );
    return result;
  }
}

const lanes: FfmpegLane[] = [new FfmpegLane(0)];

/** Lane `k` (0 = the shared instance); created on first use, its core loaded by its first task. */
export function lane(k: number): FfmpegLane {
  while (lanes.length <= k) lanes.push(new FfmpegLane(lanes.length));
  return lanes[k];
}

/** Start (or join) loading the shared core; resolves with the ready instance. */
export function getFfmpeg(): Promise<FFmpeg> {
  return lanes[0].get();
}

/** Start loading the core in the background (call as soon as a video format is detected). */
export async function preloadFfmpeg(): Promise<void> {
  await getFfmpeg();
}

/** Kill the running shared instance (and every extra lane); the next task reloads it. */
export function resetFfmpeg(): void {
  for (const l of lanes) l.reset();
}

export function queueLength(): number {
  return lanes[0].queueLength();
}

/** runExclusive on the shared instance (lane 0): see FfmpegLane.run. */
export function runExclusive<T>(
  fn: (ctx: ExecContext) => Promise<T>,
  opts: { signal?: AbortSignal; killAfterMs?: number; watchdogMs?: number } = {},
): Promise<T> {
  return lanes[0].run(fn, opts);
}

/** A WebAssembly trap inside the ffmpeg core (as opposed to ffmpeg reporting bad input). */
function isWasmTrap(e: unknown): boolean {
  const m = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return /RuntimeError|memory access out of bounds|unreachable executed|Aborted\(/.test(m);
}

/** Make a Blob or bytes available at `path` of the shared instance (a WORKERFS mount directory for Blobs). */
export async function addResource(ff: FFmpeg, r: Resource): Promise<void> {
  await lanes[0].add(ff, r);
}

export async function removeResource(ff: FFmpeg | null, path: string): Promise<void> {
  await lanes[0].remove(ff, path);
}

export function currentInstance(): FFmpeg | null {
  return lanes[0].current();
}
