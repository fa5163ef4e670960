import type { FieldData, Frame } from '../formats/types';

/** Bytes held by a decoded frame's typed arrays. */
export function frameBytes(f: Frame): number {
  let n = 0;
  for (const d of Object.values(f.fields) as FieldData[]) {
    n += (d.values?.byteLength ?? 0) + (d.u?.byteLength ?? 0) + (d.v?.byteLength ?? 0) + (d.w?.byteLength ?? 0) + (d.mask?.byteLength ?? 0);
  }
  return n + 256;
}

/** Least-recently-used cache bounded in bytes (default 256 MB) for decoded frames. */
export class FrameCache {
  private map = new Map<number, { frame: Frame; bytes: number }>();
  private total = 0;
  constructor(public maxBytes = 256 * 1024 * 1024) {}
  get(index: number): Frame | undefined {
    const e = this.map.get(index);
    if (!e) return undefined;
    this.map.delete(index);
    this.map.set(index, e);
    return e.frame;
  }
  has(index: number): boolean {
    return this.map.has(index);
  }
  set(index: number, frame: Frame): void {
    const bytes = frameBytes(frame);
    if (bytes > this.maxBytes) return;
    const old = this.map.get(index);
    if (old) {
      this.total -= old.bytes;
      this.map.delete(index);
    }
    this.map.set(index, { frame, bytes });
    this.total += bytes;
    for (const [k, e] of this.map) {
      if (this.total <= this.maxBytes) break;
      this.map.delete(k);
      this.total -= e.bytes;
    }
  }
  get bytes(): number {
    return this.total;
  }
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
    this.total = 0;
  }
}
