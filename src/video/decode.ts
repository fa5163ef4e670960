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
  // one file per frame (image2 muxer, rawvideo packets = the rawvideo muxer's bytes): one growing
  // MEMFS file is enlarged in 12.5 % steps with a copy each, which costs more than half a decode
  const stem = `/dec-${++seq}-`;
  const out = `${stem}%05d.raw`;
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
  args.push('-vf', filter, '-frames:v', String(count), '-fps_mode', 'passthrough', '-f', 'image2', '-c:v', 'rawvideo', '-pix_fmt', pixFmt, out);
  const log: string[] = [];
  const errors: string[] = [];
  let firstPtsTime: number | null = null;
  let startPtsTime: number | null = null;
  // with the check the filters are Parsed_select_0, showinfo_1, select_2, showinfo_3
  const last = checked ? 'Parsed_showinfo_3' : 'Parsed_showinfo_';
  req.captureLog((line) => {
    if (log.length < 400) log.push(line);
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
  if (r.parts.length >= n && r.parts.slice(0, n).every((p) => p.length === fb)) frames = r.parts.slice(0, n);
  else {
    // frames not one per file (should not happen): split the bytes
    const all = new Uint8Array(r.total);
    r.parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
    frames = Array.from({ length: n }, (_, k) => all.slice(k * fb, (k + 1) * fb));
  }
  return { frames, ms, fallback: mode === 'number', ...(fallbackReason ? { fallbackReason } : {}) };
}
