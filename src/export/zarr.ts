/**
 * `zarr` target: the hdf5 target's layout (hdf5-layout.ts) as a Zarr v2 store in a zip
 * (`<name>.zarr.zip`), one chunk per frame, zlib-compressed, consolidated metadata — what
 * `xarray.open_zarr`, Dask and napari expect. Zarr v2 rather than v3: Debian's zarr-python 2 and
 * xarray read v2; framescope's own reader (src/formats/zarr/) reads both through zarrita.
 *
 * Memory: one frame uncompressed plus the compressed zip being built (returned as bytes). The zip has
 * no ZIP64 records, so a store must stay below 4 GiB.
 */
import type { FrameSource } from '../core/types';
import { ExportError } from '../core/errors';
import { writeCube } from './hdf5-layout';
import { parseCubeOptions } from './hdf5-options';
import { baseName, type ExportControl, type ExportedFile, type ExportJob } from './job';
import { zarrSink } from './zarr-store';

export { parseCubeOptions as parseZarrOptions };

export async function run(source: FrameSource, job: ExportJob, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = parseCubeOptions(job.target, job.options);
  const sink = zarrSink(opts.compression);
  await writeCube(source, job, ctl, opts, sink);
  if (sink.store.bytes >= 0xffff_0000)
    throw new ExportError(job.target, `the store would be ${sink.store.bytes} bytes; a zip without ZIP64 holds < 4 GiB: export fewer frames`);
  return [{ path: `${baseName(source, opts.name)}.zarr.zip`, bytes: sink.finish() }];
}
