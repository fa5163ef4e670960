import type { SourceFile, SourceTree } from '../core/types';
import { blobSourceFile } from './slice-file';

/** Build a SourceTree from picked or dropped Files (path = webkitRelativePath, else name). */
export function sourceTreeFromFiles(files: Iterable<File>, name?: string): SourceTree {
  const out: SourceFile[] = [];
  for (const f of files) {
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    out.push(blobSourceFile(rel.replace(/\\/g, '/').replace(/^\/+/, ''), f));
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const top = out.length ? out[0].path.split('/')[0] : 'files';
  const common = out.every((f) => f.path.startsWith(top + '/')) ? top : out.length === 1 ? out[0].path : 'files';
  return { name: name ?? common, files: out };
}

/** Minimal structural types for the drag-and-drop entries API (FileSystemEntry is not in every lib.dom). */
interface FsEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
}
interface FsFileEntry extends FsEntry {
  file(ok: (f: File) => void, err: (e: unknown) => void): void;
}
interface FsDirEntry extends FsEntry {
  createReader(): { readEntries(ok: (e: FsEntry[]) => void, err: (e: unknown) => void): void };
}

/**
 * Files of a drop, with folders walked recursively. readEntries returns at most 100 entries per
 * call, so it is called until it returns an empty batch.
 */
export async function filesFromDataTransfer(dt: DataTransfer): Promise<{ path: string; file: File }[]> {
  const entries: FsEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const e = (item as DataTransferItem & { webkitGetAsEntry?(): FsEntry | null }).webkitGetAsEntry?.();
    if (e) entries.push(e);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  const out: { path: string; file: File }[] = loose.map((f) => ({ path: f.name, file: f }));
  const walk = async (e: FsEntry, prefix: string): Promise<void> => {
    if (e.isFile) {
      const f = await new Promise<File>((ok, err) => (e as FsFileEntry).file(ok, err));
      out.push({ path: prefix + e.name, file: f });
    } else if (e.isDirectory) {
      const reader = (e as FsDirEntry).createReader();
      for (let guard = 0; guard < 100000; guard++) {
        const batch = await new Promise<FsEntry[]>((ok, err) => reader.readEntries(ok, err));
        if (!batch.length) break;
        for (const c of batch) await walk(c, prefix + e.name + '/');
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}

export function sourceTreeFromPathedFiles(items: { path: string; file: File }[], name: string): SourceTree {
  const files = items.map((it) => blobSourceFile(it.path, it.file));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name, files };
}
