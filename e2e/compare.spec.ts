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
