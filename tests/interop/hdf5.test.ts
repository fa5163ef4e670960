import h5wasm, { type Dataset, type File as H5File } from 'h5wasm';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index';
import { ExportError } from '../../src/core/errors';
import { hdf5EndOfFile } from '../../src/export/hdf5-file';
import { syntheticSource } from '../export/synthetic';

let seq = 0;
async function openBack(bytes: Uint8Array) {
  const { FS } = await h5wasm.ready;
  const p = `/readback-${seq++}.nc`;
  FS.writeFile(p, bytes);
  return new h5wasm.File(p, 'r');
}
const ds = (f: H5File, name: string) => f.get(name) as Dataset;
const attr = (d: Dataset | H5File, name: string) => d.attrs[name]?.value;

describe('hdf5 export read back with h5wasm', () => {
  it('stores every frame of every field, masks, coordinates, times and metadata', async () => {
    const src = syntheticSource({ frames: 4, nx: 7, ny: 5, times: [0.5, 0.75, null, 1.25], numbers: [10, 11, 15, 20], vol: true });
    const progress: number[] = [];
    const files = await exportDataset(src, { target: 'hdf5', frames: [3, 0, 2], options: { name: 'out' } }, { onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([1, 2, 3]);
    expect(files.map((f) => f.path)).toEqual(['out.nc']);
    expect(String.fromCharCode(...files[0].bytes.subarray(1, 4))).toBe('HDF');
    // the pre-grown in-memory file was cut back to exactly what the superblock says
    expect(hdf5EndOfFile(files[0].bytes)).toBe(files[0].bytes.length);
    const f = await openBack(files[0].bytes);
    expect(f.keys().sort()).toEqual(
      [
        'time',
        'frame_number',
        'frame_index',
        'x',
        'y',
        'x_img',
        'y_img',
        'x_rgb',
        'y_rgb',
        'channel',
        'x_line',
        'z',
        'c',
        'c_mask',
        'vel_u',
        'vel_v',
        'vel_mask',
        'img',
        'rgb',
        'line',
        'vol',
      ].sort(),
    );
    expect(Array.from(ds(f, 'time').value as Float64Array)).toEqual([1.25, 0.5, NaN]);
    expect(Array.from(ds(f, 'frame_number').value as BigInt64Array, Number)).toEqual([20, 10, 15]);
    expect(Array.from(ds(f, 'frame_index').value as Int32Array)).toEqual([3, 0, 2]);
    expect(attr(ds(f, 'time'), 'units')).toBe('s');
    expect(Array.from(ds(f, 'x').value as Float64Array)).toEqual([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5]);
    expect(Array.from(ds(f, 'y').value as Float64Array)).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(attr(ds(f, 'x'), 'units')).toBe('mm');
    expect(attr(ds(f, 'x'), 'CLASS')).toBe('DIMENSION_SCALE');
    const u = ds(f, 'vel_u');
    expect(u.shape).toEqual([3, 5, 7]);
    expect(u.dtype).toBe('<f');
    expect(u.filters.map((x) => x.name)).toContain('deflate');
    expect(attr(u, 'units')).toBe('m/s');
    expect(u.get_attached_scales(0)).toEqual(['/time']);
    expect(u.get_attached_scales(2)).toEqual(['/x']);
    expect(ds(f, 'img').dtype).toBe('<H');
    expect(ds(f, 'rgb').shape).toEqual([3, 5, 7, 3]);
    expect(ds(f, 'vol').shape).toEqual([3, 3, 5, 7]);
    expect(ds(f, 'vol').get_attached_scales(2)).toEqual(['/y']);
    const order = [3, 0, 2];
    for (let k = 0; k < 3; k++) {
      const fr = await src.readFrame(order[k]);
      const slab = <T>(name: string) => ds(f, name).slice([[k, k + 1]]) as T;
      expect(Array.from(slab<Float32Array>('c'))).toEqual(Array.from(fr.fields.c.values!));
      expect(Array.from(slab<Float32Array>('vel_u'))).toEqual(Array.from(fr.fields.vel.u!));
      expect(Array.from(slab<Float32Array>('vel_v'))).toEqual(Array.from(fr.fields.vel.v!));
      expect(Array.from(slab<Int8Array>('vel_mask'))).toEqual(Array.from(fr.fields.vel.mask!));
      expect(Array.from(slab<Uint16Array>('img'))).toEqual(Array.from(fr.fields.img.values!));
      expect(Array.from(slab<Uint8Array>('rgb'))).toEqual(Array.from(fr.fields.rgb.values!));
      expect(Array.from(slab<Float64Array>('line'))).toEqual(Array.from(fr.fields.line.values!));
    }
    expect(attr(f, 'Conventions')).toBe('CF-1.8');
    expect(attr(f, 'origin')).toBe('test');
    expect(JSON.parse(attr(f, 'framescope_metadata') as string)).toEqual({ origin: 'test' });
    f.close();
  });

  it('writes masked cells as NaN when asked, keeping integer fields’ masks as variables', async () => {
    const src = syntheticSource({ frames: 2 });
    const files = await exportDataset(src, { target: 'hdf5', fields: ['c', 'vel'], options: { mask: 'nan' } });
    const f = await openBack(files[0].bytes);
    expect(f.keys()).not.toContain('c_mask');
    const fr = await src.readFrame(1);
    const c = ds(f, 'c').slice([[1, 2]]) as Float32Array;
    const m = fr.fields.c.mask!;
    expect(m.some((x) => x)).toBe(true);
    for (let i = 0; i < c.length; i++) expect(Number.isNaN(c[i])).toBe(m[i] === 1);
    f.close();
  });

  it('a source without times gets frame numbers as the time coordinate, flagged', async () => {
    const src = syntheticSource({ frames: 3, times: [null, null, null], numbers: [5, 6, 9] });
    const files = await exportDataset(src, { target: 'hdf5', fields: ['c'] });
    const f = await openBack(files[0].bytes);
    expect(Array.from(ds(f, 'time').value as Float64Array)).toEqual([5, 6, 9]);
    expect(attr(ds(f, 'time'), 'framescope_time')).toBe('number');
    f.close();
  });

  it('rejects bad options with an ExportError naming them', async () => {
    const src = syntheticSource({ frames: 1 });
    await expect(exportDataset(src, { target: 'hdf5', options: { compression: 12 } })).rejects.toThrow(ExportError);
    await expect(exportDataset(src, { target: 'hdf5', options: { mask: 'zero' } })).rejects.toThrow(/option mask.* must be one of variable, nan, both/);
    await expect(exportDataset(src, { target: 'hdf5', options: { colour: 1 } })).rejects.toThrow(/unknown option “colour”/);
  });
});
