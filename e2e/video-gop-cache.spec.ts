/**
 * The GOP cache of the WebCodecs H.264 path (src/video/gop-cache.ts, src/video/webcodecs-h264.ts):
 * a target ahead within the GOP the running decoder has passed decodes on from where it is (no new
 * decoder), a frame decoded on the way is returned from the cache, stepping back within what was
 * decoded is a cache hit (a jump keeps the 32 frames before its target, a step back the whole way from
 * the restart point), and 8-bit gray recordings are kept as 1 byte/pixel. Every frame read is
 * compared (SHA-1 of the yuv420p planes) with native ffmpeg's sequential decode of the whole file.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ffmpeg, HAS_FFMPEG, NO_FFMPEG, tempDir } from '../tests/video/native';
import { harness } from './helpers/fixtures';

test.skip(!HAS_FFMPEG, NO_FFMPEG);

const W = 320;
const H = 240;
const N = 300;
const tmp = tempDir('fs-gopcache-');
const hashes: Record<string, string[]> = {};

function sequential(path: string): string[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'], { maxBuffer: 1 << 30 });
  const fb = (W * H * 3) / 2;
  const out: string[] = [];
  for (let k = 0; k < raw.length; k += fb)
    out.push(
      createHash('sha1')
        .update(raw.subarray(k, k + fb))
        .digest('hex'),
    );
  return out;
}

test.beforeAll(() => {
  // closed GOPs of 100 (as imgstore/OpenCV write them), B-frames; a colour MP4 and a gray MKV
  const x264 = 'keyint=100:min-keyint=100:scenecut=0:bframes=3:ref=3';
  const src = ['-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=25`, '-frames:v', String(N)];
  ffmpeg([...src, '-c:v', 'libx264', '-preset', 'veryfast', '-x264-params', x264, '-pix_fmt', 'yuv420p', tmp.path('color.mp4')]);
  ffmpeg([...src, '-vf', 'format=gray,format=yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', '-x264-params', x264, tmp.path('gray.mkv')]);
  for (const n of ['color.mp4', 'gray.mkv']) hashes[n] = sequential(tmp.path(n));
});
test.afterAll(() => tmp.remove());

type Step = { i: number; hash: string; ms: number; restarts: number; continued: number; cacheHits: number; cacheBytes: number };

/** In the page: open `name` via WebCodecs and read `order`; per read the hash, the time and the stats after it. */
async function run(page: Page, name: string, order: number[], cacheBytes?: number) {
  return page.evaluate(
    async ({ name, order, cacheBytes }) => {
      if (typeof VideoDecoder === 'undefined') return null;
      const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
      const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
      const blob = await (await fetch(`/__gopc/${name}`)).blob();
      const vf = await V.openVideoFile(blobSourceFile(name, blob), { decoder: 'webcodecs', cacheBytes });
      const st = (vf as unknown as { stats: Record<string, number | string> }).stats;
      const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
      const steps = [];
      for (const i of order) {
        const t0 = performance.now();
        const f = await vf.readFrame(i, { pixFmt: 'yuv420p' });
        const ms = performance.now() - t0;
        const hash = hex(await crypto.subtle.digest('SHA-1', f.data as Uint8Array<ArrayBuffer>));
        steps.push({
          i,
          hash,
          ms,
          restarts: st.restarts as number,
          continued: st.continued as number,
          cacheHits: st.cacheHits as number,
          cacheBytes: st.cacheBytes as number,
        });
      }
      const out = { steps, stats: { ...st } };
      vf.close();
      return out;
    },
    { name, order, cacheBytes },
  );
}

async function setUp(page: Page) {
  await page.route('**/__gopc/*', (r) => r.fulfill({ body: readFileSync(tmp.path(r.request().url().split('/').pop()!)) }));
  await harness(page);
}

function wrong(name: string, steps: Step[]): number[] {
  return steps.filter((s) => s.hash !== hashes[name][s.i]).map((s) => s.i);
}

test('GOP cache: ahead in the GOP decodes on, decoded-on-the-way and stepping back are cache hits; equals sequential decoding', async ({ page }) => {
  test.setTimeout(180_000);
  await setUp(page);
  // 80 (from the keyframe at 0), 85 (ahead: on from 80), 70 and 84…60 (decoded on the way), 250
  // (another GOP: a new decoder at 200), 260 (on), 150 (behind the decoder: a new one at 100), 151…160
  const back = Array.from({ length: 25 }, (_, k) => 84 - k);
  const fwd = Array.from({ length: 10 }, (_, k) => 151 + k);
  const order = [80, 85, 70, ...back, 250, 260, 150, ...fwd];
  const r = await run(page, 'color.mp4', order);
  test.skip(r === null, 'this Chromium has no WebCodecs VideoDecoder');
  const { steps, stats } = r!;
  expect(stats.decoder).toBe('webcodecs');
  expect(stats.fallbacks).toBe(0);
  expect(wrong('color.mp4', steps), 'frames differing from sequential decoding').toEqual([]);
  const at = (k: number) => steps[k];
  const before = (k: number) => (k === 0 ? null : steps[k - 1]);
  // 80: the decoder started at open (frame 0) is fed on — the same GOP
  expect(at(0).restarts).toBe(1);
  // 85: on from 80, no new decoder
  expect(at(1).restarts).toBe(at(0).restarts);
  expect(at(1).continued).toBeGreaterThan(at(0).continued);
  // 70 and stepping back 84…60: every one a cache hit, no decoding
  for (let k = 2; k < 3 + back.length; k++) {
    expect(at(k).cacheHits, `frame ${at(k).i} from the cache`).toBe(before(k)!.cacheHits + 1);
    expect(at(k).restarts).toBe(at(1).restarts);
  }
  const k250 = 3 + back.length;
  expect(at(k250).restarts).toBe(at(k250 - 1).restarts + 1);
  expect(at(k250 + 1).restarts).toBe(at(k250).restarts); // 260: on from 250
  expect(at(k250 + 2).restarts).toBe(at(k250 + 1).restarts + 1); // 150: behind the decoder
  for (let k = k250 + 3; k < steps.length; k++) expect(at(k).restarts, `stepping to ${at(k).i}`).toBe(at(k250 + 2).restarts);
  const hitMs = steps.slice(2, 3 + back.length).map((s) => s.ms);
  console.log(
    `GOP cache: 80 ${at(0).ms.toFixed(1)} ms, 85 ${at(1).ms.toFixed(1)} ms, back-steps median ${hitMs.sort((a, b) => a - b)[hitMs.length >> 1].toFixed(2)} ms, 250 ${at(k250).ms.toFixed(1)} ms`,
  );
});

test('GOP cache: 8-bit gray H.264 is kept as 1 byte per pixel; frames equal sequential decoding', async ({ page }) => {
  test.setTimeout(180_000);
  await setUp(page);
  const r = await run(page, 'gray.mkv', [40, 20, 41, 120]);
  test.skip(r === null, 'this Chromium has no WebCodecs VideoDecoder');
  const { steps, stats } = r!;
  expect(stats.fallbacks).toBe(0);
  expect(wrong('gray.mkv', steps)).toEqual([]);
  // after frame 40 (decoded from 0; a jump keeps the 32 frames before its target): whole luma planes only
  expect(steps[0].cacheBytes % (W * H)).toBe(0);
  expect(steps[0].cacheBytes / (W * H)).toBeGreaterThanOrEqual(33);
  expect(steps[1].cacheHits).toBe(1); // 20 was decoded on the way
});

test('GOP cache: random access through a small cache equals sequential decoding', async ({ page }) => {
  test.setTimeout(240_000);
  await setUp(page);
  let x = 4242;
  const order: number[] = [];
  for (let k = 0; k < 70; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    // runs of a few steps forward or back from random places, as a scrubbing user makes them
    const base = x % N;
    const dir = (x >> 8) & 1 ? 1 : -1;
    for (let j = 0; j < 3; j++) order.push(Math.min(N - 1, Math.max(0, base + dir * j)));
  }
  // room for 30 colour frames: the GOP's frames are evicted on the way and decoded again
  const r = await run(page, 'color.mp4', order, 30 * ((W * H * 3) / 2));
  test.skip(r === null, 'this Chromium has no WebCodecs VideoDecoder');
  expect(r!.stats.fallbacks).toBe(0);
  expect(r!.stats.cacheBytes as number).toBeLessThanOrEqual(30 * ((W * H * 3) / 2));
  expect(wrong('color.mp4', r!.steps)).toEqual([]);
});

test('GOP cache: an aborted read leaves the decoder running; the frame comes next time, equal to sequential decoding', async ({ page }) => {
  test.setTimeout(120_000);
  await setUp(page);
  const r = await page.evaluate(async () => {
    if (typeof VideoDecoder === 'undefined') return null;
    const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
    const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
    const blob = await (await fetch('/__gopc/color.mp4')).blob();
    const vf = await V.openVideoFile(blobSourceFile('color.mp4', blob), { decoder: 'webcodecs' });
    const st = (vf as unknown as { stats: Record<string, number> }).stats;
    const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
    const ac = new AbortController();
    // abort once the decoder for 290 (GOP 200…299) has started
    const before = st.restarts;
    const poll = setInterval(() => st.restarts > before && (ac.abort(), clearInterval(poll)), 0);
    let aborted = '';
    try {
      await vf.readFrame(290, { pixFmt: 'yuv420p', signal: ac.signal });
    } catch (e) {
      aborted = (e as Error).name;
    }
    const restartsAfterAbort = st.restarts;
    const hashes: Record<number, string> = {};
    for (const i of [290, 291, 285])
      hashes[i] = hex(await crypto.subtle.digest('SHA-1', (await vf.readFrame(i, { pixFmt: 'yuv420p' })).data as Uint8Array<ArrayBuffer>));
    const out = { aborted, hashes, restartsAfterAbort, restarts: st.restarts, fallbacks: st.fallbacks };
    vf.close();
    return out;
  });
  test.skip(r === null, 'this Chromium has no WebCodecs VideoDecoder');
  expect(r!.aborted).toBe('AbortError');
  expect(r!.fallbacks).toBe(0);
  // the decoder started for 290 is fed on (or its frames are already in the cache): no new one
  expect(r!.restarts).toBe(r!.restartsAfterAbort);
  for (const i of [290, 291, 285]) expect(r!.hashes[i], `frame ${i}`).toBe(hashes['color.mp4'][i]);
});

test('scrubbing: readNearby gives the keyframe decoded alone (or a nearer decoded frame) at once; warm makes the next steps cache hits; all equal sequential decoding', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await setUp(page);
  const r = await page.evaluate(async () => {
    if (typeof VideoDecoder === 'undefined') return null;
    const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
    const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
    const blob = await (await fetch('/__gopc/color.mp4')).blob();
    const vf = await V.openVideoFile(blobSourceFile('color.mp4', blob), { decoder: 'webcodecs' });
    const st = (vf as unknown as { stats: Record<string, number> }).stats;
    const hex = async (b: Uint8Array) =>
      [...new Uint8Array(await crypto.subtle.digest('SHA-1', b as Uint8Array<ArrayBuffer>))].map((x) => x.toString(16).padStart(2, '0')).join('');
    const out: Record<string, unknown> = {};
    // 1. nothing decoded near 170 (GOP 100…199): its keyframe 100, decoded alone, while the exact
    //    read of 170 (from 100) is under way on the main decoder
    const restarts0 = st.restarts;
    let t0 = performance.now();
    const pa = vf.readNearby!(170, { pixFmt: 'yuv420p' });
    const exact = vf.readFrame(170, { pixFmt: 'yuv420p' });
    const a = await pa;
    out.keyMs = performance.now() - t0;
    out.a = a && { index: a.index, hash: await hex(a.frame.data) };
    out.previewKeys = st.previewKeys;
    out.exact = await hex((await exact).data);
    out.restartsForExact = st.restarts - restarts0;
    // 2. after 170 is decoded: near 175 the nearest decoded frame, not the keyframe
    const b = await vf.readNearby!(175, { pixFmt: 'yuv420p' });
    out.b = b && { index: b.index, hash: await hex(b.frame.data) };
    // 3. the wanted frame itself when it is decoded
    const c = await vf.readNearby!(170, { pixFmt: 'yuv420p' });
    out.c = c && c.index;
    // 4. paused on 170: warm decodes on; stepping 171…190 is then all cache hits
    t0 = performance.now();
    await vf.warm!(170);
    out.warmMs = performance.now() - t0;
    out.warmed = st.warmed;
    const hits0 = st.cacheHits;
    const restarts1 = st.restarts;
    const steps: { i: number; hash: string }[] = [];
    for (let i = 171; i <= 190; i++) steps.push({ i, hash: await hex((await vf.readFrame(i, { pixFmt: 'yuv420p' })).data) });
    out.steps = steps;
    out.stepHits = st.cacheHits - hits0;
    out.stepRestarts = st.restarts - restarts1;
    // 5. a read while warming aborts the warm step: it is not held up by the background work
    const w = vf.warm!(250);
    t0 = performance.now();
    out.duringWarm = await hex((await vf.readFrame(120, { pixFmt: 'yuv420p' })).data);
    await w;
    out.fallbacks = st.fallbacks;
    vf.close();
    return out;
  });
  test.skip(r === null, 'this Chromium has no WebCodecs VideoDecoder');
  const seq = hashes['color.mp4'];
  expect(r!.fallbacks).toBe(0);
  // the keyframe 100 decoded alone, unless the exact read had already given a nearer frame
  const a = r!.a as { index: number; hash: string };
  expect(a.index).toBeGreaterThanOrEqual(100);
  expect(a.index).toBeLessThanOrEqual(170);
  expect(a.hash).toBe(seq[a.index]);
  if (a.index === 100) expect(r!.previewKeys).toBe(1);
  expect(r!.exact).toBe(seq[170]);
  const b = r!.b as { index: number; hash: string };
  expect(Math.abs(b.index - 175)).toBeLessThan(75);
  expect(b.index).toBeGreaterThan(100);
  expect(b.hash).toBe(seq[b.index]);
  expect(r!.c).toBe(170);
  expect(r!.warmed as number).toBeGreaterThanOrEqual(10);
  for (const s of r!.steps as { i: number; hash: string }[]) expect(s.hash, `frame ${s.i}`).toBe(seq[s.i]);
  expect(r!.stepRestarts).toBe(0);
  expect(r!.stepHits as number).toBeGreaterThanOrEqual(15);
  expect(r!.duringWarm).toBe(seq[120]);
  console.log(`scrub preview: keyframe alone ${(r!.keyMs as number).toFixed(1)} ms; warm ${(r!.warmMs as number).toFixed(0)} ms for ${r!.warmed} frames`);
});
