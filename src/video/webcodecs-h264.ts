/**
 * Browser-only fast path: H.264 in MP4/MOV or Matroska decoded with WebCodecs (VideoDecoder),
 * demuxed with mp4box.js (sample table from `moov`) or ./mkv-index (block headers, avcC from
 * CodecPrivate); sample bytes are read straight from the SourceFile. Random
 * access decodes from the last clean restart point at or before the frame (an IDR picture or an
 * exact recovery point, not shown after the frame: ./h264-restart; a sync flag alone is not
 * trusted); a batch of following frames comes from the same pass. Output: the stored yuv420p planes (bit-exact with ffmpeg), or rgb24/rgba
 * converted here (BT.601, limited range unless flagged full, nearest chroma: ffmpeg's default for
 * untagged streams; streams tagged BT.709 come out slightly different from ffmpeg's conversion). Any other
 * pixel format, and any decoder failure, goes to the ffmpeg.wasm VideoFile given as `fallback`.
 */
import type { SourceFile } from '../core/types';
import { containerOf } from './magic';
import { ByteLru } from '../core/byte-lru';
import { AbortError, throwIfAborted, WATCHDOG_MS } from './ffmpeg-loader';
import { DecodeError, FormatError } from '../core/errors';
import { readVideoTrack, type Mp4VideoTrack } from './mp4-index';
import { readMkvVideoIndex } from './mkv-index';
import { avcLengthSize, H264RestartPoints } from './h264-restart';
import { rawFrameBytes } from './raw-frames';
import type { DecodedVideoFrame, VideoFile, VideoInfo } from './types';

export interface WebCodecsStats {
  decoder: 'webcodecs' | 'ffmpeg';
  execs: number;
  fallbacks: number;
  cacheHits: number;
  cacheBytes: number;
}

const OUTPUTS = new Set(['yuv420p', 'rgb24', 'rgba']);
const BATCH_BYTES = 24 << 20;
const MAX_BATCH = 16;
const MAX_SPAN_READ = 64 << 20;

/** I420 planes → packed RGB(A). */
function i420ToRgb(src: Uint8Array, w: number, h: number, out: Uint8Array, channels: 3 | 4, bt709: boolean, full: boolean): void {
  const cw = (w + 1) >> 1;
  const ch = (h + 1) >> 1;
  const uOff = w * h;
  const vOff = uOff + cw * ch;
  const [kr, kb] = bt709 ? [0.2126, 0.0722] : [0.299, 0.114];
  const kg = 1 - kr - kb;
  const ys = full ? 1 : 255 / 219;
  const cs = full ? 1 : 255 / 224;
  const crR = 2 * (1 - kr) * cs;
  const cbB = 2 * (1 - kb) * cs;
  const cbG = (-2 * (1 - kb) * kb * cs) / kg;
  const crG = (-2 * (1 - kr) * kr * cs) / kg;
  const y0 = full ? 0 : 16;
  let o = 0;
  for (let y = 0; y < h; y++) {
    const crow = (y >> 1) * cw;
    for (let x = 0; x < w; x++) {
      const Y = (src[y * w + x] - y0) * ys;
      const ci = crow + (x >> 1);
      const U = src[uOff + ci] - 128;
      const V = src[vOff + ci] - 128;
      const r = Y + crR * V;
      const g = Y + cbG * U + crG * V;
      const b = Y + cbB * U;
      out[o] = r < 0 ? 0 : r > 255 ? 255 : Math.round(r);
      out[o + 1] = g < 0 ? 0 : g > 255 ? 255 : Math.round(g);
      out[o + 2] = b < 0 ? 0 : b > 255 ? 255 : Math.round(b);
      if (channels === 4) out[o + 3] = 255;
      o += channels;
    }
  }
}

function convert(frame: VideoFrame, pixFmt: string, w: number, h: number): Promise<Uint8Array> | Uint8Array | null {
  if (frame.format !== 'I420') return null;
  const size = rawFrameBytes('yuv420p', w, h) as number;
  const planes = new Uint8Array(size);
  const rect = { x: 0, y: 0, width: w, height: h };
  return frame.copyTo(planes, { rect }).then(() => {
    if (pixFmt === 'yuv420p') return planes;
    const ch = pixFmt === 'rgba' ? 4 : 3;
    const out = new Uint8Array(w * h * ch);
    // BT.601 as ffmpeg assumes for untagged streams (Chromium reports its own BT.709 guess for
    // those, so its matrix is not used); full range only when the stream says so.
    i420ToRgb(planes, w, h, out, ch, false, frame.colorSpace?.fullRange === true);
    return out;
  });
}

/**
 * The H.264 track of a Matroska file in the shape of the MP4 one: packets, times and key flags from
 * the block headers (./mkv-index), the avcC decoder description from CodecPrivate. Null when the
 * track is not AVC, has no avcC, or the file was cut short (the ffmpeg path reports that).
 */
export async function readMkvH264Track(file: SourceFile): Promise<Mp4VideoTrack | null> {
  const m = await readMkvVideoIndex(file, { format: 'video' });
  if (m?.codecId !== 'V_MPEG4/ISO/AVC' || m.truncated || !m.pts.length) return null;
  const avcC = m.codecPrivate;
  if (!avcC || avcC.length < 7 || avcC[0] !== 1) return null;
  const hex = (x: number) => x.toString(16).padStart(2, '0');
  const [num, den] = m.timeBase;
  const timescale = den / num;
  const tick = m.defaultDuration ? m.defaultDuration / m.timestampScale : 0;
  const samples = m.pts.map((pts, k) => ({ offset: m.offsets[k], size: m.sizes[k], cts: pts, dts: pts, duration: tick, sync: m.keys[k] }));
  return {
    codec: `avc1.${hex(avcC[1])}${hex(avcC[2])}${hex(avcC[3])}`,
    width: m.width,
    height: m.height,
    timescale,
    samples,
    shiftTicks: 0,
    delay: 0,
    description: avcC,
    brands: { major: '', compatible: [] },
    tags: {},
    durationSeconds: m.durationSeconds,
  };
}

/**
 * Open H.264 in MP4/MOV or Matroska with WebCodecs; null when that path does not apply (the caller
 * uses ffmpeg.wasm).
 */
export async function openWebCodecsH264(
  file: SourceFile,
  opts: { cacheBytes?: number; fallback: () => Promise<VideoFile>; watchdogMs?: number },
): Promise<(VideoFile & { stats: WebCodecsStats }) | null> {
  const watchdogMs = opts.watchdogMs ?? WATCHDOG_MS;
  if (typeof VideoDecoder === 'undefined' || typeof EncodedVideoChunk === 'undefined') return null;
  const kind = file.size < 16 ? null : containerOf(await file.read(0, 64));
  if (kind !== 'isobmff' && kind !== 'matroska') return null;
  let track: Mp4VideoTrack | null;
  try {
    track = kind === 'isobmff' ? await readVideoTrack(file) : await readMkvH264Track(file);
  } catch {
    return null;
  }
  if (!track || !/^avc[13]\./.test(track.codec) || !track.description || !(track.width > 0 && track.height > 0)) return null;
  const config: VideoDecoderConfig = {
    codec: track.codec,
    codedWidth: track.width,
    codedHeight: track.height,
    description: track.description,
    optimizeForLatency: true,
  };
  try {
    if (!(await VideoDecoder.isConfigSupported(config)).supported) return null;
  } catch {
    return null;
  }
  const tr = track;
  const W = tr.width;
  const H = tr.height;
  const samples = tr.samples;
  // display order
  const display = samples.map((_, k) => k).sort((a, b) => samples[a].cts - samples[b].cts || a - b);
  const displayOf = new Int32Array(samples.length);
  display.forEach((k, i) => (displayOf[k] = i));
  const tsUs = (k: number) => Math.round((samples[k].cts / tr.timescale) * 1e6);
  const byTs = new Map<number, number>();
  samples.forEach((_, k) => byTs.set(tsUs(k), displayOf[k]));
  const times = display.map((k) => (samples[k].cts - tr.shiftTicks) / tr.timescale + tr.delay);
  const dur = tr.durationSeconds ?? (times.length > 1 ? times[times.length - 1] - times[0] : null);

  const info: VideoInfo = {
    codec: 'h264',
    width: W,
    height: H,
    pixFmt: 'yuv420p',
    frameCount: samples.length,
    fps: dur && dur > 0 ? samples.length / dur : null,
    times,
    tags: { ...(tr.brands.major ? { major_brand: tr.brands.major, compatible_brands: tr.brands.compatible.join('') } : {}), ...tr.tags },
    streamTags: {},
    durationSeconds: dur,
    declaredFrameCount: samples.length,
  };
  const cache = new ByteLru<string, Uint8Array>(opts.cacheBytes ?? 64 << 20);
  const stats: WebCodecsStats = { decoder: 'webcodecs', execs: 0, fallbacks: 0, cacheHits: 0, cacheBytes: 0 };
  let fallbackFile: Promise<VideoFile> | null = null;
  let broken = false;
  let closed = false;
  let last = -2;
  let queue: Promise<unknown> = Promise.resolve();
  const fallback = () => (fallbackFile ??= opts.fallback());
  const restart = new H264RestartPoints(
    samples,
    (k, max) => file.read(samples[k].offset, samples[k].offset + Math.min(samples[k].size, max)),
    avcLengthSize(tr.description),
  );

  async function sampleBytes(from: number, to: number): Promise<Uint8Array[]> {
    let lo = Infinity;
    let hi = 0;
    for (let k = from; k <= to; k++) {
      lo = Math.min(lo, samples[k].offset);
      hi = Math.max(hi, samples[k].offset + samples[k].size);
    }
    if (hi - lo <= MAX_SPAN_READ) {
      const span = await file.read(lo, hi);
      const out: Uint8Array[] = [];
      for (let k = from; k <= to; k++) out.push(span.subarray(samples[k].offset - lo, samples[k].offset - lo + samples[k].size));
      return out;
    }
    const out: Uint8Array[] = [];
    for (let k = from; k <= to; k++) out.push(await file.read(samples[k].offset, samples[k].offset + samples[k].size));
    return out;
  }

  /** Decode display frames index..index+count-1 into the cache (as `pixFmt`); resolves with frame `index`. */
  async function decodeBatch(index: number, count: number, pixFmt: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    const end = Math.min(samples.length - 1, index + count - 1);
    const target = display[index];
    // the last clean restart point (decode order) at or before the frame's sample, not presented after it
    const start = await restart.startFor(target);
    let first: Uint8Array | undefined;
    let stop = target;
    for (let i = index; i <= end; i++) stop = Math.max(stop, display[i]);
    const chunks = await sampleBytes(start, stop);
    throwIfAborted(signal);
    const pending: Promise<void>[] = [];
    let failure: unknown = null;
    let lastOutput = performance.now();
    const decoder = new VideoDecoder({
      output: (frame) => {
        lastOutput = performance.now();
        const i = byTs.get(frame.timestamp);
        if (i === undefined || i < index || i > end || cache.has(`${pixFmt}:${i}`)) {
          frame.close();
          return;
        }
        const c = convert(frame, pixFmt, W, H);
        if (c === null) {
          failure = new Error(`WebCodecs gave ${frame.format} frames`);
          frame.close();
          return;
        }
        pending.push(
          Promise.resolve(c).then(
            (data) => {
              frame.close();
              if (i === index) first = data;
              cache.set(`${pixFmt}:${i}`, data);
            },
            (e) => {
              frame.close();
              failure = e;
            },
          ),
        );
      },
      error: (e) => {
        failure = e;
      },
    });
    const onAbort = () => {
      if (decoder.state !== 'closed') decoder.close();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      decoder.configure(config);
      for (let k = start; k <= stop; k++) {
        const s = samples[k];
        decoder.decode(
          new EncodedVideoChunk({
            // only the restart point is a key chunk: other sync-flagged samples need not be clean
            type: k === start ? 'key' : 'delta',
            timestamp: tsUs(k),
            duration: Math.round((s.duration / tr.timescale) * 1e6),
            data: chunks[k - start],
          }),
        );
      }
      // watchdog: a decoder that gives no frame for `watchdogMs` is closed (a fresh one is made per batch)
      let dog: ReturnType<typeof setInterval> | undefined;
      const hung = new Promise<never>((_, reject) => {
        dog = setInterval(
          () => {
            if (performance.now() - lastOutput < watchdogMs) return;
            reject(new DecodeError(`WebCodecs gave no frame for ${watchdogMs / 1000} s: the decoder was closed`));
            if (decoder.state !== 'closed') decoder.close();
          },
          Math.max(1, Math.min(1000, watchdogMs / 4)),
        );
      });
      try {
        await Promise.race([decoder.flush(), hung]);
      } finally {
        clearInterval(dog);
      }
      await Promise.all(pending);
    } catch (e) {
      if (signal?.aborted) throw new AbortError();
      throw e instanceof DecodeError ? e : (failure ?? e);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (decoder.state !== 'closed') decoder.close();
    }
    if (failure) throw failure;
    stats.execs++;
    stats.cacheBytes = cache.byteSize;
    return first;
  }

  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  }

  const vf: VideoFile & { stats: WebCodecsStats } = {
    info,
    stats,
    async readFrame(index: number, o: { pixFmt?: string; signal?: AbortSignal } = {}): Promise<DecodedVideoFrame> {
      if (closed) throw new FormatError('video', file.path, 'video file closed');
      if (!Number.isInteger(index) || index < 0 || index >= info.frameCount)
        throw new RangeError(`${file.path}: frame ${index} out of range 0..${info.frameCount - 1}`);
      const pixFmt = o.pixFmt ?? info.pixFmt;
      throwIfAborted(o.signal);
      if (broken || !OUTPUTS.has(pixFmt)) {
        stats.fallbacks++;
        return (await fallback()).readFrame(index, o);
      }
      const key = `${pixFmt}:${index}`;
      let data = cache.get(key);
      if (data) stats.cacheHits++;
      else {
        const fb = rawFrameBytes(pixFmt, W, H) as number;
        const maxBatch = Math.max(1, Math.min(MAX_BATCH, Math.floor(BATCH_BYTES / fb)));
        const count = index === last + 1 || index === last ? maxBatch : Math.min(4, maxBatch);
        try {
          data = await exclusive(async () => cache.get(key) ?? (await decodeBatch(index, count, pixFmt, o.signal)));
        } catch (e) {
          if (e instanceof AbortError || o.signal?.aborted) throw new AbortError();
          broken = true;
          stats.fallbacks++;
          return (await fallback()).readFrame(index, o);
        }
        if (!data) {
          stats.fallbacks++;
          return (await fallback()).readFrame(index, o);
        }
      }
      last = index;
      return { width: W, height: H, pixFmt, data };
    },
    close() {
      if (closed) return;
      closed = true;
      cache.clear();
      void fallbackFile?.then((f) => f.close()).catch(() => undefined);
    },
  };
  // Validate on the first frame: the decoder must produce I420 of the expected size.
  try {
    if (!(await exclusive(() => decodeBatch(0, 1, 'yuv420p')))) return null;
  } catch {
    return null;
  }
  return vf;
}
