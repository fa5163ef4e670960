/**
 * Browser-only fast path: H.264 in MP4/MOV or Matroska decoded with WebCodecs (VideoDecoder),
 * demuxed with mp4box.js (sample table from `moov`) or ./mkv-index (block headers, avcC from
 * CodecPrivate); sample bytes are read straight from the SourceFile. Random
 * access decodes from the last clean restart point at or before the frame (an IDR picture or an
 * exact recovery point, not shown after the frame: ./h264-restart; a sync flag alone is not
 * trusted). The decoder is kept running between reads (never flushed before the end of the
 * stream, since a flushed decoder needs a key chunk): a frame ahead of it whose restart point it
 * has passed is decoded forward from where it is. Every frame given on the way is kept in the
 * GOP cache (./gop-cache, bounded in bytes, gray as 1 byte/pixel), so stepping back within what
 * was decoded is a cache hit. Output: the stored yuv420p planes (bit-exact with ffmpeg), or rgb24/rgba
 * converted here (BT.601, limited range unless flagged full, nearest chroma: ffmpeg's default for
 * untagged streams; streams tagged BT.709 come out slightly different from ffmpeg's conversion). Any other
 * pixel format, and any decoder failure, goes to the ffmpeg.wasm VideoFile given as `fallback`.
 */
import type { SourceFile } from '../core/types';
import { containerOf } from './magic';
import { canonical, GopFrameCache, toPixFmt, type CachedPlanes } from './gop-cache';
import { AbortError, throwIfAborted, WATCHDOG_MS } from './ffmpeg-loader';
import { DecodeError, FormatError } from '../core/errors';
import { SpareBuffers } from '../core/spare-buffers';
import { readVideoTrack, type Mp4VideoTrack } from './mp4-index';
import { readMkvVideoIndex } from './mkv-index';
import { avcLengthSize, H264RestartPoints } from './h264-restart';
import { rawFrameBytes } from './raw-frames';
import type { DecodedVideoFrame, NearbyVideoFrame, VideoFile, VideoInfo } from './types';

export interface WebCodecsStats {
  decoder: 'webcodecs' | 'ffmpeg';
  execs: number;
  fallbacks: number;
  cacheHits: number;
  cacheBytes: number;
  /** decoders started at a restart point */
  restarts: number;
  /** frames reached by feeding the running decoder on (same GOP, ahead of it) */
  continued: number;
  /** frames copied out of the decoder into the cache */
  decoded: number;
  /** samples fed one by one because the decoder held the wanted frame back longer than the stream's reorder depth */
  topUps: number;
  /** keyframes decoded alone for a scrubbing preview (readNearby) */
  previewKeys: number;
  /** frames decoded in the background after a paused frame (warm) */
  warmed: number;
  /** why the file went over to the ffmpeg.wasm fallback, if it did */
  fallbackReason?: string;
}

const OUTPUTS = new Set(['yuv420p', 'rgb24', 'rgba']);
const MAX_SPAN_READ = 64 << 20;
/**
 * default byte bound of the decoded-frame cache, per open file (imgstore keeps three chunks open):
 * 145 colour or 218 gray 640×480 frames, 42 colour 1-MP frames
 */
const DEFAULT_CACHE_BYTES = 64 << 20;
/** frames kept before the target of a jump (a step back keeps the whole way from the restart point) */
const KEEP_BEHIND = 32;
/** planes buffers kept for reuse */
const SPARE_BUFFERS = 16;
/** samples fed beyond the wanted frame when stepping forward (decoded while the caller works) */
const STEP_AHEAD = 8;
/** a decoder idle this long while holding the wanted frame back gets one more sample */
const IDLE_MS = 10;
/** frames decoded after a paused frame in the background (fewer when half the cache holds fewer) */
const WARM_AHEAD = 48;
/** frames decoded per background step (a read waits for at most the step under way, which it aborts) */
const WARM_STEP = 4;

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
  const yuvBytes = rawFrameBytes('yuv420p', W, H) as number;
  // planes buffers of evicted colour frames and of gray frames (whose luma is copied out) are used
  // again: allocating a fresh 1.5 bytes/pixel array per decoded frame costs more than decoding it
  const spare = new SpareBuffers(SPARE_BUFFERS);
  const give = (b: Uint8Array) => {
    if (b.length === yuvBytes) spare.give(b);
  };
  const cache = new GopFrameCache(opts.cacheBytes ?? DEFAULT_CACHE_BYTES, (c) => give(c.data));
  const stats: WebCodecsStats = {
    decoder: 'webcodecs',
    execs: 0,
    fallbacks: 0,
    cacheHits: 0,
    cacheBytes: 0,
    restarts: 0,
    continued: 0,
    decoded: 0,
    topUps: 0,
    previewKeys: 0,
    warmed: 0,
  };
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
  const n = samples.length;
  // needBy[p]: the last sample (decode order) among display positions 0..p — all of them are fed
  // before frame p can come out of a decoder that outputs in display order
  const needBy = new Int32Array(n);
  for (let p = 0, mx = 0; p < n; p++) needBy[p] = mx = Math.max(mx, display[p]);
  // reorder depth of the stream: most samples decoded before a picture and shown after it
  let reorder = 0;
  for (let k = 0; k < n; k++) {
    let c = 0;
    for (let j = Math.max(0, k - 64); j < k; j++) if (displayOf[j] > displayOf[k]) c++;
    if (c > reorder) reorder = c;
  }
  const rect = { x: 0, y: 0, width: W, height: H };
  let sess: Session | null = null;

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

  /** A decoder configured to start at restart point `start` (decode order); nothing fed yet. */
  function openSession(start: number): Session {
    const s: Session = {
      decoder: null as unknown as VideoDecoder,
      start,
      startCts: samples[start].cts,
      fed: start - 1,
      emitted: new Set(),
      failure: null,
      lastActivity: performance.now(),
      pending: new Map(),
      wake: null,
      ended: false,
      want: -1,
      keepFrom: 0,
      got: null,
    };
    const wake = () => s.wake?.();
    s.decoder = new VideoDecoder({
      output: (frame) => {
        s.lastActivity = performance.now();
        const i = byTs.get(frame.timestamp);
        // leading pictures of an open-GOP restart point (shown before it) refer to pictures this
        // decoder never saw: not what sequential decoding gives, never kept
        const leading = i !== undefined && s.start > 0 && samples[display[i]].cts < s.startCts;
        // frames far behind a jump target are not copied out (copying every frame of a long GOP
        // costs more than decoding it); a step back keeps them all
        const skip = i !== undefined && i !== s.want && (i < s.keepFrom || cache.has(i));
        if (i === undefined || leading || s.emitted.has(i) || skip) {
          if (i !== undefined && !leading) s.emitted.add(i);
          frame.close();
          wake();
          return;
        }
        s.emitted.add(i);
        if (frame.format !== 'I420') {
          s.failure = new DecodeError(`WebCodecs gave ${frame.format} frames`);
          frame.close();
          wake();
          return;
        }
        const full = frame.colorSpace?.fullRange === true;
        const planes = spare.take(yuvBytes);
        const p: Promise<void> = frame
          .copyTo(planes, { rect })
          .then(
            () => {
              const c = canonical(planes, W, H, full);
              if (c.data !== planes) give(planes);
              stats.decoded++;
              if (i === s.want) s.got = c;
              if (!closed) cache.set(i, c);
              stats.cacheBytes = cache.bytes;
            },
            (e) => {
              s.failure = e;
            },
          )
          .finally(() => {
            frame.close();
            s.pending.delete(i);
            s.lastActivity = performance.now();
            wake();
          });
        s.pending.set(i, p);
      },
      error: (e) => {
        s.failure = e;
        wake();
      },
    });
    s.decoder.addEventListener?.('dequeue', () => {
      s.lastActivity = performance.now();
    });
    s.decoder.configure(config);
    stats.restarts++;
    return s;
  }

  function endSession(s: Session | null): void {
    if (!s) return;
    if (s.decoder.state !== 'closed') s.decoder.close();
    if (sess === s) sess = null;
  }

  /** Feed samples s.fed+1..to (decode order); only the restart point is a key chunk. */
  async function feed(s: Session, to: number): Promise<void> {
    if (to <= s.fed) return;
    const from = s.fed + 1;
    const chunks = await sampleBytes(from, to);
    if (s.decoder.state !== 'configured') throw s.failure ?? new DecodeError('the WebCodecs decoder was closed');
    for (let k = from; k <= to; k++) {
      // leading pictures of an open-GOP restart point refer to pictures before it, which this
      // decoder never saw (Chromium's decoder fails on them): not fed. Later pictures do not
      // refer to them (an exact recovery point).
      if (s.start > 0 && k > s.start && samples[k].cts < s.startCts) continue;
      s.decoder.decode(
        new EncodedVideoChunk({
          // other sync-flagged samples need not be clean restart points: delta chunks
          type: k === s.start ? 'key' : 'delta',
          timestamp: tsUs(k),
          duration: Math.round((samples[k].duration / tr.timescale) * 1e6),
          data: chunks[k - from],
        }),
      );
    }
    s.fed = to;
    s.lastActivity = performance.now();
  }

  function waitEvent(s: Session, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        s.wake = null;
        resolve();
      }, ms);
      s.wake = () => {
        clearTimeout(t);
        s.wake = null;
        resolve();
      };
    });
  }

  /**
   * Frame `index` (display order) in the cache's form. A hit returns at once; a frame ahead of the
   * running decoder (whose restart point the decoder has already passed) is decoded forward from
   * where it is; anything else starts a decoder at the frame's clean restart point. Every frame the
   * decoder gives on the way is kept in the cache; `ahead` more samples are fed for stepping.
   */
  async function ensure(index: number, ahead: number, keepFrom: number, signal?: AbortSignal): Promise<CachedPlanes> {
    const hit = cache.get(index);
    if (hit) return hit;
    // given by the running decoder a moment ago, still being copied out
    const copying = sess?.pending.get(index);
    if (copying) {
      await copying;
      const c = cache.get(index);
      if (c) return c;
    }
    const t = display[index];
    const start = await restart.startFor(t);
    throwIfAborted(signal);
    let s = sess;
    const reach =
      s &&
      !s.ended &&
      !s.failure &&
      s.decoder.state === 'configured' &&
      t >= s.start &&
      start <= s.fed + 1 &&
      (s.start === 0 || samples[t].cts >= s.startCts) &&
      !s.emitted.has(index);
    if (s && reach) stats.continued++;
    else {
      endSession(s);
      s = sess = openSession(start);
    }
    stats.execs++;
    s.want = index;
    s.keepFrom = keepFrom;
    s.got = null;
    const onAbort = () => s.wake?.();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // up to what frame `index` needs out of a display-order decoder, plus `ahead` for stepping (a
      // decoder already past that is not fed: it does not run away from the reader)
      await feed(s, Math.min(n - 1, needBy[index] + reorder + ahead));
      for (;;) {
        if (s.got) return s.got;
        if (s.failure) throw s.failure;
        if (signal?.aborted) throw new AbortError();
        const now = performance.now();
        if (now - s.lastActivity > watchdogMs) {
          endSession(s);
          throw new DecodeError(`WebCodecs gave no frame for ${watchdogMs / 1000} s: the decoder was closed`);
        }
        if (s.pending.size === 0 && s.decoder.decodeQueueSize === 0 && now - s.lastActivity >= IDLE_MS) {
          // the decoder holds the frame back for pictures after it: one more sample, or the end
          if (s.fed < n - 1) {
            stats.topUps++;
            await feed(s, s.fed + 1);
            continue;
          }
          if (!s.ended) {
            s.ended = true; // after flush() the next chunk would have to be a key chunk
            await flushWithin(s);
            continue;
          }
          throw new DecodeError(`WebCodecs gave no frame ${index}`);
        }
        await waitEvent(s, IDLE_MS);
      }
    } finally {
      s.want = -1;
      s.got = null;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async function flushWithin(s: Session): Promise<void> {
    let dog: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        s.decoder.flush(),
        new Promise<never>((_, reject) => {
          dog = setTimeout(() => reject(new DecodeError(`WebCodecs gave no frame for ${watchdogMs / 1000} s: the decoder was closed`)), watchdogMs);
        }),
      ]);
    } catch (e) {
      endSession(s);
      throw s.failure ?? e;
    } finally {
      clearTimeout(dog);
    }
  }

  // Scrubbing previews: a second decoder that only ever gets one key chunk and a flush, so it
  // never waits for (or disturbs) the running decoder's work on a GOP.
  let preview: { decoder: VideoDecoder; want: number; got: ((f: VideoFrame) => void) | null; failure: unknown } | null = null;
  let previewQueue: Promise<unknown> = Promise.resolve();
  function previewDecoder(): NonNullable<typeof preview> {
    if (preview && preview.decoder.state === 'configured') return preview;
    const p: NonNullable<typeof preview> = { decoder: null as unknown as VideoDecoder, want: -1, got: null, failure: null };
    p.decoder = new VideoDecoder({
      output: (frame) => {
        if (frame.timestamp === p.want && p.got) p.got(frame);
        else frame.close();
      },
      error: (e) => {
        p.failure = e;
      },
    });
    p.decoder.configure(config);
    preview = p;
    return p;
  }

  /** Display frame `i`, a clean restart picture, decoded alone into the cache; null if that failed. */
  async function keyAlone(i: number, signal?: AbortSignal): Promise<CachedPlanes | null> {
    const run = previewQueue.then(async (): Promise<CachedPlanes | null> => {
      const had = cache.get(i);
      if (had || closed || signal?.aborted) return had ?? null;
      const k = display[i];
      const [data] = await sampleBytes(k, k);
      if (closed || signal?.aborted) return null;
      const p = previewDecoder();
      p.want = tsUs(k);
      let frame: VideoFrame | null = null;
      p.got = (f) => {
        frame = f;
      };
      p.decoder.decode(new EncodedVideoChunk({ type: 'key', timestamp: tsUs(k), data }));
      let dog: ReturnType<typeof setTimeout> | undefined;
      try {
        // every output comes before flush() resolves: no frame by then means none
        await Promise.race([
          p.decoder.flush(),
          new Promise<never>((_, reject) => {
            dog = setTimeout(() => reject(new DecodeError('the preview decoder gave no frame')), watchdogMs);
          }),
        ]);
      } finally {
        clearTimeout(dog);
        p.got = null;
      }
      const f = frame as VideoFrame | null;
      if (!f) return null;
      try {
        if (f.format !== 'I420') return null;
        const planes = spare.take(yuvBytes);
        await f.copyTo(planes, { rect });
        const c = canonical(planes, W, H, f.colorSpace?.fullRange === true);
        if (c.data !== planes) give(planes);
        stats.previewKeys++;
        if (!closed) cache.set(i, c);
        return c;
      } finally {
        f.close();
      }
    });
    previewQueue = run.catch(() => undefined);
    try {
      return await run;
    } catch {
      if (preview && preview.decoder.state !== 'closed') preview.decoder.close();
      preview = null;
      return null;
    }
  }

  // reads waiting for the decoder, and the background step under way (a read aborts it)
  let reading = 0;
  let warmStep: AbortController | null = null;

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
      let c = cache.get(index);
      if (c) stats.cacheHits++;
      else {
        const ahead = index === last + 1 || index === last ? STEP_AHEAD : 0;
        // stepping back: keep every frame on the way (the next steps back are cache hits); a jump
        // keeps KEEP_BEHIND frames before the target
        const keepFrom = index < last && index >= last - 2 ? 0 : index - KEEP_BEHIND;
        reading++;
        warmStep?.abort();
        try {
          c = await exclusive(() => ensure(index, ahead, keepFrom, o.signal));
        } catch (e) {
          if (e instanceof AbortError || o.signal?.aborted) throw new AbortError();
          broken = true;
          stats.fallbackReason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
          endSession(sess);
          stats.fallbacks++;
          return (await fallback()).readFrame(index, o);
        } finally {
          reading--;
        }
      }
      last = index;
      return { width: W, height: H, pixFmt, data: toPixFmt(c, pixFmt, W, H) };
    },
    async readNearby(index: number, o: { pixFmt?: string; signal?: AbortSignal } = {}): Promise<NearbyVideoFrame | null> {
      const pixFmt = o.pixFmt ?? info.pixFmt;
      if (closed || broken || !OUTPUTS.has(pixFmt) || !Number.isInteger(index) || index < 0 || index >= info.frameCount) return null;
      const out = (i: number, c: CachedPlanes): NearbyVideoFrame => ({ index: i, frame: { width: W, height: H, pixFmt, data: toPixFmt(c, pixFmt, W, H) } });
      const hit = cache.get(index);
      if (hit) return out(index, hit);
      let key: number;
      try {
        key = displayOf[await restart.startFor(display[index])];
      } catch {
        return null;
      }
      if (o.signal?.aborted) return null;
      // a frame already decoded no farther away than the GOP's keyframe, else that keyframe alone
      const near = cache.nearest(index, Math.max(0, index - key));
      if (near >= 0) return out(near, cache.get(near)!);
      const c = await keyAlone(key, o.signal);
      return c ? out(key, c) : null;
    },
    async warm(index: number, o: { signal?: AbortSignal } = {}): Promise<void> {
      const ahead = Math.max(WARM_STEP, Math.min(WARM_AHEAD, Math.floor((opts.cacheBytes ?? DEFAULT_CACHE_BYTES) / 2 / yuvBytes)));
      const end = Math.min(n - 1, index + ahead);
      for (let j = index + 1; j <= end; j += WARM_STEP) {
        if (closed || broken || o.signal?.aborted || reading > 0) return;
        const to = Math.min(end, j + WARM_STEP - 1);
        let missing = false;
        for (let k = j; k <= to && !missing; k++) missing = !cache.has(k);
        if (!missing) continue;
        const ctl = new AbortController();
        const stop = () => ctl.abort();
        o.signal?.addEventListener('abort', stop, { once: true });
        warmStep = ctl;
        const before = stats.decoded;
        try {
          await exclusive(() => (reading > 0 || ctl.signal.aborted ? Promise.resolve(null) : ensure(to, 0, index, ctl.signal)));
        } catch {
          return; // aborted by a read, or failed: the read reports failures
        } finally {
          o.signal?.removeEventListener('abort', stop);
          if (warmStep === ctl) warmStep = null;
          stats.warmed += stats.decoded - before;
        }
      }
    },
    close() {
      if (closed) return;
      closed = true;
      endSession(sess);
      warmStep?.abort();
      if (preview && preview.decoder.state !== 'closed') preview.decoder.close();
      cache.clear();
      void fallbackFile?.then((f) => f.close()).catch(() => undefined);
    },
  };
  // Validate on the first frame: the decoder must produce I420 of the expected size.
  try {
    await exclusive(() => ensure(0, 0, 0));
  } catch {
    endSession(sess);
    return null;
  }
  return vf;
}

/** One running VideoDecoder: started at a clean restart point and fed forward from there. */
interface Session {
  decoder: VideoDecoder;
  /** restart point (decode order) and its composition time */
  start: number;
  startCts: number;
  /** last sample fed (decode order) */
  fed: number;
  /** display indices the decoder has given (kept or not) */
  emitted: Set<number>;
  failure: unknown;
  /** last output, dequeue or feed (performance.now()) */
  lastActivity: number;
  /** VideoFrame copies under way, by display index */
  pending: Map<number, Promise<void>>;
  wake: (() => void) | null;
  /** flushed at the end of the stream: it cannot be fed on */
  ended: boolean;
  /** the display index being waited for, and its planes once given */
  want: number;
  /** display indices below this (other than `want`) are not copied out */
  keepFrom: number;
  got: CachedPlanes | null;
}
