/**
 * HDF5 (NetCDF-4) and Zarr export throughput for a 512² vector set (u, v float32 + mask), in MB/s
 * of raw field data (u + v + mask bytes) written, in Node. Frames are precomputed so the figure is
 * the writer's (layout, chunking, deflate, container), not the source's.
 * - hdf5 via exportDataset (h5wasm in-memory file system, bytes returned, as in the browser)
 * - hdf5 straight to disk (h5wasm's Node build, what `npm run convert` does)
 * - hdf5 onto a synchronous file handle (exportDatasetTo with a disk: the code path of the export
 *   worker's OPFS FileSystemSyncAccessHandle, here over a Node file descriptor)
 * - zarr via exportDataset (zarrita chunks into a stored zip)
 * - zarr into a folder (exportDatasetTo with a FileSystemDirectoryHandle-shaped Node folder)
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './context';
import { exportDataset, exportDatasetTo, type DirectoryLike, type ExportDisk } from '../src/export/index';
import { writeHdf5File } from '../src/export/hdf5';
import type { Frame, FrameSource } from '../src/formats/types';

const N = 512;
const FRAMES = 40;

function vectorSet(): FrameSource {
  const frames = Array.from({ length: FRAMES }, (_, i) => ({ index: i, number: i + 1, time: i * 0.01 }));
  const cache: Frame[] = frames.map((info, k) => {
    const u = new Float32Array(N * N);
    const v = new Float32Array(N * N);
    const mask = new Uint8Array(N * N);
    let seed = 7 + k;
    for (let y = 0; y < N; y++)
      for (let x = 0; x < N; x++) {
        const i = y * N + x;
        seed = (seed * 1103515245 + 12345) >>> 0;
        const noise = (seed / 4294967296 - 0.5) * 0.05;
        u[i] = Math.sin(x / 40 + k / 7) * Math.cos(y / 55) + noise;
        v[i] = -Math.cos(x / 40) * Math.sin(y / 55 - k / 9) - noise;
        mask[i] = (x - 100) ** 2 + (y - 300) ** 2 < 2500 ? 1 : 0;
      }
    const scale = { slope: 0.1, offset: 0, unit: 'mm', description: 'position' };
    return { info, fields: { velocity: { kind: 'vector', shape: [N, N], u, v, mask, scales: { x: scale, y: scale } } }, attributes: {} };
  });
  return {
    format: 'synthetic',
    name: 'bench512',
    frames,
    fields: [{ name: 'velocity', kind: 'vector', shape: [N, N], unit: 'm/s' }],
    metadata: { bench: true },
    timeUnit: 's',
    async readFrame(i) {
      return cache[i];
    },
    nearestIndex: (t) => Math.round(t / 0.01),
    close() {},
  };
}

/** ExportDisk over Node files (the OPFS sync-handle path of the browser, on the host disk). */
function nodeDisk(dir: string): ExportDisk & { last: string } {
  const disk = {
    last: '',
    async create(path: string) {
      const p = join(dir, path);
      disk.last = p;
      const fd = openSync(p, 'w+');
      const handle = {
        read: (b: Uint8Array, o: { at: number }) => readSync(fd, b, 0, b.length, o.at),
        write: (b: Uint8Array, o: { at: number }) => writeSync(fd, b, 0, b.length, o.at),
        truncate: (n: number) => ftruncateSync(fd, n),
        getSize: () => fstatSync(fd).size,
        flush: () => fsyncSync(fd),
      };
      return {
        handle,
        async finish() {
          closeSync(fd);
          return new Blob([]);
        },
        async discard() {
          closeSync(fd);
        },
      };
    },
  };
  return disk;
}

function nodeDir(path: string): DirectoryLike {
  mkdirSync(path, { recursive: true });
  return {
    getDirectoryHandle: async (n: string) => nodeDir(join(path, n)),
    getFileHandle: async (n: string) => ({
      createWritable: async () => {
        const parts: Uint8Array[] = [];
        return { write: async (d: Uint8Array) => void parts.push(d.slice()), close: async () => writeFileSync(join(path, n), Buffer.concat(parts)) };
      },
    }),
  };
}

export default async function (ctx: BenchContext): Promise<void> {
  const src = vectorSet();
  const raw = FRAMES * N * N * (4 + 4 + 1);
  const note = (bytes: number) => `${FRAMES} frames 512² u,v,mask = ${(raw / 1e6).toFixed(0)} MB raw → ${(bytes / 1e6).toFixed(1)} MB`;
  const time = async (fn: () => Promise<number>) => {
    await fn(); // warm-up (wasm instantiation, JIT)
    const t0 = performance.now();
    const bytes = await fn();
    return { mbs: raw / 1e6 / ((performance.now() - t0) / 1000), bytes };
  };
  for (const compression of [4, 0]) {
    const label = compression ? `deflate ${compression}` : 'no compression';
    const h = await time(async () => (await exportDataset(src, { target: 'hdf5', options: { compression } }))[0].bytes.length);
    ctx.report(`node: hdf5 export (in memory), ${label}`, h.mbs, 'MB/s', note(h.bytes));
    const dir = mkdtempSync(join(tmpdir(), 'bench-h5-'));
    const h5 = (await import('h5wasm/node')) as unknown as typeof import('h5wasm');
    const d = await time(async () => {
      const p = join(dir, 'out.nc');
      await writeHdf5File(h5, p, src, { target: 'hdf5', options: { compression } });
      return statSync(p).size;
    });
    rmSync(dir, { recursive: true, force: true });
    ctx.report(`node: hdf5 export (to disk, h5wasm/node), ${label}`, d.mbs, 'MB/s', note(d.bytes));
    const sdir = mkdtempSync(join(tmpdir(), 'bench-h5s-'));
    const disk = nodeDisk(sdir);
    const sh = await time(async () => {
      await exportDatasetTo(src, { target: 'hdf5', options: { compression } }, undefined, { disk });
      return statSync(disk.last).size;
    });
    rmSync(sdir, { recursive: true, force: true });
    ctx.report(`node: hdf5 export (streamed onto a sync file handle, the OPFS path), ${label}`, sh.mbs, 'MB/s', note(sh.bytes));
    const z = await time(async () => (await exportDataset(src, { target: 'zarr', options: { compression } }))[0].bytes.length);
    ctx.report(`node: zarr export (zip), ${label}`, z.mbs, 'MB/s', note(z.bytes));
    const zdir = mkdtempSync(join(tmpdir(), 'bench-zf-'));
    let k = 0;
    const zf = await time(async () => {
      const r = await exportDatasetTo(src, { target: 'zarr', options: { compression, store: 'folder' } }, undefined, {
        folder: nodeDir(join(zdir, String(k++))),
      });
      return 'size' in r[0] ? r[0].size : 0;
    });
    rmSync(zdir, { recursive: true, force: true });
    ctx.report(`node: zarr export (folder), ${label}`, zf.mbs, 'MB/s', note(zf.bytes));
  }
}
