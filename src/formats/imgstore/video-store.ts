/**
 * VideoImgStore frames: one video file per chunk (mjpeg/avi, avc1/mp4, h264/mkv, Motif libx264 /
 * nvenc mp4). Row k of chunk c is display frame k of that chunk's video (formats/imgstore.md
 * §4.2, §5.2). Browser only.
 *
 * - MJPEG in AVI: the frame's JPEG is located with the AVI index (./avi-index.ts) and decoded by the
 *   browser (createImageBitmap on a Blob slice): no ffmpeg, one small read per frame.
 * - Everything else (and AVIs that are not MJPEG): the shared video pipeline (src/video, ffmpeg.wasm
 *   or WebCodecs), loaded lazily.
 *
 * Each chunk's decodable frame count is checked against its index when the chunk is first opened
 * (imgstore crashes on truncated chunks, issue #29); a mismatch becomes a warning and rows past the
 * decodable end throw a FormatError naming the chunk file.
 */
import { FormatError } from '../errors';
import type { SourceFile } from '../types';
import { readAviIndex } from '../../video/avi-index';
import { browserMissing } from '../../video/ffmpeg-loader';
import type { Pixels } from './pixels';

const OPEN_CHUNKS = 3;

export interface VideoChunkRef {
  chunk: number;
  file: SourceFile;
  /** rows in the chunk index */
  rows: number;
}

interface ChunkReader {
  frameCount: number;
  read(row: number, signal?: AbortSignal): Promise<Pixels>;
  /** scrubbing: a row near `row` that is decoded at once (VideoFile.readNearby) */
  nearby?(row: number, signal?: AbortSignal): Promise<{ row: number; px: Pixels } | null>;
  /** paused on `row`: decode ahead in the background (VideoFile.warm) */
  warm?(row: number, signal?: AbortSignal): Promise<void>;
  close(): void;
}

async function openMjpegAvi(file: SourceFile): Promise<ChunkReader | null> {
  const { browserImageDecodingAvailable, decodeImageInBrowser } = await import('../../codecs/image-browser');
  if (!browserImageDecodingAvailable()) return null;
  const idx = await readAviIndex(file);
  if (!idx) return null;
  if (idx.offsets.length) {
    const soi = await file.read(idx.offsets[0], idx.offsets[0] + 3);
    if (!(soi[0] === 0xff && soi[1] === 0xd8 && soi[2] === 0xff)) return null; // not MJPEG
  }
  return {
    frameCount: idx.offsets.length,
    async read(row: number): Promise<Pixels> {
      const off = idx.offsets[row];
      const len = idx.sizes[row];
      const data = file.blob ? file.blob.slice(off, off + len, 'image/jpeg') : await file.read(off, off + len);
      const r = await decodeImageInBrowser(data, file.path, { mime: 'image/jpeg' });
      return { width: r.width, height: r.height, channels: 3, order: 'rgb', data: r.data };
    },
    close() {},
  };
}

async function openWithPipeline(file: SourceFile): Promise<ChunkReader> {
  const { openVideo } = await import('../../video/index');
  let v;
  try {
    v = await openVideo(file, { format: 'imgstore' } as Parameters<typeof openVideo>[1]);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError('imgstore', file.path, `cannot open chunk video: ${(e as Error).message ?? e}`);
  }
  const video = v;
  const pixelsOf = (row: number, f: { width: number; height: number; data: Uint8Array }): Pixels => {
    if (f.data.length < f.width * f.height * 3) throw new FormatError('imgstore', file.path, `decoded frame ${row} is short (${f.data.length} bytes)`);
    return { width: f.width, height: f.height, channels: 3, order: 'rgb', data: f.data };
  };
  return {
    frameCount: video.info.frameCount,
    async read(row: number, signal?: AbortSignal): Promise<Pixels> {
      let f;
      try {
        f = await video.readFrame(row, { pixFmt: 'rgb24', signal });
      } catch (e) {
        if (e instanceof FormatError || (e as Error).name === 'AbortError') throw e;
        throw new FormatError('imgstore', file.path, `cannot decode frame ${row}: ${(e as Error).message ?? e}`);
      }
      return pixelsOf(row, f);
    },
    ...(video.readNearby && {
      async nearby(row: number, signal?: AbortSignal) {
        const near = await video.readNearby!(row, { pixFmt: 'rgb24', signal }).catch(() => null);
        return near && near.index < video.info.frameCount ? { row: near.index, px: pixelsOf(near.index, near.frame) } : null;
      },
    }),
    ...(video.warm && { warm: (row: number, signal?: AbortSignal) => video.warm!(row, { pixFmt: 'rgb24', signal }) }),
    close: () => video.close(),
  };
}

export class VideoChunks {
  private open = new Map<number, Promise<ChunkReader>>();
  private order: number[] = [];
  private checked = new Set<number>();
  private closed = false;

  constructor(
    private readonly refs: Map<number, VideoChunkRef>,
    private readonly warn: (msg: string) => void,
  ) {}

  private async reader(chunk: number): Promise<ChunkReader> {
    if (this.closed) throw new Error('imgstore: source closed');
    const ref = this.refs.get(chunk);
    if (!ref) throw new FormatError('imgstore', `chunk ${chunk}`, 'no video file for this chunk');
    // Video chunks are decoded by the browser (JPEG decoder, WebCodecs, ffmpeg.wasm). Under Node the
    // store still opens (metadata, frame table, extra data) and every frame says why it cannot be read.
    const why = browserMissing();
    if (why) throw new FormatError('imgstore', ref.file.path, why);
    let p = this.open.get(chunk);
    if (!p) {
      p = (async () => {
        let r: ChunkReader | null = null;
        if (ref.file.path.toLowerCase().endsWith('.avi')) r = await openMjpegAvi(ref.file);
        r ??= await openWithPipeline(ref.file);
        if (!this.checked.has(chunk)) {
          this.checked.add(chunk);
          if (r.frameCount !== ref.rows)
            this.warn(
              `${ref.file.path}: the video has ${r.frameCount} decodable frames but its index lists ${ref.rows}` +
                (r.frameCount < ref.rows ? ' (truncated chunk: the missing frames cannot be shown)' : ' (extra frames ignored)'),
            );
        }
        return r;
      })();
      this.open.set(chunk, p);
      p.catch(() => {
        if (this.open.get(chunk) === p) this.open.delete(chunk);
      });
      this.order.push(chunk);
      while (this.order.length > OPEN_CHUNKS) {
        const old = this.order.shift()!;
        const q = this.open.get(old);
        this.open.delete(old);
        q?.then((f) => f.close()).catch(() => undefined);
      }
    } else {
      this.order = this.order.filter((c) => c !== chunk);
      this.order.push(chunk);
    }
    return p;
  }

  /** Open every chunk once and compare decodable frame counts with the index (warnings). */
  async verifyAll(signal?: AbortSignal): Promise<void> {
    for (const c of this.refs.keys()) {
      if (signal?.aborted) return;
      try {
        await this.reader(c);
      } catch (e) {
        this.warn(e instanceof FormatError ? e.message : `${this.refs.get(c)!.file.path}: ${(e as Error).message}`);
      }
    }
  }

  async readRow(chunk: number, row: number, signal?: AbortSignal): Promise<Pixels> {
    const r = await this.reader(chunk);
    const path = this.refs.get(chunk)!.file.path;
    if (row >= r.frameCount)
      throw new FormatError('imgstore', path, `row ${row} of this chunk is past the decodable end of the video (${r.frameCount} frames; truncated chunk?)`);
    return r.read(row, signal);
  }

  /** A row of `chunk` near `row` decoded at once, or null (the chunk's reader has no quick path). */
  async nearbyRow(chunk: number, row: number, signal?: AbortSignal): Promise<{ row: number; px: Pixels } | null> {
    const r = await this.reader(chunk);
    if (!r.nearby || row >= r.frameCount) return null;
    return r.nearby(row, signal);
  }

  /** Paused on `row` of `chunk`: decode ahead in the background where the chunk's reader can. */
  async warmRow(chunk: number, row: number, signal?: AbortSignal): Promise<void> {
    const r = await this.reader(chunk);
    if (r.warm && row < r.frameCount) await r.warm(row, signal);
  }

  close(): void {
    this.closed = true;
    for (const p of this.open.values()) p.then((f) => f.close()).catch(() => undefined);
    this.open.clear();
  }
}
