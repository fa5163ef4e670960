import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fixturesDir } from '../tests/fixtures-path';
import { waitDrawn } from './app-helpers';

const FIX = fixturesDir();

test.describe('DaVis in the app', () => {
  test.skip(!FIX, 'shared fixtures not found (../shared/fixtures): DaVis browser tests skipped');

  test('a vector set folder: scrub, switch components, masked vectors hidden', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await page.getByTestId('open-folder').setInputFiles(join(FIX!, 'davis/pivpy/pivpy/data/urban_canopy'));
    await expect(page.getByTestId('frame-count')).toHaveText('5', { timeout: 60_000 });
    let s = await waitDrawn(page, 0, 'frame0', 'urban_canopy');
    expect([s.width, s.height]).toEqual([160, 135]);
    expect(s.stats!.valid).toBe(16680); // lvpyio-style valid vectors of B00001 (INDEX.md)
    await expect(page.getByTestId('frame-number')).toHaveText('1');
    await page.screenshot({ path: 'screenshots/davis-vector-set.png' });
    await page.getByTestId('timeline').focus();
    await page.keyboard.press('ArrowRight');
    s = await waitDrawn(page, 1);
    await expect(page.getByTestId('frame-number')).toHaveText('2');
    // background u component; then a single lvpyio component as its own scalar field
    await page.getByTestId('component').selectOption('u');
    await page.waitForFunction(() => window.__framescope?.shown?.stats && Math.abs(window.__framescope.shown.stats.mean) < 5);
    await page.getByTestId('field').selectOption('frame0/U0');
    s = await waitDrawn(page, 1, 'frame0/U0');
    expect(s.kind).toBe('image');
    await page.getByTestId('field').selectOption('frame0/ENABLED');
    s = await waitDrawn(page, 1, 'frame0/ENABLED');
    expect(s.stats!.max).toBe(1);
  });

  test('an image file: both camera frames, physical axes, hover value', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await page.getByTestId('open-files').setInputFiles(join(FIX!, 'davis/readim/ReadIM/sample_files/1camera.im7'));
    await expect(page.getByTestId('frame-count')).toHaveText('1', { timeout: 60_000 });
    let s = await waitDrawn(page, 0, 'frame0', '1camera.im7');
    expect([s.width, s.height]).toEqual([1376, 1024]);
    expect(s.stats!.min).toBe(14);
    expect(s.stats!.max).toBe(1264);
    expect(s.stats!.mean).toBeCloseTo(27.852732, 4);
    await page.getByTestId('limits').selectOption('p1-99');
    await page.getByTestId('colormap').selectOption('gray');
    await page.waitForFunction(() => (window.__framescope?.shown?.limits?.[1] ?? 1e9) < 1264);
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'screenshots/davis-image.png' });
    await page.getByTestId('field').selectOption('frame1');
    s = await waitDrawn(page, 0, 'frame1');
    expect(s.stats!.max).toBe(1685);
    // hover the middle of the plot: the readout names value and physical coordinates
    const box = (await page.locator('.plot .nsewdrag').first().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.getByTestId('hover')).toContainText('frame1 =', { timeout: 10_000 });
    await expect(page.getByTestId('hover')).toContainText('mm');
  });
});

test.describe('DaVis sets side by side', () => {
  test.skip(!FIX, 'shared fixtures not found (../shared/fixtures): DaVis browser tests skipped');

  test('a folder with two sets: a scene selector; a particle-track set shows its notice, not an empty view', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await page.getByTestId('open-folder').setInputFiles(join(FIX!, 'davis/lvpyio-example-scripts/data'));
    await expect(page.getByTestId('scene')).toBeVisible({ timeout: 60_000 });
    const names = await page.getByTestId('scene').locator('option').allTextContents();
    expect(names.some((n) => n.includes('Tracks_Cylinder_Wake'))).toBe(true);
    const tracks = await page.getByTestId('scene').evaluate((el: HTMLSelectElement) => [...el.options].find((o) => o.text.includes('Tracks'))!.value);
    await page.getByTestId('scene').selectOption(tracks);
    await expect(page.getByTestId('notice')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('metadata')).toContainText('16777216');
    await page.screenshot({ path: 'screenshots/davis-particle-set.png' });
  });
});
