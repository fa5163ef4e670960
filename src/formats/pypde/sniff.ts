import type { SourceFile, SourceTree } from '../types';
import { videoFiles } from '../../video/magic';

const WINDOW = 256 * 1024;
const MARKER = Array.from('"field_attributes"', (c) => c.charCodeAt(0));

function contains(hay: Uint8Array, needle: number[]): boolean {
  const n = needle.length;
  const first = needle[0];
  outer: for (let i = hay.indexOf(first); i >= 0 && i <= hay.length - n; i = hay.indexOf(first, i + 1)) {
    for (let k = 1; k < n; k++) if (hay[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/** True when the first (or, for containers with the index at the end, last) 256 KB hold py-pde's metadata marker. */
export async function hasPypdeMarker(f: SourceFile): Promise<boolean> {
  if (contains(await f.read(0, Math.min(WINDOW, f.size)), MARKER)) return true;
  if (f.size > WINDOW) return contains(await f.read(f.size - WINDOW, f.size), MARKER);
  return false;
}

/** The py-pde movies of a tree (video container by magic + metadata marker), sorted by path. */
export async function pypdeMovies(tree: SourceTree): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const { file, kind } of await videoFiles(tree.files)) {
    if (kind === 'gif') continue;
    if (await hasPypdeMarker(file)) out.push(file);
  }
  return out;
}

/** A movie file (AVI/Matroska/QuickTime by magic) whose metadata carries py-pde's field_attributes. */
export async function sniff(tree: SourceTree): Promise<number> {
  return (await pypdeMovies(tree)).length ? 0.95 : 0;
}
