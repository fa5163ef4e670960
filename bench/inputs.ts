/** Bench inputs generated once with native ffmpeg into bench/out/ (gitignored), and the median. */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');

/** bench/out/`name`, made with `ffmpeg … args name` unless it is already there. */
export function generate(ffmpeg: string, name: string, args: string[]): string {
  const p = join(OUT, name);
  if (!existsSync(p) || statSync(p).size === 0) {
    console.log(`  generating bench/out/${name} …`);
    execFileSync(ffmpeg, ['-v', 'error', '-y', ...args, p], { stdio: 'inherit' });
  }
  return p;
}

export const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
