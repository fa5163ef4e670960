/**
 * Scrubbing a long-GOP H.264 recording in the app (issue #10): a jump far into a GOP shows at once
 * a nearby frame (the GOP's keyframe decoded alone, or one already decoded), marked as approximate
 * on the plot and in the timeline, and then the exact frame with the marks gone. The approximate
 * picture is the keyframe's own picture (its frame number in testsrc2's counter), never a stale one.
 */
import { expect, test } from '@playwright/test';
import { ffmpeg, HAS_FFMPEG, NO_FFMPEG, tempDir } from '../tests/video/native';
import { waitDrawn } from './app-helpers';

test.skip(!HAS_FFMPEG, NO_FFMPEG);

const tmp = tempDir('fs-scrub-');
const N = 600;
const GOP = 250;

test.beforeAll(() => {
  // 640×480, a keyframe every 250 frames as imgstore/OpenCV write them, B-frames
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x480:rate=30',
    '-frames:v',
    String(N),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-x264-params',
    `keyint=${GOP}:min-keyint=${GOP}:scenecut=0:bframes=3`,
    '-pix_fmt',
    'yuv420p',
    tmp.path('long-gop.mp4'),
  ]);
});
test.afterAll(() => tmp.remove());

type Mark = { drawn: string | null; approx: string | null; timeline: boolean };

test('a jump into a long GOP shows the keyframe at once, marked approximate, then the exact frame', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await expect(page.getByTestId('frame-count')).toHaveText('24', { timeout: 60_000 });
  await page.getByTestId('open-files').setInputFiles(tmp.path('long-gop.mp4'));
  await expect(page.getByTestId('frame-count')).toHaveText(String(N), { timeout: 90_000 });
  await waitDrawn(page, 0, 'image', 'long-gop.mp4');
  const webcodecs = await page.evaluate(() => typeof VideoDecoder !== 'undefined');
  test.skip(!webcodecs, 'this Chromium has no WebCodecs VideoDecoder: no keyframe preview');

  // record every change of the plot's marks and of the timeline's mark
  await page.evaluate(() => {
    const plot = document.querySelector('[data-testid="plot"]')!;
    const marks: Mark[] = [];
    const note = () =>
      marks.push({
        drawn: plot.getAttribute('data-frame-drawn'),
        approx: plot.getAttribute('data-frame-approximate'),
        timeline: !!document.querySelector('[data-testid="timeline-approx"]'),
      });
    new MutationObserver(note).observe(document.body, {
      attributes: true,
      subtree: true,
      childList: true,
      attributeFilter: ['data-frame-drawn', 'data-frame-approximate'],
    });
    (window as unknown as { __marks: Mark[] }).__marks = marks;
  });
  const target = GOP + 170;
  await page.evaluate((i) => window.__framescope!.go!(i), target);
  await expect(page.getByTestId('frame-approx')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('timeline-approx')).toContainText(`frame ${GOP + 1}`);
  if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT });
  const approxShown = await page.evaluate(() => window.__framescope!.shown!.index);
  expect(approxShown).toBe(GOP);
  // then the exact frame, and no mark left
  await expect(page.getByTestId('plot')).toHaveAttribute('data-frame-drawn', String(target), { timeout: 60_000 });
  await expect(page.getByTestId('plot')).not.toHaveAttribute('data-frame-approximate', /.*/);
  await expect(page.getByTestId('frame-approx')).toHaveCount(0);
  await expect(page.getByTestId('timeline-approx')).toHaveCount(0);
  const marks = await page.evaluate(() => (window as unknown as { __marks: Mark[] }).__marks);
  const approx = marks.filter((m) => m.approx !== null);
  expect(approx.length, 'an approximate picture was drawn first').toBeGreaterThan(0);
  for (const m of approx) expect(m.approx, 'marked with the wanted frame').toBe(String(target));
  expect(marks.at(-1)!.drawn).toBe(String(target));
  expect(marks.at(-1)!.approx).toBeNull();

  // stepping on from the exact frame: no approximate marks (the next frame is decoded on), and the
  // frames stepped to are drawn exactly
  await page.waitForTimeout(600); // paused: the GOP decodes on in the background
  const before = marks.length;
  for (let k = 1; k <= 5; k++) {
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('plot')).toHaveAttribute('data-frame-drawn', String(target + k), { timeout: 30_000 });
  }
  const after = (await page.evaluate(() => (window as unknown as { __marks: Mark[] }).__marks)).slice(before);
  expect(after.filter((m) => m.approx !== null)).toEqual([]);
});
