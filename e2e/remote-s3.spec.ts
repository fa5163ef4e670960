/**
 * S3 listings against a real S3-API server on loopback (s3rver): a bucket holding fixtures, opened by
 * prefix URL (ListObjectsV2, paginated with continuation tokens at a small max-keys), by bucket URL,
 * by an explicit ListObjectsV2 link and by a pre-signed one; values equal the local open.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { FIXTURES, harness, requireFixtures } from './helpers/fixtures';
import { helperPort } from './helpers/nginx';
import { openInPage } from './helpers/remote-page';
import { startS3, type S3 } from './helpers/s3';

requireFixtures();

let s3: S3;
let phiflowObjects = 0;
test.beforeAll(async () => {
  s3 = await startS3(helperPort(104));
  phiflowObjects = await s3.putDir(join(FIXTURES!, 'phiflow/scenes/sim_000000'), 'runs/phiflow/sim_000000/');
  await s3.putDir(join(FIXTURES!, 'imgstore/video_mjpeg_avi_color'), 'runs/mjpeg/');
});
test.afterAll(async () => {
  await s3?.stop();
});

test('a prefix URL lists through ListObjectsV2 (paginated at max-keys 7) and opens like the local files', async ({ page }) => {
  await harness(page);
  const local = await openInPage(page, { list: '/__fixtures/list/phiflow/scenes/sim_000000', base: '/__fixtures/file/phiflow/scenes/sim_000000' }, [0, 9]);
  const listUrl = `${s3.url}/${s3.bucket}/?list-type=2&prefix=runs/phiflow/sim_000000/&max-keys=7`;
  const r = await openInPage(page, { url: listUrl }, [0, 9]);
  expect(r.error).toBeUndefined();
  expect(r.format).toBe('phiflow');
  expect(r.paths).toEqual(local.paths);
  expect(r.paths!.length).toBe(phiflowObjects);
  expect(r.frames).toEqual(local.frames);
  // a plain prefix URL (no query) finds the same listing
  const r2 = await openInPage(page, { url: `${s3.url}/${s3.bucket}/runs/mjpeg/` }, 'ends');
  const l2 = await openInPage(
    page,
    { list: '/__fixtures/list/imgstore/video_mjpeg_avi_color', base: '/__fixtures/file/imgstore/video_mjpeg_avi_color' },
    'ends',
  );
  expect(r2.error).toBeUndefined();
  expect(r2.name).toBe('mjpeg'); // the prefix's last segment
  expect(r2.frames).toEqual(l2.frames);
});

test('pagination really happens: more pages than one, every key once', async ({ page }) => {
  await harness(page);
  const pages = await page.evaluate(
    async ({ base }) => {
      const seen: string[] = [];
      let token: string | undefined;
      let n = 0;
      const { parseS3Listing, s3ListUrl } = (await import('/src/io/listing-s3.ts' as string)) as typeof import('../src/io/listing-s3');
      do {
        const u = s3ListUrl(base, 'runs/phiflow/', token, 7);
        const p = parseS3Listing(await (await fetch(u)).text(), u);
        seen.push(...p.objects.map((o) => o.key));
        token = p.truncated ? p.nextToken : undefined;
        n++;
      } while (token && n < 100);
      return { n, keys: seen.length, unique: new Set(seen).size };
    },
    { base: `${s3.url}/${s3.bucket}/` },
  );
  expect(pages.n).toBe(Math.ceil(phiflowObjects / 7));
  expect(pages.n).toBeGreaterThan(1);
  expect(pages.keys).toBe(phiflowObjects);
  expect(pages.unique).toBe(phiflowObjects);
});

test('a bucket URL lists everything; a pre-signed listing link works, and says so when it is truncated', async ({ page }) => {
  await harness(page);
  const listed = await page.evaluate(async (u) => {
    const { sourceTreeFromUrl } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
    const t = await sourceTreeFromUrl(u);
    return { name: t.name, paths: t.files.map((f) => f.path) };
  }, `${s3.url}/${s3.bucket}/`);
  expect(listed.name).toBe(s3.bucket);
  expect(listed.paths).toContain('runs/mjpeg/metadata.yaml');
  expect(listed.paths).toContain('runs/phiflow/sim_000000/description.json');
  const signed = s3.presign('', { 'list-type': '2', prefix: 'runs/mjpeg/' });
  const r = await openInPage(page, { url: signed }, [0]);
  expect(r.error).toBeUndefined();
  expect(r.format).toBe('imgstore');
  // a pre-signed link to one object (signed for GET: its HEAD is refused, the size comes from a ranged GET)
  const one = await page.evaluate(
    async (u) => {
      const { sourceTreeFromUrl } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
      const t = await sourceTreeFromUrl(u);
      return { name: t.name, size: t.files[0].size, head: new TextDecoder().decode(await t.files[0].read(0, 8)) };
    },
    s3.presign('runs/mjpeg/metadata.yaml', {}),
  );
  expect(one).toEqual({ name: 'metadata.yaml', size: statSync(join(FIXTURES!, 'imgstore/video_mjpeg_avi_color/metadata.yaml')).size, head: '__store:' });
  const truncated = s3.presign('', { 'list-type': '2', prefix: 'runs/mjpeg/', 'max-keys': '2' });
  const t = await openInPage(page, { url: truncated }, [0]);
  expect(t.error?.name).toBe('FormatError');
  expect(t.error?.reason).toMatch(/pre-signed S3 listing is truncated/);
});
