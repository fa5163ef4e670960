import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';
import { fixturesDir, FIXTURES_MISSING_MESSAGE } from '../../tests/fixtures-path';

export const FIXTURES = fixturesDir();

/** Skip the whole spec file, with a message, when the shared fixtures are absent. */
export function requireFixtures(): void {
  test.skip(!FIXTURES, FIXTURES_MISSING_MESSAGE);
}

/** File names of a fixture folder matching `re` (empty when the fixtures are absent). */
export function fixtureNames(dir: string, re: RegExp): string[] {
  if (!FIXTURES) return [];
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => re.test(f))
    .sort();
}

/** Open the blank harness page and wait until it is ready. */
export async function harness(page: Page): Promise<void> {
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  await page.goto('/harness.html');
  await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
}
