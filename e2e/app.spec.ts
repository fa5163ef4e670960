import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fixturesDir } from '../tests/fixtures-path';
import { selectDataset, valueAt, waitDrawn } from './app-helpers';

const FIX = fixturesDir();

test('opens on the built-in samples, offline, and draws the PhiFlow scene', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
  const shown = await waitDrawn(page, 0, 'density');
  expect(shown.kind).toBe('image');
  expect(shown.width).toBe(64);
  expect(shown.height).toBe(48);
  expect(shown.stats!.max).toBeGreaterThan(0.9);
  await expect(page.getByTestId('frame-time')).toHaveText('0');
  await page.screenshot({ path: 'screenshots/sample-phiflow-image.png' });
  // the vector field of the same scene, as a quiver plot over |v|
  await page.getByTestId('field').selectOption('velocity');
  const vec = await waitDrawn(page, 0, 'velocity');
  expect(vec.arrows).toBeGreaterThan(100);
  await page.screenshot({ path: 'screenshots/sample-phiflow-quiver.png' });
  // the masked PIV sample is open too
  await selectDataset(page, 'piv-vortex');
  const piv = await waitDrawn(page, 0, 'frame0', 'piv-vortex');
  expect(piv.kind).toBe('image');
  expect(piv.stats!.valid).toBeLessThan(piv.width * piv.height); // masked vectors exist
  await page.screenshot({ path: 'screenshots/sample-piv-quiver.png' });
});

test.describe('PhiFlow fixture scene through the folder picker', () => {
  test.skip(!FIX, 'shared fixtures not found (../shared/fixtures): fixture browser tests skipped');

  test('open, scrub, play, jump to a time and to a number; values match the analytic oracle', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await page.getByTestId('open-folder').setInputFiles(join(FIX!, 'phiflow/scenes/sim_000000'));
    await expect(page.getByTestId('frame-count')).toHaveText('10', { timeout: 60_000 });
    await page.getByTestId('field').selectOption('density');
    let s = await waitDrawn(page, 0, 'density');
    expect([s.width, s.height]).toEqual([32, 24]);

    // density = sin(pi x + 3t) cos(pi y / 1.5), x = (i + .5) 2/32, y = (j + .5) 1.5/24, t = 0.1 frame
    const oracle = (i: number, j: number, frame: number) =>
      Math.sin(Math.PI * ((i + 0.5) / 16) + 0.3 * frame) * Math.cos((Math.PI * ((j + 0.5) * 0.0625)) / 1.5);
    expect(await valueAt(page, 5, 7)).toBeCloseTo(oracle(5, 7, 0), 5);

    // scrub with the keyboard and the slider
    await page.getByTestId('timeline').focus();
    await page.keyboard.press('ArrowRight');
    s = await waitDrawn(page, 1);
    await expect(page.getByTestId('frame-number')).toHaveText('1');
    await expect(page.getByTestId('frame-time')).toHaveText('0.1');
    expect(await valueAt(page, 20, 3)).toBeCloseTo(oracle(20, 3, 1), 5);
    await page.getByTestId('timeline').fill('6');
    await waitDrawn(page, 6);
    expect(await valueAt(page, 31, 23)).toBeCloseTo(oracle(31, 23, 6), 5);
    await page.keyboard.press('End');
    await waitDrawn(page, 9);
    await page.keyboard.press('Home');
    await waitDrawn(page, 0);

    // jump to a time (nearest frame) and to a frame number
    await page.getByTestId('jump-time').fill('0.46');
    await page.getByTestId('jump-time').press('Enter');
    await waitDrawn(page, 5);
    await expect(page.getByTestId('frame-index')).toHaveText('5');
    await page.getByTestId('jump-number').fill('8');
    await page.getByTestId('jump-number').press('Enter');
    await waitDrawn(page, 8);

    // play shows every frame in order
    await page.getByTestId('jump-number').fill('0');
    await page.getByTestId('jump-number').press('Enter');
    await waitDrawn(page, 0);
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { __seen: number[] }).__seen = seen;
      new MutationObserver(() => seen.push(Number(document.querySelector('[data-testid=plot]')!.getAttribute('data-drawn-index')))).observe(
        document.querySelector('[data-testid=plot]')!,
        { attributes: true, attributeFilter: ['data-drawn-index'] },
      );
    });
    await page.getByTestId('play').click();
    await page.waitForFunction(() => (window as unknown as { __seen: number[] }).__seen.includes(9), null, { timeout: 30_000 });
    await page.getByTestId('play').click();
    const seen = await page.evaluate(() => (window as unknown as { __seen: number[] }).__seen);
    // frame 0 may be redrawn once when playback holds the colour limits; then every frame in order
    const order = seen.filter((x, k) => k === 0 || x !== seen[k - 1]).filter((x, k) => !(k === 0 && x === 0));
    expect(order.slice(0, 9)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

    // staggered velocity: vector view + its face components
    await page.getByTestId('field').selectOption('velocity');
    await page.waitForFunction(() => window.__framescope?.shown?.field === 'velocity', null, { timeout: 30_000 });
    s = (await page.evaluate(() => window.__framescope!.shown)) as typeof s;
    expect(s.arrows).toBeGreaterThan(50);
    await page.screenshot({ path: 'screenshots/phiflow-fixture-quiver.png' });
    await page.getByTestId('field').selectOption('velocity/x');
    s = await waitDrawn(page, s.index, 'velocity/x');
    expect([s.width, s.height]).toEqual([31, 24]);

    // metadata panel: properties searchable
    await page.getByTestId('metadata-search').fill('dt');
    await expect(page.getByTestId('metadata')).toContainText('0.1');
  });

  test('1D and 3D fields, the URL hash restores the view after a reload', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await page.getByTestId('field').selectOption('velocity');
    await page.getByTestId('colormap').selectOption('inferno');
    await page.getByTestId('timeline').fill('7');
    await waitDrawn(page, 7, 'velocity');
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toContain('i=7');
    expect(hash).toContain('cmap=inferno');
    await page.reload();
    const s = await waitDrawn(page, 7, 'velocity');
    expect(s.index).toBe(7);
    await expect(page.getByTestId('colormap')).toHaveValue('inferno');

    await page.getByTestId('open-folder').setInputFiles(join(FIX!, 'phiflow/scenes_numpy2/sim_000000'));
    await expect(page.getByTestId('frame-count')).toHaveText('10', { timeout: 60_000 });
    await page.getByTestId('field').selectOption('profile1d');
    const line = await waitDrawn(page, 0, 'profile1d');
    expect(line.kind).toBe('line');
    expect(line.width).toBe(40);
    await page.getByTestId('field').selectOption('density3d');
    const vol = await waitDrawn(page, 0, 'density3d');
    expect([vol.width, vol.height]).toEqual([6, 5]);
    await page.getByTestId('plane').fill('2');
    await page.waitForFunction(() => (window.__framescope?.valueAt?.(0, 0) ?? 0) > 50);
    // x + 10 y + 100 z at cell (0,0,2) of a unit cube 6x5x4: 1/12 + 1 + 62.5
    expect(await valueAt(page, 0, 0)).toBeCloseTo(1 / 12 + 10 * 0.1 + 100 * 0.625, 4);
  });

  test('a folder of many scenes opens as one batch with a scene selector', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await page.getByTestId('open-folder').setInputFiles(join(FIX!, 'phiflow/scenes'));
    await expect(page.getByTestId('scene')).toBeVisible({ timeout: 60_000 });
    const options = await page.getByTestId('scene').locator('option').allTextContents();
    expect(options).toEqual(['sim_000000', 'sim_000001', 'sim_000002', 'sim_000003', 'sim_000004']);
    await page.getByTestId('scene').selectOption({ label: 'sim_000001' });
    await expect(page.getByTestId('series')).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: 'screenshots/phiflow-batch-series.png' });
  });

  test('a bad file gives one grouped error naming it, and nothing loaded is lost', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await page.getByTestId('open-files').setInputFiles([
      { name: 'broken_000000.npz', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04 this is not a zip archive at all') },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
    ]);
    const err = page.getByTestId('error');
    await expect(err).toBeVisible({ timeout: 30_000 });
    await expect(err).toContainText('broken_000000.npz');
    await expect(err).toContainText('notes.txt');
    await expect(page.getByTestId('frame-count')).toHaveText('24');
    expect(await page.getByTestId('datasets').locator('option').count()).toBe(2);
  });
});

test('export dialog: npz of frames 0..5 runs in a worker with progress and downloads', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
  await waitDrawn(page, 0, 'density');
  await page.getByTestId('export').click();
  await page.getByTestId('export-target').selectOption('npz');
  await page.getByTestId('export-range-stop').fill('5');
  await expect(page.getByTestId('export-start')).toHaveText('Export 6 frames');
  await page.getByTestId('export-start').click();
  const job = page.getByTestId('export-jobs').locator('[data-status]').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(job).toContainText('6 frames written');
  await page.screenshot({ path: 'screenshots/export-dialog.png' });
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  const path = await dl.path();
  const bytes = (await import('node:fs')).readFileSync(path);
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  expect(dl.suggestedFilename()).toMatch(/\.(npz|zip)$/);
});

test('export dialog: a rendered MP4 of the vortex sample is made in the export worker', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
  await waitDrawn(page, 0, 'density');
  await page.getByTestId('field').selectOption('velocity');
  await waitDrawn(page, 0, 'velocity');
  await page.getByTestId('export').click();
  await page.getByTestId('export-target').selectOption('mp4');
  await page.getByTestId('export-range-stop').fill('9');
  await page.getByTestId('export-start').click();
  const job = page.getByTestId('export-jobs').locator('[data-status]').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  // progress counts frames (the colour-limit scan, then the encoding)
  await expect(job).toContainText('10 frames written');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  const bytes = (await import('node:fs')).readFileSync(await dl.path());
  expect(dl.suggestedFilename()).toMatch(/\.mp4$/);
  expect(bytes.subarray(4, 8).toString()).toBe('ftyp');
});
