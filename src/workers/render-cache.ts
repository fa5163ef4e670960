import type { ViewResult } from './protocol';

/** Approximate bytes held by a rendered view (PNG data URI + the arrays kept for hover and quiver). */
export function viewResultBytes(r: ViewResult): number {
  const m = r.model;
  let n = (r.png?.length ?? 0) + (r.bitmap ? r.bitmap.width * r.bitmap.height * 4 : 0) + 512;
  for (const a of [m.rgba, m.values, m.mask, m.quiver?.x, m.quiver?.y, m.quiver?.u, m.quiver?.v, m.quiver?.mag, m.quiver?.index, m.line?.x, m.line?.y, m.vectors?.u, m.vectors?.v, m.vectors?.w])
    n += a?.byteLength ?? 0;
  return n;
}

/**
 * Rendered views by (dataset, frame, view request), least recently used first out, bounded in
 * bytes: stepping back to a frame or replaying a loop costs no colormapping or PNG encoding.
 */
export class RenderCache {
  private map = new Map<string, { r: ViewResult; bytes: number }>();
  private total = 0;
  constructor(public maxBytes = 128 * 1024 * 1024) {}
  get(key: string): ViewResult | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.r;
  }
  set(key: string, r: ViewResult): void {
    const bytes = viewResultBytes(r);
    if (bytes > this.maxBytes) return;
    this.delete(key, r);
    this.map.set(key, { r, bytes });
    this.total += bytes;
    for (const [k, e] of this.map) {
      if (this.total <= this.maxBytes) break;
      this.map.delete(k);
      this.total -= e.bytes;
      e.r.bitmap?.close();
    }
  }
  delete(key: string, r?: ViewResult): void {
    const e = this.map.get(key);
    if (e) {
      this.map.delete(key);
      this.total -= e.bytes;
      if (e.r.bitmap !== r?.bitmap) e.r.bitmap?.close();
    }
  }
  /** Drop every entry of one dataset (closed, or another scene opened). */
  dropPrefix(prefix: string): void {
    for (const [k, e] of this.map)
      if (k.startsWith(prefix)) {
        this.map.delete(k);
        this.total -= e.bytes;
        e.r.bitmap?.close();
      }
  }
}
