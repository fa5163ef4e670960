/**
 * `zarr` target: the hdf5 target's layout (hdf5-layout.ts) as a Zarr v2 store, one chunk per frame,
 * zlib-compressed, consolidated metadata — what `xarray.open_zarr`, Dask and napari expect. Zarr v2
 * rather than v3: Debian's zarr-python 2 and xarray read v2; framescope's own reader
 * (src/formats/zarr/) reads both through zarrita.
 *
 * Two containers (option `store`):
 * - `zip` (`<name>.zarr.zip`, returned as bytes): one frame uncompressed plus the compressed zip
 *   being built in memory. The zip has no ZIP64 records, so a store must stay below 4 GiB.
 * - `folder` (`<name>.zarr/` inside the folder given as `ctl.folder`: a File System Access directory
 *   handle the user picked, an OPFS directory, or a Node adapter): every chunk is written as its own
 *   file when it is encoded, so only one frame is in memory, whatever the store's size.
 */
import type { FrameSource } from '../core/types';
import { ExportError } from '../core/errors';
import { writeCube } from './hdf5-layout';
import { parseCubeOptions } from './hdf5-options';
import { baseName, type ExportControl, type ExportedFile, type ExportJob, type FolderResult } from './job';
import { FolderWriter, ZipWriter, zarrSink, type DirectoryLike } from './zarr-store';

export { parseCubeOptions as parseZarrOptions };

export async function run(source: FrameSource, job: ExportJob, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = parseCubeOptions(job.target, job.options);
  if (opts.store === 'folder')
    throw new ExportError(
      job.target,
      'store = folder writes into a folder: the export dialog asks for one (npm run convert: --option store=folder with --out)',
    );
  const zip = new ZipWriter();
  const sink = zarrSink(opts.compression, zip);
  await writeCube(source, job, ctl, opts, sink);
  if (sink.store.bytes >= 0xffff_0000)
    throw new ExportError(
      job.target,
      `the store would be ${sink.store.bytes} bytes; a zip without ZIP64 holds < 4 GiB: export fewer frames, or store it as a folder`,
    );
  await sink.finish();
  return [{ path: `${baseName(source, opts.name)}.zarr.zip`, bytes: zip.finish() }];
}

/** The store written as `<name>.zarr/` into `parent` (created; an existing store of that name is written over). */
export async function runToFolder(source: FrameSource, job: ExportJob, ctl: ExportControl | undefined, parent: DirectoryLike): Promise<FolderResult[]> {
  const opts = parseCubeOptions(job.target, job.options);
  const name = `${baseName(source, opts.name)}.zarr`;
  const root = await parent.getDirectoryHandle(name, { create: true });
  const sink = zarrSink(opts.compression, new FolderWriter(root));
  await writeCube(source, job, ctl, opts, sink);
  await sink.finish();
  const where = parent.name ? ` in the folder “${parent.name}”` : '';
  return [
    {
      path: `${name}/`,
      folder: true,
      files: sink.store.files,
      size: sink.store.bytes,
      note: `Zarr v2 folder written${where} (${sink.store.files} files)`,
    },
  ];
}
