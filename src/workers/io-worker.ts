/// <reference lib="webworker" />
/**
 * The IO worker: one per page, shared by the dataset workers (io/shared-blocks.ts). It owns the
 * shared block cache, the requests in flight and the per-host request limit; each dataset worker is
 * connected by a MessagePort (the page hands one end here, the other to the dataset worker) and asks
 * it for byte ranges. Every ask is answered through one HttpFile per (URL, size, validators), so it
 * gets the same coalescing, read-ahead, retries and ETag / length checks as a direct read.
 */
import { toWire } from '../core/errors';
import { HttpFile } from '../io/http-file';
import type { BlockAnswer, BlockAsk } from '../io/shared-blocks';

const files = new Map<string, HttpFile>();

function serve(p: MessagePort): void {
  p.onmessage = async (ev: MessageEvent<BlockAsk>) => {
    const { id, entry, start, end } = ev.data;
    const key = `${entry.size}\u0000${entry.etag ?? ''}\u0000${entry.lastModified ?? ''}\u0000${entry.url}`;
    let f = files.get(key);
    if (!f) {
      f = new HttpFile(entry);
      files.set(key, f);
    }
    try {
      const bytes = (await f.read(start, end)).slice();
      p.postMessage({ id, ok: true, bytes } satisfies BlockAnswer, [bytes.buffer]);
    } catch (e) {
      p.postMessage({ id, ok: false, error: toWire(e) } satisfies BlockAnswer);
    }
  };
}

self.onmessage = (ev: MessageEvent<{ port: MessagePort }>) => {
  if (ev.data?.port) serve(ev.data.port);
};
