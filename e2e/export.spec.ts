/**
 * Export targets that need the browser (ffmpeg.wasm, WebCodecs, OffscreenCanvas), in Chromium:
 * py-pde movies read back by our py-pde reader, and the rendered movies decoded again and compared
 * with compose-frame's picture of the same frame.
 */
import { expect, test } from '@playwright/test';
import { harness, requireFixtures } from './helpers/fixtures';

requireFixtures();
test.setTimeout(240_000);
// the dev server reloads the harness page when another engineer edits a module it imported
// ("Execution context was destroyed"): retry such runs
test.describe.configure({ retries: 2 });

type Mods = {
  url: typeof import('../src/io/url');
  pypde: typeof import('../src/formats/pypde/open');
  exp: typeof import('../src/export/index');
  slice: typeof import('../src/io/slice-file');
};

for (const movie of ['scalar2d_16bit.avi', 'vector2d_8bit.avi', 'collection2d_mixed_8bit.avi', 'polar_vector_16bit.avi', 'scalar2d_16bit_mkv.mkv']) {
  test(`pypde-movie round trip: ${movie} → export → our py-pde reader (one quantisation step, same times and grid)`, async ({ page }) => {
    await harness(page);
    const r = await page.evaluate(async (movie) => {
      const m = {
        url: await import('/src/io/url.ts' as string),
        pypde: await import('/src/formats/pypde/open.ts' as string),
        exp: await import('/src/export/index.ts' as string),
        slice: await import('/src/io/slice-file.ts' as string),
      } as Mods;
      const all = await m.url.sourceTreeFromListing('/__fixtures/list/pypde', '/__fixtures/file/pypde');
      const src = await m.pypde.open({ name: movie, files: all.files.filter((f) => f.path === movie || f.path === movie + '.times') });
      const progress: number[] = [];
      const t0 = performance.now();
      const files = (await m.exp.exportDataset(
        src,
        { target: 'pypde-movie', options: { name: 'out', info: { note: "it's ours" } } },
        { onProgress: (d) => progress.push(d) },
      )) as { path: string; bytes: Uint8Array; note?: string }[];
      const ms = performance.now() - t0;
      const back = await m.pypde.open({ name: 'out', files: files.map((f) => m.slice.bytesSourceFile(f.path, f.bytes)) });
      const mdA = src.metadata as {
        grid: { class: string; state: unknown };
        fields: Record<string, { quantisationStep: number }>;
        video: { videoFormat: string };
      };
      const mdB = back.metadata as typeof mdA & { info: Record<string, unknown> };
      let worst = 0; // in units of the export's quantisation step
      let below = true; // py-pde truncates: read-back ≤ original
      for (let i = 0; i < src.frames.length; i++) {
        const a = await src.readFrame(i);
        const b = await back.readFrame(i);
        for (const f of src.fields) {
          const step = mdB.fields[f.name].quantisationStep;
          const fa = a.fields[f.name];
          const fb = b.fields[f.name];
          const pairs =
            fa.kind === 'vector'
              ? [
                  [fa.u!, fb.u!],
                  [fa.v!, fb.v!],
                ]
              : [[fa.values!, fb.values!]];
          for (const [x, y] of pairs) {
            for (let k = 0; k < x.length; k++) {
              const d = (Number(x[k]) - Number(y[k])) / step;
              if (Math.abs(d) > worst) worst = Math.abs(d);
              if (d < -1e-3) below = false;
            }
          }
        }
      }
      return {
        paths: files.map((f) => f.path),
        note: files[0].note,
        ms,
        progressLast: progress[progress.length - 1],
        progressCount: progress.length,
        frames: [src.frames.length, back.frames.length],
        timesA: src.frames.map((f) => f.time),
        timesB: back.frames.map((f) => f.time),
        fieldsA: src.fields.map((f) => `${f.name}:${f.kind}:${f.shape}`),
        fieldsB: back.fields.map((f) => `${f.name}:${f.kind}:${f.shape}`),
        gridA: mdA.grid.state,
        gridB: mdB.grid.state,
        fmt: [mdA.video.videoFormat, mdB.video.videoFormat],
        info: mdB.info,
        worst,
        below,
      };
    }, movie);
    console.log(`${movie}: ${r.frames[0]} frames exported in ${r.ms.toFixed(0)} ms; ${r.note}; worst error ${r.worst.toFixed(3)} steps`);
    expect(r.paths).toEqual(['out.avi', 'out.avi.times']); // default container
    expect(r.frames[1]).toBe(r.frames[0]);
    expect(r.timesB).toEqual(r.timesA);
    expect(r.fieldsB).toEqual(r.fieldsA);
    expect(r.gridB).toEqual(r.gridA);
    // 16-bit by default: an 8-bit source becomes a 16-bit movie
    expect(r.fmt[1]).toMatch(/16le$/);
    expect(r.info.note).toBe("it's ours");
    // float32 vector components carry ~1e-7 relative rounding on both sides: allow 1 % of a step
    expect(r.worst).toBeLessThanOrEqual(1.01);
    expect(r.below).toBe(true);
    expect(r.progressLast).toBe(r.frames[0]); // progress counts frames (limits scan, then encode)
  });
}

test('pypde-movie from a non-py-pde source (PhiFlow scene): CartesianGrid from the scales, 8 bit, given limits', async ({ page }) => {
  await harness(page);
  const r = await page.evaluate(async () => {
    const url = (await import('/src/io/url.ts' as string)) as Mods['url'];
    const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
    const { open } = (await import('/src/formats/pypde/open.ts' as string)) as Mods['pypde'];
    const exp = (await import('/src/export/index.ts' as string)) as Mods['exp'];
    const slice = (await import('/src/io/slice-file.ts' as string)) as Mods['slice'];
    const src = await openDataset(await url.sourceTreeFromListing('/__fixtures/list/phiflow/scenes/sim_000000', '/__fixtures/file/phiflow/scenes/sim_000000'));
    const files = await exp.exportDataset(src, {
      target: 'pypde-movie',
      fields: ['density', 'centered_vector'],
      frames: [0, 3, 6, 9],
      options: { bits: 8, vmin: [-1, -2], vmax: [1, 2], container: 'mkv' },
    });
    const back = await open({ name: 'x', files: files.map((f) => slice.bytesSourceFile(f.path, f.bytes)) });
    const md = back.metadata as {
      grid: { state: unknown };
      video: { videoFormat: string; storedPixFmt: string };
      fields: Record<string, { vmin: number; vmax: number }>;
    };
    const a = await src.readFrame(6);
    const b = await back.readFrame(2);
    let worst = 0;
    const d = a.fields.density.values!;
    const e = b.fields.density.values!;
    for (let k = 0; k < d.length; k++) worst = Math.max(worst, Math.abs(d[k] - e[k]) / (2 / 255));
    const u = a.fields.centered_vector.u!;
    const ub = b.fields.centered_vector.u!;
    for (let k = 0; k < u.length; k++) worst = Math.max(worst, Math.abs(Math.min(2, Math.max(-2, u[k])) - ub[k]) / (4 / 255));
    return {
      grid: md.grid.state,
      fmt: md.video.videoFormat,
      stored: md.video.storedPixFmt,
      times: back.frames.map((f) => f.time),
      names: back.fields.map((f) => f.name),
      lim: md.fields.density,
      worst,
      scaleX: b.fields.density.scales!.x,
    };
  });
  expect(r.grid).toEqual({
    bounds: [
      [0, 2],
      [0, 1.5],
    ],
    shape: [32, 24],
    periodic: [false, false],
    class: 'CartesianGrid',
  });
  expect(r.fmt).toBe('rgb24');
  expect(r.stored).toBe('bgr0');
  expect(r.names).toEqual(['density', 'centered_vector']);
  r.times.forEach((t, k) => expect(t).toBeCloseTo([0, 0.3, 0.6, 0.9][k], 12));
  expect(r.lim).toMatchObject({ vmin: -1, vmax: 1 });
  expect(r.worst).toBeLessThanOrEqual(1);
  expect(r.scaleX.slope).toBeCloseTo(0.0625, 12);
  expect(r.scaleX.offset).toBeCloseTo(0.03125, 12);
});

interface MovieCheck {
  path: string;
  note?: string;
  bytes: number;
  ms: number;
  info: { codec: string; width: number; height: number; frameCount: number; fps: number | null; times: number[]; pixFmt: string };
  composed: [number, number];
  mad: number[];
}

async function renderedMovie(
  page: import('@playwright/test').Page,
  target: string,
  options: Record<string, unknown>,
  frames: number[],
  checkAt: number[],
): Promise<MovieCheck> {
  await harness(page);
  return page.evaluate(
    async ({ target, options, frames, checkAt }) => {
      const url = (await import('/src/io/url.ts' as string)) as Mods['url'];
      const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
      const exp = (await import('/src/export/index.ts' as string)) as Mods['exp'];
      const slice = (await import('/src/io/slice-file.ts' as string)) as Mods['slice'];
      const { openVideo } = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
      const { composeFrame } = (await import('/src/render/compose-frame.ts' as string)) as typeof import('../src/render/compose-frame');
      const { planRender } = (await import('/src/export/render-plan.ts' as string)) as typeof import('../src/export/render-plan');
      const { readOptions } = (await import('/src/export/targets.ts' as string)) as typeof import('../src/export/targets');
      type RenderOptions = import('../src/export/render-options').RenderOptions;
      const src = await openDataset(
        await url.sourceTreeFromListing('/__fixtures/list/phiflow/scenes/sim_000001', '/__fixtures/file/phiflow/scenes/sim_000001'),
      );
      const t0 = performance.now();
      const files = (await exp.exportDataset(src, { target, frames, options })) as { path: string; bytes: Uint8Array; note?: string }[];
      const ms = performance.now() - t0;
      const vf = await openVideo(slice.bytesSourceFile(files[0].path, files[0].bytes));
      const plan = await planRender(src, { target, frames }, readOptions(target, options) as RenderOptions);
      const mad: number[] = [];
      let composed: [number, number] = [0, 0];
      for (const k of checkAt) {
        const want = composeFrame(await src.readFrame(frames[k]), plan.compose);
        composed = [want.width, want.height];
        const got = await vf.readFrame(k, { pixFmt: 'rgb24' });
        let sum = 0;
        const n = want.width * want.height;
        for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) sum += Math.abs(want.rgba[4 * i + c] - got.data[3 * i + c]);
        mad.push(sum / (3 * n));
      }
      const info = vf.info;
      vf.close();
      return {
        path: files[0].path,
        note: files[0].note,
        bytes: files[0].bytes.length,
        ms,
        info: { codec: info.codec, width: info.width, height: info.height, frameCount: info.frameCount, fps: info.fps, times: info.times, pixFmt: info.pixFmt },
        composed,
        mad,
      };
    },
    { target, options, frames, checkAt },
  );
}

function expectTiming(r: MovieCheck, n: number, frameMs: number) {
  expect(r.info.frameCount).toBe(n);
  expect(r.info.times.length).toBe(n);
  for (let k = 1; k < n; k++) expect(r.info.times[k] - r.info.times[k - 1]).toBeCloseTo(frameMs / 1000, 6);
  if (r.info.fps !== null) expect(r.info.fps).toBeCloseTo(1000 / frameMs, 6);
}

const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

test('mp4 H.264 (WebCodecs + mp4box): 10 frames, 20 ms/frame = 50 fps, decoded frames match compose-frame', async ({ page }) => {
  const r = await renderedMovie(page, 'mp4', { field: 'velocity', frameDurationMs: 20, codec: 'h264', encoder: 'webcodecs' }, ALL, [0, 5, 9]);
  console.log(`mp4/h264 webcodecs: ${r.bytes} bytes in ${r.ms.toFixed(0)} ms; ${r.note}; MAD ${r.mad.map((x) => x.toFixed(2)).join(', ')}`);
  expect(r.info.codec).toBe('h264');
  expect([r.info.width, r.info.height]).toEqual(r.composed);
  expectTiming(r, 10, 20);
  for (const m of r.mad) expect(m).toBeLessThan(4);
});

test('mp4 H.264 with x264 in ffmpeg.wasm (the fallback): 40 ms/frame = 25 fps', async ({ page }) => {
  const r = await renderedMovie(page, 'mp4', { field: 'density', frameDurationMs: 40, codec: 'h264', encoder: 'x264' }, [0, 2, 4, 6], [1, 3]);
  console.log(`mp4/x264: ${r.bytes} bytes in ${r.ms.toFixed(0)} ms; ${r.note}; MAD ${r.mad.map((x) => x.toFixed(2)).join(', ')}`);
  expect(r.info.codec).toBe('h264');
  expectTiming(r, 4, 40);
  for (const m of r.mad) expect(m).toBeLessThan(8);
});

test('mp4 mpeg4 -q:v 2 (ISF write_video, tpf honoured): 20 ms/frame = 50 fps', async ({ page }) => {
  const r = await renderedMovie(page, 'mp4', { field: 'density', frameDurationMs: 20, codec: 'mpeg4', quality: 2, colormap: 'inferno' }, ALL, [0, 9]);
  console.log(`mp4/mpeg4: ${r.bytes} bytes in ${r.ms.toFixed(0)} ms; ${r.note}; MAD ${r.mad.map((x) => x.toFixed(2)).join(', ')}`);
  expect(r.info.codec).toBe('mpeg4');
  expectTiming(r, 10, 20);
  for (const m of r.mad) expect(m).toBeLessThan(5);
});

test('webm VP8: 10 frames at 50 fps', async ({ page }) => {
  const r = await renderedMovie(page, 'webm', { field: 'velocity', frameDurationMs: 20 }, ALL, [0, 9]);
  console.log(`webm/vp8: ${r.bytes} bytes in ${r.ms.toFixed(0)} ms; ${r.note}; MAD ${r.mad.map((x) => x.toFixed(2)).join(', ')}`);
  expect(r.info.codec).toBe('vp8');
  expectTiming(r, 10, 20);
  for (const m of r.mad) expect(m).toBeLessThan(8);
});

test('gif: 20 ms/frame → 2 cs delays (50 fps), 30 ms → 3 cs; palette close to the render', async ({ page }) => {
  const r = await renderedMovie(page, 'gif', { field: 'density', frameDurationMs: 20 }, ALL, [0, 9]);
  console.log(`gif: ${r.bytes} bytes in ${r.ms.toFixed(0)} ms; ${r.note}; MAD ${r.mad.map((x) => x.toFixed(2)).join(', ')}`);
  expect(r.info.codec).toBe('gif');
  expectTiming(r, 10, 20);
  expect(r.note).toMatch(/GIF delay 2 cs = 20 ms per frame/);
  for (const m of r.mad) expect(m).toBeLessThan(8);
  const r2 = await renderedMovie(page, 'gif', { field: 'density', frameDurationMs: 33.4 }, [0, 1, 2, 3], [0]);
  expect(r2.note).toMatch(/GIF delay 3 cs = 30 ms per frame \(requested 33.4 ms/);
  expect(r2.info.frameCount).toBe(4);
  for (let k = 1; k < 4; k++) expect(r2.info.times[k] - r2.info.times[k - 1]).toBeCloseTo(0.03, 6);
});

test('png-zip rendered and imgstore video stores (mjpeg/avi, avc1/mp4) in the browser', async ({ page }) => {
  await harness(page);
  const r = await page.evaluate(async () => {
    const url = (await import('/src/io/url.ts' as string)) as Mods['url'];
    const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
    const exp = (await import('/src/export/index.ts' as string)) as Mods['exp'];
    const slice = (await import('/src/io/slice-file.ts' as string)) as Mods['slice'];
    const { unzipSync } = (await import('/tests/export/page-unzip.ts' as string)) as typeof import('fflate');
    const { decodePng } = (await import('/src/codecs/png.ts' as string)) as typeof import('../src/codecs/png');
    const phi = await openDataset(await url.sourceTreeFromListing('/__fixtures/list/phiflow/scenes/sim_000001', '/__fixtures/file/phiflow/scenes/sim_000001'));
    const zip = await exp.exportDataset(phi, { target: 'png-zip', frames: [0, 1], options: { mode: 'rendered', field: 'density' } });
    const z = unzipSync(zip[0].bytes);
    const png = decodePng(z['000001.png']);
    const out: Record<string, unknown> = { zipNames: Object.keys(z).sort(), png: [png.width, png.height, png.channels, png.bitDepth] };
    const store = await openDataset(await url.sourceTreeFromListing('/__fixtures/list/imgstore/dir_npy_color', '/__fixtures/file/imgstore/dir_npy_color'));
    for (const format of ['mjpeg/avi', 'avc1/mp4']) {
      const files = await exp.exportDataset(store, { target: 'imgstore', frames: [0, 1, 2, 3, 4, 5, 6], options: { format, chunksize: 4, name: 'vs' } });
      const back = await openDataset({ name: 'vs', files: files.map((f) => slice.bytesSourceFile(f.path.slice(3), f.bytes)) });
      const a = (await store.readFrame(5)).fields.image.values as Uint8Array;
      const b = (await back.readFrame(5)).fields.image.values as Uint8Array;
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
      out[format] = {
        paths: files.map((f) => f.path),
        frames: back.frames.length,
        numbers: back.frames.map((f) => f.number),
        times: back.frames.map((f) => f.time),
        src: store.frames.slice(0, 7).map((f) => [f.number, f.time]),
        shape: (await back.readFrame(0)).fields.image.shape,
        mad: sum / a.length,
      };
    }
    return out;
  });
  expect(r.zipNames).toEqual(['000000.png', '000001.png', 'frames.json']);
  expect((r.png as number[]).slice(2)).toEqual([3, 8]);
  for (const format of ['mjpeg/avi', 'avc1/mp4']) {
    const v = r[format] as { paths: string[]; frames: number; numbers: number[]; times: number[]; src: [number, number][]; shape: number[]; mad: number };
    const ext = format === 'mjpeg/avi' ? 'avi' : 'mp4';
    expect(v.paths).toEqual(['vs/metadata.yaml', `vs/000000.${ext}`, 'vs/000000.npz', `vs/000001.${ext}`, 'vs/000001.npz']);
    expect(v.frames).toBe(7);
    expect(v.numbers).toEqual(v.src.map((s) => s[0]));
    expect(v.times).toEqual(v.src.map((s) => s[1]));
    expect(v.shape).toEqual([48, 64, 3]);
    console.log(`imgstore ${format}: mean abs pixel difference ${v.mad.toFixed(2)}`);
    expect(v.mad).toBeLessThan(12);
  }
});

test('py-pde would read our movie: native ffprobe comment → shlex → JSON, native ffmpeg rawvideo → py-pde dequantisation ≈ the oracle source', async ({
  page,
}) => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { FIXTURES } = await import('./helpers/fixtures');
  try {
    execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
    execFileSync('python3', ['-c', 'import numpy, shlex, json'], { stdio: 'ignore' });
  } catch {
    test.skip(true, 'native ffprobe/ffmpeg or python3 with numpy missing: py-pde style read-back skipped');
  }
  await harness(page);
  const files = await page.evaluate(async () => {
    const url = (await import('/src/io/url.ts' as string)) as Mods['url'];
    const { open } = (await import('/src/formats/pypde/open.ts' as string)) as Mods['pypde'];
    const exp = (await import('/src/export/index.ts' as string)) as Mods['exp'];
    const all = await url.sourceTreeFromListing('/__fixtures/list/pypde', '/__fixtures/file/pypde');
    const src = await open({ name: 'x', files: all.files.filter((f) => f.path.startsWith('collection2d_16bit.avi')) });
    const out = await exp.exportDataset(src, { target: 'pypde-movie', options: { name: 'ours', vmin: [0, -2], vmax: [1, 2] } });
    return out.map((f) => ({ path: f.path, bytes: Array.from(f.bytes) }));
  });
  const dir = mkdtempSync(join(tmpdir(), 'pypde-out-'));
  for (const f of files) writeFileSync(join(dir, f.path), Uint8Array.from(f.bytes));
  const script = `
import json, shlex, subprocess, sys
import numpy as np
movie, oracle = sys.argv[1], sys.argv[2]
probe = json.loads(subprocess.check_output(['ffprobe', '-v', 'error', '-show_format', '-show_streams', '-of', 'json', movie]))
tags = probe['format'].get('tags', {})
meta = json.loads(shlex.split(tags.get('comment', tags.get('COMMENT', '{}')))[0])
fa = meta['field_attributes']
members = json.loads(fa['fields'])
grid = json.loads(members[0]['grid'])
W, H = probe['streams'][0]['width'], probe['streams'][0]['height']
raw = subprocess.check_output(['ffmpeg', '-v', 'error', '-i', movie, '-f', 'rawvideo', '-pix_fmt', 'gbrp16le', 'pipe:'])
frames = np.frombuffer(raw, '<u2').reshape(-1, W, H, 3)
vmin, vmax = meta['vmin'], meta['vmax']
dec = np.stack([vmin[k] + frames[..., k] / 65535 * (vmax[k] - vmin[k]) for k in range(2)], axis=1)
src = np.load(oracle)['decoded']
step = max((vmax[k] - vmin[k]) / 65535 for k in range(2))
times = np.loadtxt(movie + '.times')
print(json.dumps({'class': json.loads(fa['class']), 'labels': [json.loads(m['label']) for m in members], 'grid': grid, 'video_format': meta['video_format'],
  'version': meta['version'], 'write_times': meta['write_times'], 'vmin': vmin, 'vmax': vmax, 'shape': list(frames.shape), 'stored': probe['streams'][0]['pix_fmt'],
  'worst_steps': float(np.abs(dec - src).max() / step), 'times': times.tolist(), 'codec': probe['streams'][0]['codec_name']}))
`;
  const r = JSON.parse(execFileSync('python3', ['-c', script, join(dir, 'ours.avi'), join(FIXTURES!, 'pypde', 'collection2d_16bit.oracle.npz')]).toString());
  expect(r.codec).toBe('ffv1');
  expect(r.class).toBe('FieldCollection');
  expect(r.labels).toEqual(['u', 'v']);
  expect(r.grid).toEqual({
    bounds: [
      [0, 2],
      [0, 1.5],
    ],
    shape: [32, 24],
    periodic: [true, false],
    class: 'CartesianGrid',
  });
  expect(r.video_format).toBe('gbrp16le');
  expect(r.stored).toBe('gbrp16le');
  expect([r.version, r.write_times]).toEqual([1, true]);
  expect([r.vmin, r.vmax]).toEqual([
    [0, -2],
    [1, 2],
  ]);
  expect(r.shape).toEqual([20, 32, 24, 3]);
  // the fixture's own limits and ours are equal: py-pde's reading of our file is its reading of the original, to one step
  expect(r.worst_steps).toBeLessThanOrEqual(1.0001);
  expect(r.times.length).toBe(20);
});

test('saveFiles without pickers: one file downloads as is, several as one zip with their paths', async ({ page }) => {
  await harness(page);
  const one = page.waitForEvent('download');
  const r1 = await page.evaluate(async () => {
    const { saveFiles } = (await import('/src/ui/save.ts' as string)) as typeof import('../src/ui/save');
    return saveFiles([{ path: 'dir/movie.gif', bytes: new Uint8Array([71, 73, 70]) }], 'x', { usePickers: false });
  });
  expect(r1).toEqual({ method: 'download', names: ['movie.gif'] });
  expect((await one).suggestedFilename()).toBe('movie.gif');
  const two = page.waitForEvent('download');
  const r2 = await page.evaluate(async () => {
    const { saveFiles, zipFiles } = (await import('/src/ui/save.ts' as string)) as typeof import('../src/ui/save');
    const { unzipSync } = (await import('/tests/export/page-unzip.ts' as string)) as typeof import('fflate');
    const files = [
      { path: 'sim_000000/description.json', bytes: new TextEncoder().encode('{}') },
      { path: 'sim_000000/density_000000.npz', bytes: new Uint8Array([1, 2, 3]) },
    ];
    const res = await saveFiles(files, 'scene/1', { usePickers: false });
    return { res, names: Object.keys(unzipSync(zipFiles(files))).sort() };
  });
  expect(r2.res).toEqual({ method: 'zip-download', names: ['scene_1.zip'] });
  expect(r2.names).toEqual(['sim_000000/density_000000.npz', 'sim_000000/description.json']);
  expect((await two).suggestedFilename()).toBe('scene_1.zip');
});
