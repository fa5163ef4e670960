/**
 * `hdf5` target: one NetCDF-4/HDF5 file per dataset (`<name>.nc`), layout in hdf5-layout.ts,
 * written with h5wasm (the HDF Group's C library compiled to WebAssembly).
 *
 * Memory: frames stream into the file one at a time. Where the file goes:
 * - `runToDisk` (the export worker in a browser): onto a synchronous random-access handle, the
 *   Origin Private File System's `FileSystemSyncAccessHandle` (hdf5-sync-file.ts), returned as a
 *   Blob backed by that file — memory holds one frame and HDF5's caches, whatever the file size;
 * - `writeHdf5File` with h5wasm's Node build (`h5wasm/node`, host file system): straight to disk
 *   (the batch converter);
 * - `run` (exportDataset's contract, bytes returned): h5wasm's in-memory file system (one Uint8Array,
 *   pre-grown to the uncompressed size up to 1 GiB), so the whole file is in memory and, briefly,
 *   twice. Used under Node without a path and where a browser has no OPFS.
 */
import type { FrameSource } from '../core/types';
import { hdf5EndOfFile, hdf5Sink, type H5Module } from './hdf5-file';
import { writeCube } from './hdf5-layout';
import { parseCubeOptions } from './hdf5-options';
import { attachSyncFile, takeSyncFileError, type EmscriptenFs } from './hdf5-sync-file';
import { baseName, type ExportControl, type ExportDisk, type ExportedFile, type ExportJob, type StoredFile } from './job';

export { parseCubeOptions as parseHdf5Options };

/** Write the cube to `path` in the module's file system (MEMFS for `h5wasm`, the disk for `h5wasm/node`). */
export async function writeHdf5File(
  h5: H5Module,
  path: string,
  source: FrameSource,
  job: ExportJob,
  ctl?: ExportControl,
  reserve?: (bytes: number) => void,
): Promise<{ frames: number; variables: string[] }> {
  const opts = parseCubeOptions(job.target, job.options);
  await h5.ready;
  const file = new h5.File(path, 'w', { track_order: true });
  const sink = hdf5Sink(file, opts.compression, reserve);
  try {
    return await writeCube(source, job, ctl, opts, sink);
  } finally {
    sink.close();
  }
}

let seq = 0;
const RESERVE_CAP = 1 << 30;

export async function run(source: FrameSource, job: ExportJob, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = parseCubeOptions(job.target, job.options);
  const h5 = (await import('h5wasm')) as H5Module;
  const { FS } = await h5.ready;
  const tmp = `/framescope-export-${Date.now()}-${seq++}.nc`;
  try {
    // pre-grow the in-memory file to the raw size (capped), so it is not copied at every 12.5 %
    // of growth; the file is cut back to the superblock's end-of-file address afterwards
    const reserve = (n: number) => FS.truncate(tmp, Math.min(Math.ceil(n * 1.02) + (1 << 20), RESERVE_CAP));
    await writeHdf5File(h5, tmp, source, job, ctl, reserve);
    const all = FS.readFile(tmp) as Uint8Array;
    const eof = hdf5EndOfFile(all);
    const bytes = eof !== null && eof < all.length ? all.slice(0, eof) : all;
    return [{ path: `${baseName(source, opts.name)}.nc`, bytes }];
  } finally {
    try {
      FS.unlink(tmp);
    } catch {
      /* not created */
    }
  }
}

/**
 * The file streamed onto a disk handle (OPFS in the export worker) and returned as a Blob backed
 * by it. A failure or a cancel deletes the partial file.
 */
export async function runToDisk(source: FrameSource, job: ExportJob, ctl: ExportControl | undefined, disk: ExportDisk): Promise<StoredFile[]> {
  const opts = parseCubeOptions(job.target, job.options);
  const path = `${baseName(source, opts.name)}.nc`;
  const h5 = (await import('h5wasm')) as H5Module;
  const { FS } = await h5.ready;
  const out = await disk.create(path);
  const tmp = `/framescope-export-${Date.now()}-${seq++}.nc`;
  let ok = false;
  try {
    attachSyncFile(FS as unknown as EmscriptenFs, tmp, out.handle);
    try {
      await writeHdf5File(h5, tmp, source, job, ctl);
    } catch (e) {
      const cause = takeSyncFileError();
      if (cause) {
        const name = (cause as Error).name;
        const why =
          name === 'QuotaExceededError'
            ? 'the browser ran out of storage quota for this origin (free disk space, or export fewer frames)'
            : String((cause as Error).message ?? cause);
        throw new Error(`writing ${path} failed: ${why}`, { cause });
      }
      throw e;
    }
    out.handle.flush();
    ok = true;
  } finally {
    try {
      FS.unlink(tmp);
    } catch {
      /* not created */
    }
    if (!ok) await out.discard().catch(() => undefined);
  }
  const blob = await out.finish();
  return [{ path, blob, note: "written to the browser's private file system as it was exported (never held in memory)" }];
}
