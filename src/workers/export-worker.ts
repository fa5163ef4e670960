/// <reference lib="webworker" />
import type { FrameSource } from '../core/types';
import { openDataset } from '../formats/index';
import { treeFromSpec } from '../io/spec';
import { toWire } from './errors';
import { memorySource } from './memory-source';
import type { ExportOutput } from '../export/job';
import type { CompareRequest, DatasetRef, ExportMessage, ExportRequest, ExportWorkerInput } from './export-protocol';
import { hasSyncOpfs, opfsDisk, sweepExports } from './opfs-disk';

/**
 * Export worker: re-opens the dataset from its (cloned) files and runs exportDatasetTo with progress
 * and cancel (op 'run': hdf5 streams onto OPFS, zarr may write into a folder handle), or draws the first output frame of a rendered job (op 'preview'; the
 * source stays open for the next preview of the same dataset).
 */
let ctl: AbortController | null = null;
let open: { key: string; source: Promise<FrameSource> } | null = null;
const post = (m: ExportMessage, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m, transfer);

async function openRef(req: DatasetRef): Promise<FrameSource> {
  const s = await openDataset(await treeFromSpec(req.spec));
  return req.scene > 0 && s.scenes?.[req.scene] ? s.scenes[req.scene].open() : s;
}

/** A comparison: open every panel's dataset (closed afterwards), then draw the planned grid. */
async function runCompare(req: CompareRequest, signal: AbortSignal): Promise<void> {
  const sources: FrameSource[] = [];
  try {
    for (const d of req.datasets) sources.push(await openRef(d));
    const m = await import('../export/compare-movie');
    const { differenceField } = await import('../analysis/difference');
    if (req.op === 'compare-preview') {
      const p = await m.previewComparison(sources, req.job, { signal }, differenceField);
      post({ type: 'compare-preview', ...p }, [p.png.buffer as ArrayBuffer]);
      return;
    }
    const files = await m.exportComparison(
      sources,
      req.job,
      { signal, onProgress: (done, total, stage = 'write') => post({ type: 'progress', done, total, stage }) },
      differenceField,
    );
    post({ type: 'done', files }, transferables(files));
  } finally {
    for (const s of sources) s.close();
  }
}

async function sourceOf(req: ExportRequest): Promise<FrameSource> {
  if (open?.key !== req.key) {
    const previous = open;
    open = {
      key: req.key,
      source: req.computed ? Promise.resolve(memorySource(req.computed)) : openRef(req),
    };
    void previous?.source.then(
      (s) => s.close(),
      () => undefined,
    );
  }
  return open.source;
}

/** The byte buffers of the results, each once (Blobs on disk and folders travel as they are). */
function transferables(files: ExportOutput[]): ArrayBuffer[] {
  return files.flatMap((f) => ('bytes' in f ? [f.bytes.buffer as ArrayBuffer] : [])).filter((b, i, a) => a.indexOf(b) === i);
}

self.onmessage = async (ev: MessageEvent<ExportWorkerInput>) => {
  const input = ev.data;
  if (input.op === 'cancel') {
    ctl?.abort();
    return;
  }
  ctl?.abort();
  const mine = new AbortController();
  ctl = mine;
  if (input.op === 'compare' || input.op === 'compare-preview') {
    try {
      await runCompare(input, mine.signal);
    } catch (e) {
      if (input.op === 'compare-preview' && ctl !== mine) return;
      post({ type: 'error', error: toWire(e) });
    }
    return;
  }
  const req = input as ExportRequest;
  try {
    const source = await sourceOf(req);
    if (req.op === 'preview') {
      const { renderPreview } = await import('../export/preview');
      const preview = await renderPreview(source, req.job, { signal: mine.signal });
      if (ctl !== mine) return; // superseded by a newer preview
      post({ type: 'preview', preview }, [preview.png.buffer as ArrayBuffer]);
      return;
    }
    const { exportDatasetTo } = await import('../export/index');
    // hdf5 streams onto the Origin Private File System where this worker can write it synchronously
    const disk = req.job.target === 'hdf5' && hasSyncOpfs() ? opfsDisk() : undefined;
    if (disk) void sweepExports().catch(() => undefined);
    const files = await exportDatasetTo(
      source,
      req.job,
      {
        signal: mine.signal,
        onProgress: (done, total, stage = 'write') => post({ type: 'progress', done, total, stage }),
      },
      { disk, folder: req.folder },
    );
    post({ type: 'done', files }, transferables(files));
  } catch (e) {
    if (req.op === 'preview' && ctl !== mine) return;
    post({ type: 'error', error: toWire(e) });
  }
};
