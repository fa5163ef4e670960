import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Where the shared fixtures live: $FRAMESCOPE_FIXTURES, else ../shared/fixtures beside the clone.
 * Returns null when absent (the repo was cloned alone); suites then skip with a message.
 */
export function fixturesDir(): string | null {
  const cands = [process.env.FRAMESCOPE_FIXTURES, resolve(here, '../../shared/fixtures')].filter(Boolean) as string[];
  for (const c of cands) if (existsSync(c)) return resolve(c);
  return null;
}

export const FIXTURES_MISSING_MESSAGE =
  'shared fixtures not found (expected ../shared/fixtures beside the clone or $FRAMESCOPE_FIXTURES): conformance suites skipped';
