/**
 * Browser-only: decode a run of consecutive frames (display order) to rawvideo with ffmpeg.wasm.
 *
 * Random access: seek (`-ss` before `-i`, no accurate-seek trimming) to a restart point at or before
 * the wanted frame (the caller's choice, e.g. an H.264 IDR or recovery point from ./h264-restart;
 * else the last keyframe), keep the original timestamps (`-copyts`) and let a `select` filter drop
 * the frames before it, so only the wanted frames are converted and copied out.
 *
 * Two `showinfo` filters check the run: the first, after a select that keeps frames from the restart
 * point on, must report the restart point itself first (the demuxer's seek may land on another
 * "keyframe" of its own index, and decoding must have passed through the restart picture for the
 * frames after it to be right); the second reports the first emitted frame, which must be the wanted
 * one. Decoder errors (missing references, unavailable neighbour blocks, concealment) in a run that
 * did not start at a recovery point with leading pictures mean the start was no clean restart. In
 * all those cases the run is decoded again from the start of the file, selecting by frame number:
 * that is sequential decoding, the reference every random access must equal.
 *
 * Output: the run's rawvideo frames go to one file per run size that the instance keeps and
 * overwrites in place (`-truncate 0`), made at full size once: MEMFS enlarges a growing file in
 * 12.5 % steps with a copy each, and a new file (or page of memory) per frame costs a sixth of an
 * FFV1 decode. A reused file may hold a longer earlier run's bytes after this run's, so how many
 * frames were written comes from ffmpeg's final report, never from the file's size.
 */
import type { FFmpeg } from '@ffmpeg/ffmpeg';
import type { ProbeResult } from './probe';
import { rawFrameBytes } from './raw-frames';

export interface DecodeRequest {
  /** input path inside the wasm FS */
  path: string;
  probe: ProbeResult;
  /** first frame (display index) */
  index: number;
  /** frames wanted (at most; fewer near the end) */
  count: number;
  pixFmt: string;
  captureLog(on: (line: string) => void): void;
  /**
   * Where to start decoding: the presentation time of a clean restart point at or before the frame
   * (null = the start of the file) and its kind ('recovery' = open-GOP recovery point, whose leading
   * pictures are expected to log reference errors). Omitted: the last keyframe of the probe.
   */
  start?: { time: number | null; kind: 'idr' | 'recovery' | 'key' };
  /**
   * The frames may be views of one buffer per run (the caller copies what it keeps from them and
   * never posts them to another thread, where the whole buffer would be cloned). Default: every
   * frame has a buffer of its own.
   */
  shared?: boolean;
}

export interface DecodeResult {
  frames: Uint8Array[];
  /** exec wall time, ms */
  ms: number;
  /** true when the exact-by-number fallback had to be used */
  fallback: boolean;
  /** why the seek run was not trusted (when `fallback`) */
  fallbackReason?: string;
}

/** Decoder messages that mean a picture was decoded from missing or wrong data. */
const DECODE_ERROR =
  /Reference \d+ >= \d+|top block unavailable|left block unavailable|error while decoding MB|concealing \d+ DC|co located POCs unavailable|Missing reference picture|mmco: unref short failure|number of reference frames|illegal short term|decode_slice_header error|non-existing PPS|no frame!|Could not find ref with POC|Error constructing the frame RPS/i;

export { DecodeError } from '../core/errors';
import { DecodeError } from '../core/errors';

let seq = 0;
/** Output files an instance keeps, by byte size, most recently used last (see the header). */
const outFiles = new WeakMap<FFmpeg, string[]>();
/** run sizes kept per instance: a single frame, the pool's ranges and batches, a short run at the end */
const OUT_FILES = 4;

/**
 * Frames an output file is made for: `count` rounded up to four sizes per octave (1…8, 10, 12, 14,
 * 16, 20, 24, 28, 32, 40, …), so runs of similar length share a file and at most a fifth of what
 * is read back is not this run's.
 */
export function outputFrames(count: number): number {
  if (count <= 8) return Math.max(1, count);
  const step = 2 ** (Math.floor(Math.log2(count)) - 2);
  return Math.ceil(count / step) * step;
}

async function outputFile(ff: FFmpeg, bytes: number): Promise<string> {
  let list = outFiles.get(ff);
  if (!list) outFiles.set(ff, (list = []));
  const name = `/run-${bytes}.raw`;
  const at = list.indexOf(name);
  if (at >= 0) list.splice(at, 1);
  else {
    // made at full size once (transferred); the oldest size goes
    await ff.writeFile(name, new Uint8Array(bytes));
    while (list.length >= OUT_FILES) await ff.deleteFile(list.shift()!).catch(() => undefined);
  }
  list.push(name);
  return name;
}

/** Forget (and delete) an instance's output file after a run it could not be trusted for. */
async function dropOutputFile(ff: FFmpeg, name: string): Promise<void> {
  const list = outFiles.get(ff);
  const at = list?.indexOf(name) ?? -1;
  if (at >= 0) list!.splice(at, 1);
  await ff.deleteFile(name).catch(() => undefined);
}

/** Frames encoded, from ffmpeg's final report ("frame=  N … Lsize=…"); null when there is none. */
export function encodedFrames(line: string): number | null {
  let n: number | null = null;
  // periodic reports end in a carriage return, so one log line can hold several
  for (const part of line.split('\r')) {
    if (!part.includes('Lsize=')) continue;
    const m = /\bframe=\s*(\d+)/.exec(part);
    if (m) n = Number(m[1]);
  }
  return n;
}
/** the frame reports only: plane checksums (on by default) cost as much as a third of an FFV1 decode */
const SHOWINFO = 'showinfo=checksum=0';
const fmt = (x: number) => (Math.abs(x) < 1e-9 ? '0' : x.toFixed(9));

function lastKeyAtOrBefore(keyTimes: number[], t: number): number {
  let lo = 0;
  let hi = keyTimes.length - 1;
  let best = keyTimes[0];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keyTimes[mid] <= t + 1e-9) {
      best = keyTimes[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

async function run(
  ff: FFmpeg,
  req: DecodeRequest,
  mode: 'seek' | 'number',
  image2 = false,
): Promise<{
  total: number;
  parts: Uint8Array[];
  firstPtsTime: number | null;
  startPtsTime: number | null;
  checked: boolean;
  errors: string[];
  log: string[];
  ms: number;
}> {
  const { probe, index, pixFmt } = req;
  const times = probe.info.times;
  const count = Math.max(1, Math.min(req.count, times.length - index));
  // one reused file per run size when the frame size is known (see the header), else one file per
  // frame (image2 muxer, rawvideo packets = the rawvideo muxer's bytes)
  const fb = rawFrameBytes(pixFmt, probe.info.width, probe.info.height);
  const reused = fb !== null && fb > 0 && !image2 ? await outputFile(ff, fb * outputFrames(count)) : null;
  const stem = `/dec-${++seq}-`;
  const out = reused ?? `${stem}%05d.raw`;
  // stats lines (about every 0.5 s) are the watchdog's sign of life during long runs
  const args = ['-hide_banner', '-loglevel', 'info', '-stats', '-stats_period', '0.5'];
  let filter: string;
  let checked = false;
  if (mode === 'seek') {
    const t = times[index];
    const key = req.start ? (req.start.time ?? times[0]) : lastKeyAtOrBefore(probe.keyTimes, t);
    const cut = index > 0 ? (times[index - 1] + t) / 2 : -1e9;
    filter = index > 0 ? `select=gte(t\\,${fmt(cut)}),${SHOWINFO}` : SHOWINFO;
    if (key > times[0]) {
      // a hair past the keyframe so rounding cannot land on the keyframe before it
      const next = times.find((x) => x > key);
      const eps = next !== undefined ? Math.min(1e-4, (next - key) / 4) : 1e-4;
      args.push('-noaccurate_seek', '-ss', fmt(key - probe.startTime + eps));
      const prev = [...times].reverse().find((x) => x < key);
      const keyCut = prev !== undefined ? (prev + key) / 2 : key - 1e-4;
      filter = `select=gte(t\\,${fmt(keyCut)}),${SHOWINFO},${filter}`;
      checked = true;
    }
  } else {
    filter = `select=gte(n\\,${index}),${SHOWINFO}`;
  }
  args.push('-i', req.path, '-copyts', '-map', '0:v:0', '-an', '-sn', '-dn');
  args.push('-vf', filter, '-frames:v', String(count), '-fps_mode', 'passthrough');
  if (reused) args.push('-truncate', '0', '-y', '-f', 'rawvideo', '-pix_fmt', pixFmt, out);
  else args.push('-f', 'image2', '-c:v', 'rawvideo', '-pix_fmt', pixFmt, out);
  const log: string[] = [];
  const errors: string[] = [];
  let firstPtsTime: number | null = null;
  let startPtsTime: number | null = null;
  // with the check the filters are Parsed_select_0, showinfo_1, select_2, showinfo_3
  const last = checked ? 'Parsed_showinfo_3' : 'Parsed_showinfo_';
  let encoded: number | null = null;
  req.captureLog((line) => {
    if (log.length < 400) log.push(line);
    if (line.includes('Lsize=')) encoded = encodedFrames(line) ?? encoded;
    if (errors.length < 20 && DECODE_ERROR.test(line)) errors.push(line.trim());
    const m = /\bn:\s*\d+\s+pts:\s*-?\d+\s+pts_time:(-?[\d.e+-]+)/.exec(line);
    if (!m) return;
    if (checked && startPtsTime === null && line.includes('Parsed_showinfo_1')) startPtsTime = Number(m[1]);
    if (firstPtsTime === null && line.includes(last)) firstPtsTime = Number(m[1]);
  });
  const t0 = performance.now();
  const code = await ff.exec(args, 120_000);
  const ms = performance.now() - t0;
  const parts: Uint8Array[] = [];
  if (reused) {
    const n = encoded as number | null;
    const data = n ? ((await ff.readFile(reused)) as Uint8Array) : null;
    if (n === null || (data && data.length < n * fb!)) {
      // no final report (or a file shorter than it says): the file cannot be trusted, and the run
      // is made again with a file per frame
      await dropOutputFile(ff, reused);
      return run(ff, req, mode, true);
    }
    if (data) parts.push(data.subarray(0, n * fb!));
  } else
    for (let k = 1; k <= count; k++) {
      const f = `${stem}${String(k).padStart(5, '0')}.raw`;
      try {
        parts.push((await ff.readFile(f)) as Uint8Array);
        await ff.deleteFile(f);
      } catch {
        break; /* no more output */
      }
    }
  const total = parts.reduce((a, b) => a + b.length, 0);
  if (!total) {
    const tail = log
      .filter((l) => /error|invalid|could not|failed|no such/i.test(l))
      .slice(-3)
      .join(' | ');
    throw new DecodeError(`ffmpeg could not decode frame ${index} (exit ${code})${tail ? ': ' + tail : ''}`);
  }
  return { total, parts, firstPtsTime, startPtsTime, checked, errors, log, ms };
}

/** Decode frames index..index+count-1 (clipped to the file) in `pixFmt`. `ff` must be held exclusively. */
export async function decodeFrames(ff: FFmpeg, req: DecodeRequest): Promise<DecodeResult> {
  const { probe, index } = req;
  const times = probe.info.times;
  const { width, height } = probe.info;
  if (!(index >= 0 && index < times.length)) throw new DecodeError(`frame ${index} out of range 0..${times.length - 1}`);
  const gap = index > 0 ? times[index] - times[index - 1] : index + 1 < times.length ? times[index + 1] - times[index] : 1;
  let mode: 'seek' | 'number' = 'seek';
  const near = (a: number | null, b: number) => a !== null && Math.abs(a - b) <= Math.max(gap / 2, 1e-6) * 0.999;
  let fallbackReason: string | undefined;
  let r: Awaited<ReturnType<typeof run>> | null = null;
  try {
    r = await run(ff, req, mode);
  } catch (e) {
    // a seek that produced nothing (e.g. the demuxer landed on a picture the decoder cannot start at)
    if (!(e instanceof DecodeError) || (req.start && req.start.time === null)) throw e;
    fallbackReason = e.message;
  }
  let ms = r?.ms ?? 0;
  if (r) {
    const start = req.start?.time ?? null;
    if (!near(r.firstPtsTime, times[index])) fallbackReason = `the seek gave the frame at ${r.firstPtsTime ?? 'none'} s, not ${times[index]} s`;
    else if (r.checked && start !== null && !near(r.startPtsTime, start))
      fallbackReason = `decoding did not pass through the restart point at ${start} s (first picture ${r.startPtsTime ?? 'none'} s)`;
    else if (r.checked && r.errors.length && req.start?.kind !== 'recovery') fallbackReason = `decoder errors after the seek: ${r.errors[0]}`;
  }
  if (fallbackReason !== undefined) {
    mode = 'number';
    r = await run(ff, req, mode);
    ms += r.ms;
  }
  r = r!;
  const expected = Math.max(1, Math.min(req.count, times.length - index));
  let fb = rawFrameBytes(req.pixFmt, width, height);
  if (fb === null) {
    if (r.total % expected !== 0) throw new DecodeError(`unknown pixel format ${req.pixFmt}: cannot split the decoded bytes`);
    fb = r.total / expected;
  }
  const n = Math.min(expected, Math.floor(r.total / fb));
  if (n < 1) throw new DecodeError(`decoded ${r.total} bytes, less than one ${width}x${height} ${req.pixFmt} frame (${fb} bytes)`);
  let frames: Uint8Array[];
  // frames one per file, each its own buffer; a frame read out of a longer run's file is a view of
  // that file, and is split below (copied unless the caller shares)
  const own = (p: Uint8Array) => p.length === fb && p.byteOffset === 0 && p.byteLength === p.buffer.byteLength;
  if (r.parts.length >= n && r.parts.slice(0, n).every(own)) frames = r.parts.slice(0, n);
  else {
    // one run's bytes (or, should it happen, frames not one per file): split them
    let all = r.parts[0];
    if (r.parts.length !== 1) {
      all = new Uint8Array(r.total);
      r.parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
    }
    // views of one buffer only when the caller keeps none and it is not mostly an earlier run's bytes
    const views = req.shared && all.buffer.byteLength * 4 <= 5 * n * fb;
    frames = Array.from({ length: n }, (_, k) => (views ? all.subarray(k * fb!, (k + 1) * fb!) : all.slice(k * fb!, (k + 1) * fb!)));
  }
  return { frames, ms, fallback: mode === 'number', ...(fallbackReason ? { fallbackReason } : {}) };
}
