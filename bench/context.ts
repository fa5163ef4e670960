import type { BrowserContext, Page } from 'playwright-core';

/** What every benchmark module gets. */
export interface BenchContext {
  /** ../shared/fixtures, or null when absent */
  fixtures: string | null;
  /** path of a native ffmpeg binary (Debian's), or null */
  nativeFfmpeg: string | null;
  /** A Chromium page on the Vite dev server's /harness.html (the same flags as the tests). */
  page(): Promise<Page>;
  /** A fresh browser profile (no cache) in the same Chromium, for first-visit timings. */
  newContext(opts?: { viewport?: { width: number; height: number } }): Promise<BrowserContext>;
  /** Base URL of that server (fixtures at `${baseUrl}/__fixtures/file/<path>`, listings at /__fixtures/list/<dir>). */
  baseUrl: string;
  /** Print one figure (and keep it for the summary table). */
  report(name: string, value: number, unit: string, note?: string): void;
}

/** A benchmark module: `bench/*.bench.ts` with a default export of this type. */
export type Bench = (ctx: BenchContext) => Promise<void>;
