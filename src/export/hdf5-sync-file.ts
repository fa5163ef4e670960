/**
 * An HDF5 file that lives on a synchronous random-access handle instead of in memory: the OPFS
 * `FileSystemSyncAccessHandle` in the export worker (a dedicated worker), or a Node file descriptor
 * in the tests. h5wasm's browser build has only Emscripten's in-memory file system (MEMFS) and the
 * read-only WORKERFS (h5wasm issue #102: no OPFS build), so this creates an empty MEMFS file and
 * swaps its node and stream operations for ones that read, write, stat and truncate through the
 * handle. HDF5's sec2 driver then writes each compressed chunk straight to the handle: memory holds
 * one frame, HDF5's chunk cache and metadata cache, whatever the file size.
 */

/** The part of `FileSystemSyncAccessHandle` the file needs (also implementable over Node's fs). */
export interface SyncFile {
  read(buffer: Uint8Array, opts: { at: number }): number;
  write(buffer: Uint8Array, opts: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
}

interface FsNode {
  mode: number;
  node_ops: Record<string, (...a: never[]) => unknown>;
  stream_ops: Record<string, (...a: never[]) => unknown>;
  usedBytes?: number;
  contents?: unknown;
}
interface FsStream {
  node: FsNode;
  position: number;
}
/** The members of Emscripten's FS object used here (h5wasm's `FS`). */
export interface EmscriptenFs {
  writeFile(path: string, data: Uint8Array): void;
  lookupPath(path: string, opts?: { follow?: boolean }): { node: FsNode };
  unlink(path: string): void;
  isFile(mode: number): boolean;
  ErrnoError: new (errno: number) => Error;
}

const EIO = 29;

/**
 * Create `path` in the module's MEMFS as a file whose bytes are on `file` (truncated to 0 first).
 * Open it with `new h5.File(path, 'w')` afterwards; unlink it when done (the handle stays yours).
 */
export function attachSyncFile(FS: EmscriptenFs, path: string, file: SyncFile): void {
  FS.writeFile(path, new Uint8Array(0));
  const node = FS.lookupPath(path, { follow: true }).node;
  node.contents = null;
  file.truncate(0);
  const memGetattr = node.node_ops.getattr as (n: FsNode) => { size: number; blocks: number; blksize: number };
  const memSetattr = node.node_ops.setattr as (n: FsNode, a: Record<string, unknown>) => void;
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      // the handle's own error (quota exceeded, closed handle) as an I/O error HDF5 reports; the
      // original is kept for the caller
      lastError = e;
      throw new FS.ErrnoError(EIO);
    }
  };
  node.node_ops = {
    ...node.node_ops,
    getattr(n: FsNode) {
      const a = memGetattr(n);
      a.size = guard(() => file.getSize());
      a.blocks = Math.ceil(a.size / (a.blksize || 4096));
      return a;
    },
    setattr(n: FsNode, attr: Record<string, unknown>) {
      const { size, ...rest } = attr;
      memSetattr(n, rest);
      if (typeof size === 'number') guard(() => file.truncate(size));
    },
  } as never;
  node.stream_ops = {
    read(_s: FsStream, buffer: Uint8Array, offset: number, length: number, position: number) {
      if (!length) return 0;
      return guard(() => file.read(buffer.subarray(offset, offset + length), { at: position }));
    },
    write(_s: FsStream, buffer: Uint8Array, offset: number, length: number, position: number) {
      if (!length) return 0;
      return guard(() => file.write(buffer.subarray(offset, offset + length), { at: position }));
    },
    llseek(s: FsStream, offset: number, whence: number) {
      let p = offset;
      if (whence === 1) p += s.position;
      else if (whence === 2) p += guard(() => file.getSize());
      if (p < 0) throw new FS.ErrnoError(28);
      return p;
    },
    fsync() {
      guard(() => file.flush());
      return 0;
    },
  } as never;
}

let lastError: unknown = null;

/** The handle's own error behind the last EIO (QuotaExceededError, …), once; null when there was none. */
export function takeSyncFileError(): unknown {
  const e = lastError;
  lastError = null;
  return e;
}
