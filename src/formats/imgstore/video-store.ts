/**
 * VideoImgStore frames: one video file per chunk (mjpeg/avi, avc1/mp4, h264/mkv, Motif libx264 /
 * nvenc mp4), decoded through the shared video pipeline (src/video, browser only, loaded lazily).
 * Row k of chunk c is display frame k of that chunk's video (formats/imgstore.md §4.2, §5.2).
 *
 * Each chunk's decodable frame count is checked against its index when the chunk is first opened
 * (imgstore crashes on truncated chunks, issue #29); a mismatch becomes a warning and rows past the
 * decodable end throw a FormatError naming the chunk file.
 */
import { FormatError } from '../errors';
import type { SourceFile } from '../types';
import type { VideoFile } from '../../video/types';
import type { Pixels } from './pixels';

const OPEN_CHUNKS = 3;

export interface VideoChunkRef {
  chunk: number;
  file: SourceFile;
  /** rows in the chunk index */
  rows: number;
}

export class VideoChunks {
  private open = new Map<number, Promise<VideoFile>>();
  private order: number[] = [];
  private checked = new Set<number>();
  private closed = false;

  constructor(
    private readonly refs: Map<number, VideoChunkRef>,
    private readonly warn: (msg: string) => void,
  ) {}

  private async file(chunk: number): Promise<VideoFile> {
    if (this.closed) throw new Error('imgstore: source closed');
    const ref = this.refs.get(chunk);
    if (!ref) throw new FormatError('imgstore', `chunk ${chunk}`, 'no video file for this chunk');
    let p = this.open.get(chunk);
    if (!p) {
      p = (async () => {
        const { openVideo } = await import('../../video/index');
        let v: VideoFile;
        try {
          v = await openVideo(ref.file, { format: 'imgstore' } as Parameters<typeof openVideo>[1]);
        } catch (e) {
          if (e instanceof FormatError) throw e;
          throw new FormatError('imgstore', ref.file.path, `cannot open chunk video: ${(e as Error).message ?? e}`);
        }
        if (!this.checked.has(chunk)) {
          this.checked.add(chunk);
          if (v.info.frameCount !== ref.rows)
            this.warn(
              `${ref.file.path}: the video has ${v.info.frameCount} decodable frames but its index lists ${ref.rows}` +
                (v.info.frameCount < ref.rows ? ' (truncated chunk: the missing frames cannot be shown)' : ' (extra frames ignored)'),
            );
        }
        return v;
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
        await this.file(c);
      } catch (e) {
        this.warn(e instanceof FormatError ? e.message : `${this.refs.get(c)!.file.path}: ${(e as Error).message}`);
      }
    }
  }

  async readRow(chunk: number, row: number, signal?: AbortSignal): Promise<Pixels> {
    const v = await this.file(chunk);
    const path = this.refs.get(chunk)!.file.path;
    if (row >= v.info.frameCount)
      throw new FormatError('imgstore', path, `row ${row} of this chunk is past the decodable end of the video (${v.info.frameCount} frames; truncated chunk?)`);
    let f;
    try {
      f = await v.readFrame(row, { pixFmt: 'rgb24', signal });
    } catch (e) {
      if (e instanceof FormatError || (e as Error).name === 'AbortError') throw e;
      throw new FormatError('imgstore', path, `cannot decode frame ${row}: ${(e as Error).message ?? e}`);
    }
    if (f.data.length < f.width * f.height * 3) throw new FormatError('imgstore', path, `decoded frame ${row} is short (${f.data.length} bytes)`);
    return { width: f.width, height: f.height, channels: 3, order: 'rgb', data: f.data };
  }

  close(): void {
    this.closed = true;
    for (const p of this.open.values()) p.then((f) => f.close()).catch(() => undefined);
    this.open.clear();
  }
}
