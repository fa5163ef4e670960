/**
 * The fixed-seed fuzz run that is part of `npm test`: 2,000 damaged copies of the shared fixtures
 * through the Node readers (DaVis, imgstore, PhiFlow, PIV text, zarr) and codecs (npz, npy, pickle, PNG), each in
 * a worker with a time and heap limit. Every answer must be an open dataset or a FormatError:
 * no other exception, no hang, no out-of-memory. Skipped (with a message) without the fixtures.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeFixtures } from '../fixtures';

const root = resolve(__dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'framescope-fuzz-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describeFixtures('fuzz: fixed seed, 2,000 cases', () => {
  it('every damaged input opens or gives a FormatError (0 other exceptions, 0 hangs, 0 OOM)', async () => {
    const json = join(out, 'summary.json');
    const args = [
      '--import',
      'tsx',
      'scripts/fuzz/fuzz.ts',
      '--cases',
      '2000',
      '--seed',
      '1',
      '--quiet',
      '--timeout',
      '30000',
      '--out',
      join(out, 'repro'),
      '--json',
      json,
    ];
    // light readers weighted up so the run stays near a minute on a 2-core machine
    args.push('--reader', 'davis,imgstore,phiflow,pivtext,zarr,npz,npy,pickle,png,npz,npy,pickle,png');
    const stdout = await new Promise<string>((res) => execFile(process.execPath, args, { cwd: root, maxBuffer: 1 << 24 }, (_e, so, se) => res(`${so}\n${se}`)));
    const s = JSON.parse(readFileSync(json, 'utf8'));
    expect(s.total.cases, stdout).toBe(2000);
    expect(s.total.format, 'some mutations must be refused').toBeGreaterThan(200);
    expect(s.total.ok, 'some mutations must still open').toBeGreaterThan(100);
    expect({ error: s.total.error, hang: s.total.hang, oom: s.total.oom, crash: s.total.crash, findings: s.findings }, stdout).toEqual({
      error: 0,
      hang: 0,
      oom: 0,
      crash: 0,
      findings: [],
    });
  }, 400_000);
});
