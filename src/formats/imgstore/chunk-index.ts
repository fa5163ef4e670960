/**
 * Chunk discovery and per-chunk frame indexes (formats/imgstore.md §1.3, §4).
 *
 * Discovery is more tolerant than imgstore: only all-digit names are chunks; anything else is
 * ignored, and the things that make imgstore itself fail (a non-numeric sub-folder in a
 * DirectoryImgStore, another file with the chunk extension in a VideoImgStore) are reported as
 * warnings. Indexes are `<chunk>.npz` (VideoImgStore) or `<chunk>/index.npz` (DirectoryImgStore),
 * with the legacy `.yaml` variant as fallback; only `frame_number` and `frame_time` are read.
 */
import { parse } from 'yaml';
import { openNpz } from '../../codecs/npz';
import { toNumbers } from '../../codecs/npy';
import { FormatError } from '../errors';
import type { SourceFile } from '../types';
import type { StoreMetadata } from './metadata';
import { numberList } from './values';
import { bytesSourceFile } from '../../io/slice-file';

/** chunk index files up to this size are read in one piece */
const WHOLE_READ_BYTES = 4 << 20;

export interface ChunkLayout {
  chunk: number;
  /** the chunk's name as on disk ('000000') */
  name: string;
  indexFile: SourceFile | null;
  /** VideoImgStore: the chunk's video file */
  video: SourceFile | null;
  /** DirectoryImgStore: image files by row number */
  images: Map<number, SourceFile>;
}

export interface ChunkIndex {
  frameNumber: number[];
  frameTime: number[];
}

const VIDEO_EXTS = ['.avi', '.mp4', '.mkv', '.mov', '.webm'];

/** Chunks of a store whose files (paths relative to the store root) are `files`. */
export function discoverChunks(files: SourceFile[], meta: StoreMetadata, warnings: string[]): ChunkLayout[] {
  const byNum = new Map<number, ChunkLayout>();
  const get = (name: string): ChunkLayout => {
    const n = Number(name);
    let c = byNum.get(n);
    if (!c) {
      c = { chunk: n, name, indexFile: null, video: null, images: new Map() };
      byNum.set(n, c);
    }
    return c;
  };
  const strayDirs = new Set<string>();
  const strayVideos: string[] = [];
  if (meta.cls === 'DirectoryImgStore') {
    const ext = '.' + meta.extension.toLowerCase();
    const altExts = meta.extension.toLowerCase() === 'jpg' ? ['.jpeg'] : meta.extension.toLowerCase() === 'tif' ? ['.tiff'] : [];
    for (const f of files) {
      const parts = f.path.split('/');
      if (parts.length < 2) continue;
      const dir = parts[0];
      if (!/^\d+$/.test(dir)) {
        if (!dir.startsWith('.') && !dir.startsWith('__')) strayDirs.add(dir);
        continue;
      }
      if (parts.length !== 2) continue;
      const c = get(dir);
      const base = parts[1];
      const lower = base.toLowerCase();
      if (lower === 'index.npz') c.indexFile = f;
      else if (lower === 'index.yaml' && !c.indexFile) c.indexFile = f;
      else {
        const m = /^(\d+)(\.[^.]+)$/.exec(base);
        if (m && (m[2].toLowerCase() === ext || altExts.includes(m[2].toLowerCase()))) c.images.set(Number(m[1]), f);
      }
    }
  } else {
    let ext = meta.extension.toLowerCase();
    const roots = files.filter((f) => !f.path.includes('/'));
    const numericVideo = (e: string) => roots.filter((f) => /^\d+$/.test(stem(f.path)) && extOfName(f.path) === e);
    if (!numericVideo(ext).length) {
      const alt = VIDEO_EXTS.find((e) => numericVideo(e).length > 0);
      if (alt) {
        warnings.push(`metadata says chunk files end in '${ext}' but the store holds '${alt}' chunks: using those`);
        ext = alt;
      }
    }
    for (const f of roots) {
      const s = stem(f.path);
      const e = extOfName(f.path);
      if (!/^\d+$/.test(s)) {
        if (e === ext) strayVideos.push(f.path);
        continue;
      }
      if (e === ext) get(s).video = f;
      else if (e === '.npz') get(s).indexFile = f;
      else if (e === '.yaml') {
        const c = get(s);
        if (!c.indexFile) c.indexFile = f;
      }
    }
  }
  if (strayDirs.size)
    warnings.push(
      `ignored ${strayDirs.size} non-chunk folder(s): ${[...strayDirs].slice(0, 5).join(', ')}${strayDirs.size > 5 ? ', …' : ''} (imgstore itself cannot open a store containing them)`,
    );
  if (strayVideos.length)
    warnings.push(
      `ignored ${strayVideos.length} file(s) with the chunk extension that are not chunks: ${strayVideos.slice(0, 5).join(', ')}${strayVideos.length > 5 ? ', …' : ''} (imgstore itself cannot open a store containing them)`,
    );
  return [...byNum.values()].sort((a, b) => a.chunk - b.chunk);
}

function stem(path: string): string {
  const i = path.indexOf('.');
  return i < 0 ? path : path.slice(0, i);
}

function extOfName(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? '' : path.slice(i).toLowerCase();
}

/** Largest accepted YAML index (bytes). */
const MAX_YAML_INDEX = 64 << 20;

/** Read a chunk's frame_number / frame_time. Throws FormatError naming the index file. */
export async function loadChunkIndex(file: SourceFile): Promise<ChunkIndex> {
  const path = file.path;
  let fn: number[];
  let ft: number[];
  if (file.path.toLowerCase().endsWith('.yaml')) {
    if (file.size > MAX_YAML_INDEX) throw new FormatError('imgstore', path, `YAML index of ${file.size} bytes is too large`);
    const text = new TextDecoder().decode(await file.read(0, file.size));
    let doc: unknown;
    try {
      doc = parse(text, { version: '1.1' });
    } catch (e) {
      throw new FormatError('imgstore', path, `not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    const d = (doc !== null && typeof doc === 'object' ? doc : {}) as Record<string, unknown>;
    if (!Array.isArray(d.frame_number) || !Array.isArray(d.frame_time)) throw new FormatError('imgstore', path, 'frame_number and frame_time lists expected');
    const fail = (reason: string): never => {
      throw new FormatError('imgstore', path, reason);
    };
    fn = numberList(d.frame_number, 'frame_number', fail);
    ft = numberList(d.frame_time, 'frame_time', fail);
  } else {
    // a chunk index is small (16 bytes a frame): one read of the whole file instead of the zip
    // directory and each member apart (a 100-chunk store opens in a third of the time from Blobs)
    const npz = await openNpz(file.size <= WHOLE_READ_BYTES ? bytesSourceFile(path, await file.read(0, file.size)) : file);
    for (const k of ['frame_number', 'frame_time'])
      if (!npz.names.includes(k)) throw new FormatError('imgstore', path, `chunk index has no '${k}' member (members: ${npz.names.join(', ')})`);
    const m = await npz.readMany(['frame_number', 'frame_time']);
    const a = m.frame_number;
    const b = m.frame_time;
    if (typeof a.data[0] === 'string' || typeof b.data[0] === 'string' || a.dtype.includes('O') || b.dtype.includes('O'))
      throw new FormatError('imgstore', path, `numeric frame_number/frame_time expected (got ${a.dtype}, ${b.dtype})`);
    if (a.shape.length > 1 || b.shape.length > 1)
      throw new FormatError('imgstore', path, `1-D frame_number/frame_time expected (got shapes ${JSON.stringify(a.shape)}, ${JSON.stringify(b.shape)})`);
    fn = toNumbers(a.data);
    ft = toNumbers(b.data);
  }
  if (fn.length !== ft.length) throw new FormatError('imgstore', path, `frame_number has ${fn.length} entries but frame_time has ${ft.length}`);
  return { frameNumber: fn, frameTime: ft };
}
