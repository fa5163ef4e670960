/**
 * A read-only zarrita store over a SourceTree: a folder holding the store (at its root or one
 * folder down, e.g. `run.zarr/`), or one zip of it (`run.zarr.zip`, as the zarr target and
 * zarr.ZipStore write it), read lazily through the zip's central directory.
 */
import { openNpz } from '../../codecs/npz';
import { FormatError } from '../errors';
import type { SourceFile, SourceTree } from '../types';

export const FORMAT = 'zarr';

export interface TreeStore {
  /** path shown in errors */
  where: string;
  keys: string[];
  get(key: `/${string}`): Promise<Uint8Array | undefined>;
}

const MARKERS = ['.zmetadata', '.zgroup', '.zarray'];

/** The store's root folder in a tree ('' or 'name.zarr/'), or null when no Zarr v2 marker is there. */
export function folderRoot(tree: SourceTree): string | null {
  let best: string | null = null;
  for (const f of tree.files) {
    const slash = f.path.lastIndexOf('/');
    const base = f.path.slice(slash + 1);
    if (!MARKERS.includes(base)) continue;
    const dir = f.path.slice(0, slash + 1);
    if (dir.split('/').length > 2) continue;
    if (best === null || dir.length < best.length) best = dir;
  }
  return best;
}

export function isZip(f: SourceFile, head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && /\.zip$/i.test(f.path);
}

export async function openTreeStore(tree: SourceTree): Promise<TreeStore> {
  const root = folderRoot(tree);
  if (root !== null) {
    const byKey = new Map<string, SourceFile>();
    for (const f of tree.files) if (f.path.startsWith(root)) byKey.set(f.path.slice(root.length), f);
    return {
      where: root ? `${tree.name}/${root.slice(0, -1)}` : tree.name,
      keys: [...byKey.keys()],
      async get(key) {
        const f = byKey.get(key.slice(1));
        return f ? f.read(0, f.size) : undefined;
      },
    };
  }
  const zipFile = tree.files.length === 1 ? tree.files[0] : tree.files.find((f) => /\.zarr\.zip$/i.test(f.path));
  if (!zipFile) throw new FormatError(FORMAT, tree.name, 'no .zmetadata, .zgroup or .zarray and no .zarr.zip: not a Zarr v2 store');
  let zip;
  try {
    zip = await openNpz(zipFile);
  } catch (e) {
    throw new FormatError(FORMAT, zipFile.path, `not a readable zip of a Zarr store (${(e as Error).message})`);
  }
  const names = new Map(zip.entries.map((e) => [e.fileName, e.name]));
  // a zip of a folder store: strip one leading folder when the markers sit there
  let pre = '';
  if (!MARKERS.some((m) => names.has(m))) {
    const hit = [...names.keys()].find((n) => MARKERS.some((m) => n.endsWith(`/${m}`) && n.split('/').length === 2));
    if (!hit) throw new FormatError(FORMAT, zipFile.path, 'the zip holds no .zmetadata, .zgroup or .zarray: not a Zarr v2 store');
    pre = hit.slice(0, hit.indexOf('/') + 1);
  }
  const keys = [...names.keys()].filter((n) => n.startsWith(pre)).map((n) => n.slice(pre.length));
  return {
    where: zipFile.path,
    keys,
    async get(key) {
      const n = names.get(pre + key.slice(1));
      return n === undefined ? undefined : zip.readBytes(n);
    },
  };
}
