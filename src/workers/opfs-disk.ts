/**
 * The export worker's disk (ExportDisk): files in the Origin Private File System under
 * `framescope-exports/`, written through `FileSystemSyncAccessHandle` (dedicated workers only) and
 * handed back as the File that `getFile()` returns — a Blob backed by the file on disk, which the
 * page downloads or saves without reading it into JavaScript memory.
 *
 * The files stay until the page deletes them (`removeExport`, when the job is dismissed) or, left
 * over from an earlier session, until an export starts more than a day later (`sweepExports`).
 */
import type { SyncFile } from '../export/hdf5-sync-file';
import type { DiskFile, ExportDisk } from '../export/job';

export const EXPORT_DIR = 'framescope-exports';

type SyncHandle = SyncFile & { close(): void };
type FileHandleWithSync = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncHandle> };

/** Whether this context can write OPFS files synchronously (a dedicated worker in a browser that has it). */
export function hasSyncOpfs(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    typeof navigator.storage?.getDirectory === 'function' &&
    typeof FileSystemFileHandle !== 'undefined' &&
    'createSyncAccessHandle' in FileSystemFileHandle.prototype
  );
}

async function exportDir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(EXPORT_DIR, { create: true });
}

let seq = 0;

export function opfsDisk(): ExportDisk {
  return {
    async create(path: string): Promise<DiskFile> {
      const dir = await exportDir();
      // unique per job: the page deletes it by this name
      const name = `${Date.now().toString(36)}-${(seq++).toString(36)}-${Math.random().toString(36).slice(2, 8)}-${path.replace(/[\\/]+/g, '_')}`;
      const fh = (await dir.getFileHandle(name, { create: true })) as FileHandleWithSync;
      const handle = await fh.createSyncAccessHandle();
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        handle.flush();
        handle.close();
      };
      return {
        handle,
        async finish() {
          close();
          const file = await fh.getFile();
          // the name in OPFS travels with the Blob (File.name) so the page can delete it later
          return file;
        },
        async discard() {
          try {
            close();
          } catch {
            /* already closed */
          }
          await dir.removeEntry(name).catch(() => undefined);
        },
      };
    },
  };
}

/** Delete leftovers of earlier sessions (files not modified for a day; open files cannot be removed). */
export async function sweepExports(maxAgeMs = 24 * 3600 * 1000): Promise<void> {
  const dir = await exportDir();
  const now = Date.now();
  for await (const [name, h] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (h.kind !== 'file') continue;
    try {
      const f = await (h as FileSystemFileHandle).getFile();
      if (now - f.lastModified > maxAgeMs) await dir.removeEntry(name);
    } catch {
      /* in use by another export */
    }
  }
}

/** Delete an exported file from OPFS by the name its File carries (page or worker). */
export async function removeExport(name: string): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle(EXPORT_DIR, { create: true });
  await dir.removeEntry(name).catch(() => undefined);
}
