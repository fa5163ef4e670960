import { join } from 'node:path';
import { describe } from 'vitest';
import { sourceTreeFromPath } from '../src/io/node';
import { FIXTURES_MISSING_MESSAGE, fixturesDir } from './fixtures-path';

export { fixturesDir };

let warned = false;
/** describe() that skips, with a message saying why, when the shared fixtures are absent. */
export function describeFixtures(name: string, fn: (dir: string) => void): void {
  const dir = fixturesDir();
  if (!dir) {
    if (!warned) {
      console.warn(FIXTURES_MISSING_MESSAGE);
      warned = true;
    }
    describe.skip(`${name} (${FIXTURES_MISSING_MESSAGE})`, () => {});
    return;
  }
  describe(name, () => fn(dir));
}

export function fixture(...parts: string[]): string {
  const dir = fixturesDir();
  if (!dir) throw new Error(FIXTURES_MISSING_MESSAGE);
  return join(dir, ...parts);
}

export const treeOf = (...parts: string[]) => sourceTreeFromPath(fixture(...parts));
