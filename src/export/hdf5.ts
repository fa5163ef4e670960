/**
 * `hdf5` target: one NetCDF-4/HDF5 file per dataset (`<name>.nc`), layout in hdf5-layout.ts,
 * written with h5wasm (the HDF Group's C library compiled to WebAssembly).
 *
 * Memory: frames stream into the file one at a time, but in a browser or worker the file is built in
 * h5wasm's in-memory file system (one JavaScript Uint8Array, pre-grown to the uncompressed size up to
 * 1 GiB) and returned as bytes, so the whole file is in memory and, briefly, twice. `writeHdf5File`
 * with h5wasm's Node build (`h5wasm/node`, host file system) writes straight to disk: then only one
 * frame and HDF5's chunk cache are in memory, whatever the file size (the batch converter does this).
 */
import type { FrameSource } from '../core/types';
import { hdf5EndOfFile, hdf5Sink, type H5Module } from './hdf5-file';
import { writeCube } from './hdf5-layout';
import { parseCubeOptions } from './hdf5-options';
import { baseName, type ExportControl, type ExportedFile, type ExportJob } from './job';

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
