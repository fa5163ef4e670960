import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fixturesDir } from '../tests/fixtures-path';
import { waitDrawn } from './app-helpers';

const FIX = fixturesDir();

/** The video-backed formats in the app itself (worker pipeline, real ffmpeg.wasm, Plotly). */
test.describe('video-backed formats in the app', () => {
  test.skip(!FIX, 'shared fixtures not found (../shared/fixtures): browser tests of the video formats skipped');

  test('imgstore colour video store: RGB frames, frame numbers, date-time, extra data series', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await page.getByTestId('open-folder').setInputFiles(join(FIX!, 'imgstore/video_mjpeg_avi_motif_style_extra_SYNTHETIC'));
    const s = await waitDrawn(page, 0, 'image', 'video_mjpeg_avi_motif_style_extra_SYNTHETIC');
    expect(s.kind).toBe('rgb');
    await page.getByTestId('timeline').focus();
    await page.keyboard.press('ArrowRight');
    await waitDrawn(page, 1);
    await expect(page.getByTestId('frame-time')).toContainText('UTC');
    await page.screenshot({ path: 'screenshots/imgstore-video-store.png' });
  });

  test('py-pde movie: dequantised field on its grid, times from the .times side-car', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await page.getByTestId('open-files').setInputFiles([join(FIX!, 'pypde/vector2d_16bit.avi'), join(FIX!, 'pypde/vector2d_16bit.avi.times')]);
    const s = await waitDrawn(page, 0, undefined, 'vector2d_16bit.avi');
    expect(s.kind).toBe('image');
    expect(s.arrows).toBeGreaterThan(10);
    await page.screenshot({ path: 'screenshots/pypde-vector.png' });
    await page.getByTestId('open-files').setInputFiles(join(FIX!, 'pypde/scalar1d_16bit.avi'));
    const line = await waitDrawn(page, 0, undefined, 'scalar1d_16bit.avi');
    expect(line.kind).toBe('line');
    await page.screenshot({ path: 'screenshots/pypde-1d.png' });
  });

  test('plain video (in-silico-framework mp4): RGB frames at their presentation times', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
    await page.getByTestId('open-files').setInputFiles(join(FIX!, 'isf/out_fps50.mp4'));
    await expect(page.getByTestId('frame-count')).toHaveText('6', { timeout: 60_000 });
    const s = await waitDrawn(page, 0, 'image', 'out_fps50.mp4');
    expect([s.kind, s.width, s.height]).toEqual(['rgb', 331, 247]);
    await page.getByTestId('timeline').focus();
    await page.keyboard.press('End');
    await waitDrawn(page, 5);
    await expect(page.getByTestId('frame-time')).toHaveText('0.1 s');
    await page.screenshot({ path: 'screenshots/plain-video.png' });
  });
});
