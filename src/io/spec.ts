import type { SourceTree } from '../core/types';
import { blobSourceFile } from './slice-file';
import { sourceTreeFromUrls } from './url';

/**
 * A structured-cloneable description of a tree, so it can be sent to a worker (File objects clone
 * without copying their bytes). The worker turns it back into a SourceTree.
 */
export type TreeSpec =
  | { kind: 'files'; name: string; items: { path: string; file: Blob }[] }
  | { kind: 'urls'; name: string; entries: { path: string; url: string; size: number }[] };

export function treeFromSpec(spec: TreeSpec): SourceTree {
  if (spec.kind === 'urls') return sourceTreeFromUrls(spec.name, spec.entries);
  const files = spec.items.map((it) => blobSourceFile(it.path, it.file));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name: spec.name, files };
}
