/// <reference lib="webworker" />
/**
 * Module worker of the browser fuzz mode (scripts/fuzz/browser.ts), served by the Vite dev server:
 * one case per message. The seed's files are fetched once from the dev server's /__fixtures/ route
 * and kept; the case's patches (planned in Node, see mutate.ts) are applied to one of them here, and
 * the tree goes through openDataset + readFrame (first and last frame) exactly as the dataset worker
 * does, with the summary structured-cloned as it would be posted. The answer is classified as in
 * case.ts: ok, FormatError, or another exception (name, message, stack).
 */
import { FormatError } from '../../src/core/errors';
import type { FrameSource, SourceFile } from '../../src/core/types';
import { bytesSourceFile } from '../../src/io/slice-file';
import type { Patch } from './mutate';
import { applyPatches } from './patches';

export interface BrowserCase {
  caseNo: number;
  name: string;
  /** path in the tree → path under /__fixtures/file/ */
  files: { path: string; fixture: string }[];
  target: string;
  patches: Patch[];
}

export type BrowserOutcome =
  | { kind: 'ok'; frames: number; ms: number }
  | { kind: 'format'; message: string; ms: number }
  | { kind: 'error'; name: string; message: string; stack: string; ms: number };

const cache = new Map<string, Uint8Array>();

async function original(fixture: string): Promise<Uint8Array> {
  let b = cache.get(fixture);
  if (!b) {
    const r = await fetch(`/__fixtures/file/${fixture}`);
    if (!r.ok) throw new Error(`fixture ${fixture}: HTTP ${r.status}`);
    b = new Uint8Array(await r.arrayBuffer());
    cache.set(fixture, b);
  }
  return b;
}

async function exercise(src: FrameSource): Promise<void> {
  structuredClone({ metadata: src.metadata, frames: src.frames, fields: src.fields, series: src.series, warnings: src.warnings });
  if (!src.frames.length) return;
  for (const i of [...new Set([0, src.frames.length - 1])]) structuredClone(await src.readFrame(i));
}

async function run(c: BrowserCase): Promise<BrowserOutcome> {
  const t0 = performance.now();
  const { openDataset } = await import('../../src/formats/index');
  const files: SourceFile[] = [];
  for (const f of c.files) {
    const bytes = await original(f.fixture);
    files.push(bytesSourceFile(f.path, f.path === c.target ? applyPatches(bytes, c.patches) : bytes, { copy: true }));
  }
  let frames = 0;
  try {
    const src = await openDataset({ name: c.name, files });
    try {
      frames = src.frames.length;
      await exercise(src);
    } finally {
      src.close();
    }
    return { kind: 'ok', frames, ms: performance.now() - t0 };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof FormatError) return { kind: 'format', message: e.message, ms };
    if (e instanceof Error) return { kind: 'error', name: e.name, message: e.message, stack: e.stack ?? '', ms };
    return { kind: 'error', name: `thrown ${typeof e}`, message: String(e), stack: '', ms };
  }
}

self.onmessage = async (ev: MessageEvent<BrowserCase>) => {
  let out: BrowserOutcome;
  try {
    out = await run(ev.data);
  } catch (e) {
    out = { kind: 'error', name: 'harness', message: String((e as Error)?.message ?? e), stack: String((e as Error)?.stack ?? ''), ms: 0 };
  }
  (self as unknown as Worker).postMessage({ caseNo: ev.data.caseNo, outcome: out });
};
