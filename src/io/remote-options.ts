/**
 * Tunables of remote reading (one set per page or worker). `configureRemote` changes them; tests
 * shorten the timeouts, a lab on a slow link may raise them.
 */
export interface RemoteOptions {
  /** at most this many requests in flight per host (Viv found a low limit faster than many) */
  maxPerHost: number;
  /** block size of the cache: reads are rounded out to whole blocks */
  blockBytes: number;
  /** byte budget of the block cache (all remote files of this page or worker together) */
  cacheBytes: number;
  /** a sequential reader gets up to this much read ahead of what it asked for */
  readAheadBytes: number;
  /** one request fetches at most this many bytes; reads larger than this bypass the cache */
  maxRunBytes: number;
  /** gaps of up to this many bytes between wanted blocks are fetched too, so neighbours share one request */
  coalesceGapBytes: number;
  /** an attempt that receives nothing for this long is abandoned (and retried) */
  idleTimeoutMs: number;
  /** retries after the first attempt, for 5xx, 429, timeouts and dropped connections */
  retries: number;
  /** first backoff; doubled for every further retry (with jitter) */
  backoffMs: number;
  /** a file from a server that ignores Range is downloaded whole only up to this size */
  maxWholeBytes: number;
  /** send If-Match with the known ETag (costs a CORS preflight per request); otherwise validators are compared */
  useIfMatch: boolean;
}

export const DEFAULT_REMOTE_OPTIONS: Readonly<RemoteOptions> = {
  maxPerHost: 4,
  blockBytes: 64 << 10,
  cacheBytes: 96 << 20,
  readAheadBytes: 2 << 20,
  maxRunBytes: 8 << 20,
  coalesceGapBytes: 64 << 10,
  idleTimeoutMs: 15_000,
  retries: 4,
  backoffMs: 250,
  maxWholeBytes: 16 << 20,
  useIfMatch: false,
};

export const remoteOptions: RemoteOptions = { ...DEFAULT_REMOTE_OPTIONS };

const listeners = new Set<(o: RemoteOptions) => void>();

/** Change the remote-reading options of this page or worker (unknown keys are ignored). */
export function configureRemote(patch: Partial<RemoteOptions>): RemoteOptions {
  for (const k of Object.keys(DEFAULT_REMOTE_OPTIONS) as (keyof RemoteOptions)[]) {
    if (patch[k] !== undefined) (remoteOptions as unknown as Record<string, unknown>)[k] = patch[k];
  }
  for (const l of listeners) l(remoteOptions);
  return { ...remoteOptions };
}

export function onRemoteOptions(l: (o: RemoteOptions) => void): void {
  listeners.add(l);
}
