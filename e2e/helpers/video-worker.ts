/// <reference lib="webworker" />
/**
 * Module worker used by e2e/video.spec.ts: proves the video pipeline and the readers run inside a
 * Web Worker (as the app calls them). Message in: { listing, base, path, format }; out: a summary.
 */
import { sourceTreeFromListing } from '../../src/io/url';

self.onmessage = async (ev: MessageEvent<{ listing: string; base: string; path: string; format: 'video' | 'pypde' }>) => {
  const { listing, base, path, format } = ev.data;
  try {
    const all = await sourceTreeFromListing(listing, base);
    const tree = { name: path, files: all.files.filter((f) => f.path === path || f.path === path + '.times') };
    const mod = format === 'pypde' ? await import('../../src/formats/pypde/open') : await import('../../src/formats/video/open');
    const src = await mod.open(tree);
    const last = await src.readFrame(src.frames.length - 1);
    const f = last.fields[src.fields[0].name];
    const arr = (f.values ?? f.u) as ArrayLike<number>;
    let sum = 0;
    for (let i = 0; i < arr.length; i++) sum += arr[i];
    const out = {
      ok: true,
      frames: src.frames.length,
      field: src.fields[0].name,
      kind: f.kind,
      length: arr.length,
      sum,
      isWorker: typeof (self as unknown as { document?: unknown }).document === 'undefined',
    };
    src.close();
    (self as unknown as Worker).postMessage(out);
  } catch (e) {
    (self as unknown as Worker).postMessage({ ok: false, error: String((e as Error)?.message ?? e) });
  }
};
