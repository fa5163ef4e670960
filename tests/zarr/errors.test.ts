/** Damaged Zarr stores: every failure is a FormatError naming the store member and what was wrong. */
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index';
import { FormatError, openDataset } from '../../src/formats/index';
import { open } from '../../src/formats/zarr/open';
import { bytesSourceFile } from '../../src/io/slice-file';
import { syntheticSource } from '../export/synthetic';

async function members() {
  const files = await exportDataset(syntheticSource({ frames: 2 }), { target: 'zarr', fields: ['c', 'vel'] });
  return unzipSync(files[0].bytes);
}
const folder = (m: Record<string, Uint8Array>) => ({ name: 's.zarr', files: Object.entries(m).map(([p, b]) => bytesSourceFile(p, b)) });
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
async function formatError(p: Promise<unknown>): Promise<FormatError> {
  const e = await p.then(
    () => null,
    (x) => x,
  );
  expect(e).toBeInstanceOf(FormatError);
  return e as FormatError;
}

describe('zarr reader: bad input', () => {
  it('a truncated zip', async () => {
    const files = await exportDataset(syntheticSource({ frames: 2 }), { target: 'zarr', fields: ['c'] });
    const cut = files[0].bytes.subarray(0, files[0].bytes.length - 40);
    const e = await formatError(open({ name: 's.zarr.zip', files: [bytesSourceFile('s.zarr.zip', cut)] }));
    expect(e.path).toBe('s.zarr.zip');
    expect(e.reason).toMatch(/not a readable zip of a Zarr store/);
  });

  it('a zip without Zarr metadata is not sniffed as Zarr', async () => {
    const z = zipSync({ 'a.txt': new Uint8Array([1]) });
    await expect(openDataset({ name: 'x.zip', files: [bytesSourceFile('x.zip', z)] })).rejects.toThrow(/not a recognised dataset/);
    const e = await formatError(open({ name: 'x.zip', files: [bytesSourceFile('x.zip', z)] }));
    expect(e.reason).toMatch(/holds no \.zmetadata, \.zgroup or \.zarray/);
  });

  it('consolidated metadata without its “metadata” object', async () => {
    const m = await members();
    const e = await formatError(openDataset(folder({ ...m, '.zmetadata': enc({ zarr_consolidated_format: 1 }) })));
    expect(e.path).toBe('s.zarr/.zmetadata');
    expect(e.reason).toMatch(/no “metadata” object/);
  });

  it('an array description that is not Zarr v2, and a bad shape', async () => {
    const m = await members();
    const meta = JSON.parse(new TextDecoder().decode(m['.zmetadata']));
    const bad = structuredClone(meta);
    bad.metadata['c/.zarray'].zarr_format = 3;
    let e = await formatError(openDataset(folder({ ...m, '.zmetadata': enc(bad) })));
    expect(e.path).toBe('s.zarr/c/.zarray');
    const bad2 = structuredClone(meta);
    bad2.metadata['c/.zarray'].shape = [2, -5, 7];
    e = await formatError(openDataset(folder({ ...m, '.zmetadata': enc(bad2) })));
    expect(e.reason).toMatch(/bad shape \[2,-5,7\]/);
  });

  it('_ARRAY_DIMENSIONS of the wrong length, a u without v, mismatched shapes', async () => {
    const m = await members();
    const meta = JSON.parse(new TextDecoder().decode(m['.zmetadata']));
    const a = structuredClone(meta);
    a.metadata['c/.zattrs']._ARRAY_DIMENSIONS = ['time', 'x'];
    let e = await formatError(openDataset(folder({ ...m, '.zmetadata': enc(a) })));
    expect(e.path).toBe('s.zarr/c/.zattrs');
    expect(e.reason).toMatch(/names 2 dimensions for a 3-D array/);
    const b = structuredClone(meta);
    delete b.metadata['vel_v/.zarray'];
    delete b.metadata['vel_v/.zattrs'];
    e = await formatError(openDataset(folder({ ...m, '.zmetadata': enc(b) })));
    expect(e.reason).toMatch(/vector field “vel” has a u but no v array/);
    const c = structuredClone(meta);
    c.metadata['vel_mask/.zarray'].shape = [2, 5, 6];
    e = await formatError(openDataset(folder({ ...m, '.zmetadata': enc(c) })));
    expect(e.path).toBe('s.zarr/vel_mask');
    expect(e.reason).toMatch(/does not match vel_u's 2×5×7/);
  });

  it('a missing chunk of an integer array and a corrupt chunk fail on read, naming the array and frame', async () => {
    const m = await members();
    const corrupt = { ...m, 'vel_u/1.0.0': new Uint8Array([0x78, 0x9c, 1, 2, 3]) };
    const s = await openDataset(folder(corrupt));
    await s.readFrame(0);
    const e = await formatError(s.readFrame(1));
    expect(e.path).toBe('s.zarr/vel_u');
    expect(e.reason).toMatch(/frame 1: cannot read its chunk/);
  });
});
