/** Derived quantities in the viewer (issue 14): vorticity under the arrows of the PIV sample. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineProfile, pointHistory, regionSeries, timeStatistics } from '../src/analysis/index';
import { openNpz } from '../src/codecs/npz';
import type { FrameSource } from '../src/core/types';
import { openDataset } from '../src/formats/index';
import { bytesSourceFile } from '../src/io/slice-file';
import { decodeProbe } from '../src/state/probe-geometry';
import { expect, test, type Page } from '@playwright/test';
import { selectDataset, waitDrawn } from './app-helpers';

test('vorticity of the PIV sample under its arrows: RdBu, symmetric limits, unit 1/s on the colour bar', async ({ page }) => {
  await page.goto('/');
  await waitDrawn(page, 0);
  await selectDataset(page, 'piv-vortex');
  await page.waitForFunction(() => window.__framescope?.shown?.dataset === 'piv-vortex', null, { timeout: 30_000 });
  await page.getByTestId('derived').selectOption('vorticity');
  await page.waitForFunction(() => /ω|vortic/i.test(document.querySelector('[data-testid=plot] .cbtitle')?.textContent ?? ''), null, { timeout: 30_000 });
  const s = await page.evaluate(() => window.__framescope!.shown!);
  expect(s.arrows).toBeGreaterThan(10);
  expect(s.limits![0]).toBeCloseTo(-s.limits![1], 6);
  await expect(page.getByTestId('colormap')).toHaveValue('RdBu');
  const title = await page.locator('[data-testid=plot] .cbtitle').textContent();
  expect(title).toMatch(/1\/s/);
  // the readout names the derived value
  const box = (await page.getByTestId('plot').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
  await expect(page.getByTestId('hover')).toContainText('1/s');
  await page.screenshot({ path: 'screenshots/derived-vorticity.png' });
  await page.getByTestId('derived').selectOption('');
  await page.waitForFunction(() => !/1\/s/.test(document.querySelector('[data-testid=plot] .cbtitle')?.textContent ?? ''), null, { timeout: 30_000 });
});

test('time statistics of the PIV sample open as a new dataset: the mean of frames 0–11 in the hover readout', async ({ page }) => {
  await page.goto('/');
  await waitDrawn(page, 0);
  await selectDataset(page, 'piv-vortex');
  await page.waitForFunction(() => window.__framescope?.shown?.dataset === 'piv-vortex', null, { timeout: 30_000 });
  await page.getByTestId('stats').click();
  await page.getByTestId('stats-run').click();
  await page.waitForFunction(() => /statistics/.test(window.__framescope?.shown?.dataset ?? ''), null, { timeout: 60_000 });
  const fields = await page.getByTestId('field').evaluate((el: HTMLSelectElement) => [...el.options].map((o) => o.value));
  expect(fields).toEqual(expect.arrayContaining(['mean', 'std', 'min', 'max', 'count', 'tke']));
  await page.getByTestId('field').selectOption('count');
  await page.waitForFunction(() => window.__framescope?.shown?.field === 'count', null, { timeout: 30_000 });
  const s = await page.evaluate(() => window.__framescope!.shown!);
  expect(s.stats!.max).toBeLessThanOrEqual(12);
  expect(s.stats!.max).toBeGreaterThan(0);
  await page.screenshot({ path: 'screenshots/time-statistics.png' });
});

// ---- probes, fluctuation and export of the statistics (issue 14) ----

/** The built-in PIV sample opened in Node from public/samples (the same bytes the page reads). */
async function pivInNode(): Promise<FrameSource> {
  const root = join(process.cwd(), 'public', 'samples');
  const list = JSON.parse(readFileSync(join(root, 'piv-vortex.json'), 'utf8')) as { files: { path: string }[] };
  const files = list.files.map((f) => bytesSourceFile(f.path, new Uint8Array(readFileSync(join(root, 'piv-vortex', f.path)))));
  return openDataset({ name: 'piv-vortex', files });
}

/** CSV text → header and columns (empty cells NaN). */
function parseCsv(text: string): { head: string[]; cols: number[][] } {
  const lines = text.trimEnd().split('\n');
  const head = lines[0].split(',');
  const cols = head.map(() => [] as number[]);
  for (const l of lines.slice(1)) l.split(',').forEach((c, k) => cols[k].push(c === '' ? NaN : Number(c)));
  return { head, cols };
}

/** The plot area of the main plot (Plotly's drag layer) in page pixels. */
async function plotArea(page: Page) {
  return (await page.locator('[data-testid=plot] .nsewdrag').first().boundingBox())!;
}

const currentProbe = async (page: Page) => decodeProbe(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get('pr'));

const same = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || a === b;

test('probes on the PIV sample: a vorticity profile and a region drawn by mouse, the time statistics exported as npz, CSVs equal to src/analysis in Node', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await waitDrawn(page, 0);
  await selectDataset(page, 'piv-vortex');
  await page.waitForFunction(() => window.__framescope?.shown?.dataset === 'piv-vortex', null, { timeout: 30_000 });
  const field = await page.getByTestId('field').inputValue();
  await page.getByTestId('derived').selectOption('vorticity');
  await page.waitForFunction(() => /1\/s/.test(document.querySelector('[data-testid=plot] .cbtitle')?.textContent ?? ''), null, { timeout: 30_000 });
  expect((await page.evaluate(() => window.__framescope!.shown!)).arrows).toBeGreaterThan(10);
  // go to frame 3 so the frame of the profile is not the default
  await page.evaluate(() => window.__framescope!.go!(3));
  await waitDrawn(page, 3);

  // a polyline across the vortex: three clicks, the last one a double-click
  const a = await plotArea(page);
  await page.getByTestId('probe-line').click();
  await expect(page.getByTestId('probe-layer')).toBeVisible();
  await page.mouse.click(a.x + a.width * 0.12, a.y + a.height * 0.55);
  await page.mouse.click(a.x + a.width * 0.5, a.y + a.height * 0.45);
  await page.mouse.dblclick(a.x + a.width * 0.88, a.y + a.height * 0.5);
  await expect(page.getByTestId('probe-layer')).toHaveCount(0);
  await expect(page.getByTestId('probe-plot')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  const line = await currentProbe(page);
  expect(line?.kind).toBe('line');
  if (line?.kind !== 'line') throw new Error('no line');
  expect(line.points.length).toBe(3);
  // the probe is drawn on the plot as a shape, and hover and the drawn-frame contract still work
  await expect(page.locator('[data-testid=plot] .shapelayer path')).not.toHaveCount(0);
  await page.mouse.move(a.x + a.width * 0.4, a.y + a.height * 0.4);
  await expect(page.getByTestId('hover')).toContainText('1/s');
  await expect(page.getByTestId('plot')).toHaveAttribute('data-frame-drawn', '3');
  await expect(page.locator('[data-testid=probe-plot] .xtitle')).toContainText('distance along the line [mm]');
  await expect(page.locator('[data-testid=probe-plot] .ytitle')).toContainText('vorticity [1/s]');
  await page.screenshot({ path: 'screenshots/probe-profile.png' });

  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('probe-csv').click()]);
  const csv = parseCsv(readFileSync(await dl.path(), 'utf8'));
  expect(csv.head).toEqual(['distance [mm]', 'x [mm]', 'y [mm]', 'vorticity [1/s]']);
  const source = await pivInNode();
  const frame = await source.readFrame(3);
  const prof = lineProfile(frame.fields[field], line.points, { quantity: 'vorticity' });
  expect(csv.cols[0].length).toBe(prof.distance.length);
  for (let k = 0; k < prof.distance.length; k++) {
    expect(same(csv.cols[0][k], prof.distance[k])).toBe(true);
    expect(same(csv.cols[3][k], prof.values[k]), `sample ${k}: ${csv.cols[3][k]} vs ${prof.values[k]}`).toBe(true);
  }
  expect(prof.values.some(Number.isFinite)).toBe(true);

  // the profile follows the frame
  const before = await page.locator('[data-testid=probe-plot]').getAttribute('data-ready');
  expect(before).toBe('true');
  await page.evaluate(() => window.__framescope!.go!(4));
  await waitDrawn(page, 4);
  await expect(page.locator('[data-testid=probe-plot] .gtitle')).toContainText('frame index 4', { timeout: 30_000 });

  // a rectangle dragged over the vortex core: current-frame statistics and the series over every frame
  await page.getByTestId('probe-roi-shape').selectOption('rectangle');
  await page.getByTestId('probe-roi').click();
  await page.mouse.move(a.x + a.width * 0.35, a.y + a.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width * 0.5, a.y + a.height * 0.5, { steps: 4 });
  await page.mouse.move(a.x + a.width * 0.62, a.y + a.height * 0.7, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId('probe-stats')).toBeVisible({ timeout: 30_000 });
  const roi = await currentProbe(page);
  if (roi?.kind !== 'roi') throw new Error('no region');
  expect(roi.region.type).toBe('rectangle');
  await expect(page.getByTestId('probe-progress')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator('[data-testid=probe-plot] .gtitle')).toContainText('region over the frames', { timeout: 30_000 });
  await expect(page.locator('[data-testid=probe-plot] .xtitle')).toContainText(/frame index|time/);
  await page.screenshot({ path: 'screenshots/probe-roi.png' });
  const [dl2] = await Promise.all([page.waitForEvent('download'), page.getByTestId('probe-csv').click()]);
  const s = parseCsv(readFileSync(await dl2.path(), 'utf8'));
  expect(s.head.slice(0, 8)).toEqual(['index', 'number', 'time [s]', 'mean [1/s]', 'std [1/s]', 'min [1/s]', 'max [1/s]', 'count']);
  const series = await regionSeries(source, { field, region: roi.region, quantity: 'vorticity' });
  expect(s.cols[0]).toEqual(series.index);
  for (let k = 0; k < series.mean.length; k++) {
    expect(same(s.cols[3][k], series.mean[k])).toBe(true);
    expect(same(s.cols[4][k], series.std[k])).toBe(true);
    expect(s.cols[7][k]).toBe(series.count[k]);
  }
  // the table shows the current frame (index 4) of that series
  await expect(page.getByTestId('probe-stats')).toContainText(String(series.count[4]));

  // a reload restores the probe from the hash
  await page.reload();
  await page.waitForFunction(() => window.__framescope?.shown?.dataset === 'piv-vortex', null, { timeout: 60_000 });
  await expect(page.getByTestId('probe-stats')).toBeVisible({ timeout: 60_000 });
  expect(await currentProbe(page)).toEqual(roi);

  // time statistics of the stored field, exported as npz: the mean equals timeStatistics in Node
  await page.getByTestId('derived').selectOption('');
  await page.getByTestId('stats').click();
  await page.getByTestId('stats-run').click();
  await page.waitForFunction(() => /statistics/.test(window.__framescope?.shown?.dataset ?? ''), null, { timeout: 60_000 });
  await page.getByTestId('field').selectOption('mean');
  await page.waitForFunction(() => window.__framescope?.shown?.field === 'mean', null, { timeout: 30_000 });
  await page.screenshot({ path: 'screenshots/statistics-mean.png' });
  await expect(page.getByTestId('export')).toBeEnabled();
  await page.getByTestId('export').click();
  await page.getByTestId('export-target').selectOption('npz');
  await expect(page.getByTestId('export-start')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('export-start').click();
  const job = page.getByTestId('export-jobs').locator('[data-status]').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const [dl3] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  const npz = await openNpz(bytesSourceFile('stats.npz', new Uint8Array(readFileSync(await dl3.path()))));
  const mean = await npz.read('mean');
  const stats = await timeStatistics(source, { field, stats: ['mean'] });
  const m = stats.mean;
  const ny = m.shape[0];
  const nx = m.shape[1];
  expect(mean.shape).toEqual([1, ny, nx, 2]);
  const data = mean.data as Float32Array;
  let checked = 0;
  for (let p = 0; p < nx * ny; p++) {
    if (m.mask?.[p]) continue;
    expect(data[2 * p]).toBe(m.u![p]);
    expect(data[2 * p + 1]).toBe(m.v![p]);
    checked++;
  }
  expect(checked).toBeGreaterThan(100);
  await page.keyboard.press('Escape');

  // the fluctuation view of the source: frame − time mean, said on the colour bar
  await selectDataset(page, 'piv-vortex');
  await page.waitForFunction(() => window.__framescope?.shown?.dataset === 'piv-vortex', null, { timeout: 30_000 });
  await page.getByTestId('component').selectOption('u');
  await page.getByTestId('fluct').check();
  await page.waitForFunction(() => /time mean/.test(document.querySelector('[data-testid=plot] .cbtitle')?.textContent ?? ''), null, { timeout: 30_000 });
  await page.screenshot({ path: 'screenshots/fluctuation.png' });
});

test('point history of the PIV sample, then one line probe on two compare panels: one trace per panel, the legend naming each dataset', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await waitDrawn(page, 0);
  await selectDataset(page, 'piv-vortex');
  await page.waitForFunction(() => window.__framescope?.shown?.dataset === 'piv-vortex', null, { timeout: 30_000 });
  const field = await page.getByTestId('field').inputValue();
  const a = await plotArea(page);
  await page.getByTestId('probe-point').click();
  await page.mouse.click(a.x + a.width * 0.3, a.y + a.height * 0.4);
  await expect(page.locator('[data-testid=probe-plot] .gtitle')).toContainText('point over the frames', { timeout: 60_000 });
  const pt = await currentProbe(page);
  if (pt?.kind !== 'point') throw new Error('no point');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('probe-csv').click()]);
  const h = parseCsv(readFileSync(await dl.path(), 'utf8'));
  expect(h.head).toEqual(['index', 'number', 'time [s]', 'magnitude [m/s]', 'u [m/s]', 'v [m/s]']);
  const hist = await pointHistory(await pivInNode(), { field, point: pt.point });
  expect(h.cols[3].length).toBe(hist.values.length);
  for (let k = 0; k < hist.values.length; k++) expect(same(h.cols[3][k], hist.values[k])).toBe(true);
  await page.screenshot({ path: 'screenshots/probe-point.png' });

  // an ellipse dragged, then a polygon clicked: both give the current-frame statistics
  await page.getByTestId('probe-roi-shape').selectOption('ellipse');
  await page.getByTestId('probe-roi').click();
  await page.mouse.move(a.x + a.width * 0.6, a.y + a.height * 0.6);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width * 0.85, a.y + a.height * 0.9, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('probe-stats')).toBeVisible({ timeout: 30_000 });
  expect((await currentProbe(page)) as unknown).toMatchObject({ kind: 'roi', region: { type: 'ellipse' } });
  await page.getByTestId('probe-roi-shape').selectOption('polygon');
  await page.getByTestId('probe-roi').click();
  await page.mouse.click(a.x + a.width * 0.2, a.y + a.height * 0.2);
  await page.mouse.click(a.x + a.width * 0.4, a.y + a.height * 0.25);
  await page.mouse.dblclick(a.x + a.width * 0.3, a.y + a.height * 0.45);
  await expect.poll(async () => ((await currentProbe(page)) as { region?: { type: string; points?: unknown[] } })?.region?.points?.length).toBe(3);
  await expect(page.getByTestId('probe-stats')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: 'screenshots/probe-polygon.png' });

  // compare: two panels, the line drawn once on the first panel is computed on both
  await page.getByTestId('layout').selectOption('2');
  await expect(page.getByTestId('view-1')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('view-0')).toHaveAttribute('data-frame-drawn', /\d/, { timeout: 30_000 });
  await expect(page.getByTestId('view-1')).toHaveAttribute('data-frame-drawn', /\d/, { timeout: 30_000 });
  const b = (await page.locator('[data-testid=view-0] .nsewdrag').first().boundingBox())!;
  await page.getByTestId('probe-line').click();
  await page.mouse.click(b.x + b.width * 0.15, b.y + b.height * 0.5);
  await page.mouse.dblclick(b.x + b.width * 0.85, b.y + b.height * 0.5);
  await expect(page.getByTestId('probe-plot')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  const names = await page.locator('[data-testid=probe-plot] .legendtext').allTextContents();
  const labels = await Promise.all([0, 1].map((i) => page.getByTestId(`view-${i}-dataset`).evaluate((el: HTMLSelectElement) => el.selectedOptions[0].text)));
  expect(names.length).toBe(2);
  for (const [k, l] of labels.entries()) expect(names[k].startsWith(l.split(' ')[0])).toBe(true);
  // the probe is drawn on both panels
  await expect(page.locator('[data-testid=view-0] .shapelayer path')).not.toHaveCount(0);
  await expect(page.locator('[data-testid=view-1] .shapelayer path')).not.toHaveCount(0);
  await page.screenshot({ path: 'screenshots/probe-compare.png' });
});
