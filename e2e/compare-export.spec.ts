/**
 * Comparison export (issue 9): the compare view's "Export comparison" opens the export dialog with
 * the rendered targets only; a 2-panel comparison of the built-in samples is written as an MP4 whose
 * frame count and size ffprobe (Debian's) checks; one frame is extracted with ffmpeg for a look.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

test.setTimeout(240_000);

async function drawnIn(page: Page, panel: number, index: number): Promise<void> {
  await expect(page.getByTestId(`view-${panel}`)).toHaveAttribute('data-frame-drawn', String(index), { timeout: 60_000 });
}

const ffprobe = existsSync('/usr/bin/ffprobe') ? '/usr/bin/ffprobe' : null;

test('a 2-panel comparison exported as one MP4: frame count, size, and a frame looked at', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plot')).toHaveAttribute('data-frame-drawn', '0', { timeout: 60_000 });
  await expect(page.getByTestId('datasets').locator('option')).toHaveCount(2, { timeout: 60_000 });
  await page.getByTestId('layout').selectOption('2');
  await drawnIn(page, 0, 0);
  await drawnIn(page, 1, 0);
  await page.getByTestId('compare-export').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('export-title')).toContainText('Export the comparison');
  const targets = await page.getByTestId('export-target').evaluate((el: HTMLSelectElement) => [...el.options].map((o) => o.value));
  expect(targets).toEqual(['mp4', 'webm', 'gif', 'png-zip']);
  await page.getByTestId('export-target').selectOption('mp4');
  await page.getByTestId('export-opt-codec').selectOption('mpeg4');
  await page.getByTestId('export-range-stop').fill('5');
  await expect(page.getByTestId('export-frame-count')).toHaveText('6');
  await expect(page.getByTestId('export-preview')).toBeVisible({ timeout: 90_000 });
  const caption = (await page.getByTestId('export-preview-caption').textContent()) ?? '';
  const m = /(\d+)×(\d+) px/.exec(caption);
  expect(m, caption).not.toBeNull();
  const [w, h] = [Number(m![1]), Number(m![2])];
  mkdirSync('screenshots', { recursive: true });
  await dialog.screenshot({ path: 'screenshots/compare-export-dialog.png' });

  await page.getByTestId('export-start').click();
  const job = page.getByTestId('export-jobs').locator('[data-status]').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
  await expect(job).toContainText('comparison of');
  await expect(job).toContainText(`2 panels, 6 frames, ${w}×${h}`);
  const [download] = await Promise.all([page.waitForEvent('download'), job.getByTestId('export-download').click()]);
  expect(download.suggestedFilename()).toMatch(/\.mp4$/);
  const path = await download.path();
  test.skip(!ffprobe, 'Debian ffprobe not installed: the movie is not probed');
  const probe = JSON.parse(
    execFileSync(ffprobe!, [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,nb_read_frames,codec_name',
      '-of',
      'json',
      path,
    ]).toString(),
  ).streams[0];
  expect(probe.codec_name).toBe('mpeg4');
  expect(Number(probe.nb_read_frames)).toBe(6);
  expect([probe.width, probe.height]).toEqual([w, h]);
  // the grid is two panels side by side: wider than tall
  expect(w).toBeGreaterThan(h);
  execFileSync('/usr/bin/ffmpeg', ['-v', 'error', '-y', '-i', path, '-vf', 'select=eq(n\\,3)', '-frames:v', '1', 'screenshots/compare-export-frame3.png']);
  expect(existsSync('screenshots/compare-export-frame3.png')).toBe(true);
});
