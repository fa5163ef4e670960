/**
 * `hdf5` (NetCDF-4 / CF, written with h5wasm) and `zarr` (Zarr v2 zip with xarray's conventions):
 * every chosen field's frames as (time, y, x) variables, masks, coordinates with units, metadata.
 * The writers (`../hdf5.ts`, `../zarr.ts`) share one layout.
 */
import { bool, choice, nameOpt, num, type OptionsOf } from '../options';
import { defineTarget } from '../target';

const schema = {
  name: nameOpt(),
  compression: num('Deflate level (0 = none … 9)', 4, { min: 0, max: 9, integer: true, group: 'file' }),
  mask: choice('Masked cells', ['variable', 'nan', 'both'] as const, 'variable', {
    help: 'variable = a separate <name>_mask variable (1 = invalid); nan = NaN in float variables; both',
    group: 'file',
  }),
  metadata: bool('Source metadata as attributes', true, { group: 'file' }),
} as const;
export type CubeTargetOptions = OptionsOf<typeof schema>;

export const hdf5 = defineTarget({
  id: 'hdf5',
  label: 'NetCDF-4 / HDF5 (.nc): xarray, h5py, netCDF, MATLAB h5read',
  needsBrowser: false,
  produces: '.nc',
  rendered: () => false,
  schema,
});

const zarrSchema = {
  ...schema,
  store: choice('Store as', ['zip', 'folder'] as const, 'zip', {
    labels: { zip: 'one .zarr.zip file', folder: 'a .zarr folder (choose where)' },
    help: 'folder: the store is written file by file into a folder you choose (File System Access API), nothing is held in memory',
    group: 'file',
  }),
} as const;

export const zarr = defineTarget({
  id: 'zarr',
  label: 'Zarr v2 store (zip or folder): xarray.open_zarr, Dask, napari',
  needsBrowser: false,
  produces: '.zarr.zip',
  rendered: () => false,
  schema: zarrSchema,
});
