/**
 * The viewer's budgets in the real app (Chromium, worker pipeline, Plotly):
 * - open → first frame drawn, for a fixture PhiFlow scene and a generated 1024² scene
 * - cached frame to screen, uncached random frame to screen (1-megapixel frames)
 * - playback rate for 512² frames (every frame shown)
 */
import { execSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { BenchContext } from './context';
import { exportDataset } from '../src/export/index';
import type { Frame, FrameSource } from '../src/formats/types';

const here = dirname(fileURLToPath(import.meta.url));

/** A synthetic PhiFlow scene on disk (written by our own exporter): n frames of an nx×ny scalar field. */
async function makeScene(dir: string, nx: number, ny: number, n: number): Promise<string> {
  const frames = Array.from({ length: n }, (_, i) => ({ index: i, number: i, time: i * 0.1 }));
  const src: FrameSource = {
    format: 'synthetic',
    name: 'bench',
    frames,
    fields: [{ name: 'density', kind: 'scalar', shape: [ny, nx], unit: '' }],
    metadata: {},
    timeUnit: null,
    async readFrame(i): Promise<Frame> {
      const values = new Float32Array(nx * ny);
      for (let j = 0; j < ny; j++)
        for (let k = 0; k < nx; k++) values[j * nx + k] = Math.sin(k / 17 + i) * Math.cos(j / 23 - i / 3) + ((k * 7919 + j * 104729 + i) % 97) / 970;
      return {
        info: frames[i],
        fields: {
          density: {
            kind: 'scalar',
            shape: [ny, nx],
            values,
            scales: { x: { slope: 1 / nx, offset: 0.5 / nx, unit: '', description: '' }, y: { slope: 1 / nx, offset: 0.5 / nx, unit: '', description: '' } },
          },
        },
        attributes: {},
      };
    },
    nearestIndex: (t) => Math.round(t / 0.1),
    close() {},
  };
  const files = await exportDataset(src, { target: 'phiflow-scene' });
  rmSync(dir, { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.bytes);
  }
  return join(dir, dirname(files[0].path));
}

/** In-page time from asking for frame `index` (the view store) to the plot showing it. */
async function timeTo(page: Page, index: number): Promise<number> {
  return page.evaluate(
    (i) =>
      new Promise<number>((resolve) => {
        const plot = document.querySelector('[data-testid=plot]')!;
        const t0 = performance.now();
        const obs = new MutationObserver(() => {
          if (plot.getAttribute('data-drawn-index') === String(i)) {
            obs.disconnect();
            resolve(performance.now() - t0);
          }
        });
        obs.observe(plot, { attributes: true, attributeFilter: ['data-drawn-index'] });
        window.__framescope!.go!(i);
      }),
    index,
  );
}

export default async function (ctx: BenchContext): Promise<void> {
  const out = join(here, 'out');
  const big = await makeScene(join(out, 'scene-1024'), 1024, 1024, 12);
  const mid = await makeScene(join(out, 'scene-512'), 512, 512, 90);
  const mid2 = await makeScene(join(out, 'scene-512b'), 512, 512, 90);
  // the production build (what users get), served as `npm start` serves it
  const root = join(here, '..');
  execSync('npx vite build --logLevel error', { cwd: root, stdio: 'inherit' });
  const port = 5197;
  const { serveDist } = (await import('../scripts/serve.mjs' as string)) as { serveDist(root: string, o: { port: number }): Promise<{ close(): void }> };
  const server = await serveDist(join(root, 'dist'), { port });
  try {
    await firstLoad(ctx, `http://localhost:${port}`);
    await run(ctx, `http://localhost:${port}`, big, mid);
    await comparePlayback(ctx, `http://localhost:${port}`, mid, mid2);
  } finally {
    server.close();
  }
}

/** `npm start`'s promise: the built-in sample's first frame on screen ≤ 1.5 s after the page starts loading (a fresh browser profile each time). */
async function firstLoad(ctx: BenchContext, base: string): Promise<void> {
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const context = await ctx.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(base + '/');
    await page.waitForSelector('[data-testid=plot][data-frame-drawn]', { timeout: 60_000 });
    times.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  times.sort((a, b) => a - b);
  ctx.report("npm start: page start → built-in sample's first frame on screen (median of 3, fresh profile)", times[1], 'ms', 'budget ≤ 1500 ms');
}

async function run(ctx: BenchContext, base: string, big: string, mid: string): Promise<void> {
  const page = await ctx.page();
  await page.goto(base + '/');
  await page.getByTestId('frame-count').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=plot]')?.getAttribute('data-drawn-index') === '0', null, { timeout: 60_000 });

  if (ctx.fixtures) {
    const t = await page.evaluate(() => performance.now());
    await page.getByTestId('open-folder').setInputFiles(join(ctx.fixtures, 'phiflow/scenes/sim_000001'));
    await page.waitForFunction(() => document.querySelector('[data-testid=frame-count]')?.textContent === '10', null, { polling: 'raf' });
    await page.waitForFunction(() => window.__framescope?.shown?.dataset === 'sim_000001', null, { polling: 'raf', timeout: 60_000 });
    ctx.report('open → first frame drawn (PhiFlow fixture sim_000001, 64×64)', (await page.evaluate(() => performance.now())) - t, 'ms', 'budget ≤ 300 ms');
  }

  const t = await page.evaluate(() => performance.now());
  await page.getByTestId('open-folder').setInputFiles(big);
  await page.waitForFunction(() => window.__framescope?.shown?.width === 1024, null, { polling: 'raf', timeout: 60_000 });
  ctx.report('open → first frame drawn (1024² PhiFlow scene, 12 frames)', (await page.evaluate(() => performance.now())) - t, 'ms', 'budget ≤ 300 ms');

  // uncached random frames (1 MP), then the same frames again from the cache
  const order = [7, 2, 10, 4, 9];
  const uncached: number[] = [];
  const worker: { readMs: number; renderMs: number }[] = [];
  for (const i of order) {
    uncached.push(await timeTo(page, i));
    worker.push(await page.evaluate(() => ({ readMs: window.__framescope!.shown!.readMs, renderMs: window.__framescope!.shown!.renderMs })));
  }
  ctx.report('uncached random frame → screen (1024²)', median(uncached), 'ms', 'median of 5; budget ≤ 150 ms');
  ctx.report('  of which worker read (npz inflate, transpose)', median(worker.map((w) => w.readMs)), 'ms', 'median');
  ctx.report('  of which worker colormap + bitmap', median(worker.map((w) => w.renderMs)), 'ms', 'median');
  const cached: number[] = [];
  for (const i of order) cached.push(await timeTo(page, i));
  ctx.report('cached frame → screen (1024²)', median(cached), 'ms', 'median of 5; budget ≤ 30 ms');
  const parts = await page.evaluate(() => window.__framescope!.shown!);
  ctx.report('  of which request → cached result on the main thread', parts.waitMs, 'ms', 'last of 5');
  ctx.report('  of which drawing (bitmap + axes)', parts.drawMs, 'ms', 'last of 5');

  // playback of 512² frames at 60 fps requested: every frame is shown; how many per second?
  await page.getByTestId('open-folder').setInputFiles(mid);
  await page.waitForFunction(() => window.__framescope?.shown?.width === 512, null, { polling: 'raf', timeout: 60_000 });
  await page.getByTestId('fps').fill('60');
  await page.evaluate(() => {
    const w = window as unknown as { __seen: [number, number][] };
    w.__seen = [];
    new MutationObserver(() =>
      w.__seen.push([performance.now(), Number(document.querySelector('[data-testid=plot]')!.getAttribute('data-drawn-index'))]),
    ).observe(document.querySelector('[data-testid=plot]')!, { attributes: true, attributeFilter: ['data-drawn-index'] });
  });
  await page.getByTestId('play').click();
  await page.waitForFunction(() => (window as unknown as { __seen: [number, number][] }).__seen.length >= 80, null, { timeout: 120_000 });
  await page.getByTestId('play').click();
  const seen = await page.evaluate(() => (window as unknown as { __seen: [number, number][] }).__seen);
  const skipped = seen.slice(1).filter(([, i], k) => i !== (seen[k][1] + 1) % 90).length;
  const fps = (seen.length - 1) / ((seen[seen.length - 1][0] - seen[0][0]) / 1000);
  ctx.report('playback 512² (60 fps requested)', fps, 'frames/s', `${skipped} frames skipped; budget ≥ 30 fps`);
  const trace = await page.evaluate(() => window.__framescope!.trace!.slice(-60));
  const gaps = trace.slice(1).map((t, k) => t[0] - trace[k][2]);
  ctx.report('  playback: drawn → next request', median(gaps), 'ms', 'median');
  ctx.report('  playback: request → result', median(trace.map((t) => t[1] - t[0])), 'ms', 'median');
  ctx.report('  playback: Plotly draw', median(trace.map((t) => t[2] - t[1])), 'ms', 'median');
}

/**
 * Compare (issue 9): two 512² panels on one timeline, played at 60 fps requested. Every draw of
 * either panel is recorded; the figures are each panel's draws per second, the frames it skipped, and
 * how often one panel was more than one timeline step away from the other when it drew.
 */
async function comparePlayback(ctx: BenchContext, base: string, a: string, b: string): Promise<void> {
  const page = await ctx.page();
  await page.goto(base + '/');
  await page.waitForFunction(() => document.querySelector('[data-testid=plot]')?.getAttribute('data-drawn-index') === '0', null, { timeout: 60_000 });
  for (const dir of [a, b]) {
    const before = await page.getByTestId('datasets').locator('option').count();
    await page.getByTestId('open-folder').setInputFiles(dir);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=datasets] option').length > n, before, { timeout: 60_000 });
  }
  await page.getByTestId('layout').selectOption('2');
  const ids = await page.getByTestId('view-0-dataset').evaluate((el: HTMLSelectElement) => [...el.options].filter((o) => o.value).map((o) => o.value));
  // the two scenes are the last two datasets opened
  await page.getByTestId('view-0-dataset').selectOption(ids[ids.length - 2]);
  await page.getByTestId('view-1-dataset').selectOption(ids[ids.length - 1]);
  for (const p of [0, 1])
    await page.waitForFunction((i) => document.querySelector(`[data-testid=view-${i}]`)?.getAttribute('data-frame-drawn') === '0', p, { timeout: 60_000 });
  await page.getByTestId('fps').fill('60');
  await page.evaluate(() => {
    const w = window as unknown as { __seen2: [number, number, number][] };
    w.__seen2 = [];
    for (const p of [0, 1]) {
      const el = document.querySelector(`[data-testid=view-${p}]`)!;
      new MutationObserver(() => w.__seen2.push([performance.now(), p, Number(el.getAttribute('data-drawn-index'))])).observe(el, {
        attributes: true,
        attributeFilter: ['data-drawn-index'],
      });
    }
  });
  await page.getByTestId('play').click();
  await page.waitForFunction(() => (window as unknown as { __seen2: unknown[] }).__seen2.length >= 160, null, { timeout: 180_000 });
  await page.getByTestId('play').click();
  const seen = await page.evaluate(() => (window as unknown as { __seen2: [number, number, number][] }).__seen2);
  const last: [number, number] = [Number.NaN, Number.NaN];
  let behind = 0;
  for (const [, p, i] of seen) {
    last[p] = i;
    const other = last[1 - p];
    if (Number.isFinite(other) && Math.min(Math.abs(i - other), 90 - Math.abs(i - other)) > 1) behind++;
  }
  for (const p of [0, 1]) {
    const mine = seen.filter((s) => s[1] === p);
    const skipped = mine.slice(1).filter(([, , i], k) => i !== (mine[k][2] + 1) % 90).length;
    const fps = (mine.length - 1) / ((mine[mine.length - 1][0] - mine[0][0]) / 1000);
    ctx.report(`compare playback, 2 panels of 512², panel ${p} (60 fps requested)`, fps, 'frames/s', `${skipped} frames skipped; budget ≥ 30 fps, every frame`);
  }
  ctx.report('compare playback: draws with the panels more than one step apart', behind, 'draws', `of ${seen.length}; budget 0`);
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}
