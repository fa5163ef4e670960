/**
 * What the video layer throws is always an Error subclass in words (real ffmpeg.wasm in Chromium):
 * py-pde movies with damaged AVI/Matroska headers give a FormatError naming the file (never the
 * string "[object Object]" ffmpeg.wasm rejects with); a truncated py-pde movie opened through
 * openDataset is a plain video with a warning; the decode watchdog cancels a silent decode, fails
 * that frame with a FormatError naming file and frame, and the next decode works on a fresh instance.
 */
import { expect, test } from '@playwright/test';
import { harness, requireFixtures } from './helpers/fixtures';

requireFixtures();

test.beforeEach(async ({ page }) => {
  await harness(page);
});

interface Outcome {
  movie: string;
  at: number;
  name: string;
  isError: boolean;
  format?: string;
  path?: string;
  message?: string;
}

test('py-pde movies with damaged headers: every failure a FormatError naming the file, in words', async ({ page }) => {
  test.setTimeout(300_000);
  const r = await page.evaluate(async () => {
    const { sourceTreeFromListing } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
    const { bytesSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
    const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
    const all = await sourceTreeFromListing('/__fixtures/list/pypde', '/__fixtures/file/pypde');
    const out: Outcome[] = [];
    for (const movie of ['scalar2d_16bit_mkv.mkv', 'scalar2d_8bit.avi']) {
      const f = all.files.find((x) => x.path === movie)!;
      const orig = (await f.read(0, f.size)).slice();
      const text = new TextDecoder('latin1').decode(orig);
      const metaAt = text.indexOf('field_attributes');
      // damage 24-byte windows across the container header (before the py-pde comment and after it)
      const spots = [4, 12, 24, 40, 64, 100, 160, 240, metaAt + 900, metaAt + 1400].filter((x) => x > 0 && x + 24 < orig.length);
      for (const at of spots) {
        const bytes = orig.slice();
        let x = at * 2654435761;
        for (let k = at; k < at + 24; k++) {
          x = (x * 1103515245 + 12345) >>> 0;
          bytes[k] = x >>> 24;
        }
        let o: Outcome;
        try {
          const src = await openDataset({ name: movie, files: [bytesSourceFile(movie, bytes)] });
          for (let i = 0; i < src.frames.length; i += 7) await src.readFrame(i);
          src.close();
          o = { movie, at, name: 'opened', isError: false };
        } catch (e) {
          const err = e as { name?: string; format?: string; path?: string; message?: string };
          o = { movie, at, name: String(err?.name), isError: e instanceof Error, format: err?.format, path: err?.path, message: String(err?.message ?? e) };
        }
        out.push(o);
      }
    }
    return out;
  });
  expect(r.length).toBeGreaterThan(12);
  const failed = r.filter((o) => o.name !== 'opened');
  expect(failed.length, JSON.stringify(r, null, 1)).toBeGreaterThan(0);
  for (const o of failed) {
    const where = `${o.movie} damaged at ${o.at}: ${o.message}`;
    expect(o.isError, where).toBe(true);
    expect(o.name, where).toBe('FormatError');
    expect(o.path, where).toBe(o.movie);
    expect(o.message, where).not.toMatch(/\[object Object\]|undefined/);
    expect((o.message ?? '').length, where).toBeGreaterThan(o.movie.length + 12);
  }
});

test('a truncated py-pde movie through openDataset: plain video with a warning, frames readable', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const { sourceTreeFromListing } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
    const { bytesSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
    const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
    const all = await sourceTreeFromListing('/__fixtures/list/pypde', '/__fixtures/file/pypde');
    const f = all.files.find((x) => x.path === 'scalar2d_8bit.avi')!;
    const bytes = (await f.read(0, f.size)).slice(0, Math.floor(f.size * 0.6));
    const src = await openDataset({ name: 'cut', files: [bytesSourceFile('scalar2d_8bit.avi', bytes)] });
    const last = await src.readFrame(src.frames.length - 1);
    const out = { format: src.format, frames: src.frames.length, warnings: src.warnings, shape: last.fields.image.shape };
    src.close();
    return out;
  });
  expect(r.format).toBe('video');
  expect(r.frames).toBeGreaterThan(0);
  expect(r.frames).toBeLessThan(20);
  expect(r.shape).toEqual([24, 32, 3]);
  expect(r.warnings?.[0]).toMatch(/^scalar2d_8bit\.avi: truncated: the container declares 20 frames but only \d+ are present; refused as a py-pde movie/);
});

test('decode watchdog: a decode silent past the bound fails the frame in words; the next one works', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const { sourceTreeFromListing } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
    const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
    const all = await sourceTreeFromListing('/__fixtures/list/isf', '/__fixtures/file/isf');
    const file = all.files.find((f) => f.path === 'out_fps50.mp4')!;
    // a 1 ms bound: no decode answers that fast, so the watchdog fires on the first one
    const vf = await V.openVideoFile(file, { decoder: 'ffmpeg', watchdogMs: 1 });
    const t0 = performance.now();
    let err: { name?: string; format?: string; path?: string; message?: string } = {};
    try {
      await vf.readFrame(3, { pixFmt: 'rgb24' });
    } catch (e) {
      err = e as typeof err;
    }
    const ms = performance.now() - t0;
    vf.close();
    const ok = await V.openVideoFile(file, { decoder: 'ffmpeg' });
    const f = await ok.readFrame(3, { pixFmt: 'rgb24' });
    ok.close();
    return { name: err.name, format: err.format, path: err.path, message: err.message, ms, after: f.data.length };
  });
  expect(r.name).toBe('FormatError');
  expect(r.format).toBe('video');
  expect(r.path).toBe('out_fps50.mp4');
  expect(r.message).toMatch(/frame 3: ffmpeg\.wasm gave no output for .* s: the decode was cancelled and the decoder restarted/);
  expect(r.ms).toBeLessThan(10_000);
  expect(r.after).toBe(331 * 247 * 3);
});
