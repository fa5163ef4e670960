import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { FieldData, SourceTree } from '../../src/formats/types';
import { bytesSourceFile } from '../../src/io/slice-file';

/** The exported files as a SourceTree (paths as returned), optionally under a prefix stripped. */
export function treeFromFiles(files: { path: string; bytes: Uint8Array }[], name = 'export', under?: string): SourceTree {
  const pre = under ? (under.endsWith('/') ? under : under + '/') : '';
  return {
    name,
    files: files.filter((f) => f.path.startsWith(pre)).map((f) => bytesSourceFile(f.path.slice(pre.length), f.bytes)),
  };
}

/** Write the files below a fresh temporary directory; returns it. */
export function writeFiles(files: { path: string; bytes: Uint8Array }[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fs-export-'));
  for (const f of files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.bytes);
  }
  return dir;
}

let numpy: boolean | null = null;
/** true when python3 with numpy is available (the numpy cross-checks skip with a message otherwise). */
export function hasNumpy(): boolean {
  if (numpy === null) {
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
      numpy = true;
    } catch {
      numpy = false;
      console.warn('python3 with numpy not available: numpy cross-checks skipped');
    }
  }
  return numpy;
}

/** Run a python3 script with arguments, return stdout parsed as JSON. */
export function python(script: string, ...args: string[]): unknown {
  const out = execFileSync('python3', ['-c', script, ...args], { maxBuffer: 64 << 20 }).toString();
  return JSON.parse(out);
}

/** Expect two fields to hold the same cells: values (or u/v/w), masks (masked cells ignored), shape. */
export function expectSameField(a: FieldData, b: FieldData, tol = 0, label = ''): void {
  expect(b.kind, label).toBe(a.kind);
  expect(b.shape, label).toEqual(a.shape);
  const cells = a.kind === 'rgb' ? a.shape.slice(0, -1).reduce((x, y) => x * y, 1) : a.shape.reduce((x, y) => x * y, 1);
  const ma = a.mask;
  const mb = b.mask;
  for (let i = 0; i < cells; i++) {
    const ia = ma ? ma[i] !== 0 : false;
    const ib = mb ? mb[i] !== 0 : false;
    if (ia !== ib) expect.fail(`${label}: mask differs at cell ${i} (${ia} vs ${ib})`);
  }
  const arrays: [ArrayLike<number> | undefined, ArrayLike<number> | undefined][] =
    a.kind === 'vector'
      ? [
          [a.u, b.u],
          [a.v, b.v],
          [a.w, b.w],
        ]
      : [[a.values as ArrayLike<number>, b.values as ArrayLike<number>]];
  const per = a.kind === 'rgb' ? 3 : 1;
  let worst = 0;
  for (const [x, y] of arrays) {
    if (!x && !y) continue;
    if (!x || !y) expect.fail(`${label}: component present on one side only`);
    for (let i = 0; i < x.length; i++) {
      const cell = Math.floor(i / per);
      if (ma?.[cell] || mb?.[cell]) continue;
      const d = Math.abs(x[i] - y[i]);
      if (!(d <= tol) && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
    }
  }
  if (worst > tol) expect.fail(`${label}: values differ by up to ${worst} (tolerance ${tol})`);
}
