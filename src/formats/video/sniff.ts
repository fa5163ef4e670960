import type { SourceTree } from '../types';
import { videoFiles } from '../../video/magic';

/**
 * Any video container by magic (RIFF/AVI, ISO-BMFF ftyp (MP4/MOV), EBML (MKV/WebM), GIF87a/89a).
 * Modest confidence: richer formats built on video files (imgstore, py-pde) outbid it.
 */
export async function sniff(tree: SourceTree): Promise<number> {
  const vids = await videoFiles(tree.files);
  if (!vids.length) return 0;
  return tree.files.length === 1 ? 0.5 : 0.3;
}
