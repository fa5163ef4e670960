import { ByteLru } from '../core/byte-lru';
import type { FieldData, Frame } from '../core/types';

/** Bytes held by a decoded frame's typed arrays. */
export function frameBytes(f: Frame): number {
  let n = 0;
  for (const d of Object.values(f.fields) as FieldData[]) {
    n += (d.values?.byteLength ?? 0) + (d.u?.byteLength ?? 0) + (d.v?.byteLength ?? 0) + (d.w?.byteLength ?? 0) + (d.mask?.byteLength ?? 0);
  }
  return n + 256;
}

/** Decoded frames by index: core's ByteLru sized by the frames' typed arrays (default 256 MB). */
export class FrameCache extends ByteLru<number, Frame> {
  constructor(maxBytes = 256 * 1024 * 1024) {
    super(maxBytes, frameBytes);
  }
}
