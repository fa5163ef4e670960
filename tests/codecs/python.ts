import { spawnSync } from 'node:child_process';

let cached: boolean | null = null;

/** true when `python3 -c 'import numpy'` works here (numpy cross-checks run only then). */
export function hasNumpy(): boolean {
  if (cached === null) {
    const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    cached = r.status === 0;
    if (!cached) console.warn('python3 with numpy not available: numpy cross-check tests skipped');
  }
  return cached;
}

export const NUMPY_MISSING = 'python3/numpy not available';

/** Run a python script (stdin), return stdout; throws with stderr on failure. */
export function python(script: string, args: string[] = []): string {
  const r = spawnSync('python3', ['-', ...args], { input: script, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
