import type { Page } from '@playwright/test';

/** What one frame holds, reduced to comparable numbers: per field its shape and an FNV-1a hash of each array's bytes. */
export type FrameFingerprint = {
  index: number;
  number: number;
  time: number | null;
  fields: Record<string, { shape: number[]; hashes: Record<string, string> }>;
};

export interface OpenResult {
  name?: string;
  format?: string;
  count?: number;
  paths?: string[];
  frames?: FrameFingerprint[];
  bytes?: number;
  requests?: number;
  error?: { name: string; path?: string; reason?: string; message: string };
  ms: number;
}

export type Where = { url: string } | { list: string; base: string };

/**
 * In the page: open a tree (by link through sourceTreeFromUrl, or from the dev server's fixture
 * listing = the local reference), read the given frames and fingerprint them. Errors come back as
 * values (name, path, reason) so a test can assert the words.
 */
export async function openInPage(page: Page, where: Where, indices: number[] | 'all' | 'ends', remote?: Record<string, unknown>): Promise<OpenResult> {
  const run = () =>
    page.evaluate(
      async ({ where, indices, remote }) => {
        const t0 = performance.now();
        const urlMod = (await import('/src/io/url.ts' as string)) as typeof import('../../src/io/url');
        const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../../src/formats/index');
        if (remote) urlMod.configureRemote(remote);
        let bytes = 0;
        let requests = 0;
        const onProgress = (b: number, r: number) => {
          bytes = b;
          requests = r;
        };
        const fnv = (a: ArrayBufferView) => {
          const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
          let h = 0x811c9dc5;
          for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i], 0x01000193);
          return `${u.length}:${(h >>> 0).toString(16)}`;
        };
        try {
          const tree = 'url' in where ? await urlMod.sourceTreeFromUrl(where.url, { onProgress }) : await urlMod.sourceTreeFromListing(where.list, where.base);
          const src = await openDataset(tree);
          const n = src.frames.length;
          const list = indices === 'all' ? src.frames.map((f) => f.index) : indices === 'ends' ? [...new Set([0, Math.floor(n / 2), n - 1])] : indices;
          const frames = [];
          for (const i of list) {
            const f = await src.readFrame(i);
            const fields: Record<string, { shape: number[]; hashes: Record<string, string> }> = {};
            for (const [k, d] of Object.entries(f.fields)) {
              const hashes: Record<string, string> = {};
              for (const c of ['values', 'u', 'v', 'w', 'mask'] as const) if (d[c]) hashes[c] = fnv(d[c]!);
              fields[k] = { shape: d.shape, hashes };
            }
            frames.push({ index: f.info.index, number: f.info.number, time: f.info.time, fields });
          }
          src.close();
          return {
            name: src.name,
            format: src.format,
            count: n,
            paths: tree.files.map((f) => `${f.path}:${f.size}`),
            frames,
            bytes,
            requests,
            ms: performance.now() - t0,
          };
        } catch (e) {
          const x = e as { name: string; path?: string; reason?: string; message: string };
          return { error: { name: x.name, path: x.path, reason: x.reason, message: x.message }, bytes, requests, ms: performance.now() - t0 };
        }
      },
      { where, indices, remote },
    );
  try {
    return await run();
  } catch (e) {
    // Vite's dependency optimiser may reload the page the first time it meets a new import
    if (!/Execution context was destroyed/.test(String(e))) throw e;
    await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
    return run();
  }
}
