/**
 * Ranged reading against a real HTTP server on loopback: block rounding, coalescing of neighbouring
 * reads, read-ahead, the cache bound, per-host concurrency, validators, short files, servers that
 * ignore Range, and retries / timeouts that always end.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors';
import { blockCache, planRuns, ReadAhead } from '../../src/io/block-cache';
import { HttpFile } from '../../src/io/http-file';
import { configureRemote, DEFAULT_REMOTE_OPTIONS } from '../../src/io/remote-options';
import { pattern, startServer, type TestServer } from './http-server';

const KB = 1024;
let srv: TestServer;
const BIG = pattern(1 << 20, 7);
const SMALL = pattern(1000, 3);

beforeAll(async () => {
  srv = await startServer({ '/big.bin': BIG, '/small.bin': SMALL, '/other.bin': pattern(300 * KB, 1) });
});
afterAll(() => srv.close());
beforeEach(async () => {
  await new Promise((r) => setTimeout(r, 60)); // let read-ahead of the test before land
  configureRemote({
    ...DEFAULT_REMOTE_OPTIONS,
    blockBytes: 16 * KB,
    coalesceGapBytes: 16 * KB,
    readAheadBytes: 128 * KB,
    maxRunBytes: 256 * KB,
    backoffMs: 5,
    idleTimeoutMs: 400,
    retries: 3,
  });
  blockCache.clear();
  srv.log.length = 0;
  srv.faults.clear();
  srv.options.ranges = true;
  srv.options.maxActive = 0;
});
afterEach(() => configureRemote(DEFAULT_REMOTE_OPTIONS));

const file = (p: string, size: number, extra: { etag?: string } = {}) => new HttpFile({ path: p.slice(1), url: srv.url + p, size, ...extra });
const gets = () => srv.log.filter((l) => l.method === 'GET');

describe('planning requests', () => {
  it('joins neighbours and small gaps, splits long runs', () => {
    expect(planRuns([5, 1, 2, 3, 9, 2], 0, 100)).toEqual([
      { first: 1, last: 3 },
      { first: 5, last: 5 },
      { first: 9, last: 9 },
    ]);
    expect(planRuns([5, 1, 2, 3, 9, 2], 1, 100)).toEqual([
      { first: 1, last: 5 },
      { first: 9, last: 9 },
    ]);
    expect(planRuns([1, 3, 5], 1, 100)).toEqual([{ first: 1, last: 5 }]);
    expect(planRuns([0, 1, 2, 3, 4], 0, 2)).toEqual([
      { first: 0, last: 1 },
      { first: 2, last: 3 },
      { first: 4, last: 4 },
    ]);
  });
  it('read-ahead follows a sequential run (not its number of reads), resets on a jump', () => {
    const r = new ReadAhead();
    expect(r.next(0, 100, 10, 80)).toBe(0); // a first read is no run
    expect(r.next(100, 105, 10, 80)).toBe(80); // the run holds 105 bytes of 10-byte blocks: ahead 80 (the limit)
    const t = new ReadAhead();
    expect(t.next(0, 4, 10, 80)).toBe(0);
    expect(t.next(4, 8, 10, 80)).toBe(0);
    expect(t.next(8, 12, 10, 80)).toBe(0);
    expect(t.next(12, 16, 10, 80)).toBe(0); // tiny header reads: still below two blocks
    expect(t.next(16, 30, 10, 80)).toBe(0);
    expect(t.next(30, 60, 10, 80)).toBe(30);
    expect(t.next(60, 100, 10, 80)).toBe(60);
    expect(t.next(100, 200, 10, 80)).toBe(80);
    expect(t.next(5000, 5100, 10, 80)).toBe(0);
  });
});

describe('HttpFile', () => {
  it('returns exactly the bytes asked for, across block edges and at the end', async () => {
    const f = file('/big.bin', BIG.length);
    for (const [s, e] of [
      [0, 10],
      [16 * KB - 3, 16 * KB + 5],
      [100_000, 300_001],
      [BIG.length - 7, BIG.length + 100],
      [5, 5],
    ]) {
      expect(Buffer.from(await f.read(s, e)).equals(Buffer.from(BIG.subarray(s, Math.min(e, BIG.length))))).toBe(true);
    }
  });

  it('serves repeated reads from the cache and coalesces a burst of neighbouring small reads into one request', async () => {
    configureRemote({ readAheadBytes: 0 });
    const f = file('/big.bin', BIG.length);
    const offsets = [10, 5000, 17 * KB, 20 * KB, 40 * KB];
    const parts = await Promise.all(offsets.map((o) => f.read(o, o + 16)));
    parts.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(BIG.subarray(offsets[i], offsets[i] + 16))));
    expect(gets().length).toBe(1);
    expect(gets()[0].range).toBe(`bytes=0-${48 * KB - 1}`);
    await f.read(30 * KB, 31 * KB);
    expect(gets().length).toBe(1);
  });

  it('reads ahead for sequential reads (fewer requests than reads)', async () => {
    const f = file('/big.bin', BIG.length);
    let off = 0;
    for (let i = 0; i < 24; i++) {
      const b = await f.read(off, off + 10 * KB);
      expect(b[0]).toBe(BIG[off]);
      off += 10 * KB;
    }
    expect(gets().length).toBeLessThan(8);
  });

  it('reads larger than one request go in parallel ranged requests and are not cached', async () => {
    const f = file('/big.bin', BIG.length);
    const all = await f.read();
    expect(Buffer.from(all).equals(Buffer.from(BIG))).toBe(true);
    expect(gets().length).toBe(4);
    expect(gets().every((g) => g.range)).toBe(true);
    expect(blockCache.bytes).toBe(0);
  });

  it('keeps the cache within its byte budget', async () => {
    configureRemote({ cacheBytes: 64 * KB });
    const f = file('/big.bin', BIG.length);
    for (let o = 0; o < 512 * KB; o += 40 * KB) await f.read(o, o + 1);
    expect(blockCache.bytes).toBeLessThanOrEqual(64 * KB);
  });

  it('never has more requests in flight per host than allowed', async () => {
    configureRemote({ maxPerHost: 2, coalesceGapBytes: 0 });
    for (let i = 0; i < 6; i++)
      srv.faults.set('/big.bin', [{ delayMs: 30 }, { delayMs: 30 }, { delayMs: 30 }, { delayMs: 30 }, { delayMs: 30 }, { delayMs: 30 }]);
    const f = file('/big.bin', BIG.length);
    await Promise.all([0, 100, 200, 300, 400, 500].map((k) => f.read(k * KB, k * KB + 1)));
    expect(gets().length).toBe(6);
    expect(srv.options.maxActive).toBe(2);
  });

  it('a file replaced on the server gives a clear FormatError, not mixed bytes', async () => {
    const f = file('/other.bin', 300 * KB);
    await f.read(0, 10);
    srv.files.get('/other.bin')!.etag = '"v2"';
    const err = await f.read(200 * KB, 200 * KB + 10).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.path).toBe(srv.url + '/other.bin');
    expect(err.reason).toMatch(/replaced on the server.*ETag "v1-2" became "v2"/);
    // every later read fails the same way, even one the cache could answer
    await expect(f.read(0, 10)).rejects.toThrow(/replaced/);
    srv.files.get('/other.bin')!.etag = '"v1-2"';
  });

  it('compares Last-Modified when there is no ETag, and checks a listing ETag from the first response on', async () => {
    const served = srv.files.get('/small.bin')!;
    const f = file('/small.bin', SMALL.length, { etag: '"from-listing"' });
    await expect(f.read(0, 10)).rejects.toThrow(/ETag "from-listing" became/);
    const old = served.etag;
    served.etag = undefined;
    const g = file('/small.bin', SMALL.length);
    await g.read(0, 10);
    served.mtime = new Date('2026-12-01T11:00:00Z');
    blockCache.clear();
    await expect(g.read(0, 10)).rejects.toThrow(/Last-Modified .* became/);
    served.etag = old;
    served.mtime = new Date('2026-12-01T10:00:00Z');
  });

  it('If-Match, when turned on, lets the server refuse a changed file', async () => {
    configureRemote({ useIfMatch: true });
    const f = file('/small.bin', SMALL.length, { etag: '"stale"' });
    await expect(f.read(0, 10)).rejects.toThrow(/412|replaced/);
    expect(gets()[0].ifMatch).toBe('"stale"');
  });

  it('a file shorter than its listing says is named as such', async () => {
    const f = file('/small.bin', 5000);
    const err = await f.read(0, 4000).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.reason).toMatch(/shorter than its listing says/);
    const g = file('/small.bin', 5000);
    await expect(g.read(2000, 2100)).rejects.toThrow(/shorter than its listing says|HTTP 416/);
  });

  it('a server that ignores Range still works for small files (one download) and refuses big ones', async () => {
    srv.options.ranges = false;
    const f = file('/other.bin', 300 * KB);
    expect(Array.from(await f.read(100 * KB, 100 * KB + 4))).toEqual(Array.from(pattern(300 * KB, 1).subarray(100 * KB, 100 * KB + 4)));
    expect(Array.from(await f.read(250 * KB, 250 * KB + 4))).toEqual(Array.from(pattern(300 * KB, 1).subarray(250 * KB, 250 * KB + 4)));
    expect(gets().length).toBe(1);
    configureRemote({ maxWholeBytes: 100 * KB });
    blockCache.clear();
    const g = file('/big.bin', BIG.length);
    const err = await g.read(500_000, 500_010).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.reason).toMatch(/ignores HTTP Range requests.*too large to download whole/);
  });

  it('retries 503s and cut connections, then reads the right bytes', async () => {
    srv.faults.set('/big.bin', [{ status: 503 }, { cut: true }, { status: 502 }]);
    const f = file('/big.bin', BIG.length);
    const b = await f.read(64 * KB, 128 * KB);
    expect(Buffer.from(b).equals(Buffer.from(BIG.subarray(64 * KB, 128 * KB)))).toBe(true);
    expect(gets().length).toBe(4);
  });

  it('a server that keeps failing ends in an error after the bounded retries', async () => {
    srv.faults.set(
      '/big.bin',
      Array.from({ length: 10 }, () => ({ status: 503 })),
    );
    const t0 = Date.now();
    const err = await file('/big.bin', BIG.length)
      .read(0, 10)
      .catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.reason).toMatch(/kept failing \(HTTP 503, 4 tries\)/);
    expect(gets().length).toBe(4);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a silent server ends in a timeout error, never a hang', async () => {
    configureRemote({ retries: 1, idleTimeoutMs: 200 });
    srv.faults.set('/big.bin', [{ silent: true }, { silent: true }]);
    const err = await file('/big.bin', BIG.length)
      .read(0, 10)
      .catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.reason).toMatch(/no answer from the server for 0.2 s \(2 tries\)/);
  });

  it('404 and 403 are not retried and say what they mean', async () => {
    const err = await file('/nothing.bin', 10)
      .read(0, 5)
      .catch((e) => e);
    expect(err.reason).toMatch(/not found on the server \(HTTP 404\)/);
    srv.faults.set('/big.bin', [{ status: 403 }]);
    const e2 = await file('/big.bin', BIG.length)
      .read(0, 5)
      .catch((e) => e);
    expect(e2.reason).toMatch(/access denied \(HTTP 403\)/);
    expect(gets().length).toBe(2);
  });

  it('an unreachable server is an error in words (bounded)', async () => {
    configureRemote({ retries: 1 });
    const f = new HttpFile({ path: 'x', url: 'http://127.0.0.1:9/x', size: 10 });
    const err = await f.read(0, 5).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.reason).toMatch(/could not be fetched .*unreachable.*CORS/);
  });
});
