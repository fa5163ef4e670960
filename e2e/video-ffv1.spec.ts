/**
 * FFV1 parallel read-ahead (src/video/range-pool.ts): frames decoded in ranges on two ffmpeg.wasm
 * instances equal native sequential decoding bit for bit — read in order (the background ranges),
 * out of order (jumps dropping and restarting them) and through the serial path. Movies are
 * written with Debian's ffmpeg the way py-pde writes them (FFV1 defaults: a keyframe every 12
 * frames, the coder's states carried between them) and as FFV1 version 3 with slices in Matroska.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { HAS_FFMPEG, NO_FFMPEG, tempDir } from '../tests/video/native';
import { nativeFrames, writePypdeMovie } from '../tests/video/pypde-movie';
import { harness } from './helpers/fixtures';

test.skip(!HAS_FFMPEG, NO_FFMPEG);

const W = 96;
const H = 64;
const N = 50;
const tmp = tempDir('fs-ffv1-');
const movies: Record<string, string[]> = {};

test.beforeAll(() => {
  const sha = (b: Buffer) => createHash('sha1').update(b).digest('hex');
  for (const [name, extra] of [
    ['pypde.avi', []],
    ['v3-slices.mkv', ['-level', '3', '-slices', '4', '-g', '7']],
  ] as const) {
    writePypdeMovie(tmp.path(name), W, H, N, [...extra]);
    const all = nativeFrames(tmp.path(name));
    const fb = W * H * 2;
    movies[name] = Array.from({ length: N }, (_, i) => sha(all.subarray(i * fb, (i + 1) * fb)));
  }
});

test.afterAll(() => tmp.remove());

async function read(page: import('@playwright/test').Page, name: string, order: number[], opts: Record<string, unknown>) {
  return page.evaluate(
    async ({ name, order, opts }) => {
      const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
      const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
      const blob = await (await fetch(`/__gen/${name}`)).blob();
      const vf = await V.openVideoFile(blobSourceFile(name, blob), opts);
      const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
      const hashes: Record<number, string> = {};
      for (const i of order) {
        const f = await vf.readFrame(i);
        hashes[i] = hex(await crypto.subtle.digest('SHA-1', f.data as Uint8Array<ArrayBuffer>));
      }
      const out = { frames: vf.info.frameCount, codec: vf.info.codec, hashes, stats: JSON.parse(JSON.stringify(vf.stats ?? {})) };
      vf.close();
      return out;
    },
    { name, order, opts },
  );
}

const inOrder = Array.from({ length: N }, (_, i) => i);
// jumps back and forth, into the middle of GOPs, then a run
const jumpy = [37, 5, 6, 7, 49, 0, 24, 23, 25, 12, 13, 14, 15, 16, 17, 18, 19, 20, 44, 11, 2];

for (const name of ['pypde.avi', 'v3-slices.mkv']) {
  test(`${name}: parallel ranges equal native sequential decoding, in order and with jumps`, async ({ page }) => {
    test.setTimeout(300_000);
    await page.route('**/__gen/*', (r) => r.fulfill({ body: readFileSync(tmp.path(r.request().url().split('/').pop()!)) }));
    await harness(page);
    for (const [order, label] of [
      [inOrder, 'in order'],
      [jumpy, 'with jumps'],
    ] as const) {
      const r = await read(page, name, [...order], { lanes: 2 });
      expect(r.frames).toBe(N);
      expect(r.codec).toBe('ffv1');
      const ranges = r.stats.ranges as { ranges: number[] };
      expect(ranges, 'the parallel path was used').toBeTruthy();
      if (label === 'in order')
        expect(
          ranges.ranges.every((x) => x > 0),
          `both instances decoded ranges: ${ranges.ranges}`,
        ).toBe(true);
      expect(r.stats.fallbacks).toBe(0);
      const wrong = order.filter((i) => r.hashes[i] !== movies[name][i]);
      expect(wrong, `${name} ${label}: frames differing from native sequential decoding`).toEqual([]);
    }
    // the serial path gives the same frames
    const serial = await read(page, name, jumpy.slice(0, 8), { parallel: false });
    expect(serial.stats.ranges).toBeUndefined();
    expect(jumpy.slice(0, 8).filter((i) => serial.hashes[i] !== movies[name][i])).toEqual([]);
  });
}

test('reused run output files: runs of any length over one file, shared views or own buffers, equal native decoding', async ({ page }) => {
  test.setTimeout(300_000);
  const name = 'pypde.avi';
  await page.route('**/__gen/*', (r) => r.fulfill({ body: readFileSync(tmp.path(r.request().url().split('/').pop()!)) }));
  await harness(page);
  const r = await page.evaluate(async (name) => {
    const L = (await import('/src/video/ffmpeg-loader.ts' as string)) as typeof import('../src/video/ffmpeg-loader');
    const D = (await import('/src/video/decode.ts' as string)) as typeof import('../src/video/decode');
    const P = (await import('/src/video/probe.ts' as string)) as typeof import('../src/video/probe');
    const bytes = new Uint8Array(await (await fetch(`/__gen/${name}`)).arrayBuffer());
    const hex = async (b: Uint8Array) =>
      [...new Uint8Array(await crypto.subtle.digest('SHA-1', b.slice()))].map((x) => x.toString(16).padStart(2, '0')).join('');
    return L.runExclusive(async ({ ff, captureLog }) => {
      await ff.writeFile('/reuse.avi', bytes);
      const probe = await P.probe(ff, '/reuse.avi');
      const runs: { index: number; count: number; shared: boolean; n: number; hashes: string[]; ownBuffers: boolean; fallback: boolean }[] = [];
      // 12 frames, then 11 over the same 12-frame file (one stale frame after them), a run clipped by
      // the end of the file, one frame, and a 20-frame class file holding 17
      for (const [index, count, shared] of [
        [0, 12, true],
        [1, 11, true],
        [45, 12, false],
        [3, 1, true],
        [20, 17, true],
        [30, 12, false],
      ] as [number, number, boolean][]) {
        const d = await D.decodeFrames(ff, { path: '/reuse.avi', probe, index, count, pixFmt: 'gray16le', captureLog, shared });
        runs.push({
          index,
          count,
          shared,
          n: d.frames.length,
          hashes: await Promise.all(d.frames.map(hex)),
          ownBuffers: d.frames.every((f) => f.byteOffset === 0 && f.byteLength === f.buffer.byteLength),
          fallback: d.fallback,
        });
      }
      const files = (await ff.listDir('/')).map((e) => e.name).filter((n) => n.startsWith('run-') || n.startsWith('dec-'));
      await ff.deleteFile('/reuse.avi');
      return { runs, files };
    });
  }, name);
  for (const run of r.runs) {
    const want = movies[name].slice(run.index, run.index + run.count);
    expect(run.n, `run ${run.index}+${run.count}`).toBe(want.length);
    expect(run.hashes, `run ${run.index}+${run.count}: frames equal native sequential decoding`).toEqual(want);
    expect(run.fallback).toBe(false);
    // shared runs of several frames are views of the run's buffer; otherwise each frame owns its buffer
    expect(run.ownBuffers, `run ${run.index}+${run.count} shared=${run.shared}`).toBe(!run.shared || run.n === 1);
  }
  // one file per run size class, at most four kept, no file per frame left behind
  expect(
    r.files.every((f) => /^run-\d+\.raw$/.test(f)),
    r.files.join(' '),
  ).toBe(true);
  expect(r.files.length).toBeLessThanOrEqual(4);
});
