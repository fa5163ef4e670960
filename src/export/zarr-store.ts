/**
 * The Zarr side of the `zarr` target: a CubeSink that writes a Zarr v2 hierarchy with xarray's
 * conventions (`_ARRAY_DIMENSIONS` in every array's `.zattrs`, consolidated `.zmetadata`) into a
 * zip (stored entries: the chunks are already zlib-compressed) or into a folder (File System Access
 * API: a folder the user picked, or an OPFS directory). Chunks are encoded by zarrita (`zarr.set` of
 * one whole frame = one chunk) and passed on as they come, so only one frame is held uncompressed;
 * a zip (compressed) accumulates until it is returned, a folder holds nothing.
 */
import { unzlibSync, Zip, ZipPassThrough, zlibSync } from 'fflate';
import * as zarr from 'zarrita';
import type { Attrs, CubeArray, CubeCoord, CubeDtype, CubeSink, CubeVar } from './hdf5-layout';
import type { DirectoryLike } from './job';

export type { DirectoryLike };

export const ZARR_DTYPE: Record<CubeDtype, string> = { f4: '<f4', f8: '<f8', u1: '|u1', u2: '<u2', i1: '|i1', i4: '<i4', i8: '<i8' };

type Key = `/${string}`;

/**
 * zarrita decodes zlib but cannot encode it: encode with fflate's zlib, decode with zarrita's own
 * codec (the platform's DecompressionStream, which rejects truncated streams).
 */
type ZCodec = { kind?: string; encode(b: Uint8Array): unknown; decode(b: Uint8Array): Promise<Uint8Array> | Uint8Array };
type ZEntry = { fromConfig(c: unknown, meta: unknown): ZCodec };
for (const id of ['zlib', 'numcodecs.zlib']) {
  const original = zarr.registry.get(id) as (() => Promise<ZEntry>) | undefined;
  const entry = {
    kind: 'bytes_to_bytes' as const,
    fromConfig(c: { level?: number }, meta: unknown) {
      const l = c?.level;
      const level = typeof l === 'number' && l >= 0 && l <= 9 ? l : 6;
      return {
        kind: 'bytes_to_bytes' as const,
        inner: null as ZCodec | null,
        encode: (bytes: Uint8Array) => zlibSync(bytes, { level: level as 0 }),
        async decode(bytes: Uint8Array) {
          if (!original) return unzlibSync(bytes);
          this.inner ??= (await original()).fromConfig(c, meta);
          return this.inner.decode(bytes);
        },
      };
    },
  };
  zarr.registry.set(id, () => Promise.resolve(entry as never));
}

/** Where the store's entries go: appended to a zip, or written as files into a folder. */
export interface EntryWriter {
  entry(name: string, value: Uint8Array): void | Promise<void>;
}

/** A write-mostly zarrita store: metadata in memory (written, consolidated, at the end), chunks passed on as they come. */
export class StreamStore<W extends EntryWriter = EntryWriter> {
  meta = new Map<string, unknown>();
  bytes = 0;
  files = 0;
  constructor(readonly out: W) {}

  get(key: Key): Uint8Array | undefined {
    const m = this.meta.get(key.slice(1));
    return m === undefined ? undefined : new TextEncoder().encode(JSON.stringify(m));
  }
  async set(key: Key, value: Uint8Array): Promise<void> {
    await this.entry(key.slice(1), value);
  }
  async entry(name: string, value: Uint8Array): Promise<void> {
    await this.out.entry(name, value);
    this.bytes += value.length;
    this.files++;
  }
  /** the metadata files and the consolidated `.zmetadata` */
  async finishMeta(): Promise<void> {
    const consolidated: Record<string, unknown> = {};
    for (const [k, v] of [...this.meta.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      consolidated[k] = v;
      await this.entry(k, json(v));
    }
    await this.entry('.zmetadata', json({ metadata: consolidated, zarr_consolidated_format: 1 }));
  }
}

/** Entries appended to a zip (stored: the chunks are already compressed); the zip accumulates in memory. */
export class ZipWriter implements EntryWriter {
  private parts: Uint8Array[] = [];
  private zip = new Zip((err, chunk) => {
    if (err) throw err;
    this.parts.push(chunk);
  });
  private mtime = new Date(1980, 0, 1, 0, 0, 0);
  entry(name: string, value: Uint8Array): void {
    const f = new ZipPassThrough(name);
    f.mtime = this.mtime;
    this.zip.add(f);
    f.push(value, true);
  }
  finish(): Uint8Array {
    this.zip.end();
    let n = 0;
    for (const p of this.parts) n += p.length;
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    this.parts = [];
    return out;
  }
}

/** Entries written as files under a folder (`x/0.0.0`: the `.` separator keeps every chunk of an array in one folder). */
export class FolderWriter implements EntryWriter {
  private dirs = new Map<string, Promise<DirectoryLike>>();
  constructor(private root: DirectoryLike) {}
  private dir(path: string): Promise<DirectoryLike> {
    if (!path) return Promise.resolve(this.root);
    let d = this.dirs.get(path);
    if (!d) {
      const cut = path.lastIndexOf('/');
      const parent = cut < 0 ? '' : path.slice(0, cut);
      const name = path.slice(cut + 1);
      d = this.dir(parent).then((p) => p.getDirectoryHandle(name, { create: true }));
      this.dirs.set(path, d);
    }
    return d;
  }
  async entry(name: string, value: Uint8Array): Promise<void> {
    const parts = name.split('/').filter((p) => p && p !== '.' && p !== '..');
    const file = parts.pop();
    if (!file) throw new Error(`a Zarr entry with the path “${name}”`);
    const d = await this.dir(parts.join('/'));
    const w = await (await d.getFileHandle(file, { create: true })).createWritable();
    await w.write(value);
    await w.close();
  }
}

function json(v: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(v, null, 2));
}

function attrsJson(a: Attrs): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) o[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  return o;
}

export function zarrSink<W extends EntryWriter>(compression: number, out: W): CubeSink & { finish(): Promise<void>; store: StreamStore<W> } {
  const store = new StreamStore(out);
  const arrays = new Map<string, zarr.Array<zarr.DataType, StreamStore<W>>>();
  const declare = async (name: string, shape: number[], chunks: number[], dtype: CubeDtype, dims: string[], attrs: Attrs) => {
    const float = dtype === 'f4' || dtype === 'f8';
    store.meta.set(`${name}/.zarray`, {
      chunks,
      compressor: compression > 0 ? { id: 'zlib', level: compression } : null,
      dimension_separator: '.',
      dtype: ZARR_DTYPE[dtype],
      // integer arrays get no fill value: xarray would make it a _FillValue and the array float
      // (every chunk is written, so none is missing)
      fill_value: float ? 'NaN' : null,
      filters: null,
      order: 'C',
      shape,
      zarr_format: 2,
    });
    store.meta.set(`${name}/.zattrs`, { _ARRAY_DIMENSIONS: dims, ...attrsJson(attrs) });
    const arr = await zarr.open.v2(zarr.root(store).resolve(name), { kind: 'array', attrs: false });
    arrays.set(name, arr);
    return arr;
  };
  const put = async (name: string, sel: (zarr.Slice | null)[], data: CubeArray, shape: number[]) => {
    const arr = arrays.get(name)!;
    const stride = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    await zarr.set(arr, sel, { data, shape, stride } as unknown as zarr.Chunk<zarr.DataType>);
  };
  return {
    store,
    globals(attrs) {
      store.meta.set('.zgroup', { zarr_format: 2 });
      store.meta.set('.zattrs', attrsJson(attrs));
    },
    async coord(c: CubeCoord) {
      const attrs = { ...c.attrs };
      await declare(c.name, [c.data.length], [Math.max(1, c.data.length)], c.dtype, c.dims, attrs);
      if (c.data.length) await put(c.name, [null], c.data, [c.data.length]);
    },
    async variable(v: CubeVar) {
      await declare(v.name, v.shape, [1, ...v.shape.slice(1)], v.dtype, v.dims, v.attrs);
    },
    async write(v: CubeVar, k: number, data: CubeArray) {
      const cell = v.shape.slice(1);
      await put(v.name, [zarr.slice(k, k + 1), ...cell.map(() => null)], data, [1, ...cell]);
    },
    finish: () => store.finishMeta(),
  };
}
