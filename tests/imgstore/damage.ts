/** Test helpers: copy a fixture store into a temp dir (writable) so a test can damage it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceTreeFromPath } from '../../src/io/node';
import { fixture } from '../fixtures';

const made: string[] = [];

export function copyStore(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgstore-test-'));
  made.push(dir);
  const dst = join(dir, name);
  execFileSync('cp', ['-r', fixture('imgstore', name), dst]);
  execFileSync('chmod', ['-R', 'u+w', dst]);
  return dst;
}

export function cleanupCopies(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function truncateFile(path: string, keep: number): void {
  const b = readFileSync(path);
  writeFileSync(path, b.subarray(0, keep < 0 ? b.length + keep : keep));
}

export function flipBytes(path: string, at: number, n = 16): void {
  const b = readFileSync(path);
  for (let i = at; i < Math.min(b.length, at + n); i++) b[i] ^= 0xa5;
  writeFileSync(path, b);
}

export const treeAt = (p: string) => sourceTreeFromPath(p);
