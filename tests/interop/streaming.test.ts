/**
 * The streaming writers under Node: the hdf5 file on a synchronous random-access handle (the same
 * code path as OPFS's FileSystemSyncAccessHandle in the export worker, here over a Node file
 * descriptor) and the zarr store written into a folder (a Node adapter of FileSystemDirectoryHandle).
 * Both are read back with framescope's readers, and with h5py / xarray where Debian's python3 has them.
 */
import { execFileSync } from 'node:child_process';
import h5wasm, { type Dataset } from 'h5wasm';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportDataset, exportDatasetTo, type DirectoryLike, type ExportDisk } from '../../src/export/index';
import type { SyncFile } from '../../src/export/hdf5-sync-file';
import { openDataset } from '../../src/formats/index';
import { sourceTreeFromPath } from '../../src/io/node';
import { syntheticSource } from '../export/synthetic';

const dir = mkdtempSync(join(tmpdir(), 'framescope-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A SyncFile over a Node file descriptor, counting the bytes that went through it. */
function nodeSyncFile(path: string): SyncFile & { fd: number; written: number; maxWrite: number } {
  const fd = openSync(path, 'w+');
  const f = {
    fd,
    written: 0,
    maxWrite: 0,
    read: (b: Uint8Array, o: { at: number }) => readSync(fd, b, 0, b.length, o.at),
    write: (b: Uint8Array, o: { at: number }) => {
      f.written += b.length;
      f.maxWrite = Math.max(f.maxWrite, b.length);
      return writeSync(fd, b, 0, b.length, o.at);
    },
    truncate: (n: number) => ftruncateSync(fd, n),
    getSize: () => fstatSync(fd).size,
    flush: () => fsyncSync(fd),
  };
  return f;
}

function nodeDisk(): ExportDisk & { files: ReturnType<typeof nodeSyncFile>[] } {
  const files: ReturnType<typeof nodeSyncFile>[] = [];
  return {
    files,
    async create(path: string) {
      const p = join(dir, `disk-${files.length}-${path}`);
      const h = nodeSyncFile(p);
      files.push(h);
      return {
        handle: h,
        async finish() {
          closeSync(h.fd);
          return new Blob([readFileSync(p)]);
        },
        async discard() {
          closeSync(h.fd);
          rmSync(p, { force: true });
        },
      };
    },
  };
}

/** FileSystemDirectoryHandle's shape over a Node folder. */
function nodeDir(path: string, name = path.split('/').pop()!): DirectoryLike {
  mkdirSync(path, { recursive: true });
  return {
    name,
    async getDirectoryHandle(n: string) {
      return nodeDir(join(path, n), n);
    },
    async getFileHandle(n: string) {
      const p = join(path, n);
      return {
        async createWritable() {
          const parts: Uint8Array[] = [];
          return {
            async write(d: Uint8Array) {
              parts.push(d.slice());
            },
            async close() {
              writeFileSync(p, Buffer.concat(parts));
            },
          };
        },
      };
    },
  };
}

async function openMem(bytes: Uint8Array) {
  const { FS } = await h5wasm.ready;
  FS.writeFile('/mem-back.nc', bytes);
  return new h5wasm.File('/mem-back.nc', 'r');
}

const PY = '/usr/bin/python3';
function pythonHas(mods: string): boolean {
  try {
    execFileSync(PY, ['-c', `import ${mods}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('hdf5 streamed onto a synchronous file handle (the OPFS path)', () => {
  it('writes the same variables as the in-memory file, chunk by chunk, and reads back', async () => {
    const src = syntheticSource({ frames: 4, nx: 32, ny: 24 });
    const disk = nodeDisk();
    const out = await exportDatasetTo(src, { target: 'hdf5', options: { name: 'streamed' } }, undefined, { disk });
    expect(out.map((f) => f.path)).toEqual(['streamed.nc']);
    expect('blob' in out[0]).toBe(true);
    const h = disk.files[0];
    // compressed chunks went to the handle as they were written: no write the size of the file
    const mem = await exportDataset(src, { target: 'hdf5', options: { name: 'streamed' } });
    expect(h.maxWrite).toBeLessThan(mem[0].bytes.length / 2);
    const bytes = new Uint8Array(await (out[0] as { blob: Blob }).blob.arrayBuffer());
    expect(String.fromCharCode(...bytes.subarray(1, 4))).toBe('HDF');
    // the same file as the in-memory writer makes, read back with h5wasm
    const { FS } = await h5wasm.ready;
    FS.writeFile('/streamed-back.nc', bytes);
    const f = new h5wasm.File('/streamed-back.nc', 'r');
    const a = await src.readFrame(2);
    const u = f.get('vel_u') as Dataset;
    expect(u.shape).toEqual([4, 24, 32]);
    expect(Array.from(u.slice([[2, 3]]) as Float32Array)).toEqual(Array.from(a.fields.vel.u!));
    expect(Array.from((f.get('c_mask') as Dataset).slice([[2, 3]]) as Int8Array)).toEqual(Array.from(a.fields.c.mask!));
    expect(f.keys().sort()).toEqual((await openMem(mem[0].bytes)).keys().sort());
    f.close();
    if (pythonHas('h5py')) {
      const r = JSON.parse(
        execFileSync(PY, [
          '-c',
          'import h5py, json, sys; f = h5py.File(sys.argv[1], "r"); d = f["vel_u"]; print(json.dumps({"shape": list(d.shape), "chunks": list(d.chunks), "comp": d.compression, "v": float(d[2, 3, 5])}))',
          join(dir, 'disk-0-streamed.nc'),
        ]).toString(),
      );
      expect(r.shape).toEqual([4, 24, 32]);
      expect(r.chunks).toEqual([1, 24, 32]);
      expect(r.comp).toBe('gzip');
      expect(r.v).toBeCloseTo(a.fields.vel.u![3 * 32 + 5], 6);
    } else console.warn(`${PY} has no h5py (apt-get install python3-h5py): the h5py read-back is skipped`);
  });

  it('deletes the partial file when the export is cancelled', async () => {
    const src = syntheticSource({ frames: 5, nx: 8, ny: 8 });
    const disk = nodeDisk();
    const ac = new AbortController();
    await expect(exportDatasetTo(src, { target: 'hdf5' }, { signal: ac.signal, onProgress: (d) => d === 2 && ac.abort() }, { disk })).rejects.toThrow(
      /cancel|abort/,
    );
    expect(() => readFileSync(join(dir, 'disk-0-synth.nc'))).toThrow();
  });
});

describe('zarr written into a folder (the File System Access path)', () => {
  it('writes <name>.zarr/ with consolidated metadata that framescope and xarray open', async () => {
    const src = syntheticSource({ frames: 3, nx: 9, ny: 6 });
    const parent = nodeDir(join(dir, 'picked'));
    const out = await exportDatasetTo(src, { target: 'zarr', options: { store: 'folder', name: 'run1' } }, undefined, { folder: parent });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ path: 'run1.zarr/', folder: true });
    const root = join(dir, 'picked', 'run1.zarr');
    expect(JSON.parse(readFileSync(join(root, '.zmetadata'), 'utf8')).zarr_consolidated_format).toBe(1);
    expect(readFileSync(join(root, 'vel_u', '2.0.0')).length).toBeGreaterThan(0);
    const back = await openDataset(await sourceTreeFromPath(root));
    expect(back.format).toBe('zarr');
    expect(back.frames.map((f) => f.number)).toEqual([1, 2, 3]);
    const a = await src.readFrame(1);
    const b = await back.readFrame(1);
    expect(Array.from(b.fields.vel.v!)).toEqual(Array.from(a.fields.vel.v!));
    expect(back.metadata).toEqual(src.metadata);
    // the zip and the folder hold the same entries
    const zip = await exportDataset(src, { target: 'zarr', options: { name: 'run1' } });
    const zback = await openDataset({
      name: 'z',
      files: [{ path: 'run1.zarr.zip', size: zip[0].bytes.length, read: async (s = 0, e = zip[0].bytes.length) => zip[0].bytes.subarray(s, e) }],
    });
    expect(zback.fields.map((f) => f.name)).toEqual(back.fields.map((f) => f.name));
    if (pythonHas('xarray, zarr')) {
      const r = JSON.parse(
        execFileSync(PY, [
          '-c',
          'import xarray as xr, json, sys; ds = xr.open_zarr(sys.argv[1]); print(json.dumps({"dims": {k: int(v) for k, v in ds.sizes.items()}, "u": float(ds["vel_u"].values[1, 2, 3]), "units": ds["x"].attrs.get("units")}))',
          root,
        ]).toString(),
      );
      expect(r.dims).toMatchObject({ time: 3, y: 6, x: 9 });
      expect(r.u).toBeCloseTo(a.fields.vel.u![2 * 9 + 3], 6);
      expect(r.units).toBe('mm');
    } else console.warn(`${PY} has no xarray/zarr (apt-get install python3-xarray python3-zarr): the xarray read-back is skipped`);
  });

  it('asks for a folder when store = folder has none, and exportDataset refuses it', async () => {
    const src = syntheticSource({ frames: 1 });
    await expect(exportDatasetTo(src, { target: 'zarr', options: { store: 'folder' } }, undefined, {})).rejects.toThrow(/needs a folder/);
    await expect(exportDataset(src, { target: 'zarr', options: { store: 'folder' } })).rejects.toThrow(/folder/);
    await expect(exportDataset(src, { target: 'hdf5', options: { store: 'folder' } })).rejects.toThrow(/store/);
  });
});
