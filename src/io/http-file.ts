import type { SourceFile } from '../core/types';
import type { FormatError } from '../core/errors';
import { blockCache, blockKey, dropBlocks, planRuns, ReadAhead, type BlockRun } from './block-cache';
import { fetchWithRetries, parseContentRange, remoteError, validatorChange, validatorOf, type RequestContext, type Validator } from './http-request';
import { remoteOptions } from './remote-options';
import { readShared, sharedBlocksActive } from './shared-blocks';

/** One file of a remote listing. `url` is absolute; size from the listing (or a HEAD request). */
export interface RemoteEntry {
  path: string;
  url: string;
  size: number;
  etag?: string;
  lastModified?: string;
}

interface Deferred {
  resolve(b: Uint8Array): void;
  reject(e: unknown): void;
}

const mb = (n: number) => `${(n / 1048576).toFixed(n < 10485760 ? 1 : 0)} MB`;

/**
 * A SourceFile over HTTP Range requests. Reads are rounded out to blocks of the shared block cache;
 * blocks wanted within the same moment (a reader's burst of header reads) are fetched together, with
 * small gaps filled; sequential reads get a growing read-ahead; reads larger than one request's limit
 * bypass the cache. Every response is checked against the file's ETag / Last-Modified and length, so a
 * file replaced on the server gives a FormatError instead of mixed bytes.
 */
export class HttpFile implements SourceFile {
  readonly path: string;
  readonly size: number;
  readonly url: string;
  private validator: Validator;
  private ignoresRange = false;
  private whole: Promise<Uint8Array> | null = null;
  private broken: FormatError | null = null;
  private queued = new Set<number>();
  private pending = new Map<number, Promise<Uint8Array>>();
  private waiters = new Map<number, Deferred>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private ahead = new ReadAhead();

  constructor(
    entry: RemoteEntry,
    private readonly ctx: RequestContext = {},
  ) {
    this.path = entry.path;
    this.size = entry.size;
    this.url = entry.url;
    this.validator = { etag: entry.etag?.replace(/^W\//, ''), lastModified: entry.lastModified };
  }

  async read(start = 0, end = this.size): Promise<Uint8Array> {
    if (this.broken) throw this.broken;
    const s = Math.max(0, Math.min(start, this.size));
    const e = Math.max(s, Math.min(end, this.size));
    if (e === s) return new Uint8Array(0);
    const o = remoteOptions;
    const B = o.blockBytes;
    if (e - s > o.maxRunBytes) return this.direct(s, e);
    const b0 = Math.floor(s / B);
    const b1 = Math.floor((e - 1) / B);
    const nBlocks = Math.ceil(this.size / B);
    const ahead = this.ahead.next(s, e, B, o.readAheadBytes);
    const lastAhead = Math.min(nBlocks - 1, b1 + Math.ceil(ahead / B));
    const parts: (Uint8Array | Promise<Uint8Array>)[] = [];
    for (let b = b0; b <= lastAhead; b++) {
      const hit = blockCache.get(blockKey(this.url, b));
      const p = hit ?? this.pending.get(b) ?? this.schedule(b);
      if (b <= b1) parts.push(p);
    }
    const blocks = await Promise.all(parts);
    if (blocks.length === 1) return blocks[0].subarray(s - b0 * B, e - b0 * B);
    const out = new Uint8Array(e - s);
    blocks.forEach((blk, k) => {
      const bs = (b0 + k) * B;
      const from = Math.max(s, bs) - bs;
      const to = Math.min(e, bs + blk.length) - bs;
      out.set(blk.subarray(from, to), bs + from - s);
    });
    return out;
  }

  private schedule(b: number): Promise<Uint8Array> {
    const p = new Promise<Uint8Array>((resolve, reject) => this.waiters.set(b, { resolve, reject }));
    p.catch(() => undefined); // read-ahead blocks nobody awaits must not be unhandled rejections
    this.pending.set(b, p);
    this.queued.add(b);
    this.flushTimer ??= setTimeout(() => this.flush(), 0);
    return p;
  }

  private flush(): void {
    this.flushTimer = null;
    const o = remoteOptions;
    const runs = planRuns(this.queued, Math.floor(o.coalesceGapBytes / o.blockBytes), Math.max(1, Math.floor(o.maxRunBytes / o.blockBytes)));
    this.queued.clear();
    for (const r of runs) {
      // gap blocks a run fills in are registered too, so later reads find them pending
      for (let b = r.first; b <= r.last; b++) if (!this.pending.has(b)) this.schedule(b);
      this.queued.clear();
      void this.fetchRun(r);
    }
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
  }

  private async fetchRun(r: BlockRun): Promise<void> {
    const B = remoteOptions.blockBytes;
    const start = r.first * B;
    const end = Math.min(this.size, (r.last + 1) * B);
    try {
      const bytes = await this.fetchRunBytes(start, end);
      for (let b = r.first; b <= r.last; b++) {
        const blk = bytes.subarray((b - r.first) * B, Math.min(bytes.length, (b - r.first + 1) * B));
        this.settle(b, (w) => w.resolve(blk));
      }
    } catch (e) {
      for (let b = r.first; b <= r.last; b++) this.settle(b, (w) => w.reject(e));
    }
  }

  private settle(b: number, f: (w: Deferred) => void): void {
    const w = this.waiters.get(b);
    this.waiters.delete(b);
    this.pending.delete(b);
    if (w) f(w);
  }

  /** A run of blocks: from the IO worker that all dataset workers share, else fetched here. */
  private async fetchRunBytes(start: number, end: number): Promise<Uint8Array> {
    if (!sharedBlocksActive() || this.ignoresRange) return this.fetchBytes(start, end, true);
    if (this.broken) throw this.broken;
    const entry: RemoteEntry = { path: this.path, url: this.url, size: this.size, etag: this.validator.etag, lastModified: this.validator.lastModified };
    try {
      const bytes = await readShared(entry, start, end, this.ctx);
      this.storeBlocks(bytes, start);
      return bytes;
    } catch (e) {
      // the IO worker found the file changed or short: this file is broken here too
      if (e instanceof Error && e.name === 'FormatError') {
        this.broken = e as FormatError;
        dropBlocks(this.url);
      }
      throw e;
    }
  }

  /** A read larger than one request's limit: parallel ranged requests, not cached. */
  private async direct(s: number, e: number): Promise<Uint8Array> {
    if (this.ignoresRange) return (await this.fetchWhole()).slice(s, e);
    const step = remoteOptions.maxRunBytes;
    const out = new Uint8Array(e - s);
    const parts: Promise<void>[] = [];
    for (let a = s; a < e; a += step) {
      const b = Math.min(e, a + step);
      parts.push(this.fetchBytes(a, b, false).then((bytes) => out.set(bytes.subarray(0, b - a), a - s)));
    }
    await Promise.all(parts);
    return out;
  }

  /** Bytes [start, end) from the server (checked); `cache` stores them as blocks. */
  private async fetchBytes(start: number, end: number, cache: boolean): Promise<Uint8Array> {
    if (this.broken) throw this.broken;
    if (this.ignoresRange) return (await this.fetchWhole()).subarray(start, end);
    const o = remoteOptions;
    const headers: Record<string, string> = {};
    // always a Range (also for a whole small file): a 206 carries the total length to check
    headers.Range = `bytes=${start}-${end - 1}`;
    if (o.useIfMatch && this.validator.etag) headers['If-Match'] = this.validator.etag;
    let gotWhole = false;
    const a = await fetchWithRetries(this.url, {
      ...this.ctx,
      headers,
      maxBody: Math.max(end - start, o.maxWholeBytes),
      onHeaders: (res) => {
        this.checkValidator(res);
        if (res.status === 200) {
          const len = Number(res.headers.get('content-length') || this.size);
          if (Math.max(len, this.size) > o.maxWholeBytes && !(start === 0 && end === this.size)) {
            void res.body?.cancel().catch(() => undefined);
            throw remoteError(
              this.url,
              `the server ignores HTTP Range requests, and this file (${mb(Math.max(len, this.size))}) is too large to download whole ` +
                `(limit ${mb(o.maxWholeBytes)}); serve it from a server that supports ranges (nginx, Apache, S3 do)`,
            );
          }
          if (start > 0 || end < this.size) this.ignoresRange = true;
          gotWhole = true;
        } else if (res.status === 206) {
          const cr = parseContentRange(res.headers.get('content-range'));
          if (cr?.total != null && cr.total !== this.size) throw this.lengthError(cr.total);
          if (cr && cr.start !== start) throw remoteError(this.url, `the server sent bytes from ${cr.start} when asked for ${start}`);
        }
      },
    });
    const body = a.body ?? new Uint8Array(0);
    if (gotWhole) {
      if (body.length !== this.size) throw this.lengthError(body.length);
      this.storeBlocks(body);
      return body.subarray(start, end);
    }
    if (body.length < end - start) throw this.lengthError(start + body.length, true);
    if (cache) this.storeBlocks(body.subarray(0, end - start), start);
    return body.subarray(0, end - start);
  }

  private fetchWhole(): Promise<Uint8Array> {
    if (!this.whole) {
      this.whole = (async () => {
        const a = await fetchWithRetries(this.url, {
          ...this.ctx,
          maxBody: remoteOptions.maxWholeBytes,
          onHeaders: (res) => this.checkValidator(res),
        });
        const body = a.body ?? new Uint8Array(0);
        if (body.length !== this.size) throw this.lengthError(body.length);
        return body;
      })();
      // held only while in flight: the blocks live in the bounded cache
      this.whole.then(
        (b) => {
          this.storeBlocks(b);
          this.whole = null;
        },
        () => (this.whole = null),
      );
    }
    return this.whole;
  }

  private storeBlocks(bytes: Uint8Array, offset = 0): void {
    const B = remoteOptions.blockBytes;
    for (let off = 0; off < bytes.length; off += B) {
      const b = (offset + off) / B;
      if (!Number.isInteger(b)) continue;
      blockCache.set(blockKey(this.url, b), bytes.slice(off, Math.min(bytes.length, off + B)));
    }
  }

  private checkValidator(res: Response): void {
    const got = validatorOf(res.headers);
    const change = validatorChange(this.validator, got);
    if (change) throw this.fail(remoteError(this.url, `the file was replaced on the server while it was open (${change}); open it again`));
    this.validator.etag ??= got.etag;
    this.validator.lastModified ??= got.lastModified;
  }

  private lengthError(actual: number, atLeast = false): FormatError {
    if (actual < this.size)
      return this.fail(
        remoteError(this.url, `the file is shorter than its listing says: the server has ${atLeast ? 'only ' : ''}${actual} bytes, the listing ${this.size}`),
      );
    return this.fail(
      remoteError(this.url, `the file changed on the server while it was open: it has ${actual} bytes, the listing said ${this.size}; open it again`),
    );
  }

  private fail(e: FormatError): FormatError {
    this.broken = e;
    dropBlocks(this.url);
    return e;
  }
}
