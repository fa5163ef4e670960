import { nearestIndex } from '../core/nearest';
import type { Frame, FrameSource } from '../core/types';

/** A dataset that exists only as decoded frames (a computed statistics dataset), as it crosses to the export worker. */
export interface ComputedDataset {
  summary: Pick<FrameSource, 'format' | 'name' | 'frames' | 'fields' | 'metadata' | 'timeUnit'>;
  /** every frame, in index order */
  frames: Frame[];
}

/** Those frames as a FrameSource (what exportDataset reads). */
export function memorySource(c: ComputedDataset): FrameSource {
  const { summary, frames } = c;
  if (frames.length !== summary.frames.length) throw new Error(`${summary.name}: ${frames.length} frames received for ${summary.frames.length}`);
  const times = summary.frames.map((f) => f.time);
  return {
    ...summary,
    async readFrame(index: number) {
      const f = frames[index];
      if (!f) throw new RangeError(`${summary.name} has frames 0…${frames.length - 1}, not ${index}`);
      return f;
    },
    nearestIndex: (t: number) => nearestIndex(times, t),
    close() {},
  };
}
