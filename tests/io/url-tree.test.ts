/**
 * sourceTreeFromUrl against a real HTTP server on loopback: every kind of listing, file links,
 * errors in words, and real fixtures opened over HTTP with values equal to the local open.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors';
import type { Frame } from '../../src/core/types';
import { openDataset } from '../../src/formats/index';
import { blockCache } from '../../src/io/block-cache';
import { sourceTreeFromPath } from '../../src/io/node';
import { configureRemote, DEFAULT_REMOTE_OPTIONS } from '../../src/io/remote-options';
import { treeFromSpec } from '../../src/io/spec';
import { sourceTreeFromUrl } from '../../src/io/url';
import { urlFromHash, hashWithUrl } from '../../src/io/url-hash';
import { fixturesDir } from '../fixtures-path';
import { pattern, startServer, type TestServer } from './http-server';

let srv: TestServer;
const FIX = fixturesDir();

function addDir(s: TestServer, prefix: string, dir: string): void {
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else
        s.files.set(prefix + relative(dir, p).split(sep).join('/'), {
          bytes: readFileSync(p),
          etag: `"${statSync(p).size}-x"`,
          mtime: new Date('2026-12-01T10:00:00Z'),
        });
    }
  };
  walk(dir);
}

beforeAll(async () => {
  srv = await startServer({
    '/data/run 1/a.bin': pattern(5000, 1),
    '/data/run 1/sub/b.bin': pattern(70_000, 2),
    '/data/c.txt': 'hello',
    '/plain/index.html': '<html><title>Lab</title><a href="x">x</a></html>',
    '/man/framescope.json': JSON.stringify({ name: 'manifested', files: [{ path: 'deep/d.bin', size: 3000 }] }),
    '/man/deep/d.bin': pattern(3000, 4),
  });
  if (FIX) {
    addDir(srv, '/fx/davis/', join(FIX, 'davis/pivpy/pivpy/data/urban_canopy'));
    addDir(srv, '/fx/phiflow/', join(FIX, 'phiflow/scenes/sim_000000'));
  }
});
afterAll(() => srv.close());
beforeEach(() => {
  configureRemote({ ...DEFAULT_REMOTE_OPTIONS, backoffMs: 5, idleTimeoutMs: 2000 });
  blockCache.clear();
  srv.options.index = 'json';
  srv.log.length = 0;
});

const paths = (t: { files: { path: string; size: number }[] }) => t.files.map((f) => `${f.path}:${f.size}`);

describe('listing a folder URL', () => {
  it('walks an nginx JSON index recursively (names decoded, sizes exact) and reads through it', async () => {
    let seen = { bytes: 0, requests: 0 };
    const t = await sourceTreeFromUrl(srv.url + '/data/', { onProgress: (bytes, requests) => (seen = { bytes, requests }) });
    expect(t.name).toBe('data');
    expect(paths(t)).toEqual(['c.txt:5', 'run 1/a.bin:5000', 'run 1/sub/b.bin:70000']);
    const b = await t.files[2].read(65_000, 65_010);
    expect(Array.from(b)).toEqual(Array.from(pattern(70_000, 2).subarray(65_000, 65_010)));
    expect(seen.requests).toBeGreaterThanOrEqual(4);
    expect(seen.bytes).toBeGreaterThan(0);
  });

  it('walks an HTML index page of the nginx kind', async () => {
    srv.options.index = 'html';
    const t = await sourceTreeFromUrl(srv.url + '/data');
    expect(paths(t)).toEqual(['c.txt:5', 'run 1/a.bin:5000', 'run 1/sub/b.bin:70000']);
    // only the slashless address (and its redirect) is probed: nginx gives exact sizes
    expect(srv.log.filter((l) => l.method === 'HEAD').map((l) => l.path)).toEqual(['/data', '/data/']);
  });

  it('prefers a framescope.json manifest beside the data', async () => {
    const t = await sourceTreeFromUrl(srv.url + '/man/');
    expect(t.name).toBe('manifested');
    expect(paths(t)).toEqual(['deep/d.bin:3000']);
    expect(Array.from(await t.files[0].read(2990, 3000))).toEqual(Array.from(pattern(3000, 4).subarray(2990)));
  });

  it('opens a single file URL', async () => {
    const t = await sourceTreeFromUrl(srv.url + '/data/run%201/a.bin');
    expect(t.name).toBe('a.bin');
    expect(paths(t)).toEqual(['a.bin:5000']);
  });

  it('says when a page is not a listing, or nothing is there', async () => {
    const e1 = await sourceTreeFromUrl(srv.url + '/plain/').catch((e) => e);
    expect(e1).toBeInstanceOf(FormatError);
    expect(e1.path).toBe(srv.url + '/plain/');
    expect(e1.reason).toMatch(/is not a folder listing/);
    const e2 = await sourceTreeFromUrl(srv.url + '/nowhere/').catch((e) => e);
    expect(e2).toBeInstanceOf(FormatError);
    expect(e2.reason).toMatch(/not found/);
    await expect(sourceTreeFromUrl('ftp://example.org/x')).rejects.toThrow(/only http/);
    srv.faults.set('/data/', [{ status: 403 }, { status: 403 }]); // the folder, and the same address asked as an S3 bucket
    const e3 = await sourceTreeFromUrl(srv.url + '/data/').catch((e) => e);
    expect(e3).toBeInstanceOf(FormatError);
    expect(e3.reason).toMatch(/access denied \(HTTP 403\)/);
    srv.faults.clear();
  });

  it('the url TreeSpec resolves to the same tree; aborting stops the listing', async () => {
    const t = await treeFromSpec({ kind: 'url', url: srv.url + '/data/' });
    expect(paths(t)).toEqual(['c.txt:5', 'run 1/a.bin:5000', 'run 1/sub/b.bin:70000']);
    const ctl = new AbortController();
    ctl.abort();
    await expect(sourceTreeFromUrl(srv.url + '/data/', { signal: ctl.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('#url= in the address', () => {
  it('finds the link among other hash parameters', () => {
    const u = 'http://lab.example:8080/runs/a b/?list-type=2&prefix=x/';
    const h = hashWithUrl('#frame=3&cmap=gray', u);
    expect(urlFromHash('#' + h)).toBe(new URL(u).href);
    expect(new URLSearchParams(h).get('frame')).toBe('3');
    expect(urlFromHash('#frame=2')).toBeNull();
    expect(urlFromHash('#url=javascript%3Aalert(1)')).toBeNull();
    expect(urlFromHash(`#url=${encodeURIComponent('https://x.org/d/')}&frame=1`)).toBe('https://x.org/d/');
  });
});

async function frames(tree: Awaited<ReturnType<typeof sourceTreeFromPath>>, idx: number[]): Promise<Frame[]> {
  const src = await openDataset(tree);
  return Promise.all(idx.map((i) => src.readFrame(i)));
}

function sameFrames(a: Frame[], b: Frame[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((fa, k) => {
    const fb = b[k];
    expect(Object.keys(fa.fields).sort()).toEqual(Object.keys(fb.fields).sort());
    for (const [name, d] of Object.entries(fa.fields)) {
      const e = fb.fields[name];
      expect(d.shape).toEqual(e.shape);
      for (const c of ['values', 'u', 'v', 'w', 'mask'] as const) {
        if (!d[c]) continue;
        expect(Buffer.from(d[c]!.buffer, d[c]!.byteOffset, d[c]!.byteLength).equals(Buffer.from(e[c]!.buffer, e[c]!.byteOffset, e[c]!.byteLength))).toBe(true);
      }
    }
  });
}

describe.skipIf(!FIX)('real fixtures over HTTP equal the local open (Node)', () => {
  it('a DaVis vector set folder', async () => {
    const remote = await sourceTreeFromUrl(srv.url + '/fx/davis/');
    const local = await sourceTreeFromPath(join(FIX!, 'davis/pivpy/pivpy/data/urban_canopy'));
    expect(paths(remote)).toEqual(paths(local));
    sameFrames(await frames(remote, [0, 3, 4]), await frames(local, [0, 3, 4]));
  });
  it('a PhiFlow scene (npz members read by ranges, never whole files)', async () => {
    srv.log.length = 0;
    const remote = await sourceTreeFromUrl(srv.url + '/fx/phiflow/');
    sameFrames(await frames(remote, [0, 7]), await frames(await sourceTreeFromPath(join(FIX!, 'phiflow/scenes/sim_000000')), [0, 7]));
    const gets = srv.log.filter((l) => l.method === 'GET' && !l.path.endsWith('/') && !l.path.endsWith('framescope.json'));
    expect(gets.every((g) => g.range)).toBe(true);
  });
});
