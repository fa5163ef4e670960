/**
 * Browser-only: container/stream facts and the per-packet timestamp table of the first video
 * stream, from ffprobe running inside ffmpeg.wasm (it returns the py-pde `comment`/`COMMENT` tag).
 */
import type { FFmpeg } from '@ffmpeg/ffmpeg';
import type { VideoInfo } from './types';

export interface ProbeResult {
  info: VideoInfo;
  formatName: string;
  /** format start time in s (ffmpeg's -ss is relative to it) */
  startTime: number;
  /** stream time base */
  timeBase: [number, number];
  /** presentation timestamps (stream time base) in display order, one per frame */
  pts: number[];
  /** presentation times (s) of the keyframes, ascending */
  keyTimes: number[];
  /** every frame is a keyframe */
  intraOnly: boolean;
}

interface RawProbe {
  packets?: { pts?: number; dts?: number; duration?: number; size?: string; flags?: string }[];
  streams?: {
    codec_name?: string;
    width?: number;
    height?: number;
    pix_fmt?: string;
    r_frame_rate?: string;
    avg_frame_rate?: string;
    time_base?: string;
    nb_frames?: string;
    start_time?: string;
    duration?: string;
    tags?: Record<string, string>;
  }[];
  format?: { format_name?: string; start_time?: string; duration?: string; tags?: Record<string, string> };
}

function ratio(s: string | undefined): number | null {
  if (!s) return null;
  const [a, b] = s.split('/').map(Number);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0 || a === 0) return null;
  return a / b;
}

export class ProbeError extends Error {}

let seq = 0;

/** Packet table known from elsewhere (an MP4 sample table): ffprobe then skips reading packets. */
export interface KnownPackets {
  /** stream time base the pts are in */
  timeBase: [number, number];
  packets: { pts: number; key: boolean }[];
}

/**
 * Run ffprobe on `path` (inside the wasm FS). `ff` must be held exclusively by the caller. With
 * `known` packets (whose time base must match the stream's), only headers are read.
 */
export async function probe(ff: FFmpeg, path: string, known?: KnownPackets): Promise<ProbeResult> {
  const out = `/probe-${++seq}.json`;
  const entries =
    'format=format_name,start_time,duration:format_tags:stream=codec_name,width,height,pix_fmt,r_frame_rate,avg_frame_rate,time_base,nb_frames,start_time,duration:stream_tags' +
    (known ? '' : ':packet=pts,dts,duration,size,flags');
  await ff.ffprobe(
    [
      '-v', 'error',
      '-select_streams', 'v:0',
      '-show_entries',
      entries,
      '-of', 'json=c=1',
      path,
      '-o', out,
    ],
    120_000,
  );
  // ffprobe in wasm returns a non-zero code even on success: judge by the output file.
  let text: string;
  try {
    text = (await ff.readFile(out, 'utf8')) as string;
    await ff.deleteFile(out);
  } catch {
    throw new ProbeError('ffprobe produced no output (not a media file ffmpeg can read)');
  }
  if (known) {
    const j = JSON.parse(text) as RawProbe;
    const tb = j.streams?.[0]?.time_base;
    if (tb !== `${known.timeBase[0]}/${known.timeBase[1]}`) return probe(ff, path);
    j.packets = known.packets.map((p) => ({ pts: p.pts, flags: p.key ? 'K_' : '__' }));
    return parseProbe(JSON.stringify(j));
  }
  return parseProbe(text);
}

export function parseProbe(text: string): ProbeResult {
  let j: RawProbe;
  try {
    j = JSON.parse(text) as RawProbe;
  } catch {
    throw new ProbeError('ffprobe output is not JSON');
  }
  const st = j.streams?.[0];
  if (!st || !st.codec_name) throw new ProbeError('no video stream');
  const width = st.width ?? 0;
  const height = st.height ?? 0;
  if (!(width > 0 && height > 0)) throw new ProbeError(`video stream has no frame size (${width}x${height})`);
  const [tbn, tbd] = (st.time_base ?? '1/1').split('/').map(Number);
  const startTime = Number(j.format?.start_time ?? 0) || 0;
  const fps = ratio(st.avg_frame_rate) ?? ratio(st.r_frame_rate);

  const packets = (j.packets ?? []).filter((p) => p.size === undefined || Number(p.size) > 0);
  const keyPts: number[] = [];
  const pts: number[] = [];
  let prev = -Infinity;
  for (let k = 0; k < packets.length; k++) {
    const p = packets[k];
    let t = p.pts ?? p.dts;
    if (t === undefined) t = Number.isFinite(prev) ? prev + (p.duration || 1) : 0;
    prev = t;
    pts.push(t);
    if (p.flags?.startsWith('K')) keyPts.push(t);
  }
  pts.sort((a, b) => a - b);
  keyPts.sort((a, b) => a - b);
  if (!pts.length) throw new ProbeError('video stream holds no frames');
  if (!keyPts.length || keyPts[0] > pts[0]) keyPts.unshift(pts[0]);
  const times = pts.map((p) => (p * tbn) / tbd);
  const durationSeconds = Number(j.format?.duration ?? st.duration);
  let declared: number | null = Number(st.nb_frames);
  if (!(Number.isInteger(declared) && declared > 0)) {
    declared = null;
    const d = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(st.tags?.DURATION ?? st.tags?.duration ?? '');
    const rate = ratio(st.avg_frame_rate);
    if (d && rate) declared = Math.round((Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3])) * rate);
  }
  const info: VideoInfo = {
    codec: st.codec_name,
    width,
    height,
    pixFmt: st.pix_fmt ?? 'unknown',
    frameCount: pts.length,
    fps,
    times,
    tags: { ...(j.format?.tags ?? {}) },
    streamTags: { ...(st.tags ?? {}) },
    durationSeconds: Number.isFinite(durationSeconds) ? durationSeconds : null,
    declaredFrameCount: declared,
  };
  return {
    info,
    formatName: j.format?.format_name ?? '',
    startTime,
    timeBase: [tbn, tbd],
    pts,
    keyTimes: keyPts.map((p) => (p * tbn) / tbd),
    intraOnly: keyPts.length === pts.length,
  };
}
