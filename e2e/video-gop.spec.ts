/**
 * H.264 random access equals sequential decoding, bit for bit, on files whose sync flags are not
 * all clean restart points: x264 open GOP (non-IDR I-frames with a recovery-point SEI, leading
 * B-frames) in MP4 and Matroska, a closed-GOP control, and files whose sync table / key flags also
 * mark plain I-frames and P-frames (as some muxers write them). Every frame is requested in a
 * shuffled order through WebCodecs (where it applies) and through ffmpeg.wasm, and its yuv420p
 * planes are compared (SHA-1) with native ffmpeg's sequential decode of the whole file.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { readMkvVideoIndex } from '../src/video/mkv-index';
import { nodeSourceFile } from '../src/io/node';
import { decodeOrderTypes, encodeH264, remux, rewriteStss, sequentialHashes, setMkvKeyFlags } from '../tests/video/h264-files';
import { HAS_FFMPEG, NO_FFMPEG, tempDir } from '../tests/video/native';
import { harness } from './helpers/fixtures';

test.skip(!HAS_FFMPEG, NO_FFMPEG);

const N = 96;
const tmp = tempDir('fs-gop-');
const files: { name: string; hashes: string[]; webcodecs: boolean; bogus: number }[] = [];

test.beforeAll(async () => {
  const p = tmp.path;
  encodeH264(p('open-gop.mp4'), N, 'open-gop=1:keyint=24:min-keyint=24:scenecut=0:b-adapt=0:bframes=3:b-pyramid=normal:ref=4');
  remux(p('open-gop.mp4'), p('open-gop.mkv'));
  encodeH264(p('closed-gop.mp4'), N, 'keyint=24:min-keyint=24:scenecut=0:b-adapt=0:bframes=3:ref=4');
  remux(p('closed-gop.mp4'), p('closed-gop.mkv'));
  // plain I-frames at scene cuts (no IDR, no recovery point) and some P-frames flagged as sync
  encodeH264(p('false-sync.mp4'), N, 'keyint=1000:min-keyint=1000:scenecut=40:bframes=2:ref=6', { cut: 14 });
  remux(p('false-sync.mp4'), p('false-sync.mkv'));
  const types = decodeOrderTypes(p('false-sync.mp4'));
  const flagged = types.map((t, k) => (k === 0 || t.type === 'I' || (t.type === 'P' && k % 9 === 0) ? k : -1)).filter((k) => k >= 0);
  rewriteStss(p('false-sync.mp4'), flagged);
  const mkv = await readMkvVideoIndex(nodeSourceFile('false-sync.mkv', p('false-sync.mkv'), readFileSync(p('false-sync.mkv')).length));
  setMkvKeyFlags(p('false-sync.mkv'), mkv!.offsets, flagged);
  for (const name of ['open-gop.mp4', 'open-gop.mkv', 'closed-gop.mp4', 'closed-gop.mkv', 'false-sync.mp4', 'false-sync.mkv'])
    files.push({ name, hashes: sequentialHashes(p(name)), webcodecs: true, bogus: name.startsWith('false') ? flagged.length - 1 : 0 });
});

test.afterAll(() => tmp.remove());

/** In the page: open `name` with one decoder and read every frame in a shuffled order; SHA-1 per frame. */
async function randomAccess(page: import('@playwright/test').Page, name: string, decoder: 'webcodecs' | 'ffmpeg', order: number[]) {
  return page.evaluate(
    async ({ name, decoder, order }) => {
      const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
      const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
      const blob = await (await fetch(`/__gen/${name}`)).blob();
      const vf = await V.openVideoFile(blobSourceFile(name, blob), { decoder, cacheBytes: 6 * 160 * 96 });
      const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
      const hashes: Record<number, string> = {};
      for (const i of order) {
        const f = await vf.readFrame(i, { pixFmt: 'yuv420p' });
        hashes[i] = hex(await crypto.subtle.digest('SHA-1', f.data as Uint8Array<ArrayBuffer>));
      }
      const out = { frames: vf.info.frameCount, hashes, stats: (vf as { stats?: Record<string, unknown> }).stats };
      vf.close();
      return out;
    },
    { name, decoder, order },
  );
}

function shuffled(n: number, seed: number, every = 1): number[] {
  const a = [...Array(n).keys()].filter((i) => i % every === 0 || i === n - 1);
  let x = seed;
  for (let i = a.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) >>> 0;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

for (const name of ['open-gop.mp4', 'open-gop.mkv', 'closed-gop.mp4', 'closed-gop.mkv', 'false-sync.mp4', 'false-sync.mkv']) {
  for (const decoder of ['webcodecs', 'ffmpeg'] as const) {
    test(`${name} via ${decoder}: every frame requested out of order equals sequential decoding`, async ({ page }) => {
      test.setTimeout(300_000);
      const f = files.find((x) => x.name === name)!;
      test.skip(decoder === 'webcodecs' && !f.webcodecs, 'no WebCodecs path for this container');
      await page.route('**/__gen/*', (r) => r.fulfill({ body: readFileSync(tmp.path(r.request().url().split('/').pop()!)) }));
      await harness(page);
      if (decoder === 'webcodecs') {
        const has = await page.evaluate(() => typeof VideoDecoder !== 'undefined');
        test.skip(!has, 'this Chromium has no WebCodecs VideoDecoder');
      }
      expect(f.hashes.length).toBe(N);
      // ffmpeg.wasm: every third frame (and the last) keeps the run time reasonable on 2 cores
      const order = shuffled(N, 7, decoder === 'ffmpeg' ? 3 : 1);
      const r = await randomAccess(page, name, decoder, order);
      expect(r.frames).toBe(N);
      if (decoder === 'webcodecs') {
        expect((r.stats as { decoder: string }).decoder).toBe('webcodecs');
        // no frame went over to ffmpeg.wasm (open-GOP restart points included: their leading pictures are not fed)
        expect((r.stats as { fallbacks: number; fallbackReason?: string }).fallbackReason ?? '').toBe('');
        expect((r.stats as { fallbacks: number }).fallbacks).toBe(0);
      }
      // the seek checks accept every seek to a clean restart point (no decode-from-start fallback)
      if (decoder === 'ffmpeg') expect((r.stats as { fallbacks: number }).fallbacks).toBe(0);
      const wrong = order.filter((i) => r.hashes[i] !== f.hashes[i]);
      expect(wrong, `${name} via ${decoder}: frames differing from sequential decoding`).toEqual([]);
    });
  }
}
