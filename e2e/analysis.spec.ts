/** Derived quantities in the viewer (issue 14): vorticity under the arrows of the PIV sample. */
import { expect, test } from '@playwright/test';
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
