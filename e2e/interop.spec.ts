/**
 * The hdf5 and zarr targets in Chromium (h5wasm's in-memory file system, zarrita), and the Zarr
 * store read back in the page; the NetCDF file is checked here in Node with h5wasm.
 */
import { expect, test } from '@playwright/test';
import { harness } from './helpers/fixtures';

test.setTimeout(120_000);
test.describe.configure({ retries: 2 });

test('hdf5 and zarr exports in the browser: zarr opens back in the page, the .nc reads in Node', async ({ page }) => {
  await harness(page);
  const r = await page.evaluate(async () => {
    const exp = (await import('/src/export/index.ts' as string)) as typeof import('../src/export/index');
    const fmt = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
    const slice = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
    const nx = 16;
    const ny = 8;
    const frames = [0, 1, 2].map((i) => ({ index: i, number: 10 + i, time: 0.5 * i }));
    const make = (i: number) => {
      const u = Float32Array.from({ length: nx * ny }, (_, k) => Math.sin(k + i));
      const v = Float32Array.from({ length: nx * ny }, (_, k) => k * 0.25 - i);
      const mask = Uint8Array.from({ length: nx * ny }, (_, k) => ((k + i) % 5 === 0 ? 1 : 0));
      const s = { slope: 0.5, offset: 1, unit: 'mm', description: 'position' };
      return { u, v, mask, scales: { x: s, y: s } };
    };
    const src = {
      format: 'synthetic',
      name: 'page',
      frames,
      fields: [{ name: 'vel', kind: 'vector' as const, shape: [ny, nx], unit: 'm/s' }],
      metadata: { where: 'browser' },
      timeUnit: 's',
      async readFrame(i: number) {
        return { info: frames[i], fields: { vel: { kind: 'vector' as const, shape: [ny, nx], ...make(i) } }, attributes: {} };
      },
      nearestIndex: (t: number) => Math.round(t / 0.5),
      close() {},
    };
    const nc = await exp.exportDataset(src, { target: 'hdf5' });
    const z = await exp.exportDataset(src, { target: 'zarr' });
    const back = await fmt.openDataset({ name: z[0].path, files: [slice.bytesSourceFile(z[0].path, z[0].bytes)] });
    const b = await back.readFrame(2);
    const a = make(2);
    return {
      ncPath: nc[0].path,
      nc: Array.from(nc[0].bytes),
      zPath: z[0].path,
      format: back.format,
      numbers: back.frames.map((f) => f.number),
      sameU: Array.from(b.fields.vel.u!).every((x, k) => x === a.u[k]),
      sameMask: Array.from(b.fields.vel.mask!).every((x, k) => x === a.mask[k]),
      metadata: back.metadata,
    };
  });
  expect(r.zPath).toBe('page.zarr.zip');
  expect(r.format).toBe('zarr');
  expect(r.numbers).toEqual([10, 11, 12]);
  expect(r.sameU).toBe(true);
  expect(r.sameMask).toBe(true);
  expect(r.metadata).toEqual({ where: 'browser' });
  expect(r.ncPath).toBe('page.nc');
  const h5wasm = (await import('h5wasm')).default;
  const { FS } = await h5wasm.ready;
  FS.writeFile('/page.nc', new Uint8Array(r.nc));
  const f = new h5wasm.File('/page.nc', 'r');
  const u = f.get('vel_u') as import('h5wasm').Dataset;
  expect(u.shape).toEqual([3, 8, 16]);
  expect((u.slice([[2, 3]]) as Float32Array)[1]).toBeCloseTo(Math.sin(3), 6);
  expect(Array.from((f.get('x') as import('h5wasm').Dataset).value as Float64Array).slice(0, 3)).toEqual([1, 1.5, 2]);
  f.close();
});
