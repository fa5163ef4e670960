/**
 * Browser-only video pipeline (page or module worker): ffmpeg.wasm (single-thread core from our own
 * origin) for probing, random-access decoding and encoding, plus WebCodecs for H.264 in MP4 and MKV where
 * the browser has it. Implements the contract of ./types.
 */
import { asError, DecodeError as CoreDecodeError, describeThrown, FormatError, ProbeError as CoreProbeError } from '../core/errors';
import { isAbort } from '../core/abort';
import { H264RestartPoints } from './h264-restart';
import type { SourceFile } from '../core/types';
import { decodeFrames, DecodeError } from './decode';
import { ByteLru } from '../core/byte-lru';
import {
  addResource,
  AbortError,
  browserMissing,
  currentInstance,
  type ExecContext,
  type FfmpegLane,
  lane,
  preloadFfmpeg,
  removeResource,
  type Resource,
  runExclusive,
  throwIfAborted,
} from './ffmpeg-loader';
import { RangePool, type RangePoolStats } from './range-pool';
import { indexPackets, probe, ProbeError, type KnownPackets, type ProbeResult } from './probe';
import { rawFrameBytes } from './raw-frames';
import type { DecodedVideoFrame, NearbyVideoFrame, EncodeVideo, OpenVideo, OpenVideoOptions, VideoFile } from './types';
import { encodeWithFfmpeg } from './encode';
import { openWebCodecsH264 } from './webcodecs-h264';
import { openBrowserMjpeg } from './mjpeg-browser';

export type * from './types';
export { preloadFfmpeg, AbortError, browserMissing };

/** Options beyond the contract (optional, for the readers and the bench). */
export interface OpenVideoExtras extends OpenVideoOptions {
  /** byte bound of the decoded-frame cache of this file (default 64 MB) */
  cacheBytes?: number;
  /** 'auto' (WebCodecs for H.264 in MP4 or Matroska when available, else ffmpeg.wasm), or force one */
  decoder?: 'auto' | 'ffmpeg' | 'webcodecs' | 'browser-jpeg';
  /** FFV1 / intra-only files: decode ranges ahead on several ffmpeg.wasm instances (default: on with ≥ 2 cores) */
  parallel?: boolean;
  /** instances for that (default 2 with ≥ 2 cores) */
  lanes?: number;
  /** the format name to put in FormatErrors (default 'video') */
  format?: string;
  /** decode watchdog bound in ms (default WATCHDOG_MS of ./ffmpeg-loader, 20 s; tests use a tiny one) */
  watchdogMs?: number;
  /**
   * readFrame's `data` may be a view of a buffer shared with the frames decoded in the same run
   * (ffmpeg.wasm paths): for a reader that copies what it keeps out of the frame and never posts
   * `data` itself to another thread (a posted view clones its whole buffer). Default: every frame
   * has a buffer of its own.
   */
  sharedFrames?: boolean;
}

/** ffprobe prints nothing while it scans packets: its silence bound is longer than a decode's. */
const PROBE_WATCHDOG_MS = 60_000;

export interface VideoFileStats {
  decoder: 'ffmpeg' | 'webcodecs' | 'browser-jpeg';
  /** decode passes (ffmpeg execs or WebCodecs batches) */
  execs: number;
  fallbacks: number;
  cacheHits: number;
  cacheBytes: number;
  /** the parallel read-ahead (FFV1, intra-only), when used */
  ranges?: RangePoolStats;
}

let mountSeq = 0;
const BATCH_BYTES = 24 << 20;
const MAX_BATCH = 16;
/** sequential reading (playback) gets longer runs per exec */
const MAX_SEQ_BATCH = 48;
/** a file not backed by a Blob is copied into each instance: the parallel path only up to this size */
const PARALLEL_COPY_BYTES = 256 << 20;
/** how far readNearby looks for a decoded frame on either side of the wanted one */
const NEARBY_SEARCH = 64;

/** `p`, or an AbortError as soon as `signal` fires (p itself runs on). */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new AbortError());
  return new Promise<T>((resolve, reject) => {
    const on = () => reject(new AbortError());
    signal.addEventListener('abort', on, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', on));
  });
}

function safeName(path: string): string {
  const base = path.split('/').pop() || 'input';
  return base.replace(/[^A-Za-z0-9._-]/g, '_').slice(-80) || 'input';
}

/**
 * Any failure of the video layer as a FormatError naming the file (and the frame, when given);
 * AbortErrors pass through. ffmpeg.wasm rejects with non-Error values: they get words here.
 */
export function videoError(format: string, path: string, frame: number | null, e: unknown): Error {
  if (isAbort(e)) return asError(e);
  if (e instanceof FormatError) return e;
  const what = frame === null ? '' : `frame ${frame}: `;
  if (e instanceof CoreProbeError || e instanceof CoreDecodeError) return new FormatError(format, path, `${what}${e.message}`);
  if (e instanceof RangeError) return e;
  const m = e instanceof Error ? `${e.name === 'Error' ? '' : e.name + ': '}${e.message}` : describeThrown(e);
  return new FormatError(format, path, `${what}${frame === null ? 'ffmpeg.wasm could not read the file' : 'could not be decoded'} (${m})`);
}

/**
 * Clean restart points of an H.264 stream for the ffmpeg path (./h264-restart), from the
 * container index's packet byte ranges; null for other codecs or without an index.
 */
function h264Restarts(file: SourceFile, probed: ProbeResult, known: KnownPackets | null) {
  if (probed.info.codec !== 'h264' || !known?.offsets || !known.sizes) return null;
  const pk = known.packets;
  if (pk.length !== probed.info.frameCount) return null;
  const offsets = known.offsets;
  const sizes = known.sizes;
  const display = pk.map((_, k) => k).sort((a, b) => pk[a].pts - pk[b].pts || a - b);
  const displayOf = new Int32Array(pk.length);
  display.forEach((k, i) => (displayOf[k] = i));
  const points = new H264RestartPoints(
    pk.map((p) => ({ sync: p.key, cts: p.pts })),
    (k, max) => file.read(offsets[k], offsets[k] + Math.min(sizes[k], max)),
    known.nalLengthSize,
  );
  return {
    async startFor(index: number): Promise<{ time: number | null; kind: 'idr' | 'recovery' | 'key' }> {
      const s = await points.startFor(display[index]);
      if (s === 0) return { time: null, kind: 'key' };
      const kind = await points.kind(s);
      return { time: probed.info.times[displayOf[s]], kind: kind === 'recovery' ? 'recovery' : 'idr' };
    },
  };
}

/** ffmpeg.wasm-backed VideoFile. */
async function openWithFfmpeg(file: SourceFile, opts: OpenVideoExtras): Promise<VideoFile & { stats: VideoFileStats; probe: ProbeResult }> {
  const format = opts.format ?? 'video';
  const dir = `/in${++mountSeq}`;
  const name = safeName(file.path);
  let inputPath: string;
  let probed: ProbeResult;
  let resource: Resource | undefined;
  // The frame table from the container's index (MP4/MOV sample table, AVI idx1/OpenDML, Matroska
  // block headers) spares ffprobe reading every packet of a large file.
  const { known, warnings } = await indexPackets(file, format);
  try {
    probed = await runExclusive(
      async ({ ff }) => {
        if (file.blob) {
          resource = { path: dir, name, blob: file.blob };
          inputPath = `${dir}/${name}`;
        } else {
          const bytes = await file.read(0, file.size);
          if (bytes.length !== file.size) throw new ProbeError(`read ${bytes.length} of ${file.size} bytes`);
          inputPath = `${dir}-${name}`;
          resource = { path: inputPath, bytes };
        }
        await addResource(ff, resource);
        return probe(ff, inputPath, known ?? undefined, warnings);
      },
      { watchdogMs: PROBE_WATCHDOG_MS },
    );
  } catch (e) {
    await removeResource(currentInstance(), file.blob ? dir : `${dir}-${name}`).catch(() => undefined);
    throw videoError(format, file.path, null, e);
  }
  const resourcePath = file.blob ? dir : inputPath!;
  const info = probed.info;
  const cache = new ByteLru<string, Uint8Array>(opts.cacheBytes ?? 64 << 20);
  const stats: VideoFileStats = { decoder: 'ffmpeg', execs: 0, fallbacks: 0, cacheHits: 0, cacheBytes: 0 };
  const inflight = new Map<string, Promise<Uint8Array>>();
  const restart = h264Restarts(file, probed, known);
  let last = -2;
  let closed = false;
  const pool = rangePool();
  if (pool) stats.ranges = pool.stats;

  /**
   * FFV1 (each keyframe resets the coder: GOPs are independent) and intra-only files: the wanted
   * frame alone, then the ranges after it in the background on two ffmpeg.wasm instances
   * (./range-pool). Needs a second core and, for a file not backed by a Blob, a second copy in
   * the second instance's memory (so only up to PARALLEL_COPY_BYTES).
   */
  function rangePool(): RangePool | null {
    if (opts.parallel === false || restart || !resource) return null;
    if (!(info.codec === 'ffv1' || probed.intraOnly)) return null;
    const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
    const n = Math.max(1, Math.min(opts.lanes ?? (cores >= 2 ? 2 : 1), 4));
    if (n < 2 || (!resource.blob && file.size > PARALLEL_COPY_BYTES)) return null;
    const fb = rawFrameBytes(info.pixFmt, info.width, info.height) ?? info.width * info.height * 4;
    const keyAt = new Set(probed.keyTimes);
    const keys = info.times.map((t, i) => (keyAt.has(t) || i === 0 ? i : -1)).filter((i) => i >= 0);
    const maxFrames = Math.max(1, Math.min(MAX_SEQ_BATCH, Math.floor(BATCH_BYTES / fb)));
    const cacheFrames = Math.floor((opts.cacheBytes ?? 64 << 20) / fb);
    const lookahead = Math.min(Math.floor(cacheFrames / 2), 2 * n * maxFrames);
    if (lookahead < 2) return null;
    // a range cut by the look-ahead bound may finish its GOP: the cache holds both
    const beyond = Math.max(0, Math.min(maxFrames, cacheFrames - lookahead - 1));
    const lanes = Array.from({ length: n }, (_, k) => lane(k));
    return new RangePool({
      frameCount: info.frameCount,
      keys,
      maxFrames,
      lookahead,
      beyond,
      lanes,
      cached: (i, pixFmt) => cache.has(`${pixFmt}:${i}`),
      decode: decodeOn,
    });
  }

  /** Decode [start, start+count) on lane `l` into the cache; `background` work is dropped if aborted before it starts. */
  async function decodeOn(l: FfmpegLane, start: number, count: number, pixFmt: string, signal: AbortSignal | undefined, background: boolean): Promise<void> {
    await l.run(
      async ({ ff, captureLog }) => {
        if (closed) throw new DecodeError('video file closed');
        if (background && signal?.aborted) throw new AbortError();
        let n = count;
        while (n > 0 && cache.has(`${pixFmt}:${start + n - 1}`)) n--;
        if (n === 0) return;
        const input = await poolInput(l, ff, background);
        const r = await decodeFrames(ff, { path: input, probe: probed, index: start, count: n, pixFmt, captureLog, shared: opts.sharedFrames });
        stats.execs++;
        if (r.fallback) stats.fallbacks++;
        r.frames.forEach((f, k) => cache.set(`${pixFmt}:${start + k}`, f));
        stats.cacheBytes = cache.byteSize;
      },
      { signal: background ? undefined : signal, watchdogMs: opts.watchdogMs },
    );
  }

  /**
   * The input of the pool's decodes on lane `l`: a copy in the instance's memory when the file is
   * small enough (ffmpeg reads a WORKERFS Blob in synchronous slices, which costs a third more per
   * FFV1 frame than reading memory), else the Blob mount. The copy is read from the Blob afresh for
   * each instance and transferred to it, so none stays here.
   */
  const memPath = `${dir}-mem-${name}`;
  /** Blob reads started ahead for the lanes' copies (see warmLanes) */
  const readAhead = new Map<FfmpegLane, Promise<Uint8Array>>();
  const useCopy = !!resource?.blob && file.size <= PARALLEL_COPY_BYTES;
  async function makeCopy(l: FfmpegLane, ff: ExecContext['ff']): Promise<void> {
    if (l.has(memPath)) return;
    const read = readAhead.get(l);
    readAhead.delete(l);
    await l.add(ff, { path: memPath, copyOf: resource!.blob }, read);
  }
  async function poolInput(l: FfmpegLane, ff: ExecContext['ff'], background: boolean): Promise<string> {
    if (useCopy && (l.has(memPath) || background)) {
      await makeCopy(l, ff);
      return memPath;
    }
    // the wanted frame does not wait for a copy: it reads the Blob mount until one is made
    if (!l.has(resource!.path)) await l.add(ff, resource!);
    return inputPath;
  }
  /**
   * After the first frame: every lane's Blob read starts at once (an asynchronous read, off this thread), and the
   * lanes after the first make their copy straight away (queued first, not counted as busy, so the
   * pool's ranges queue behind it); the first lane makes its copy before its first background range.
   */
  function warmLanes(p: RangePool): void {
    if (!useCopy) return;
    p.lanes.forEach((l, k) => {
      if (l.has(memPath)) return;
      // one read per lane, not one read and a copy: each is transferred (emptied), and a second
      // read of the Blob is asynchronous where a copy would hold this thread
      const read = resource!.blob!.arrayBuffer().then((b) => new Uint8Array(b));
      read.catch(() => undefined);
      readAhead.set(l, read);
      if (k > 0) void l.run(async ({ ff }) => void (closed || (await makeCopy(l, ff))), { uncounted: true }).catch(() => undefined);
    });
  }

  /** readFrame's decode through the range pool: join a decode under way, else the frame alone. */
  async function viaPool(p: RangePool, index: number, pixFmt: string, signal?: AbortSignal): Promise<Uint8Array> {
    const key = `${pixFmt}:${index}`;
    for (let attempt = 0; ; attempt++) {
      const hit = cache.get(key);
      if (hit) return hit;
      if (closed) throw new FormatError(format, file.path, 'video file closed');
      const under = p.pending(index, pixFmt);
      try {
        await abortable(under ?? p.foreground(index, pixFmt, signal), signal);
      } catch (e) {
        if (signal?.aborted) throw new AbortError();
        if (isAbort(e) && attempt < 3) continue;
        if (isAbort(e)) throw new AbortError();
        throw videoError(format, file.path, index, e);
      }
      if (!under && !cache.has(key)) throw videoError(format, file.path, index, new DecodeError('the decoded frame did not stay in the cache'));
    }
  }

  async function fill(index: number, pixFmt: string, signal?: AbortSignal): Promise<Uint8Array> {
    const fb = rawFrameBytes(pixFmt, info.width, info.height) ?? info.width * info.height * 4;
    const sequential = index === last + 1 || index === last;
    const maxBatch = Math.max(1, Math.min(sequential ? MAX_SEQ_BATCH : MAX_BATCH, Math.floor(BATCH_BYTES / fb)));
    // Random jumps into intra-only files decode just the frame; stepping or inter-coded files get a
    // batch of following frames from the same exec (they cost little once the decoder runs).
    const count = sequential || !probed.intraOnly ? maxBatch : Math.min(2, maxBatch);
    const start = restart ? await restart.startFor(index) : undefined;
    return runExclusive(
      async ({ ff, captureLog }) => {
        if (closed) throw new DecodeError('video file closed');
        const hit = cache.get(`${pixFmt}:${index}`);
        if (hit) return hit;
        const r = await decodeFrames(ff, { path: inputPath, probe: probed, index, count, pixFmt, captureLog, start, shared: opts.sharedFrames });
        stats.execs++;
        if (r.fallback) stats.fallbacks++;
        r.frames.forEach((f, k) => cache.set(`${pixFmt}:${index + k}`, f));
        stats.cacheBytes = cache.byteSize;
        return r.frames[0];
      },
      { signal, watchdogMs: opts.watchdogMs },
    );
  }

  let warmed = false;
  return {
    info,
    stats,
    probe: probed,
    async readFrame(index: number, o: { pixFmt?: string; signal?: AbortSignal } = {}): Promise<DecodedVideoFrame> {
      if (closed) throw new FormatError(format, file.path, 'video file closed');
      if (!Number.isInteger(index) || index < 0 || index >= info.frameCount)
        throw new RangeError(`${file.path}: frame ${index} out of range 0..${info.frameCount - 1}`);
      const pixFmt = o.pixFmt ?? info.pixFmt;
      const key = `${pixFmt}:${index}`;
      throwIfAborted(o.signal);
      let data = cache.get(key);
      if (data) stats.cacheHits++;
      else if (pool) data = await viaPool(pool, index, pixFmt, o.signal);
      else {
        // a request already under way for this frame is joined; if it was aborted by its own
        // caller, this one starts again
        for (let attempt = 0; !data; attempt++) {
          let p = inflight.get(key);
          const own = !p;
          if (!p) {
            p = fill(index, pixFmt, o.signal);
            inflight.set(key, p);
            const q = p;
            void q.then(
              () => inflight.get(key) === q && inflight.delete(key),
              () => inflight.get(key) === q && inflight.delete(key),
            );
          }
          try {
            data = await p;
          } catch (e) {
            if (o.signal?.aborted) throw new AbortError();
            if (isAbort(e) && !own && attempt < 3) continue;
            if (isAbort(e)) throw new AbortError();
            throw videoError(format, file.path, index, e);
          }
        }
      }
      throwIfAborted(o.signal);
      last = index;
      if (pool && !warmed) {
        // after the first frame, which must not share the cores with the copies
        warmed = true;
        warmLanes(pool);
      }
      pool?.advance(index, pixFmt);
      return { width: info.width, height: info.height, pixFmt, data };
    },
    async readNearby(index: number, o: { pixFmt?: string; signal?: AbortSignal } = {}): Promise<NearbyVideoFrame | null> {
      // what is already decoded near the frame (no exec: any decode here costs a whole run)
      if (closed || !Number.isInteger(index) || index < 0 || index >= info.frameCount) return null;
      const pixFmt = o.pixFmt ?? info.pixFmt;
      for (let d = 0; d <= NEARBY_SEARCH; d++)
        for (const i of d ? [index - d, index + d] : [index]) {
          const data = i >= 0 && i < info.frameCount ? cache.get(`${pixFmt}:${i}`) : undefined;
          if (data) return { index: i, frame: { width: info.width, height: info.height, pixFmt, data } };
        }
      return null;
    },
    close() {
      if (closed) return;
      closed = true;
      pool?.close();
      cache.clear();
      void runExclusive(async ({ ff }) => removeResource(ff, resourcePath)).catch(() => undefined);
      for (let k = 0; k < (pool?.stats.ranges.length ?? 0); k++) {
        const l = lane(k);
        for (const path of [resourcePath, memPath])
          if (l.has(path) && (k > 0 || path !== resourcePath)) void l.run(async ({ ff }) => l.remove(ff, path)).catch(() => undefined);
      }
      readAhead.clear();
    },
  };
}

/** openVideo with the extra options (cache size, decoder choice, format name for errors). */
export async function openVideoFile(file: SourceFile, opts: OpenVideoExtras = {}): Promise<VideoFile & { stats?: VideoFileStats }> {
  const why = browserMissing();
  if (why) throw new FormatError(opts.format ?? 'video', file.path, why);
  void preloadFfmpeg().catch(() => undefined);
  const want = opts.decoder ?? 'auto';
  if (want === 'auto' || want === 'browser-jpeg') {
    // MJPEG in AVI: the browser's JPEG decoder on the indexed chunks (rgb24/rgba; else ffmpeg.wasm)
    const mj = await openBrowserMjpeg(file, { format: opts.format, fallback: () => openWithFfmpeg(file, opts) }).catch(() => null);
    if (mj) return mj;
    if (want === 'browser-jpeg') throw new FormatError(opts.format ?? 'video', file.path, 'not MJPEG in AVI: the browser JPEG path does not apply');
  }
  if (want === 'auto' || want === 'webcodecs') {
    const wc = await openWebCodecsH264(file, {
      cacheBytes: opts.cacheBytes,
      watchdogMs: opts.watchdogMs,
      fallback: () => openWithFfmpeg(file, opts),
    }).catch(() => null);
    if (wc) return wc;
    if (want === 'webcodecs') throw new FormatError(opts.format ?? 'video', file.path, 'WebCodecs cannot decode this file');
  }
  return openWithFfmpeg(file, opts);
}

export const openVideo: OpenVideo = (file, opts) => openVideoFile(file, opts);

export const encodeVideo: EncodeVideo = (job) => encodeWithFfmpeg(job);
