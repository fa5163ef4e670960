/**
 * Browser-only (page: needs a user gesture and the DOM): save exported files.
 *
 * - One file: the File System Access API's save picker (`showSaveFilePicker`) where the browser has
 *   it, else a download.
 * - Several files (a PhiFlow scene, an imgstore, a movie + .times): a directory picker
 *   (`showDirectoryPicker`) writing the relative paths (sub-folders created), else one zip built
 *   with fflate and downloaded.
 * A file may come as bytes or as a Blob (an hdf5 export streamed onto the Origin Private File
 * System: a File backed by disk). A Blob is downloaded through an object URL of itself and written
 * to a picked file by the writable stream, so it is never read into JavaScript memory.
 * Returns how the files were saved. A cancelled picker throws an AbortError (nothing written).
 */
import { zipSync, type Zippable } from 'fflate';

export interface SaveResult {
  method: 'file-picker' | 'directory-picker' | 'download' | 'zip-download';
  names: string[];
}

/** One file to save: bytes in memory, or a Blob (possibly backed by a file on disk). */
export type SaveFile = { path: string; bytes: Uint8Array } | { path: string; blob: Blob };

const dataOf = (f: SaveFile): BlobPart => ('bytes' in f ? (f.bytes as BlobPart) : f.blob);

interface FsWritable {
  write(data: BlobPart): Promise<void>;
  close(): Promise<void>;
}
interface FsFileHandle {
  createWritable(): Promise<FsWritable>;
}
interface FsDirHandle {
  getDirectoryHandle(name: string, o?: { create?: boolean }): Promise<FsDirHandle>;
  getFileHandle(name: string, o?: { create?: boolean }): Promise<FsFileHandle>;
}
type PickerWindow = Window & {
  showSaveFilePicker?(o?: { suggestedName?: string }): Promise<FsFileHandle>;
  showDirectoryPicker?(o?: { mode?: 'readwrite'; id?: string }): Promise<FsDirHandle>;
};

function safeParts(path: string): string[] {
  const parts = path.split('/').filter((p) => p && p !== '.' && p !== '..');
  if (!parts.length) throw new Error(`cannot save a file with the path “${path}”`);
  return parts;
}

function download(name: string, data: BlobPart, mime = 'application/octet-stream'): void {
  // a Blob is linked as it is (no copy: an OPFS File stays on disk)
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The zip that a multi-file export becomes when no directory picker is available. */
export function zipFiles(files: { path: string; bytes: Uint8Array }[]): Uint8Array {
  const z: Zippable = {};
  for (const f of files) {
    const p = safeParts(f.path).join('/');
    if (z[p]) throw new Error(`two exported files have the path “${p}”`);
    // already-compressed formats are stored, the rest deflated
    z[p] = [f.bytes, { level: /\.(png|gif|mp4|webm|avi|mkv|mov|npz|zip|jpg)$/i.test(p) ? 0 : 6 }];
  }
  return zipSync(z);
}

export async function saveFiles(files: SaveFile[], suggestedName = 'export', opts: { usePickers?: boolean } = {}): Promise<SaveResult> {
  if (!files.length) throw new Error('nothing to save');
  const w = window as PickerWindow;
  const pickers = opts.usePickers !== false;
  if (files.length === 1) {
    const name = safeParts(files[0].path).pop()!;
    if (pickers && w.showSaveFilePicker) {
      const h = await w.showSaveFilePicker({ suggestedName: name });
      const out = await h.createWritable();
      await out.write(dataOf(files[0]));
      await out.close();
      return { method: 'file-picker', names: [name] };
    }
    download(name, dataOf(files[0]));
    return { method: 'download', names: [name] };
  }
  if (pickers && w.showDirectoryPicker) {
    const root = await w.showDirectoryPicker({ mode: 'readwrite', id: 'framescope-export' });
    for (const f of files) {
      const parts = safeParts(f.path);
      let dir = root;
      for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
      const h = await dir.getFileHandle(parts[parts.length - 1], { create: true });
      const out = await h.createWritable();
      await out.write(dataOf(f));
      await out.close();
    }
    return { method: 'directory-picker', names: files.map((f) => f.path) };
  }
  const name = `${suggestedName.replace(/[\\/:*?"<>|]+/g, '_') || 'export'}.zip`;
  const inMemory = await Promise.all(files.map(async (f) => ('bytes' in f ? f : { path: f.path, bytes: new Uint8Array(await f.blob.arrayBuffer()) })));
  download(name, zipFiles(inMemory) as BlobPart, 'application/zip');
  return { method: 'zip-download', names: [name] };
}
