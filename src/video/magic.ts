/** Container recognition by magic bytes (pure TS, a few bytes per file). */
import type { SourceFile } from '../core/types';

export type ContainerKind = 'avi' | 'isobmff' | 'matroska' | 'gif';

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** Which video container the first bytes announce (null: none we know). */
export function containerOf(head: Uint8Array): ContainerKind | null {
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && /^AVI[ X]$/.test(ascii(head, 8, 4))) return 'avi';
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'matroska';
  if (head.length >= 6 && /^GIF8[79]a$/.test(ascii(head, 0, 6))) return 'gif';
  if (head.length >= 8) {
    const box = ascii(head, 4, 4);
    const size = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
    if (box === 'ftyp' && size >= 8) return 'isobmff';
    // QuickTime files may start with other top-level atoms
    if (['moov', 'mdat', 'wide', 'free', 'skip'].includes(box) && (size >= 8 || size === 1 || size === 0)) {
      if (box === 'moov' || box === 'wide') return 'isobmff';
      // 'mdat'/'free' first: accept only when the following atom is plausible too (checked by caller bytes)
      if (head.length >= 16 && size >= 8 && size + 8 <= head.length) {
        const next = ascii(head, size + 4, 4);
        if (['moov', 'mdat', 'wide', 'free', 'ftyp'].includes(next)) return 'isobmff';
      }
    }
  }
  return null;
}

export async function containerOfFile(f: SourceFile): Promise<ContainerKind | null> {
  if (f.size < 8) return null;
  return containerOf(await f.read(0, Math.min(64, f.size)));
}

/** Files of a tree that are video containers by content (at most `limit` files are looked at). */
export async function videoFiles(files: SourceFile[], limit = 24): Promise<{ file: SourceFile; kind: ContainerKind }[]> {
  const out: { file: SourceFile; kind: ContainerKind }[] = [];
  let looked = 0;
  // Look at likely names first (the decision itself is by content only).
  const likely = /\.(avi|mkv|mov|mp4|m4v|webm|gif|mj2|nut)$/i;
  const ordered = [...files.filter((f) => likely.test(f.path)), ...files.filter((f) => !likely.test(f.path))];
  for (const file of ordered) {
    if (looked >= limit) break;
    if (file.size < 8) continue;
    looked++;
    const kind = await containerOfFile(file);
    if (kind) out.push({ file, kind });
  }
  out.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
  return out;
}
