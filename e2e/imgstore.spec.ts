/**
 * imgstore stores that need the browser (jpg directory store, every video store) decoded in
 * Chromium with the real ffmpeg.wasm / browser JPEG decoder, checked against imgstore's read-back
 * (expected.json): every frame's barcode = its frame_number, per-frame mean within the lossy
 * tolerance, colour order (red/green/blue marker blocks), frame table, lookups and date-times.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { FIXTURES, harness, requireFixtures } from './helpers/fixtures';

requireFixtures();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const expected = (store: string): Record<string, any> => JSON.parse(readFileSync(join(FIXTURES!, 'imgstore', store, 'expected.json'), 'utf8'));

interface FrameSummary {
  index: number;
  number: number;
  time: number | null;
  kind: string;
  shape: number[];
  mean: number;
  barcode: number;
  datetime: unknown;
  marks: number[][];
}

/** Runs in the page: open a fixture store and summarise the requested frames. */
async function readStore(page: import('@playwright/test').Page, store: string, indices: number[] | 'all') {
  try {
    return await readStoreOnce(page, store, indices);
  } catch (e) {
    // Vite's dependency optimiser may reload the page the first time it meets a new import (yaml)
    if (!/Execution context was destroyed/.test(String(e))) throw e;
    await harness(page);
    return readStoreOnce(page, store, indices);
  }
}

async function readStoreOnce(page: import('@playwright/test').Page, store: string, indices: number[] | 'all') {
  return page.evaluate(
    async ({ store, indices }) => {
      const { sourceTreeFromListing } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
      const { open } = (await import('/src/formats/imgstore/open.ts' as string)) as typeof import('../src/formats/imgstore/open');
      const tree = await sourceTreeFromListing(`/__fixtures/list/imgstore/${store}`, `/__fixtures/file/imgstore/${store}`);
      const src = await open(tree);
      const list = indices === 'all' ? src.frames.map((f) => f.index) : indices;
      const frames: FrameSummary[] = [];
      for (const i of list) {
        const f = await src.readFrame(i);
        const im = f.fields.image;
        const [h, w] = im.shape;
        const c = im.kind === 'rgb' ? 3 : 1;
        const v = im.values!;
        let s = 0;
        for (let k = 0; k < v.length; k++) s += v[k];
        let bc = 0;
        for (let b = 0; b < 16; b++) {
          let m = 0;
          for (let k = 0; k < c; k++) m += v[(44 * w + 4 * b + 2) * c + k];
          bc = (bc << 1) | (m / c > 127 ? 1 : 0);
        }
        const px = (x: number, y: number) => Array.from(v.subarray((y * w + x) * c, (y * w + x) * c + c));
        frames.push({
          index: f.info.index,
          number: f.info.number,
          time: f.info.time,
          kind: im.kind,
          shape: im.shape,
          mean: s / v.length,
          barcode: h >= 48 && w >= 64 ? bc : -1,
          datetime: f.attributes.datetime,
          marks: h >= 48 && w >= 64 ? [px(3, 3), px(60, 3), px(31, 3)] : [],
        });
      }
      const warnings = [...(await src.verifyChunks())];
      const out = {
        count: src.frames.length,
        numbers: src.frames.map((f) => f.number),
        times: src.frames.map((f) => f.time),
        frames,
        warnings,
        nearest: [] as number[],
      };
      src.close();
      return out;
    },
    { store, indices },
  );
}

const LOSSY_STORES: [string, number][] = [
  // store, tolerance on the per-frame mean vs imgstore's own (OpenCV/libjpeg/libavcodec) decode
  ['dir_jpg_color', 1.5],
  ['video_mjpeg_avi_color', 1.5],
  ['video_avc1_mp4_gray', 2],
  ['video_h264_mkv_color', 2],
];

for (const [store, tol] of LOSSY_STORES) {
  test(`${store}: every frame decodes with its own barcode, means within ${tol}, colour order`, async ({ page }) => {
    test.setTimeout(180_000);
    await harness(page);
    const ex = expected(store);
    const r = await readStore(page, store, 'all');
    expect(r.count).toBe(ex.frame_count);
    expect(r.numbers).toEqual(ex.frame_metadata.frame_number);
    expect(r.times).toEqual(ex.frame_metadata.frame_time);
    expect(r.warnings).toEqual([]);
    const gray = ex.image_shape.length === 2;
    for (const want of ex.all_frames_sequential) {
      const got = r.frames[want.frame_index];
      expect(got.number).toBe(want.frame_number);
      expect(got.time).toBe(want.frame_time);
      expect(got.shape).toEqual(want.shape);
      expect(got.kind).toBe(gray ? 'scalar' : 'rgb');
      expect(got.barcode, `barcode of frame_index ${want.frame_index}`).toBe(want.frame_number);
      expect(Math.abs(got.mean - want.mean), `mean of frame_index ${want.frame_index}`).toBeLessThan(tol);
      if (!gray) {
        const [red, green, blue] = got.marks;
        const near = (a: number[], b: number[]) => a.every((x, i) => Math.abs(x - b[i]) < 48);
        expect(near(red, [255, 0, 0]), `red ${red}`).toBe(true);
        expect(near(green, [0, 255, 0]), `green ${green}`).toBe(true);
        expect(near(blue, [0, 0, 255]), `blue ${blue}`).toBe(true);
      }
    }
    const dt = ex.convert_frame_time_to_datetime[String(ex.frame_time_min)]['recording_tz(user timezone)'];
    expect(r.frames[0].datetime).toBe(dt);
  });
}

test('video_mjpeg_avi_motif_style_extra_SYNTHETIC: frames and Motif extra data', async ({ page }) => {
  await harness(page);
  const ex = expected('video_mjpeg_avi_motif_style_extra_SYNTHETIC');
  const r = await readStore(page, 'video_mjpeg_avi_motif_style_extra_SYNTHETIC', [0, 19, 20, 29]);
  expect(r.count).toBe(30);
  expect(r.numbers).toEqual(ex.frame_metadata.frame_number);
  for (const f of r.frames) expect(f.barcode).toBe(f.number);
  expect(r.warnings).toEqual([]);
});

test('legacy_store_mp4_from_imgstore_tests (H.264 High 4:4:4, old Motif metadata): frames by index', async ({ page }) => {
  test.setTimeout(180_000);
  await harness(page);
  const ex = expected('legacy_store_mp4_from_imgstore_tests');
  const idx = ex.get_image_by_frame_index.map((g: { frame_index: number }) => g.frame_index);
  const r = await readStore(page, 'legacy_store_mp4_from_imgstore_tests', idx);
  expect(r.count).toBe(179);
  for (const [k, g] of ex.get_image_by_frame_index.entries()) {
    const got = r.frames[k];
    expect(got.number).toBe(g.frame_number);
    expect(got.time).toBe(g.frame_time);
    expect(got.shape).toEqual(g.shape);
    expect(got.kind).toBe('scalar');
    expect(Math.abs(got.mean - g.mean), `mean of frame_index ${g.frame_index}`).toBeLessThan(1.5);
  }
});

test('openDataset picks imgstore for a dropped store; nearest lookups; truncated video chunk is reported', async ({ page }) => {
  test.setTimeout(180_000);
  await harness(page);
  const ex = expected('video_mjpeg_avi_color');
  const r = await page.evaluate(
    async (probes: number[]) => {
      const { sourceTreeFromListing } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
      const { bytesSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
      const { detectFormat } = (await import('/src/formats/registry.ts' as string)) as typeof import('../src/formats/registry');
      const { open } = (await import('/src/formats/imgstore/open.ts' as string)) as typeof import('../src/formats/imgstore/open');
      const tree = await sourceTreeFromListing('/__fixtures/list/imgstore/video_mjpeg_avi_color', '/__fixtures/file/imgstore/video_mjpeg_avi_color');
      const fmt = (await detectFormat(tree))?.id;
      const src = await open(tree);
      const nearest = probes.map((t) => src.frames[src.nearestIndex(t)].number);
      src.close();
      // cut chunk 1's video in half: the index still lists 20 frames
      const files = await Promise.all(
        tree.files.map(async (f) => (f.path === '000001.avi' ? bytesSourceFile(f.path, (await f.read(0, f.size)).slice(0, Math.floor(f.size / 2))) : f)),
      );
      const bad = await open({ name: tree.name, files });
      let error = '';
      try {
        await bad.readFrame(39);
      } catch (e) {
        error = `${(e as Error).name}: ${(e as Error).message}`;
      }
      const ok = await bad.readFrame(20);
      const first = await bad.readFrame(0);
      return { fmt, nearest, count: bad.frames.length, warnings: [...bad.warnings], error, ok: ok.info.number, first: first.info.number };
    },
    ex.get_nearest_image.map((g: { time: number }) => g.time),
  );
  expect(r.fmt).toBe('imgstore');
  expect(r.nearest).toEqual(ex.get_nearest_image.map((g: { frame_number: number }) => g.frame_number));
  expect(r.count).toBe(50);
  expect(r.warnings.join('\n')).toMatch(/000001\.avi: the video has \d+ decodable frames but its index lists 20/);
  expect(r.error).toMatch(/FormatError.*000001\.avi/);
  expect(r.ok).toBe(1022);
  expect(r.first).toBe(1000);
});
