/**
 * Faults between the browser and a real nginx, injected by a small Node proxy: slow answers, 503s,
 * connections cut mid-body, silence, a dead server, and a file replaced on the server between two
 * reads. Each ends as designed — retried and the values equal the local open, or a clear error naming
 * the URL — and nothing hangs (the time limits are generous: these are not benchmarks).
 */
import { copyFileSync, cpSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { FIXTURES, harness, requireFixtures } from './helpers/fixtures';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy';
import { helperPort, NGINX_MISSING, nginxBinary, startNginx, type Nginx } from './helpers/nginx';
import { openInPage } from './helpers/remote-page';

requireFixtures();
test.skip(!nginxBinary(), NGINX_MISSING);

let nginx: Nginx;
let proxy: FaultProxy;
test.beforeAll(async () => {
  nginx = await startNginx(FIXTURES!, helperPort(102));
  proxy = await startFaultProxy(nginx.url, helperPort(103));
});
test.afterAll(async () => {
  await proxy?.stop();
  await nginx?.stop();
});
test.beforeEach(() => {
  proxy.rules.length = 0;
  proxy.log.length = 0;
});

const DIR = 'imgstore/video_mjpeg_avi_color';
const CHUNK = `${DIR}/000001.avi`;
/** short backoff and timeouts, so the bounded failures end quickly */
const FAST = { retries: 3, backoffMs: 50, idleTimeoutMs: 3000 };

async function reference(page: import('@playwright/test').Page) {
  const local = await openInPage(page, { list: `/__fixtures/list/${DIR}`, base: `/__fixtures/file/${DIR}` }, 'ends');
  expect(local.error).toBeUndefined();
  return local;
}

test('slow answers: every request waits, the dataset still opens right', async ({ page }) => {
  await harness(page);
  const local = await reference(page);
  proxy.rules.push({ path: '/', kind: 'delay', delayMs: 400, times: Infinity });
  const t0 = Date.now();
  const r = await openInPage(page, { url: `${proxy.url}/${DIR}/` }, 'ends', FAST);
  expect(r.error).toBeUndefined();
  expect(r.frames).toEqual(local.frames);
  expect(proxy.log.filter((l) => l.fault === 'delay').length).toBeGreaterThan(3);
  expect(Date.now() - t0).toBeLessThan(60_000);
});

test('503s and connections cut mid-body are retried, and the values are right', async ({ page }) => {
  await harness(page);
  const local = await reference(page);
  proxy.rules.push(
    { path: '/metadata.yaml', kind: 'status', status: 503, times: 2 },
    { path: '.avi', kind: 'cut', times: 2 },
    { path: '.npz', kind: 'status', status: 502, times: 1 },
  );
  const r = await openInPage(page, { url: `${proxy.url}/${DIR}/` }, 'ends', FAST);
  expect(r.error).toBeUndefined();
  expect(r.frames).toEqual(local.frames);
  expect(proxy.log.filter((l) => l.fault === 'status').length).toBe(3);
  expect(proxy.log.filter((l) => l.fault === 'cut').length).toBe(2);
});

test('a server that keeps failing ends in a clear error after the bounded retries', async ({ page }) => {
  await harness(page);
  proxy.rules.push({ path: '/000001.avi', kind: 'status', status: 503, times: Infinity });
  const t0 = Date.now();
  const r = await openInPage(page, { url: `${proxy.url}/${DIR}/` }, 'ends', FAST);
  expect(r.error?.name).toBe('FormatError');
  expect(r.error?.path).toBe(`${proxy.url}/${CHUNK}`);
  expect(r.error?.reason).toMatch(/kept failing \(HTTP 503, 4 tries\)/);
  expect(Date.now() - t0).toBeLessThan(30_000);
});

test('a silent server ends in a timeout error, not a hang', async ({ page }) => {
  await harness(page);
  proxy.rules.push({ path: '/000000.avi', kind: 'silent', times: Infinity });
  const t0 = Date.now();
  const r = await openInPage(page, { url: `${proxy.url}/${DIR}/` }, 'ends', { retries: 1, backoffMs: 50, idleTimeoutMs: 1500 });
  expect(r.error?.name).toBe('FormatError');
  expect(r.error?.path).toBe(`${proxy.url}/${DIR}/000000.avi`);
  expect(r.error?.reason).toMatch(/no answer from the server for 1.5 s \(2 tries\)/);
  expect(Date.now() - t0).toBeLessThan(30_000);
});

test('a dead server (nothing listening) is an error in words', async ({ page }) => {
  await harness(page);
  const dead = `http://127.0.0.1:${helperPort(101)}/${DIR}/`;
  const r = await openInPage(page, { url: dead }, 'ends', { retries: 1, backoffMs: 50, idleTimeoutMs: 3000 });
  expect(r.error?.name).toBe('FormatError');
  expect(r.error?.path).toContain(`127.0.0.1:${helperPort(101)}`);
  expect(r.error?.reason).toMatch(/could not be fetched.*unreachable/);
});

test('a file replaced on the server between two reads gives a clear error, not mixed bytes', async ({ page }) => {
  await harness(page);
  const run = join(nginx.scratch, 'run');
  cpSync(join(FIXTURES!, 'davis/pivpy/pivpy/data/urban_canopy'), run, { recursive: true });
  const url = `${proxy.url}/scratch/run/`;
  const first = await page.evaluate(async (url) => {
    const { sourceTreeFromUrl } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
    const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
    const src = await openDataset(await sourceTreeFromUrl(url));
    (window as unknown as { __src: typeof src }).__src = src;
    const f = await src.readFrame(0);
    return { n: src.frames.length, fields: Object.keys(f.fields).length };
  }, url);
  expect(first.n).toBe(5);
  // replace B00003 with other bytes (as a new acquisition written over it would), newer mtime
  copyFileSync(join(FIXTURES!, 'davis/pivpy/pivpy/data/urban_canopy/B00004.vc7'), join(run, 'B00003.vc7'));
  utimesSync(join(run, 'B00003.vc7'), new Date(), new Date(Date.now() + 5000));
  const second = await page.evaluate(async () => {
    const src = (window as unknown as { __src: import('../src/core/types').FrameSource }).__src;
    try {
      await src.readFrame(2);
      return { ok: true };
    } catch (e) {
      const x = e as { name: string; path?: string; reason?: string };
      return { ok: false, name: x.name, path: x.path, reason: x.reason };
    }
  });
  expect(second.ok).toBe(false);
  expect(second.name).toBe('FormatError');
  expect(second.path).toBe(`${url}B00003.vc7`);
  expect(second.reason).toMatch(/replaced on the server while it was open/);
});

test('the app shows bytes and requests while a slow link opens (from the dataset worker)', async ({ page }) => {
  await page.goto('/');
  await expect.poll(() => page.getByTestId('datasets').locator('option').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  proxy.rules.push({ path: '/', kind: 'delay', delayMs: 700, times: Infinity });
  await page.getByTestId('open-url').fill(`${proxy.url}/${DIR}/`);
  await page.getByTestId('open-url-button').click();
  await expect(page.getByTestId('open-url-progress')).toContainText(/\d+ (B|kB|MB) · [1-9]\d* requests/, { timeout: 30_000 });
  await expect(page.getByTestId('datasets')).toContainText('video_mjpeg_avi_color (imgstore)', { timeout: 90_000 });
  await expect(page.getByTestId('open-url-progress')).toHaveCount(0);
});

test('cancel while a slow link opens: the listing and its reads stop, nothing already open is lost, the UI says cancelled', async ({ page }) => {
  await page.goto('/');
  const options = page.getByTestId('datasets').locator('option');
  await expect.poll(() => options.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  const before = await options.allTextContents();
  proxy.rules.push({ path: '/', kind: 'delay', delayMs: 1500, times: Infinity });
  await page.getByTestId('open-url').fill(`${proxy.url}/${DIR}/`);
  await page.getByTestId('open-url-button').click();
  await expect(page.getByTestId('open-url-progress')).toContainText(/[1-9]\d* requests/, { timeout: 30_000 });
  await page.screenshot({ path: test.info().outputPath('open-url-opening.png') });
  const t0 = Date.now();
  await page.getByTestId('open-url-cancel').click();
  await expect(page.getByTestId('open-url-status')).toHaveText('cancelled', { timeout: 10_000 });
  expect(Date.now() - t0).toBeLessThan(10_000);
  await expect(page.getByTestId('open-url-progress')).toHaveCount(0);
  await expect(page.getByTestId('open-url-cancel')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('open-url-cancelled.png') });
  // no error banner, the datasets open before are all there, the cancelled one never joins
  await expect(page.getByTestId('error')).toHaveCount(0);
  expect(await options.allTextContents()).toEqual(before);
  // the worker sends no more requests for the cancelled link (those in flight were aborted)
  await page.waitForTimeout(2000);
  const seen = proxy.log.length;
  await page.waitForTimeout(4000);
  expect(proxy.log.length).toBe(seen);
  expect(await options.allTextContents()).toEqual(before);
  // the same link opens afterwards
  proxy.rules.length = 0;
  await page.getByTestId('open-url-button').click();
  await expect(page.getByTestId('datasets')).toContainText('video_mjpeg_avi_color (imgstore)', { timeout: 90_000 });
  await expect(page.getByTestId('open-url-status')).toHaveCount(0);
});

test('the dataset workers share one block cache: two workers reading the same blocks make one request each', async ({ page }) => {
  await harness(page);
  const url = `${proxy.url}/davis/pivpy/pivpy/data/urban_canopy/`;
  const r = await page.evaluate(async (u) => {
    const { DatasetClient } = (await import('/src/workers/client.ts' as string)) as typeof import('../src/workers/client');
    const client = new DatasetClient(2);
    const summary = await client.open('a', { kind: 'url', url: u });
    const view = { field: summary.fields[0].name, plane: 0, component: 'magnitude', colormap: 'gray', limitsMode: 'minmax', stride: 0, quiver: false } as const;
    // frame 1 on worker 0 (worker 1 is still opening the set in the background) …
    await client.view('a', 1, view).promise;
    const pool = (client as unknown as { pool: { opened: Set<string> }[] }).pool;
    for (let k = 0; k < 200 && !pool[1].opened.has('a'); k++) await new Promise((res) => setTimeout(res, 100));
    // … then on worker 1, which has opened the same set (the same header reads)
    const again = await client.view('a', 1, view).promise;
    return { frames: summary.frames.length, secondOpened: pool[1].opened.has('a'), drawn: again.model.width > 0 };
  }, url);
  expect(r.frames).toBeGreaterThan(1);
  expect(r.secondOpened).toBe(true);
  expect(r.drawn).toBe(true);
  const gets = proxy.log.filter((l) => l.method === 'GET' && l.range);
  expect(gets.length).toBeGreaterThan(0);
  // both workers opened the set and read frames 0 and 1: without the shared cache every range came twice
  const counts = new Map<string, number>();
  for (const g of gets) counts.set(`${g.path} ${g.range}`, (counts.get(`${g.path} ${g.range}`) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
});
