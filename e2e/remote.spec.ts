/**
 * Remote data through a real nginx on loopback (config written by the test: autoindex JSON and HTML,
 * ranges, CORS): DaVis, imgstore (MJPEG and H.264 chunks), py-pde and PhiFlow opened by link equal the
 * local open frame for frame; only ranged reads cross the network; the app opens a link typed into
 * `open-url` and `#url=` on load, and shows errors naming the URL.
 */
import { expect, test } from '@playwright/test';
import { harness, requireFixtures, FIXTURES } from './helpers/fixtures';
import { helperPort, NGINX_MISSING, nginxBinary, startNginx, type Nginx } from './helpers/nginx';
import { openInPage } from './helpers/remote-page';

requireFixtures();
test.skip(!nginxBinary(), NGINX_MISSING);

let nginx: Nginx;
test.beforeAll(async () => {
  nginx = await startNginx(FIXTURES!, helperPort(100));
});
test.afterAll(async () => {
  await nginx?.stop();
});

const CASES: { name: string; dir: string; file?: string; frames: number[] | 'all' | 'ends'; format: string }[] = [
  { name: 'DaVis vector set', dir: 'davis/pivpy/pivpy/data/urban_canopy', frames: 'all', format: 'davis' },
  { name: 'imgstore MJPEG/AVI', dir: 'imgstore/video_mjpeg_avi_color', frames: 'ends', format: 'imgstore' },
  { name: 'imgstore H.264/MP4', dir: 'imgstore/video_avc1_mp4_gray', frames: 'ends', format: 'imgstore' },
  { name: 'imgstore H.264/MKV', dir: 'imgstore/video_h264_mkv_color', frames: 'ends', format: 'imgstore' },
  { name: 'py-pde movie (file link)', dir: 'pypde', file: 'vector2d_16bit.avi', frames: 'all', format: 'pypde' },
  { name: 'PhiFlow scene', dir: 'phiflow/scenes/sim_000000', frames: [0, 4, 9], format: 'phiflow' },
];

test.describe('datasets through nginx equal the local open', () => {
  for (const c of CASES) {
    test(c.name, async ({ page }) => {
      await harness(page);
      const rel = c.file ? `${c.dir}/${c.file}` : `${c.dir}/`;
      const local = await openInPage(page, { list: `/__fixtures/list/${c.file ? rel : c.dir}`, base: `/__fixtures/file/${c.dir}` }, c.frames);
      expect(local.error).toBeUndefined();
      const before = nginx.accessLog().length;
      const remote = await openInPage(page, { url: `${nginx.url}/${rel}` }, c.frames);
      expect(remote.error).toBeUndefined();
      expect(remote.format).toBe(c.format);
      expect(remote.count).toBe(local.count);
      expect(remote.paths).toEqual(local.paths);
      expect(remote.frames).toEqual(local.frames);
      expect(remote.frames!.length).toBeGreaterThan(0);
      // only ranged reads of files; listings are the only whole answers
      const log = nginx.accessLog().slice(before);
      const fileGets = log.filter((l) => l.method === 'GET' && !l.path.endsWith('/') && !l.path.endsWith('framescope.json'));
      expect(fileGets.length).toBeGreaterThan(0);
      expect(fileGets.filter((l) => !l.range)).toEqual([]);
      expect(remote.requests).toBe(log.length);
      console.log(`[remote] ${c.name}: ${log.length} requests, ${(log.reduce((s, l) => s + l.bytes, 0) / 1024).toFixed(0)} kB, ${remote.ms.toFixed(0)} ms`);
    });
  }

  test('an HTML index page of the nginx kind lists the same tree', async ({ page }) => {
    await harness(page);
    const a = await openInPage(page, { url: `${nginx.url}/davis/pivpy/pivpy/data/urban_canopy/` }, [0]);
    const b = await openInPage(page, { url: `${nginx.url}/html/davis/pivpy/pivpy/data/urban_canopy/` }, [0]);
    expect(b.error).toBeUndefined();
    expect(b.paths).toEqual(a.paths);
    expect(b.frames).toEqual(a.frames);
  });

  test('a PhiFlow batch folder (recursive listing) opens with its scenes', async ({ page }) => {
    await harness(page);
    const r = await openInPage(page, { url: `${nginx.url}/phiflow/scenes` }, [0]);
    expect(r.error).toBeUndefined();
    expect(r.format).toBe('phiflow');
    expect(r.paths!.some((p) => p.startsWith('sim_000004/'))).toBe(true);
  });
});

test.describe('exports from a remote tree', () => {
  test('an npz export of a remote DaVis set has the same bytes as the local one', async ({ page }) => {
    await harness(page);
    const r = await page.evaluate(
      async ({ remote }) => {
        const urlMod = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
        const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
        const { exportDataset } = (await import('/src/export/index.ts' as string)) as typeof import('../src/export/index');
        const dir = 'davis/pivpy/pivpy/data/urban_canopy';
        const out = async (tree: Parameters<typeof openDataset>[0]) => {
          const files = await exportDataset(await openDataset(tree), { target: 'npz', frames: [0, 2, 4] });
          return files.map((f) => {
            let h = 0x811c9dc5;
            for (let i = 0; i < f.bytes.length; i++) h = Math.imul(h ^ f.bytes[i], 0x01000193);
            return `${f.path}:${f.bytes.length}:${(h >>> 0).toString(16)}`;
          });
        };
        return {
          local: await out(await urlMod.sourceTreeFromListing(`/__fixtures/list/${dir}`, `/__fixtures/file/${dir}`)),
          remote: await out(await urlMod.sourceTreeFromUrl(`${remote}/${dir}/`)),
        };
      },
      { remote: nginx.url },
    );
    expect(r.remote.length).toBeGreaterThan(0);
    expect(r.remote).toEqual(r.local);
  });
});

test.describe('errors name the URL', () => {
  test('404, a page that is not a listing, a CORS refusal', async ({ page }) => {
    await harness(page);
    const fast = { retries: 1, backoffMs: 20, idleTimeoutMs: 5000 };
    const missing = await openInPage(page, { url: `${nginx.url}/davis/no-such-folder/` }, [0], fast);
    expect(missing.error?.name).toBe('FormatError');
    expect(missing.error?.path).toBe(`${nginx.url}/davis/no-such-folder/`);
    expect(missing.error?.reason).toMatch(/not found/);
    const notListing = await openInPage(page, { url: `${nginx.url}/imgstore/INDEX.md/` }, [0], fast);
    expect(notListing.error?.name).toBe('FormatError');
    const cors = await openInPage(page, { url: `${nginx.url}/nocors/davis/pivpy/pivpy/data/urban_canopy/` }, [0], fast);
    expect(cors.error?.name).toBe('FormatError');
    expect(cors.error?.path).toContain('/nocors/');
    expect(cors.error?.reason).toMatch(/CORS/);
  });
});

test.describe('the app', () => {
  test('opens a link typed into open-url, in the dataset worker, with progress', async ({ page }) => {
    await page.goto('/');
    // a link opened after the built-in samples (which activate themselves when they finish)
    await expect.poll(() => page.getByTestId('datasets').locator('option').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await expect(page.locator('.dataset-bar > .loading')).toHaveCount(0, { timeout: 60_000 });
    await page.getByTestId('open-url').fill(`${nginx.url}/davis/pivpy/pivpy/data/urban_canopy/`);
    await page.getByTestId('open-url-button').click();
    await expect(page.getByTestId('datasets')).toContainText('urban_canopy (davis)', { timeout: 60_000 });
    await expect(page.getByTestId('frame-count')).toHaveText('5', { timeout: 30_000 });
    await expect(page.getByTestId('plot')).toHaveAttribute('data-drawn-index', '0', { timeout: 30_000 });
    await expect(page.getByTestId('copy-link')).toBeVisible();
    // the address now carries the link: sending it opens the same dataset
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('url=');
  });

  test('opens #url= on load and keeps it active after the samples', async ({ page }) => {
    const link = `${nginx.url}/imgstore/video_mjpeg_avi_color/`;
    await page.goto('/#url=' + encodeURIComponent(link));
    await expect(page.getByTestId('datasets')).toContainText('video_mjpeg_avi_color (imgstore)', { timeout: 60_000 });
    await expect
      .poll(async () => page.getByTestId('datasets').evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.text ?? ''), { timeout: 30_000 })
      .toContain('video_mjpeg_avi_color');
    await expect(page.getByTestId('plot')).toHaveAttribute('data-drawn-index', /\d+/, { timeout: 30_000 });
  });

  test('a bad link shows one grouped error naming it', async ({ page }) => {
    await page.goto('/');
    const bad = `${nginx.url}/davis/missing-run/`;
    await page.getByTestId('open-url').fill(bad);
    await page.getByTestId('open-url-button').click();
    await expect(page.getByTestId('error')).toContainText(bad, { timeout: 60_000 });
    await expect(page.getByTestId('error')).toContainText('not found');
  });
});
