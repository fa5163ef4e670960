/**
 * Remote data: random-frame latency through a real nginx on loopback (sourceTreeFromUrl, ranged
 * reads, block cache cleared before every read so each frame is fetched) against the same files as
 * local Blobs (a drop), for a DaVis vector set (fixture) and an MJPEG imgstore (1000 frames of
 * 1024×1024 in 2 chunks, generated with native ffmpeg; the small fixture store without it). Also the
 * requests and bytes one opening costs. Budget: remote ≤ 1.3 × local + the request round trips.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context';
import { encodeNpy } from '../src/codecs/npy';
import { encodeNpz } from '../src/codecs/npz';
import { nginxBinary, startNginx } from '../e2e/helpers/nginx';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, 'out', 'remote');
const SEEKS = 20;

function generateMjpeg(ffmpeg: string): string {
  const dir = join(OUT, 'mjpeg_avi');
  const done = join(dir, 'metadata.yaml');
  if (existsSync(done)) return dir;
  mkdirSync(dir, { recursive: true });
  const CHUNK = 500;
  for (let c = 0; c < 2; c++) {
    const name = String(c).padStart(6, '0');
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=1024x1024:r=25',
      '-ss',
      String((c * CHUNK) / 25),
      '-frames:v',
      String(CHUNK),
      '-c:v',
      'mjpeg',
      '-q:v',
      '6',
      '-pix_fmt',
      'yuvj420p',
      join(dir, name + '.avi'),
    ]);
    const fn = Float64Array.from({ length: CHUNK }, (_, i) => c * CHUNK + i);
    writeFileSync(
      join(dir, name + '.npz'),
      encodeNpz(
        {
          frame_number: encodeNpy({ data: BigInt64Array.from(fn, (v) => BigInt(v)), shape: [CHUNK] }),
          frame_time: encodeNpy({ data: Float64Array.from(fn, (v) => 1.7e9 + v * 0.04), shape: [CHUNK] }),
        },
        { compress: false },
      ),
    );
  }
  writeFileSync(
    done,
    `__store:\n  chunksize: ${CHUNK}\n  class: VideoImgStore\n  encoding: null\n  extension: .avi\n  format: mjpeg/avi\n  imgdtype: uint8\n  imgshape:\n  - 1024\n  - 1024\n  - 3\n  timezone_local: UTC\n  version: 2\n`,
  );
  return dir;
}

function listFiles(dir: string): { path: string; size: number }[] {
  const out: { path: string; size: number }[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push({ path: relative(dir, p).split(sep).join('/'), size: statSync(p).size });
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export default async function bench(ctx: BenchContext): Promise<void> {
  if (!ctx.fixtures) return console.log('  skipped: fixtures absent');
  if (!nginxBinary()) return console.log('  skipped: nginx not installed');
  const root = mkdtempSync(join(tmpdir(), 'framescope-bench-remote-'));
  symlinkSync(ctx.fixtures, join(root, 'fx'));
  const sets: { name: string; dir: string; remote: string; local: string }[] = [
    {
      name: 'DaVis set (urban_canopy, 5 vector fields)',
      dir: join(ctx.fixtures, 'davis/pivpy/pivpy/data/urban_canopy'),
      remote: 'fx/davis/pivpy/pivpy/data/urban_canopy/',
      local: '/__fixtures/file/davis/pivpy/pivpy/data/urban_canopy/',
    },
  ];
  if (ctx.nativeFfmpeg) {
    const d = generateMjpeg(ctx.nativeFfmpeg);
    symlinkSync(d, join(root, 'mjpeg'));
    sets.push({ name: 'MJPEG imgstore (1000 frames 1024², 2 chunks)', dir: d, remote: 'mjpeg/', local: '/bench/out/remote/mjpeg_avi/' });
  } else {
    sets.push({
      name: 'MJPEG imgstore (fixture)',
      dir: join(ctx.fixtures, 'imgstore/video_mjpeg_avi_color'),
      remote: 'fx/imgstore/video_mjpeg_avi_color/',
      local: '/__fixtures/file/imgstore/video_mjpeg_avi_color/',
    });
  }
  const nginx = await startNginx(root, Number(process.env.BENCH_NGINX_PORT ?? 5198));
  try {
    for (const s of sets) {
      const page = await ctx.page();
      await page.evaluate('globalThis.__name = (f) => f');
      const files = listFiles(s.dir);
      const before = nginx.accessLog().length;
      const r = await page.evaluate(
        async ({ files, local, remote, seeks }) => {
          const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
          const { sourceTreeFromUrl } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
          const { blockCache } = (await import('/src/io/block-cache.ts' as string)) as typeof import('../src/io/block-cache');
          const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
          // round trip: a one-byte ranged GET, median of 15
          const rtts: number[] = [];
          for (let k = 0; k < 15; k++) {
            const t = performance.now();
            await (
              await fetch(remote + files[0].path.split('/').map(encodeURIComponent).join('/'), { headers: { Range: 'bytes=0-0' }, cache: 'no-store' })
            ).arrayBuffer();
            rtts.push(performance.now() - t);
          }
          rtts.sort((a, b) => a - b);
          // the page's fetch throughput on this machine: one 1 MB ranged GET (median of 5) of the largest file
          const big = [...files].sort((a, b) => b.size - a.size)[0];
          const span = Math.min(big.size, 1 << 20);
          const tps: number[] = [];
          for (let k = 0; k < 5; k++) {
            const t = performance.now();
            await (
              await fetch(remote + big.path.split('/').map(encodeURIComponent).join('/'), { headers: { Range: `bytes=0-${span - 1}` }, cache: 'no-store' })
            ).arrayBuffer();
            tps.push((performance.now() - t - rtts[7]) / span);
          }
          tps.sort((a, b) => a - b);
          const localTree = {
            name: 'local',
            files: await Promise.all(files.map(async (f) => blobSourceFile(f.path, await (await fetch(local + f.path)).blob()))),
          };
          let seed = 77;
          const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
          const measure = async (tree: Parameters<typeof openDataset>[0], clear: boolean) => {
            let t = performance.now();
            const src = await openDataset(tree);
            const openMs = performance.now() - t;
            const n = src.frames.length;
            const order = Array.from({ length: seeks }, () => Math.floor(rnd() * n));
            await src.readFrame(order[0]); // decoder start, outside the figures
            const times: number[] = [];
            for (const i of order) {
              if (clear) blockCache.clear();
              t = performance.now();
              await src.readFrame(i);
              times.push(performance.now() - t);
            }
            src.close();
            times.sort((a, b) => a - b);
            return { openMs, median: times[times.length >> 1], n };
          };
          seed = 77;
          const loc = await measure(localTree, false);
          let opened = { bytes: 0, requests: 0 };
          let t = performance.now();
          const rtree = await sourceTreeFromUrl(remote, { onProgress: (bytes, requests) => (opened = { bytes, requests }) });
          const listMs = performance.now() - t;
          const counting = { ...opened };
          t = performance.now();
          const src = await openDataset(rtree);
          const openMs = performance.now() - t + listMs;
          const openCost = { ...opened };
          src.close();
          seed = 77;
          blockCache.clear();
          const before = { ...opened };
          const rem = await measure(rtree, true);
          const perFrame = { requests: (opened.requests - before.requests) / (seeks + 1), bytes: (opened.bytes - before.bytes) / (seeks + 1) };
          return { rtt: rtts[7], msPerByte: Math.max(0, tps[2]), loc, rem: { ...rem, openMs }, listing: counting, openCost, perFrame };
        },
        { files, local: s.local, remote: `${nginx.url}/${s.remote}`, seeks: SEEKS },
      );
      await page.close();
      const log = nginx.accessLog().slice(before);
      const budget = 1.3 * r.loc.median + r.perFrame.requests * r.rtt;
      const withTransfer = budget + r.perFrame.bytes * r.msPerByte;
      ctx.report(`${s.name}: round trip (1-byte range)`, r.rtt, 'ms');
      ctx.report(
        `${s.name}: fetch throughput in the page`,
        1 / (r.msPerByte * 1048.576 || Infinity),
        'MB/s',
        'one 1 MB ranged GET from nginx on loopback, round trip subtracted',
      );
      ctx.report(`${s.name}: random frame local (Blob)`, r.loc.median, 'ms', `median of ${SEEKS}`);
      ctx.report(
        `${s.name}: random frame remote (nginx, uncached)`,
        r.rem.median,
        'ms',
        `budget ${budget.toFixed(1)} ms = 1.3 × local + ${r.perFrame.requests.toFixed(1)} requests × RTT (${withTransfer.toFixed(1)} ms with the transfer time of its bytes); ${(r.rem.median / r.loc.median).toFixed(2)}× local`,
      );
      ctx.report(`${s.name}: per random frame`, r.perFrame.requests, 'requests', `${(r.perFrame.bytes / 1024).toFixed(0)} kB`);
      ctx.report(`${s.name}: open local / remote`, r.rem.openMs, 'ms', `local ${r.loc.openMs.toFixed(0)} ms`);
      ctx.report(
        `${s.name}: opening costs`,
        r.openCost.requests,
        'requests',
        `${(r.openCost.bytes / 1024).toFixed(0)} kB of ${(files.reduce((a, f) => a + f.size, 0) / 1048576).toFixed(1)} MB (listing: ${r.listing.requests} requests); nginx saw ${log.length} requests in all`,
      );
    }
    // the dataset workers' block cache: a DaVis set opened by a pool of 4 workers (every worker opens
    // it, frames are spread over them), with one shared IO worker and with a cache per worker
    const davis = sets[0];
    for (const sharedIo of [false, true]) {
      const page = await ctx.page();
      await page.evaluate('globalThis.__name = (f) => f');
      const before = nginx.accessLog().length;
      const r = await page.evaluate(
        async ({ url, sharedIo }) => {
          const { DatasetClient } = (await import('/src/workers/client.ts' as string)) as typeof import('../src/workers/client');
          const client = new DatasetClient(4, { sharedIo });
          const t0 = performance.now();
          const summary = await client.open('a', { kind: 'url', url });
          const pool = (client as unknown as { pool: { opened: Set<string> }[] }).pool;
          for (let k = 0; k < 300 && !pool.every((w) => w.opened.has('a')); k++) await new Promise((res) => setTimeout(res, 50));
          const view = {
            field: summary.fields[0].name,
            plane: 0,
            component: 'magnitude',
            colormap: 'gray',
            limitsMode: 'minmax',
            stride: 0,
            quiver: false,
          } as const;
          // every frame once, frame i on worker i mod 4
          const n = summary.frames.length;
          for (let i = 0; i < n; i++) await client.view('a', i, view).promise;
          return { frames: n, ms: performance.now() - t0, allOpened: pool.every((w) => w.opened.has('a')) };
        },
        { url: `${nginx.url}/${davis.remote}`, sharedIo },
      );
      await page.close();
      const log = nginx.accessLog().slice(before);
      const ranged = log.filter((l) => l.method === 'GET' && l.range);
      ctx.report(
        `${davis.name}: opened by 4 dataset workers, every frame viewed, ${sharedIo ? 'one shared block cache (IO worker)' : 'a block cache per worker'}`,
        ranged.length,
        'ranged requests',
        `${(ranged.reduce((a, l) => a + l.bytes, 0) / 1024).toFixed(0)} kB; ${log.length} requests in all (listings included); all 4 opened: ${r.allOpened}; ${r.ms.toFixed(0)} ms`,
      );
    }
  } finally {
    await nginx.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
