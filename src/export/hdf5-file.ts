/**
 * The HDF5 side of the `hdf5` target: a CubeSink over an h5wasm File, following the netCDF-4
 * conventions (dimension scales with CLASS/NAME, DIMENSION_LIST on every variable, creation order
 * tracked), so netCDF-C, xarray (netcdf4 and h5netcdf engines), h5py and MATLAB's h5read read it.
 * Each time-dependent variable is chunked one frame per chunk and deflate-compressed; frames are
 * written as they arrive (`write_slice` of chunk k), so the writer holds one frame at a time — the
 * file itself lives wherever the h5wasm module's file system puts it (MEMFS in browsers and workers,
 * the host disk with h5wasm's Node build).
 */
import type { Dataset, File as H5File } from 'h5wasm';
import type { Attrs, CubeArray, CubeCoord, CubeDtype, CubeSink, CubeVar } from './hdf5-layout';

export type H5Module = typeof import('h5wasm');

const H5_DTYPE: Record<CubeDtype, string> = { f4: '<f', f8: '<d', u1: '<B', u2: '<H', i1: '<b', i4: '<i', i8: '<q' };

function setAttrs(obj: Dataset | H5File, attrs: Attrs, dtype?: CubeDtype): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'string') obj.create_attribute(k, v);
    else if (typeof v === 'number') obj.create_attribute(k, new Float64Array([v]), [], '<d');
    else if (k === 'flag_values' && dtype === 'i1') obj.create_attribute(k, Int8Array.from(v), [v.length], '<b');
    else obj.create_attribute(k, Float64Array.from(v), [v.length], '<d');
  }
}

/**
 * The end-of-file address the superblock states (versions 0/1: byte 40, 2/3: byte 28; 8-byte
 * offsets), or null when it cannot be read. Lets a file written into a pre-grown buffer be cut to
 * its real length (HDF5 does not shrink a file it did not grow itself).
 */
export function hdf5EndOfFile(b: Uint8Array): number | null {
  if (b.length < 48 || b[0] !== 0x89 || b[1] !== 0x48 || b[2] !== 0x44 || b[3] !== 0x46) return null;
  const v = b[8];
  const at = v === 0 ? 40 : v === 1 ? 44 : v === 2 || v === 3 ? 28 : -1;
  const sizeOfOffsets = v <= 1 ? b[13] : b[9];
  if (at < 0 || sizeOfOffsets !== 8) return null;
  const eof = Number(new DataView(b.buffer, b.byteOffset + at, 8).getBigUint64(0, true));
  return eof > 0 && eof <= b.length ? eof : null;
}

export function hdf5Sink(file: H5File, compression: number, reserve?: (bytes: number) => void): CubeSink & { close(): void } {
  const sets = new Map<string, Dataset>();
  return {
    reserve,
    globals(attrs) {
      setAttrs(file, attrs);
    },
    coord(c: CubeCoord) {
      const ds = file.create_dataset({ name: c.name, data: c.data, shape: [c.data.length], dtype: H5_DTYPE[c.dtype] });
      if (c.dimension) ds.make_scale(c.name);
      else c.dims.forEach((d, i) => ds.attach_scale(i, `/${d}`));
      setAttrs(ds, c.attrs, c.dtype);
      sets.set(c.name, ds);
    },
    variable(v: CubeVar) {
      const rest = v.shape.slice(1);
      const Ctor = { f4: Float32Array, f8: Float64Array, u1: Uint8Array, u2: Uint16Array, i1: Int8Array, i4: Int32Array, i8: BigInt64Array }[v.dtype];
      const ds = file.create_dataset({
        name: v.name,
        data: new Ctor(0),
        shape: [0, ...rest],
        maxshape: v.shape,
        chunks: [1, ...rest],
        dtype: H5_DTYPE[v.dtype],
        ...(compression > 0 ? { compression } : {}),
      });
      ds.resize(v.shape);
      v.dims.forEach((d, i) => ds.attach_scale(i, `/${d}`));
      setAttrs(ds, v.attrs, v.dtype);
      sets.set(v.name, ds);
    },
    write(v: CubeVar, k: number, data: CubeArray) {
      const ds = sets.get(v.name)!;
      ds.write_slice([[k, k + 1], ...v.shape.slice(1).map((): [] => [])], data);
    },
    close() {
      file.close();
    },
  };
}
