import { ByteLru } from '../core/byte-lru';
import type { ViewResult } from './protocol';

/** Approximate bytes held by a rendered view (bitmap + the arrays kept for hover and quiver). */
export function viewResultBytes(r: ViewResult): number {
  const m = r.model;
  let n = (r.bitmap ? r.bitmap.width * r.bitmap.height * 4 : 0) + 512;
  for (const a of [
    m.rgba,
    m.values,
    m.mask,
    m.quiver?.x,
    m.quiver?.y,
    m.quiver?.u,
    m.quiver?.v,
    m.quiver?.mag,
    m.quiver?.index,
    m.line?.x,
    m.line?.y,
    m.rgb,
    m.vectors?.u,
    m.vectors?.v,
    m.vectors?.w,
  ])
    n += a?.byteLength ?? 0;
  return n;
}

/**
 * Rendered views by (dataset, frame, view request): core's ByteLru (128 MB by default) that closes
 * an evicted view's bitmap, so stepping back to a frame or replaying a loop costs no colormapping.
 */
export class RenderCache extends ByteLru<string, ViewResult> {
  constructor(maxBytes = 128 * 1024 * 1024) {
    super(
      maxBytes,
      viewResultBytes,
      (r) => r.bitmap?.close(),
      (a, b) => a.bitmap === b.bitmap,
    );
  }
  /** Drop every entry of one dataset (closed, or another scene opened). */
  dropPrefix(prefix: string): void {
    this.deleteWhere((k) => k.startsWith(prefix));
  }
}
