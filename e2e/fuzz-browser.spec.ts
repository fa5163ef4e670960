/**
 * The fixed-seed browser fuzz run (issue 13): 150 damaged copies of the video-backed fixtures
 * (py-pde FFV1 movies, imgstore MJPEG/H.264 chunk stores, plain videos) through openDataset +
 * readFrame in a module worker of headless Chromium, with the decode watchdog in force, driven by
 * `npm run fuzz -- --browser` against this suite's dev server. Every answer must be an open dataset
 * or a FormatError: 0 other exceptions, 0 hangs, 0 OOM, 0 worker crashes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { requireFixtures } from './helpers/fixtures';

requireFixtures();

test('browser fuzz, seed 1, 150 cases: every damaged video opens or gives a FormatError', async ({ baseURL }) => {
  test.setTimeout(300_000);
  const out = mkdtempSync(join(tmpdir(), 'framescope-browser-fuzz-'));
  try {
    const port = new URL(baseURL!).port;
    const json = join(out, 'summary.json');
    const args = [
      '--import',
      'tsx',
      'scripts/fuzz/fuzz.ts',
      '--browser',
      '--cases',
      '150',
      '--seed',
      '1',
      '--port',
      port,
      '--quiet',
      '--out',
      join(out, 'repro'),
      '--json',
      json,
    ];
    const stdout = await new Promise<string>((res) =>
      execFile(process.execPath, args, { cwd: resolve(dirname(fileURLToPath(import.meta.url)), '..'), maxBuffer: 1 << 24 }, (_e, so, se) =>
        res(`${so}\n${se}`),
      ),
    );
    const s = JSON.parse(readFileSync(json, 'utf8'));
    expect(s.total.cases, stdout).toBe(150);
    expect(s.total.format, 'some damaged videos must be refused').toBeGreaterThan(15);
    expect(s.total.ok, 'some damaged videos must still open').toBeGreaterThan(15);
    for (const r of ['pypde', 'imgstore-video', 'video']) expect(s.readers[r]?.cases, r).toBe(50);
    expect({ error: s.total.error, hang: s.total.hang, oom: s.total.oom, crash: s.total.crash, findings: s.findings }, stdout).toEqual({
      error: 0,
      hang: 0,
      oom: 0,
      crash: 0,
      findings: [],
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
