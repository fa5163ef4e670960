/**
 * Interop with the Python tools labs analyse with: Debian's python3-h5py, python3-xarray,
 * python3-netcdf4 and python3-zarr (run with /usr/bin/python3). Skipped with a message when absent.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index';
import { syntheticSource } from '../export/synthetic';
import { writeFiles } from '../export/helpers';

const PY = '/usr/bin/python3';
function pythonHas(mods: string[]): boolean {
  try {
    execFileSync(PY, ['-c', `import ${mods.join(', ')}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const MODS = ['numpy', 'h5py', 'xarray', 'netCDF4', 'zarr', 'dask'];
const ok = pythonHas(MODS);
if (!ok)
  console.warn(
    `${PY} lacks one of ${MODS.join(', ')} (apt-get install python3-h5py python3-xarray python3-netcdf4 python3-zarr python3-dask): Python interop tests skipped`,
  );
const d = ok ? describe : describe.skip;

function py(script: string, ...args: string[]): Record<string, unknown> {
  return JSON.parse(execFileSync(PY, ['-c', script, ...args], { maxBuffer: 64 << 20 }).toString());
}

const CHECK = `
import json, sys
import numpy as np, xarray as xr
ds = sys.argv[2]
`;

const SUMMARY = `
def summary(ds):
    return {
        'dims': {k: int(v) for k, v in ds.sizes.items()},
        'coords': sorted(ds.coords),
        'data_vars': sorted(ds.data_vars),
        'units': {k: ds[k].attrs.get('units') for k in list(ds.variables) if 'units' in ds[k].attrs},
        'vel_u_dims': list(ds['vel_u'].dims),
        'vel_u_1': ds['vel_u'].values[1].astype(float).tolist(),
        'vel_mask_dtype': str(ds['vel_mask'].dtype),
        'vel_mask_1': ds['vel_mask'].values[1].astype(int).tolist(),
        'img_dtype': str(ds['img'].dtype),
        'time': ds['time'].values.tolist(),
        'frame_number': ds['frame_number'].values.tolist(),
        'x': ds['x'].values.tolist(),
        'origin': ds.attrs.get('origin'),
        'sel_mean': float(ds['c'].sel(time=0.75).mean()),
    }
`;

d('interop with h5py, netCDF4, xarray, zarr, dask (Debian python3)', () => {
  const src = syntheticSource({ frames: 3, nx: 7, ny: 5 });
  const expected = async () => {
    const fr = await src.readFrame(1);
    const c = fr.fields.c.values as Float32Array;
    return {
      u: Array.from({ length: 5 }, (_, y) => Array.from({ length: 7 }, (_, x) => fr.fields.vel.u![y * 7 + x])),
      m: Array.from({ length: 5 }, (_, y) => Array.from({ length: 7 }, (_, x) => fr.fields.vel.mask![y * 7 + x])),
      cMean: c.reduce((a, b) => a + b, 0) / c.length,
    };
  };
  const checkSummary = (s: Record<string, unknown>, e: Awaited<ReturnType<typeof expected>>) => {
    expect(s.dims).toMatchObject({ time: 3, y: 5, x: 7 });
    expect(s.coords).toEqual(expect.arrayContaining(['time', 'x', 'y', 'frame_number', 'frame_index']));
    expect(s.data_vars).toEqual(expect.arrayContaining(['c', 'c_mask', 'vel_u', 'vel_v', 'vel_mask', 'img', 'rgb', 'line']));
    expect(s.units).toMatchObject({ time: 's', x: 'mm', y: 'mm', c: 'kg/m^3', vel_u: 'm/s', vel_v: 'm/s' });
    expect(s.vel_u_dims).toEqual(['time', 'y', 'x']);
    expect(s.vel_u_1 as number[][]).toEqual(e.u);
    expect(s.vel_mask_dtype).toBe('bool');
    expect(s.vel_mask_1).toEqual(e.m);
    expect(s.img_dtype).toBe('uint16');
    expect(s.time).toEqual([0.5, 0.75, 1.0]);
    expect(s.frame_number).toEqual([1, 2, 3]);
    expect(s.x).toEqual([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5]);
    expect(s.origin).toBe('test');
    expect(s.sel_mean as number).toBeCloseTo(e.cMean, 5);
  };

  it('xarray.open_dataset (netCDF4 engine) sees named dims, coordinates and units; h5py reads the chunks', async () => {
    const files = await exportDataset(src, { target: 'hdf5' });
    const dir = writeFiles(files);
    const s = py(
      `${CHECK}${SUMMARY}
import h5py, netCDF4
x = xr.open_dataset(ds)
out = summary(x)
f = h5py.File(ds, 'r')
out['h5py_chunks'] = list(f['vel_u'].chunks)
out['h5py_compression'] = f['vel_u'].compression
out['h5py_u'] = f['vel_u'][1].astype(float).tolist()
n = netCDF4.Dataset(ds)
out['nc_dims'] = list(n.variables['vel_u'].dimensions)
print(json.dumps(out))`,
      '--',
      `${dir}/synth.nc`,
    );
    const e = await expected();
    checkSummary(s, e);
    expect(s.h5py_chunks).toEqual([1, 5, 7]);
    expect(s.h5py_compression).toBe('gzip');
    expect(s.h5py_u).toEqual(e.u);
    expect(s.nc_dims).toEqual(['time', 'y', 'x']);
  });

  it('xarray.open_zarr and Dask open the Zarr zip, one chunk per frame', async () => {
    const files = await exportDataset(src, { target: 'zarr' });
    const dir = writeFiles(files);
    const s = py(
      `${CHECK}${SUMMARY}
import zarr, dask
x = xr.open_zarr(zarr.ZipStore(ds, mode='r'))
out = summary(x)
out['chunks'] = [list(c) for c in x['vel_u'].chunks]
out['dask_sum'] = float(x['vel_u'].data.sum().compute())
# the README's Dask example
speed = (x.vel_u**2 + x.vel_v**2) ** 0.5
out['masked_mean'] = speed.where(~x.vel_mask).mean('time').compute().values.astype(float).tolist()
print(json.dumps(out))`,
      '--',
      `${dir}/synth.zarr.zip`,
    );
    const e = await expected();
    checkSummary(s, e);
    expect(s.chunks).toEqual([[1, 1, 1], [5], [7]]);
    let total = 0;
    for (let k = 0; k < 3; k++) for (const x of (await src.readFrame(k)).fields.vel.u!) total += x;
    expect(s.dask_sum as number).toBeCloseTo(total, 3);
    // mean speed over the valid frames of each cell, as the README computes it
    const sums = new Float64Array(35);
    const counts = new Float64Array(35);
    for (let k = 0; k < 3; k++) {
      const v = (await src.readFrame(k)).fields.vel;
      for (let i = 0; i < 35; i++)
        if (!v.mask![i]) {
          sums[i] += Math.hypot(v.u![i], v.v![i]);
          counts[i]++;
        }
    }
    const mm = (s.masked_mean as (number | null)[][]).flat();
    for (let i = 0; i < 35; i++) {
      if (counts[i]) expect(mm[i]).toBeCloseTo(sums[i] / counts[i], 4);
      else expect(mm[i]).toBeNull();
    }
  });
});
