/**
 * One block cache for every dataset worker of a page. The dataset workers each keep a small cache
 * of their own, but the bytes of a remote file are fetched by one IO worker (`workers/io-worker.ts`)
 * that owns the shared block cache, the in-flight requests and the per-host request limit: a worker
 * asks it for a byte range over a MessagePort, and two workers wanting the same block make one
 * request. Where no IO port was given (Node, tests, the page itself) reads fetch directly as before.
 *
 * The IO worker answers each ask through its own HttpFile per (URL, size,
 * validators), so it has the same coalescing, read-ahead, retries and ETag / length checks.
 */
import { abortError } from '../core/abort';
import { fromWire, type WireError } from '../core/errors';
import type { Meter } from './http-request';

/** A remote file as the IO worker needs it (http-file.ts's RemoteEntry). */
export interface SharedEntry {
  path: string;
  url: string;
  size: number;
  etag?: string;
  lastModified?: string;
}

export interface BlockAsk {
  id: number;
  entry: SharedEntry;
  start: number;
  end: number;
}
export type BlockAnswer = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; error: WireError };

let port: MessagePort | null = null;
let nextId = 1;
const waiting = new Map<number, { resolve(b: Uint8Array): void; reject(e: Error): void }>();

/** Dataset worker: read remote bytes through the IO worker at the other end of `p`. */
export function connectSharedBlocks(p: MessagePort): void {
  port = p;
  p.onmessage = (ev: MessageEvent<BlockAnswer>) => {
    const a = ev.data;
    const w = waiting.get(a.id);
    if (!w) return;
    waiting.delete(a.id);
    if (a.ok) w.resolve(a.bytes);
    else w.reject(fromWire(a.error));
  };
}

/** Whether reads go through the IO worker. */
export function sharedBlocksActive(): boolean {
  return port !== null;
}

/**
 * Bytes [start, end) of a remote file from the IO worker (checked there). An abort rejects at once;
 * the request itself finishes in the IO worker, where another worker may be waiting for it too.
 */
export function readShared(entry: SharedEntry, start: number, end: number, ctx: { signal?: AbortSignal; meter?: Meter }): Promise<Uint8Array> {
  const p = port;
  if (!p) return Promise.reject(new Error('no IO worker'));
  const { signal, meter } = ctx;
  if (signal?.aborted) return Promise.reject(abortError());
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    const onAbort = () => {
      waiting.delete(id);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    waiting.set(id, {
      resolve: (b) => {
        signal?.removeEventListener('abort', onAbort);
        if (meter) {
          // what crossed the network for this worker's tree (the IO worker may have fetched it once for several)
          meter.bytes += b.length;
          meter.requests++;
          meter.onProgress?.(meter.bytes, meter.requests);
        }
        resolve(b);
      },
      reject: (e) => {
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      },
    });
    p.postMessage({ id, entry, start, end } satisfies BlockAsk);
  });
}
