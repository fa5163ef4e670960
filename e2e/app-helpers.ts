import { expect, type Page } from '@playwright/test';
import type { ShownSummary } from '../src/ui/FrameView';

/** What the app reports about the frame on screen (window.__framescope.shown). */
export type Shown = ShownSummary;

/** Wait until the plot shows frame `index` (the view sets data-drawn-index after Plotly drew it). */
export async function waitDrawn(page: Page, index: number, field?: string, dataset?: string): Promise<Shown> {
  await expect(page.getByTestId('plot')).toHaveAttribute('data-drawn-index', String(index), { timeout: 30_000 });
  if (field) await page.waitForFunction((f) => window.__framescope?.shown?.field === f, field, { timeout: 30_000 });
  if (dataset) await page.waitForFunction((d) => window.__framescope?.shown?.dataset === d, dataset, { timeout: 30_000 });
  return (await page.evaluate(() => window.__framescope!.shown)) as Shown;
}

export async function valueAt(page: Page, ix: number, iy: number): Promise<number | null> {
  return page.evaluate(([x, y]) => window.__framescope!.valueAt!(x, y), [ix, iy] as const);
}

export async function selectDataset(page: Page, name: string): Promise<void> {
  const sel = page.getByTestId('datasets');
  const value = await sel.evaluate((el: HTMLSelectElement, n) => [...el.options].find((o) => o.text.startsWith(n + ' '))?.value ?? '', name);
  await sel.selectOption(value);
}
