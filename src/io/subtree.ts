import type { SourceTree } from '../core/types';

/** The files under `prefix/` as their own tree (paths made relative to it). */
export function subtree(tree: SourceTree, prefix: string, name?: string): SourceTree {
  const p = prefix.endsWith('/') ? prefix : prefix + '/';
  return {
    name: name ?? prefix.split('/').filter(Boolean).pop() ?? tree.name,
    files: tree.files.filter((f) => f.path.startsWith(p)).map((f) => ({ ...f, path: f.path.slice(p.length), read: f.read.bind(f) })),
  };
}

/** Strip one common top-level folder, if every file shares it. */
export function stripCommonRoot(tree: SourceTree): SourceTree {
  if (!tree.files.length) return tree;
  const first = tree.files[0].path.split('/')[0];
  if (tree.files.every((f) => f.path.includes('/') && f.path.split('/')[0] === first)) return subtree(tree, first, first);
  return tree;
}

export function basenameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

export function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function extOf(path: string): string {
  const b = basenameOf(path);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i + 1).toLowerCase();
}
