import type { SourceTree } from '../core/types';
import { progressPoster } from './progress-channel';
import { blobSourceFile } from './slice-file';
import { sourceTreeFromUrl, sourceTreeFromUrls, type UrlOptions } from './url';

/**
 * A structured-cloneable description of a tree, so it can be sent to a worker (File objects clone
 * without copying their bytes). The worker turns it back into a SourceTree.
 */
export type TreeSpec =
  | { kind: 'files'; name: string; items: { path: string; file: Blob }[] }
  | { kind: 'urls'; name: string; entries: { path: string; url: string; size: number }[] }
  /** a link to a file or folder, listed where it is resolved (in the worker) */
  | { kind: 'url'; url: string; name?: string };

/** The name a spec is shown under while it opens (a link: its last path segment). */
export function specName(spec: TreeSpec): string {
  if (spec.kind !== 'url') return spec.name;
  if (spec.name) return spec.name;
  try {
    const u = new URL(spec.url);
    return decodeURIComponent(u.pathname.split('/').filter(Boolean).pop() ?? u.host);
  } catch {
    return spec.url;
  }
}

/**
 * Turn a spec back into a tree. A link is listed here (so in the worker that opens it); its progress
 * goes to `opts.onProgress`, else to the page over the remote-progress channel.
 */
export async function treeFromSpec(spec: TreeSpec, opts: UrlOptions = {}): Promise<SourceTree> {
  if (spec.kind === 'url') {
    const tree = await sourceTreeFromUrl(spec.url, { signal: opts.signal, onProgress: opts.onProgress ?? progressPoster(spec.url) });
    return spec.name ? { ...tree, name: spec.name } : tree;
  }
  if (spec.kind === 'urls') return sourceTreeFromUrls(spec.name, spec.entries);
  const files = spec.items.map((it) => blobSourceFile(it.path, it.file));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name: spec.name, files };
}
