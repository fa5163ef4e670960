/**
 * Export throughput in Chromium:
 * - py-pde movie (FFV1 gray16le, 512×512, 120 frames): export fps (packing + ffmpeg.wasm FFV1), and
 *   the ratio to native ffmpeg encoding the same raw frames (budget: within 2×, DESIGN.md);
 * - rendered MP4 H.264 (512×512 field → ~770×650 picture, 60 frames): fps with WebCodecs + mp4box and
 *   with x264 in ffmpeg.wasm (compose-frame included; compose alone reported for reference).
 * Frames come from an in-memory source (pre-computed), so the figures are exporter + encoder only.
 * ffmpeg.wasm's core load is excluded (a small warm-up export runs first).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { BenchContext } from './context';
import { packFrame, planLayout } from '../src/formats/pypde/pack';
import type { Frame, FrameSource } from '../src/formats/types';

const here = dirname(fileURLToPath(import.meta.url));
const N = 512;
const FFV1_FRAMES = 120;
const H264_FRAMES = 60;

/** Same field as the page builds (keep in sync with the page code below). */
function value(i: number, x: number, y: number): number {
  return Math.sin(x / 17 + i * 0.1) * Math.cos(y / 23 - i / 30) + ((x * 7919 + y * 104729 + i) % 97) / 970;
}

function nodeSource(frames: number): FrameSource {
  const infos = Array.from({ length: frames }, (_, i) => ({ index: i, number: i, time: i * 0.1 }));
  const scale = { slope: 1 / N, offset: 0.5 / N, unit: '', description: '' };
  return {
    format: 'synthetic',
    name: 'bench',
    frames: infos,
    fields: [{ name: 'c', kind: 'scalar', shape: [N, N], unit: '' }],
    metadata: {},
    timeUnit: null,
    async readFrame(i): Promise<Frame> {
      const values = new Float32Array(N * N);
      for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) values[y * N + x] = value(i, x, y);
      return { info: infos[i], fields: { c: { kind: 'scalar', shape: [N, N], values, scales: { x: scale, y: scale } } }, attributes: {} };
    },
    nearestIndex: (t) => Math.round(t / 0.1),
    close() {},
  };
}

/**
 * Run an in-page measurement; a fresh dev server may reload the page once while it optimises
 * dependencies ("Execution context was destroyed"): then reload the harness and run again.
 */
async function retryOnReload<T>(page: Page, baseUrl: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    // tsx (esbuild keepNames) wraps named functions of evaluated callbacks in __name()
    await page.evaluate('window.__name = (f) => f');
    try {
      return await run();
    } catch (e) {
      if (attempt >= 2 || !/Execution context was destroyed/.test(String(e))) throw e;
      await page.goto(baseUrl + '/harness.html');
      await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
    }
  }
}

export default async function (ctx: BenchContext): Promise<void> {
  const page = await ctx.page();
  const r = await retryOnReload(page, ctx.baseUrl, () =>
    page.evaluate(
      async ({ N, FFV1_FRAMES, H264_FRAMES }) => {
        const { exportDataset } = (await import('/src/export/index.ts' as string)) as typeof import('../src/export/index');
        const { composeFrame } = (await import('/src/render/compose-frame.ts' as string)) as typeof import('../src/render/compose-frame');
        const make = (frames: number) => {
          const infos = Array.from({ length: frames }, (_, i) => ({ index: i, number: i, time: i * 0.1 }));
          const scale = { slope: 1 / N, offset: 0.5 / N, unit: '', description: '' };
          const cache: Frame[] = infos.map((info, i) => {
            const values = new Float32Array(N * N);
            for (let y = 0; y < N; y++)
              for (let x = 0; x < N; x++) values[y * N + x] = Math.sin(x / 17 + i * 0.1) * Math.cos(y / 23 - i / 30) + ((x * 7919 + y * 104729 + i) % 97) / 970;
            return { info, fields: { c: { kind: 'scalar' as const, shape: [N, N], values, scales: { x: scale, y: scale } } }, attributes: {} };
          });
          const src: FrameSource = {
            format: 'synthetic',
            name: 'bench',
            frames: infos,
            fields: [{ name: 'c', kind: 'scalar', shape: [N, N], unit: '' }],
            metadata: {},
            timeUnit: null,
            readFrame: async (i) => cache[i],
            nearestIndex: (t) => Math.round(t / 0.1),
            close() {},
          };
          return src;
        };
        const out: Record<string, number> = {};
        // warm-up: loads the ffmpeg core
        await exportDataset(make(2), { target: 'pypde-movie', options: { vmin: -1, vmax: 1.2 } });
        const ffv1 = make(FFV1_FRAMES);
        let t0 = performance.now();
        const files = await exportDataset(ffv1, { target: 'pypde-movie', options: { vmin: -1, vmax: 1.2 } });
        out.ffv1Ms = performance.now() - t0;
        out.ffv1Bytes = files[0].bytes.length;
        const h = make(H264_FRAMES);
        t0 = performance.now();
        for (let i = 0; i < 10; i++) composeFrame(await h.readFrame(i), { field: 'c', limits: [-1, 1.2] });
        out.composeMs = (performance.now() - t0) / 10;
        t0 = performance.now();
        const wc = await exportDataset(h, { target: 'mp4', options: { encoder: 'webcodecs', limits: 'manual', vmin: -1, vmax: 1.2 } });
        out.webcodecsMs = performance.now() - t0;
        out.webcodecsBytes = wc[0].bytes.length;
        t0 = performance.now();
        const x = await exportDataset(h, { target: 'mp4', options: { encoder: 'x264', limits: 'manual', vmin: -1, vmax: 1.2 } });
        out.x264Ms = performance.now() - t0;
        out.x264Bytes = x[0].bytes.length;
        const c = composeFrame(await h.readFrame(0), { field: 'c', limits: [-1, 1.2] });
        out.w = c.width;
        out.h = c.height;
        return out;
      },
      { N, FFV1_FRAMES, H264_FRAMES },
    ),
  );
  const ffv1Fps = FFV1_FRAMES / (r.ffv1Ms / 1000);
  ctx.report(
    'pypde-movie FFV1 export (512², gray16le)',
    ffv1Fps,
    'fps',
    `${FFV1_FRAMES} frames in ${r.ffv1Ms.toFixed(0)} ms, ${(r.ffv1Bytes / 1e6).toFixed(2)} MB`,
  );

  if (ctx.nativeFfmpeg) {
    // the same raw frames (packed by the same code) through native ffmpeg
    const dir = join(here, 'out', 'export');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const src = nodeSource(FFV1_FRAMES);
    const first = await src.readFrame(0);
    const layout = planLayout(src, src.fields, first, 16);
    const raw = join(dir, 'frames.raw');
    const parts: Uint8Array[] = [];
    for (let i = 0; i < FFV1_FRAMES; i++) parts.push(packFrame(await src.readFrame(i), layout, [[-1, 1.2]]));
    writeFileSync(raw, Buffer.concat(parts));
    const args = [
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pixel_format',
      'gray16le',
      '-video_size',
      `${N}x${N}`,
      '-framerate',
      '25',
      '-i',
      raw,
      '-c:v',
      'ffv1',
      '-pix_fmt',
      'gray16le',
      join(dir, 'native.avi'),
    ];
    const t0 = performance.now();
    execFileSync(ctx.nativeFfmpeg, args);
    const nativeMs = performance.now() - t0;
    ctx.report(
      'native ffmpeg FFV1 encode, same frames',
      FFV1_FRAMES / (nativeMs / 1000),
      'fps',
      `${nativeMs.toFixed(0)} ms incl. process start, input from disk`,
    );
    ctx.report('FFV1 export time / native encode time', r.ffv1Ms / nativeMs, '×', 'budget ≤ 2× (export includes packing from float fields)');
    rmSync(dir, { recursive: true, force: true });
  } else {
    ctx.report('FFV1 ratio to native', NaN, '×', 'native ffmpeg not found: ratio skipped');
  }
  ctx.report('compose-frame (512² field)', 1000 / r.composeMs, 'fps', `${r.w}×${r.h} picture, ${r.composeMs.toFixed(1)} ms per frame`);
  ctx.report(
    'mp4 H.264 export, WebCodecs + mp4box',
    H264_FRAMES / (r.webcodecsMs / 1000),
    'fps',
    `${H264_FRAMES} frames ${r.w}×${r.h}, ${(r.webcodecsBytes / 1e6).toFixed(2)} MB, compose included`,
  );
  ctx.report(
    'mp4 H.264 export, x264 in ffmpeg.wasm',
    H264_FRAMES / (r.x264Ms / 1000),
    'fps',
    `${(r.x264Bytes / 1e6).toFixed(2)} MB, veryfast crf 18, compose included`,
  );
  ctx.report('WebCodecs / x264 speed-up', r.x264Ms / r.webcodecsMs, '×');
}
