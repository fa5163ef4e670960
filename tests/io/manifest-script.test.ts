/** `npm run manifest -- DIR` output read back by sourceTreeFromUrl from a server with no folder index. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { sourceTreeFromUrl } from '../../src/io/url';
import { buildManifest } from '../../scripts/manifest';
import { pattern, startServer } from './http-server';

const dir = mkdtempSync(join(tmpdir(), 'framescope-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('lists every file with its exact size (not itself), and a server without an index serves the tree by it', async () => {
  mkdirSync(join(dir, 'B'));
  writeFileSync(join(dir, 'B', 'B00001.vc7'), pattern(2000, 1));
  writeFileSync(join(dir, 'run.set'), pattern(10, 2));
  writeFileSync(join(dir, 'framescope.json'), 'old');
  const m = buildManifest(dir, { name: 'run' });
  expect(m).toEqual({
    framescope: 1,
    name: 'run',
    files: [
      { path: 'B/B00001.vc7', size: 2000 },
      { path: 'run.set', size: 10 },
    ],
  });
  const srv = await startServer({
    '/d/framescope.json': JSON.stringify(m),
    '/d/B/B00001.vc7': readFileSync(join(dir, 'B', 'B00001.vc7')),
    '/d/run.set': readFileSync(join(dir, 'run.set')),
  });
  srv.options.index = 'none';
  try {
    const t = await sourceTreeFromUrl(srv.url + '/d/');
    expect(t.name).toBe('run');
    expect(t.files.map((f) => [f.path, f.size])).toEqual([
      ['B/B00001.vc7', 2000],
      ['run.set', 10],
    ]);
    expect(Array.from(await t.files[0].read(1990, 2000))).toEqual(Array.from(pattern(2000, 1).subarray(1990)));
  } finally {
    await srv.close();
  }
});
