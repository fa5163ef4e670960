/** Compare (issue 9): panels on one timeline, a difference of two simulation runs checked in the hover readout. */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { FIXTURES } from './helpers/fixtures';

async function drawnIn(page: Page, panel: number, index: number | 'none'): Promise<void> {
  await expect(page.getByTestId(`view-${panel}`)).toHaveAttribute('data-frame-drawn', String(index), { timeout: 30_000 });
}

test('two datasets side by side on one timeline: every panel follows the cursor, the layout goes back to one view', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plot')).toHaveAttribute('data-frame-drawn', '0', { timeout: 60_000 });
  await expect(page.getByTestId('datasets').locator('option')).toHaveCount(2, { timeout: 60_000 });
  await page.getByTestId('layout').selectOption('2');
  await drawnIn(page, 0, 0);
  await drawnIn(page, 1, 0);
  const names = await Promise.all([0, 1].map((i) => page.getByTestId(`view-${i}-dataset`).evaluate((el: HTMLSelectElement) => el.selectedOptions[0].text)));
  expect(new Set(names).size).toBe(2);
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('ArrowRight');
  await drawnIn(page, 0, 1);
  await drawnIn(page, 1, 1);
  await expect(page.getByTestId('view-0-frame')).toHaveText('1');
  await expect(page.getByTestId('view-1-frame')).toHaveText('1');
  // the hash carries the layout
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('layout=2');
  await page.screenshot({ path: 'screenshots/compare-2-panels.png' });
  await page.getByTestId('layout').selectOption('1');
  await expect(page.getByTestId('plot')).toBeVisible();
});

test.describe('with the shared fixtures', () => {
  test.skip(!FIXTURES, 'shared fixtures not found: fixture browser tests skipped');

  test('A − B of two PhiFlow runs: the hover readout shows the difference, equal to the analytic one', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    for (const sim of ['sim_000003', 'sim_000002']) {
      await page.getByTestId('open-folder').setInputFiles(join(FIXTURES!, 'phiflow/scenes', sim));
      await expect(page.getByTestId('datasets')).toContainText(sim, { timeout: 60_000 });
    }
    await page.getByTestId('layout').selectOption('2');
    const ids = await page.getByTestId('view-0-dataset').evaluate((el: HTMLSelectElement) => Object.fromEntries([...el.options].map((o) => [o.text, o.value])));
    await page.getByTestId('view-0-dataset').selectOption(ids.sim_000003);
    await page.getByTestId('view-1-dataset').selectOption(ids.sim_000002);
    const field = await page
      .getByTestId('view-0-field')
      .evaluate((el: HTMLSelectElement) => [...el.options].map((o) => o.value).find((v) => v.startsWith('density'))!);
    await page.getByTestId('view-0-field').selectOption(field);
    await page.getByTestId('view-1-field').selectOption(field);
    await page.getByTestId('view-1-mode').selectOption('difference');
    await page.getByTestId('view-1-ref').selectOption(ids.sim_000003);
    // panel B shows sim_000002 − sim_000003 = (1 − 2) · f = −f (member +1)
    await drawnIn(page, 1, 0);
    await expect(page.locator('.compare-panel').nth(1)).toContainText('A − B (B = sim_000003)');
    const box = (await page.getByTestId('view-1').boundingBox())!;
    await page.waitForTimeout(500);
    // the middle of the plot area (Plotly's axes), whatever the panel's size
    const area = await page.getByTestId('view-1').evaluate((el) => {
      const l = (el as unknown as { _fullLayout: { xaxis: { _offset: number; _length: number }; yaxis: { _offset: number; _length: number } } })._fullLayout;
      return { x: l.xaxis._offset + l.xaxis._length * 0.37, y: l.yaxis._offset + l.yaxis._length * 0.4 };
    });
    await page.mouse.move(box.x + area.x - 2, box.y + area.y);
    await page.mouse.move(box.x + area.x, box.y + area.y);
    await page.screenshot({ path: 'screenshots/compare-difference.png' });
    await expect(page.getByTestId('view-1-hover')).toContainText(' = ', { timeout: 10_000 });
    const text = (await page.getByTestId('view-1-hover').textContent()) ?? '';
    const m = /\[(\d+), (\d+)\].*· .* = (-?[\d.e+-]+)\s*$/.exec(text.trim());
    expect(m, text).not.toBeNull();
    const [ix, iy, v] = [Number(m![1]), Number(m![2]), Number(m![3])];
    const x = (ix + 0.5) * (2 / 16);
    const y = (iy + 0.5) * (1.5 / 12);
    expect(v).toBeCloseTo(-Math.sin(Math.PI * x) * Math.cos((Math.PI * y) / 1.5), 3);
    // the linked cursor: panel A's readout describes the same point
    await expect(page.getByTestId('view-0-hover')).toContainText(`[${ix}, ${iy}]`);
    await page.screenshot({ path: 'screenshots/compare-difference.png' });
  });
});

test.describe('compare with the shared fixtures (DaVis, imgstore, plain video)', () => {
  test.skip(!FIXTURES, 'shared fixtures not found: fixture browser tests skipped');

  async function openFolder(page: Page, rel: string, label: RegExp): Promise<void> {
    await page.getByTestId('open-folder').setInputFiles(join(FIXTURES!, rel));
    await expect(page.getByTestId('datasets')).toContainText(label, { timeout: 60_000 });
  }

  async function datasetIds(page: Page): Promise<Record<string, string>> {
    return page.getByTestId('view-0-dataset').evaluate((el: HTMLSelectElement) => Object.fromEntries([...el.options].map((o) => [o.text, o.value])));
  }

  type Ranges = { x: number[]; y: number[] };
  const ranges = (page: Page, panel: number): Promise<Ranges> =>
    page.getByTestId(`view-${panel}`).evaluate((el) => {
      const l = (el as unknown as { _fullLayout: { xaxis: { range: number[] }; yaxis: { range: number[] } } })._fullLayout;
      return { x: [...l.xaxis.range], y: [...l.yaxis.range] };
    });

  test('two DaVis vector sets side by side: a zoom dragged in one panel is applied to the other', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    // the same urban-canopy run opened twice (two runs of one rig share the physical extent)
    await openFolder(page, 'davis/pivpy/pivpy/data/urban_canopy', /urban_canopy/);
    await openFolder(page, 'davis/pivpy/pivpy/data/urban_canopy', /urban_canopy \(2\)/);
    await page.getByTestId('layout').selectOption('2');
    const ids = await datasetIds(page);
    await page.getByTestId('view-0-dataset').selectOption(ids.urban_canopy);
    await page.getByTestId('view-1-dataset').selectOption(ids['urban_canopy (2)']);
    await drawnIn(page, 0, 0);
    await drawnIn(page, 1, 0);
    await expect(page.getByTestId('link-zoom')).toBeChecked();
    const before0 = await ranges(page, 0);
    const before1 = await ranges(page, 1);
    expect(before1.x[0]).toBeCloseTo(before0.x[0], 6);
    // drag a zoom box over the middle of panel 0's plot area
    const box = (await page.getByTestId('view-0').boundingBox())!;
    const area = await page.getByTestId('view-0').evaluate((el) => {
      const l = (el as unknown as { _fullLayout: { xaxis: { _offset: number; _length: number }; yaxis: { _offset: number; _length: number } } })._fullLayout;
      return { x0: l.xaxis._offset, w: l.xaxis._length, y0: l.yaxis._offset, h: l.yaxis._length };
    });
    await page.mouse.move(box.x + area.x0 + area.w * 0.3, box.y + area.y0 + area.h * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + area.x0 + area.w * 0.5, box.y + area.y0 + area.h * 0.5, { steps: 8 });
    await page.mouse.move(box.x + area.x0 + area.w * 0.6, box.y + area.y0 + area.h * 0.6, { steps: 8 });
    await page.mouse.up();
    await expect
      .poll(async () => (await ranges(page, 0)).x[1] - (await ranges(page, 0)).x[0], { timeout: 10_000 })
      .toBeLessThan((before0.x[1] - before0.x[0]) * 0.6);
    const zoomed0 = await ranges(page, 0);
    await expect.poll(async () => (await ranges(page, 1)).x[0], { timeout: 10_000 }).toBeCloseTo(zoomed0.x[0], 6);
    const zoomed1 = await ranges(page, 1);
    expect(zoomed1.x[1]).toBeCloseTo(zoomed0.x[1], 6);
    expect(zoomed1.y[0]).toBeCloseTo(zoomed0.y[0], 6);
    expect(zoomed1.y[1]).toBeCloseTo(zoomed0.y[1], 6);
    await page.screenshot({ path: 'screenshots/compare-davis-linked-zoom.png' });
    // a double-click resets both panels to their full extent
    await page.mouse.dblclick(box.x + area.x0 + area.w * 0.5, box.y + area.y0 + area.h * 0.5);
    await expect
      .poll(async () => (await ranges(page, 1)).x[1] - (await ranges(page, 1)).x[0], { timeout: 10_000 })
      .toBeGreaterThan((before1.x[1] - before1.x[0]) * 0.95);
  });

  test('an imgstore recording beside a plain video of its first chunk, lined up by time with an offset', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await openFolder(page, 'imgstore/video_mjpeg_avi_color', /video_mjpeg_avi_color/);
    // the store's first chunk on its own: a plain MJPEG/AVI video whose clock starts at 0
    await page.getByTestId('open-files').setInputFiles(join(FIXTURES!, 'imgstore/video_mjpeg_avi_color/000000.avi'));
    await expect(page.getByTestId('datasets')).toContainText('000000.avi', { timeout: 60_000 });
    await page.getByTestId('layout').selectOption('2');
    const ids = await datasetIds(page);
    const store = Object.keys(ids).find((k) => k.includes('video_mjpeg_avi_color'))!;
    const video = Object.keys(ids).find((k) => k.includes('000000.avi'))!;
    await page.getByTestId('view-0-dataset').selectOption(ids[store]);
    await page.getByTestId('view-1-dataset').selectOption(ids[video]);
    await page.getByTestId('align').selectOption('time');
    // the video's t = 0 is the store's first frame_time (epoch seconds)
    await page.getByTestId('view-1-offset').fill('1710498030.5');
    await page.getByTestId('view-1-offset').press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('align=time');
    await drawnIn(page, 0, 0);
    await drawnIn(page, 1, 0);
    await expect(page.getByTestId('view-0-frame')).toHaveText('0');
    await expect(page.getByTestId('view-1-frame')).toHaveText('0');
    // step the timeline to the store's frame index 13 (frame_number 1015: 1013 and 1014 were dropped,
    // so it was recorded 0.6 s after the first frame); the video (25 fps, every frame kept) is at frame 15
    await page.getByTestId('timeline').focus();
    const target = 13;
    for (let i = 0; i < 40; i++) {
      const shown = Number(await page.getByTestId('view-0-frame').textContent());
      if (shown >= target) break;
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(60);
    }
    await expect(page.getByTestId('view-0-frame')).toHaveText(String(target));
    await expect(page.getByTestId('view-1-frame')).toHaveText('15');
    await drawnIn(page, 0, target);
    await drawnIn(page, 1, 15);
    await page.screenshot({ path: 'screenshots/compare-imgstore-video-time.png' });
  });
});
