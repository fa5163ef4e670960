/**
 * Zarr v2 sniffing: a `.zmetadata`/`.zgroup` at the folder root (or one folder down) is a sure sign;
 * a single `.zip` whose central directory lists them likewise (reads only the zip's directory).
 */
import { head } from '../sniff-util';
import type { SourceTree } from '../types';
import { folderRoot, isZip, openTreeStore } from './store';

export async function sniff(tree: SourceTree): Promise<number> {
  const root = folderRoot(tree);
  if (root !== null) {
    const hasMeta = tree.files.some((f) => f.path === `${root}.zmetadata` || f.path === `${root}.zgroup`);
    return hasMeta ? 0.9 : 0.5;
  }
  if (tree.files.length !== 1) return 0;
  const f = tree.files[0];
  if (!isZip(f, await head(f, 4))) return 0;
  try {
    const s = await openTreeStore(tree);
    return s.keys.includes('.zmetadata') || s.keys.includes('.zgroup') ? 0.9 : 0.5;
  } catch {
    return 0;
  }
}
