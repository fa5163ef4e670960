/**
 * Browser-only: decode a run of consecutive frames (display order) to rawvideo with ffmpeg.wasm.
 *
 * Random access: seek (`-ss` before `-i`, no accurate-seek trimming) to the last keyframe at or before
 * the wanted frame, keep the original timestamps (`-copyts`) and let a `select` filter drop the frames
 * before it, so only the wanted frames are converted and copied out. A `showinfo` filter after the
 * select reports the timestamp of the first emitted frame; when it is not the wanted one (a container
 * whose seek lands elsewhere), the run is decoded again from the start, selecting by frame number.
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
}

export interface DecodeResult {
  frames: Uint8Array[];
  /** exec wall time, ms */
  ms: number;
  /** true when the exact-by-number fallback had to be used */
  fallback: boolean;
}

export { DecodeError } from '../core/errors';
import { DecodeError } from '../core/errors';

let seq = 0;
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
): Promise<{ data: Uint8Array; firstPtsTime: number | null; log: string[]; ms: number }> {
  const { probe, index, pixFmt } = req;
  const times = probe.info.times;
  const count = Math.max(1, Math.min(req.count, times.length - index));
  const out = `/dec-${++seq}.raw`;
  const args = ['-hide_banner', '-loglevel', 'info', '-nostats'];
  let filter: string;
  if (mode === 'seek') {
    const t = times[index];
    const key = lastKeyAtOrBefore(probe.keyTimes, t);
    if (key > times[0]) {
      // a hair past the keyframe so rounding cannot land on the keyframe before it
      const next = times.find((x) => x > key);
      const eps = next !== undefined ? Math.min(1e-4, (next - key) / 4) : 1e-4;
      args.push('-noaccurate_seek', '-ss', fmt(key - probe.startTime + eps));
    }
    const cut = index > 0 ? (times[index - 1] + t) / 2 : -1e9;
    filter = index > 0 ? `select=gte(t\\,${fmt(cut)}),showinfo` : 'showinfo';
  } else {
    filter = `select=gte(n\\,${index}),showinfo`;
  }
  args.push('-i', req.path, '-copyts', '-map', '0:v:0', '-an', '-sn', '-dn');
  args.push('-vf', filter, '-frames:v', String(count), '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', pixFmt, out);
  const log: string[] = [];
  let firstPtsTime: number | null = null;
  req.captureLog((line) => {
    if (log.length < 400) log.push(line);
    if (firstPtsTime === null) {
      const m = /\bn:\s*\d+\s+pts:\s*-?\d+\s+pts_time:(-?[\d.e+-]+)/.exec(line);
      if (m) firstPtsTime = Number(m[1]);
    }
  });
  const t0 = performance.now();
  const code = await ff.exec(args, 120_000);
  const ms = performance.now() - t0;
  let data: Uint8Array = new Uint8Array(0);
  try {
    data = (await ff.readFile(out)) as Uint8Array;
    await ff.deleteFile(out);
  } catch {
    /* no output */
  }
  if (!data.length) {
    const tail = log.filter((l) => /error|invalid|could not|failed|no such/i.test(l)).slice(-3).join(' | ');
    throw new DecodeError(`ffmpeg could not decode frame ${index} (exit ${code})${tail ? ': ' + tail : ''}`);
  }
  return { data, firstPtsTime, log, ms };
}

/** Decode frames index..index+count-1 (clipped to the file) in `pixFmt`. `ff` must be held exclusively. */
export async function decodeFrames(ff: FFmpeg, req: DecodeRequest): Promise<DecodeResult> {
  const { probe, index } = req;
  const times = probe.info.times;
  const { width, height } = probe.info;
  if (!(index >= 0 && index < times.length)) throw new DecodeError(`frame ${index} out of range 0..${times.length - 1}`);
  const gap = index > 0 ? times[index] - times[index - 1] : index + 1 < times.length ? times[index + 1] - times[index] : 1;
  let mode: 'seek' | 'number' = 'seek';
  let r = await run(ff, req, mode);
  let ms = r.ms;
  const ok = r.firstPtsTime !== null && Math.abs(r.firstPtsTime - times[index]) <= Math.max(gap / 2, 1e-6) * 0.999;
  if (!ok) {
    mode = 'number';
    r = await run(ff, req, mode);
    ms += r.ms;
  }
  const expected = Math.max(1, Math.min(req.count, times.length - index));
  let fb = rawFrameBytes(req.pixFmt, width, height);
  if (fb === null) {
    if (r.data.length % expected !== 0) throw new DecodeError(`unknown pixel format ${req.pixFmt}: cannot split the decoded bytes`);
    fb = r.data.length / expected;
  }
  const n = Math.min(expected, Math.floor(r.data.length / fb));
  if (n < 1) throw new DecodeError(`decoded ${r.data.length} bytes, less than one ${width}x${height} ${req.pixFmt} frame (${fb} bytes)`);
  const frames: Uint8Array[] = [];
  for (let k = 0; k < n; k++) frames.push(n === 1 && r.data.length === fb ? r.data : r.data.slice(k * fb, (k + 1) * fb));
  return { frames, ms, fallback: mode === 'number' };
}
