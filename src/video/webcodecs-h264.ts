import type { SourceFile } from '../formats/types';
import type { VideoFile } from './types';

/** WebCodecs fast path for H.264 in MP4 (null when it does not apply). */
export async function openWebCodecsH264(_file: SourceFile, _opts: { cacheBytes?: number; format?: string }): Promise<VideoFile | null> {
  return null;
}
