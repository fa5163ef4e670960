/** Bench inputs generated once with native ffmpeg into bench/out/ (gitignored), the median, and a page evaluator. */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context';

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

/**
 * page.evaluate on the bench page, once more on a fresh page when the dev server reloaded it
 * (dependency optimisation); tsx (esbuild keepNames) wraps named inner functions in __name(), so
 * the page gets one.
 */
export async function pageEvaluator(ctx: BenchContext): Promise<<A, R>(fn: (a: A) => Promise<R>, arg: A) => Promise<R>> {
  let page = await ctx.page();
  const shim = 'globalThis.__name = globalThis.__name || ((f) => f)';
  return async function evaluate<A, R>(fn: (a: A) => Promise<R>, arg: A): Promise<R> {
    try {
      await page.evaluate(shim);
      return await page.evaluate(fn as (a: unknown) => Promise<R>, arg as unknown);
    } catch (e) {
      if (!/Execution context was destroyed|navigation/.test(String(e))) throw e;
      page = await ctx.page();
      await page.evaluate(shim);
      return page.evaluate(fn as (a: unknown) => Promise<R>, arg as unknown);
    }
  };
}
