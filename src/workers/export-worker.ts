/// <reference lib="webworker" />
import { openDataset } from '../formats/index';
import { treeFromSpec } from '../io/spec';
import { toWire } from './errors';
import type { ExportMessage, ExportRequest } from './protocol';

/** Export worker: re-opens the dataset from its (cloned) files and runs exportDataset with progress and cancel. */
let ctl: AbortController | null = null;
const post = (m: ExportMessage, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m, transfer);

self.onmessage = async (ev: MessageEvent<ExportRequest | { cancel: true }>) => {
  if ('cancel' in ev.data) {
    ctl?.abort();
    return;
  }
  const req = ev.data;
  ctl = new AbortController();
  try {
    const { exportDataset } = await import('../export/index');
    let source = await openDataset(await treeFromSpec(req.spec));
    if (req.scene > 0 && source.scenes?.[req.scene]) source = await source.scenes[req.scene].open();
    const files = await exportDataset(source, req.job, {
      signal: ctl.signal,
      onProgress: (done, total) => post({ type: 'progress', done, total }),
    });
    post({ type: 'done', files }, files.map((f) => f.bytes.buffer as ArrayBuffer).filter((b, i, a) => a.indexOf(b) === i));
  } catch (e) {
    post({ type: 'error', error: toWire(e) });
  }
};
