/**
 * py-pde reader on bad input (real ffmpeg.wasm): truncated movies, garbled comments, broken files
 * and a bad .times side-car each give a FormatError naming the file; a FFV1 movie without py-pde
 * metadata is left to the plain video reader.
 */
import { expect, test } from '@playwright/test';
import { harness, requireFixtures } from './helpers/fixtures';

requireFixtures();

interface Outcome {
  name: string;
  warnings?: string[];
  frames?: number;
  format?: string;
  path?: string;
  reason?: string;
  offset?: number;
  message?: string;
}

/** In the page: open a (modified) fixture movie with the py-pde reader and report the error. */
async function attempt(
  page: import('@playwright/test').Page,
  movie: string,
  edit: { cut?: number; replace?: [string, string][]; times?: string; garbage?: boolean; strict?: boolean },
): Promise<Outcome> {
  return page.evaluate(
    async ({ movie, edit }) => {
      const { sourceTreeFromListing } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
      const { bytesSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
      const { open, openMovie } = (await import('/src/formats/pypde/open.ts' as string)) as typeof import('../src/formats/pypde/open');
      const all = await sourceTreeFromListing('/__fixtures/list/pypde', '/__fixtures/file/pypde');
      const f = all.files.find((x) => x.path === movie)!;
      let bytes = (await f.read(0, f.size)).slice();
      if (edit.cut !== undefined) bytes = bytes.slice(0, edit.cut);
      for (const [from, to] of edit.replace ?? []) {
        if (from.length !== to.length) throw new Error('replacement must keep the length');
        const text = new TextDecoder('latin1').decode(bytes);
        const at = text.indexOf(from);
        if (at < 0) throw new Error(`${from} not found in ${movie}`);
        for (let k = 0; k < to.length; k++) bytes[at + k] = to.charCodeAt(k);
      }
      if (edit.garbage) {
        // keep the RIFF/AVI header and the comment, scramble everything after the metadata
        const text = new TextDecoder('latin1').decode(bytes);
        const end = text.indexOf('write_times') + 40;
        let x = 12345;
        for (let k = end; k < bytes.length; k++) {
          x = (x * 1103515245 + 12345) >>> 0;
          bytes[k] = x >>> 24;
        }
        for (let k = 16; k < 200; k++) if (k % 7 === 0) bytes[k] ^= 0x5a;
      }
      const files = [bytesSourceFile(movie, bytes)];
      if (edit.times !== undefined) files.push(bytesSourceFile(movie + '.times', new TextEncoder().encode(edit.times)));
      try {
        const tree = { name: movie, files };
        const src = edit.strict ? await openMovie(tree, files[0], { strict: true }) : await open(tree);
        // opening may defer a problem to the first decode
        for (let i = 0; i < src.frames.length; i++) await src.readFrame(i);
        src.close();
        return { name: 'no error', format: src.format, warnings: src.warnings, frames: src.frames.length };
      } catch (e) {
        const err = e as { name: string; format?: string; path?: string; reason?: string; offset?: number; message?: string };
        return { name: err.name, format: err.format, path: err.path, reason: err.reason, offset: err.offset, message: err.message };
      }
    },
    { movie, edit },
  );
}

test.beforeEach(async ({ page }) => {
  await harness(page);
});

// The README's promise: a truncated movie is refused as a py-pde movie and opens as plain video with a warning.
test('truncated AVI (index and 11 of 20 frames cut off): plain video with a warning; strict: FormatError', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_16bit.avi', { cut: 15000 });
  expect(r).toMatchObject({ name: 'no error', format: 'video' });
  expect(r.frames).toBeGreaterThan(0);
  expect(r.frames).toBeLessThan(20);
  expect(r.warnings?.[0]).toMatch(/^scalar2d_16bit\.avi: truncated: the container declares 20 frames but only \d+ are present; refused as a py-pde movie/);
  const s = await attempt(page, 'scalar2d_16bit.avi', { cut: 15000, strict: true });
  expect(s).toMatchObject({ name: 'FormatError', format: 'pypde', path: 'scalar2d_16bit.avi' });
  expect(s.reason).toMatch(/truncated: the container declares 20 frames but only \d+ are present/);
});

test('truncated Matroska (frame count from the DURATION tag): plain video with a warning', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_16bit_mkv.mkv', { cut: 15000 });
  expect(r).toMatchObject({ name: 'no error', format: 'video' });
  expect(r.warnings?.[0]).toMatch(/^scalar2d_16bit_mkv\.mkv: truncated: the container declares 20 frames.*opened as plain video/);
  const s = await attempt(page, 'scalar2d_16bit_mkv.mkv', { cut: 15000, strict: true });
  expect(s).toMatchObject({ name: 'FormatError', format: 'pypde', path: 'scalar2d_16bit_mkv.mkv' });
});

test('movie cut inside its header', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_8bit.avi', { cut: 4700 });
  expect(r).toMatchObject({ name: 'FormatError', path: 'scalar2d_8bit.avi' });
});

test('comment that is not JSON', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_8bit.avi', { replace: [['"field_attributes": {', '"field_attributes": (']] });
  expect(r).toMatchObject({ name: 'FormatError', format: 'pypde', path: 'scalar2d_8bit.avi' });
  expect(r.reason).toMatch(/not valid JSON/);
});

test('comment with an unterminated shell quote', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_8bit.avi', { replace: [['"write_times": false}\'', '"write_times": false} ']] });
  expect(r).toMatchObject({ name: 'FormatError', path: 'scalar2d_8bit.avi' });
  expect(r.reason).toMatch(/unterminated single quote/);
});

test('comment without vmin', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_8bit.avi', { replace: [['"vmin": 0', '"vmix": 0']] });
  expect(r).toMatchObject({ name: 'FormatError', path: 'scalar2d_8bit.avi' });
  expect(r.reason).toMatch(/vmin is missing/);
});

test('vmin that is neither a number nor a list', async ({ page }) => {
  const r = await attempt(page, 'collection2d_16bit.avi', { replace: [['"vmin": [0, -2]', '"vmin": "0, -2"']] });
  expect(r).toMatchObject({ name: 'FormatError', path: 'collection2d_16bit.avi' });
  expect(r.reason).toMatch(/vmin/);
});

test('grid shape that does not match the video size', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_8bit.avi', { replace: [['[32, 24]', '[32, 25]']] });
  expect(r).toMatchObject({ name: 'FormatError', path: 'scalar2d_8bit.avi' });
  expect(r.reason).toMatch(/video is 32x24 but the grid needs 32x25/);
});

test('unknown field class', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_8bit.avi', { replace: [['ScalarField', 'ScalerField']] });
  expect(r).toMatchObject({ name: 'FormatError', path: 'scalar2d_8bit.avi' });
  expect(r.reason).toMatch(/unsupported field class ScalerField/);
});

test('unknown video_format', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_8bit.avi', { replace: [['"video_format": "gray"', '"video_format": "grey"']] });
  expect(r).toMatchObject({ name: 'FormatError', path: 'scalar2d_8bit.avi' });
  expect(r.reason).toMatch(/video_format "grey"/);
});

test('broken file: header and stream scrambled', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_8bit.avi', { garbage: true });
  expect(r).toMatchObject({ name: 'FormatError', path: 'scalar2d_8bit.avi' });
});

test('garbled .times side-car names the side-car and the offset', async ({ page }) => {
  const r = await attempt(page, 'scalar2d_16bit.avi', { times: '0\n0.5\n1.0\nabc\n' });
  expect(r).toMatchObject({ name: 'FormatError', format: 'pypde', path: 'scalar2d_16bit.avi.times', offset: 10 });
});

test('FFV1 movie without py-pde metadata: pypde sniff 0, opens as a plain video', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const { encodeVideo } = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
    const { bytesSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
    const { sniff } = (await import('/src/formats/pypde/sniff.ts' as string)) as typeof import('../src/formats/pypde/sniff');
    const { sniff: sniffVideo } = (await import('/src/formats/video/sniff.ts' as string)) as typeof import('../src/formats/video/sniff');
    const video = (await import('/src/formats/video/open.ts' as string)) as typeof import('../src/formats/video/open');
    const bytes = await encodeVideo({
      width: 16,
      height: 8,
      inputPixFmt: 'gray16le',
      frameCount: 3,
      frame: (i) => new Uint8Array(16 * 8 * 2).fill(i * 40),
      outputName: 'plain.avi',
      codecArgs: ['-c:v', 'ffv1'],
      fps: 25,
    });
    const tree = { name: 'plain', files: [bytesSourceFile('plain.avi', bytes)] };
    const src = await video.open(tree);
    const f = await src.readFrame(2);
    const out = { pypde: await sniff(tree), video: await sniffVideo(tree), frames: src.frames.length, shape: f.fields.image.shape, codec: src.metadata.codec };
    src.close();
    return out;
  });
  expect(r).toEqual({ pypde: 0, video: 0.5, frames: 3, shape: [8, 16, 3], codec: 'ffv1' });
});
