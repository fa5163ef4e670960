/**
 * Browser-only fast path: MJPEG in AVI decoded by the browser's own JPEG decoder
 * (createImageBitmap on a Blob slice of the frame's chunk, located with ./avi-index): no ffmpeg exec,
 * one small read per frame, every frame independent. Output rgb24/rgba; any other pixel format goes
 * to the ffmpeg.wasm VideoFile given as `fallback`. 4:2:0 JPEGs go through ImageDecoder (the
 * decoder's I420 planes, converted here with nearest chroma like ffmpeg's swscale: mean difference
 * from ffmpeg.wasm ~0.35 levels, at most 3); other layouts through createImageBitmap (libjpeg's
 * smooth upsampling, as OpenCV: ~1.8 levels from ffmpeg on average, up to ~90 at sharp colour
 * edges). e2e/video.spec.ts asserts mean < 2.5.
 */
import { FormatError } from '../core/errors';
import type { SourceFile } from '../core/types';
import { readAviVideoIndex } from './avi-index';
import { throwIfAborted } from './ffmpeg-loader';
import type { DecodedVideoFrame, VideoFile, VideoInfo } from './types';

const MJPEG_FOURCCS = new Set(['MJPG', 'mjpg', 'AVRn', 'dmb1', 'JPEG', 'jpeg']);

/** ffmpeg's name for a baseline JPEG's layout, from the SOF marker of the first frame. */
function jpegPixFmt(b: Uint8Array): string {
  for (let i = 2; i + 10 < b.length; ) {
    if (b[i] !== 0xff) return 'yuvj420p';
    const m = b[i + 1];
    const len = (b[i + 2] << 8) | b[i + 3];
    if (m >= 0xc0 && m <= 0xc3) {
      const comps = b[i + 9];
      if (comps === 1) return 'gray';
      const hv = b[i + 11];
      const h = hv >> 4;
      const v = hv & 15;
      return h === 2 && v === 2 ? 'yuvj420p' : h === 2 && v === 1 ? 'yuvj422p' : h === 1 && v === 1 ? 'yuvj444p' : 'yuvj420p';
    }
    i += 2 + len;
  }
  return 'yuvj420p';
}

export interface BrowserMjpegStats {
  decoder: 'browser-jpeg';
  execs: number;
  fallbacks: number;
  cacheHits: number;
  cacheBytes: number;
}

/** Open MJPEG-in-AVI for the browser's JPEG decoder; null when that path does not apply. */
export async function openBrowserMjpeg(
  file: SourceFile,
  opts: { format?: string; fallback: () => Promise<VideoFile> },
): Promise<(VideoFile & { stats: BrowserMjpegStats }) | null> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return null;
  const { decodeImageInBrowser } = await import('../codecs/image-browser');
  const a = await readAviVideoIndex(file, { format: opts.format ?? 'video' }).catch(() => null);
  if (!a || a.truncated || !a.offsets.length || !MJPEG_FOURCCS.has(a.fourcc) || !(a.width > 0 && a.height > 0)) return null;
  const head = await file.read(a.offsets[0], a.offsets[0] + Math.min(a.sizes[0], 64 << 10));
  if (!(head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)) return null;
  const [num, den] = a.timeBase;
  const times = [...a.pts].sort((x, y) => x - y).map((p) => (p * num) / den);
  const n = a.offsets.length;
  const dur = times.length > 1 ? times[n - 1] - times[0] + num / den : null;
  const info: VideoInfo = {
    codec: 'mjpeg',
    width: a.width,
    height: Math.abs(a.height),
    pixFmt: jpegPixFmt(head),
    frameCount: n,
    fps: den / num,
    times,
    tags: {},
    streamTags: {},
    durationSeconds: dur,
    declaredFrameCount: a.declaredLength > 0 ? a.declaredLength - a.drops : null,
  };
  const stats: BrowserMjpegStats = { decoder: 'browser-jpeg', execs: 0, fallbacks: 0, cacheHits: 0, cacheBytes: 0 };
  let fallbackFile: Promise<VideoFile> | null = null;
  let closed = false;
  const format = opts.format ?? 'video';
  // display order = file order for MJPEG (every frame a keyframe, pts ascending)
  const order = a.pts.map((_, k) => k).sort((x, y) => a.pts[x] - a.pts[y] || x - y);

  return {
    info,
    stats,
    async readFrame(index: number, o: { pixFmt?: string; signal?: AbortSignal } = {}): Promise<DecodedVideoFrame> {
      if (closed) throw new FormatError(format, file.path, 'video file closed');
      if (!Number.isInteger(index) || index < 0 || index >= n) throw new RangeError(`${file.path}: frame ${index} out of range 0..${n - 1}`);
      const pixFmt = o.pixFmt ?? info.pixFmt;
      throwIfAborted(o.signal);
      if (pixFmt !== 'rgb24' && pixFmt !== 'rgba') {
        stats.fallbacks++;
        return (await (fallbackFile ??= opts.fallback())).readFrame(index, o);
      }
      const k = order[index];
      const off = a.offsets[k];
      const end = off + a.sizes[k];
      const bytes = file.blob ? file.blob.slice(off, end, 'image/jpeg') : await file.read(off, end);
      let r;
      try {
        r = await decodeImageInBrowser(bytes, file.path, { mime: 'image/jpeg', keepAlpha: pixFmt === 'rgba' });
      } catch (e) {
        throw new FormatError(format, file.path, `frame ${index}: ${e instanceof FormatError ? e.reason : String((e as Error)?.message ?? e)}`, off);
      }
      throwIfAborted(o.signal);
      stats.execs++;
      if (r.width !== info.width || r.height !== info.height)
        throw new FormatError(format, file.path, `frame ${index} is ${r.width}x${r.height}, the stream header says ${info.width}x${info.height}`, off);
      return { width: r.width, height: r.height, pixFmt, data: r.data as Uint8Array };
    },
    close() {
      closed = true;
      void fallbackFile?.then((f) => f.close()).catch(() => undefined);
    },
  };
}
