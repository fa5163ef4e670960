import { abortError, isAbort } from '../core/abort';
import { FormatError } from '../core/errors';
import { withHostSlot } from './host-limit';
import { remoteOptions } from './remote-options';

/** What identifies one version of a remote file. */
export interface Validator {
  etag?: string;
  lastModified?: string;
}

/** Counts what a tree's requests fetched (for the progress shown while opening). */
export interface Meter {
  bytes: number;
  requests: number;
  onProgress?(bytes: number, requests: number): void;
}

export interface RequestContext {
  signal?: AbortSignal;
  meter?: Meter;
}

/** The one error class of remote reading: a FormatError naming the URL. */
export function remoteError(url: string, reason: string): FormatError {
  return new FormatError('remote', url, reason);
}

/** An attempt that may succeed when tried again (5xx, 429, timeout, dropped connection). */
class Transient extends Error {
  constructor(
    message: string,
    readonly kind: 'status' | 'network' | 'timeout' | 'cut',
  ) {
    super(message);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Resolve a URL against the page (relative sample URLs) or require it absolute (Node, workers). */
export function absoluteUrl(url: string): string {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  try {
    return new URL(url, base).href;
  } catch {
    throw remoteError(url, 'not a valid URL (give the full address, starting with http:// or https://)');
  }
}

export function validatorOf(h: Headers): Validator {
  const v: Validator = {};
  const etag = h.get('etag');
  const lm = h.get('last-modified');
  if (etag) v.etag = etag.replace(/^W\//, '');
  if (lm) v.lastModified = lm;
  return v;
}

/** Why two validators differ, or null when they agree (or cannot be compared). */
export function validatorChange(known: Validator, got: Validator): string | null {
  if (known.etag && got.etag) return known.etag === got.etag ? null : `ETag ${known.etag} became ${got.etag}`;
  if (known.lastModified && got.lastModified) {
    const a = Date.parse(known.lastModified);
    const b = Date.parse(got.lastModified);
    if (Number.isFinite(a) && Number.isFinite(b)) return a === b ? null : `Last-Modified ${known.lastModified} became ${got.lastModified}`;
  }
  return null;
}

function statusError(url: string, res: Response): FormatError {
  const s = res.status;
  if (s === 404 || s === 410) return remoteError(url, `not found on the server (HTTP ${s})`);
  if (s === 401 || s === 403) return remoteError(url, `access denied (HTTP ${s}): the folder or bucket is not public, or a pre-signed link has expired`);
  if (s === 416) return remoteError(url, `the server has fewer bytes than were asked for (HTTP 416): the file is shorter than its listing says`);
  if (s === 412) return remoteError(url, `the file was replaced on the server while it was open (HTTP 412, ETag no longer matches); open it again`);
  return remoteError(url, `the server answered HTTP ${s}${res.statusText ? ' ' + res.statusText : ''}`);
}

export interface Attempt {
  res: Response;
  /** the response body, read with an idle timeout; null for HEAD */
  body: Uint8Array | null;
}

export interface FetchOptions extends RequestContext {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** statuses that are returned to the caller instead of thrown (listing probes: 404 means "try the next kind") */
  accept?: (status: number) => boolean;
  /** look at the headers before the body is read; may throw (a body too large) */
  onHeaders?(res: Response): void;
  /** a body longer than this aborts the attempt with an error (an unbounded listing, an ignored Range) */
  maxBody?: number;
}

/**
 * One HTTP request with bounded retries: 5xx, 429, timeouts (no bytes for `idleTimeoutMs`) and
 * connections dropped before or during the body are tried again with exponential backoff; 4xx,
 * aborts and the caller's own errors are not. After the last try it throws a FormatError in words.
 */
export async function fetchWithRetries(url: string, opts: FetchOptions = {}): Promise<Attempt> {
  const o = remoteOptions;
  let last: Transient | null = null;
  for (let attempt = 0; attempt <= o.retries; attempt++) {
    if (attempt > 0) await sleep(Math.min(8000, o.backoffMs * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5), opts.signal);
    try {
      return await withHostSlot(url, () => attemptOnce(url, opts), opts.signal);
    } catch (e) {
      if (!(e instanceof Transient)) throw e;
      last = e;
    }
  }
  const n = o.retries + 1;
  const tries = `${n} ${n === 1 ? 'try' : 'tries'}`;
  switch (last!.kind) {
    case 'status':
      throw remoteError(url, `the server kept failing (${last!.message}, ${tries}); try again later`);
    case 'timeout':
      throw remoteError(url, `no answer from the server for ${(o.idleTimeoutMs / 1000).toFixed(1)} s (${tries})`);
    case 'cut':
      throw remoteError(url, `the connection was dropped in the middle of the transfer (${tries})`);
    default:
      throw remoteError(
        url,
        `could not be fetched (${tries}): the server is unreachable, or it refused this page's cross-origin request ` +
          `(CORS: it must send Access-Control-Allow-Origin and allow the Range header; see README "Remote data")`,
      );
  }
}

async function attemptOnce(url: string, opts: FetchOptions): Promise<Attempt> {
  const o = remoteOptions;
  const ctl = new AbortController();
  const outer = opts.signal;
  if (outer?.aborted) throw abortError();
  const onOuter = () => ctl.abort(abortError());
  outer?.addEventListener('abort', onOuter, { once: true });
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ctl.abort(new Error('timeout'));
    }, o.idleTimeoutMs);
  };
  const meter = opts.meter;
  const rethrow = (e: unknown, phase: 'headers' | 'body'): never => {
    if (outer?.aborted) throw abortError();
    if (timedOut) throw new Transient('timeout', 'timeout');
    if (e instanceof FormatError || isAbort(e)) throw e;
    if (phase === 'body') throw new Transient(String((e as Error)?.message ?? e), 'cut');
    throw new Transient(String((e as Error)?.message ?? e), 'network');
  };
  arm();
  try {
    let res: Response;
    try {
      res = await fetch(url, { method: opts.method ?? 'GET', headers: opts.headers, cache: 'no-store', signal: ctl.signal, redirect: 'follow' });
    } catch (e) {
      return rethrow(e, 'headers');
    }
    if (meter) {
      meter.requests++;
      meter.onProgress?.(meter.bytes, meter.requests);
    }
    if (!res.ok && !opts.accept?.(res.status)) {
      void res.body?.cancel().catch(() => undefined);
      if (res.status >= 500 || res.status === 429 || res.status === 408) throw new Transient(`HTTP ${res.status}`, 'status');
      throw statusError(url, res);
    }
    try {
      opts.onHeaders?.(res);
    } catch (e) {
      void res.body?.cancel().catch(() => undefined);
      throw e;
    }
    if ((opts.method ?? 'GET') === 'HEAD' || !res.body) {
      if (!res.body && (opts.method ?? 'GET') !== 'HEAD') return { res, body: new Uint8Array(await res.arrayBuffer()) };
      return { res, body: null };
    }
    const chunks: Uint8Array[] = [];
    let n = 0;
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arm();
        chunks.push(value);
        n += value.length;
        if (meter) {
          meter.bytes += value.length;
          meter.onProgress?.(meter.bytes, meter.requests);
        }
        if (opts.maxBody !== undefined && n > opts.maxBody) {
          void reader.cancel().catch(() => undefined);
          throw remoteError(url, `the answer is larger than ${opts.maxBody} bytes, more than expected`);
        }
      }
    } catch (e) {
      return rethrow(e, 'body');
    }
    const cl = Number(res.headers.get('content-length'));
    // A body shorter than its Content-Length is a cut connection (when the header was not compressed away).
    if (Number.isFinite(cl) && cl > 0 && n < cl && !res.headers.get('content-encoding')) throw new Transient(`got ${n} of ${cl} bytes`, 'cut');
    const body = chunks.length === 1 ? chunks[0] : concat(chunks, n);
    return { res, body };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}

function concat(chunks: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** GET a listing or manifest as text; `null` when the server says there is none (404, 403 of a probe). */
export async function getText(
  url: string,
  ctx: RequestContext & { probe?: boolean; maxBody?: number /** statuses of probes answered with "none here" */; refused?: number[] } = {},
): Promise<{ text: string; res: Response } | null> {
  const probe = ctx.probe ?? false;
  const a = await fetchWithRetries(url, {
    ...ctx,
    accept: probe ? (s) => s === 404 || s === 403 || s === 400 || s === 405 || s === 410 : undefined,
    maxBody: ctx.maxBody ?? 64 << 20,
  });
  if (!a.res.ok) {
    ctx.refused?.push(a.res.status);
    return null;
  }
  return { text: new TextDecoder().decode(a.body ?? new Uint8Array(0)), res: a.res };
}

/** Parse "bytes a-b/total" (when the server exposes Content-Range). */
export function parseContentRange(h: string | null): { start: number; end: number; total: number | null } | null {
  if (!h) return null;
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(h.trim());
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]) + 1, total: m[3] === '*' ? null : Number(m[3]) };
}
