/**
 * Stream frames of a source one after the other: the next frame is requested while the current one
 * is processed (at most two frames alive, whatever the number of frames), the signal is checked
 * between frames, progress is reported after each, and the event loop is given a turn every ~30 ms
 * so that a cancel message posted to a worker is seen even when reads resolve synchronously.
 */
import { throwIfAborted } from '../core/abort';
import type { Frame, FrameSource } from '../core/types';
import { frameRange, type FrameRangeSpec } from '../export/frame-range';
import { analysisError } from './fail';

export interface AnalysisControl {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

const turn = () => new Promise<void>((r) => setTimeout(r, 0));

/** Frames to visit: indices, a range by index or time (the export dialog's semantics), or every frame. */
export type FrameSelection = number[] | FrameRangeSpec;

/** The frame indices to visit: `frames` (validated) or every frame of the source. */
export function frameList(source: Pick<FrameSource, 'frames' | 'nearestIndex'>, frames?: FrameSelection): number[] {
  const n = source.frames.length;
  if (!frames) return Array.from({ length: n }, (_, i) => i);
  if (!Array.isArray(frames)) {
    try {
      return frameRange(source, frames);
    } catch (e) {
      throw analysisError(e instanceof Error ? e.message : String(e));
    }
  }
  for (const i of frames) if (!Number.isInteger(i) || i < 0 || i >= n) throw analysisError(`frame index ${i} is outside 0…${n - 1}`);
  return frames;
}

export async function streamFrames(
  source: FrameSource,
  indices: number[],
  ctl: AnalysisControl | undefined,
  fn: (frame: Frame, k: number) => void,
): Promise<void> {
  const signal = ctl?.signal;
  const total = indices.length;
  throwIfAborted(signal);
  const read = (k: number) => {
    const p = source.readFrame(indices[k], { signal });
    p.catch(() => {}); // a read abandoned after an error or cancel must not be an unhandled rejection
    return p;
  };
  let next = total ? read(0) : null;
  let last = Date.now();
  for (let k = 0; k < total; k++) {
    const frame = await next!;
    throwIfAborted(signal);
    next = k + 1 < total ? read(k + 1) : null;
    fn(frame, k);
    ctl?.onProgress?.(k + 1, total);
    if (Date.now() - last > 30) {
      await turn();
      last = Date.now();
      throwIfAborted(signal);
    }
  }
}
