/**
 * Container/stream facts and the per-packet timestamp table of the first video stream.
 *
 * The frame table comes from the container's own index wherever there is one (`indexPackets`, pure
 * TS over SourceFile reads): the MP4/MOV sample table (mp4box.js), the AVI OpenDML/idx1 indexes
 * (./avi-index), the Matroska cluster/block headers (./mkv-index). ffprobe inside ffmpeg.wasm then
 * reads only the headers (codec, size, pixel format, frame rate and the container tags, e.g. the
 * py-pde `comment`/`COMMENT`). Only when a file has no usable index does ffprobe list every packet,
 * which reads the whole file; `VideoInfo.warnings` then says so. `probe` is browser-only (wasm).
 */
import type { FFmpeg } from '@ffmpeg/ffmpeg';
import { FormatError } from '../core/errors';
import type { SourceFile } from '../core/types';
import { containerOf } from './magic';
import { readAviVideoIndex } from './avi-index';
import { readMkvVideoIndex } from './mkv-index';
import { readVideoTrack } from './mp4-index';
import { avcLengthSize } from './h264-restart';
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

export interface RawProbe {
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

export { ProbeError } from '../core/errors';
import { ProbeError } from '../core/errors';

/** ffprobe `-show_entries` for the container/stream headers and tags (reads no packets beyond stream detection) */
export const HEADER_ENTRIES =
  'format=format_name,start_time,duration:format_tags:stream=codec_name,width,height,pix_fmt,r_frame_rate,avg_frame_rate,time_base,nb_frames,start_time,duration:stream_tags';
/** added when the packet table must come from ffprobe (reads the whole file) */
export const PACKET_ENTRIES = ':packet=pts,dts,duration,size,flags';

let seq = 0;

/** Packet table known from the container's index: ffprobe then skips reading packets. */
export interface KnownPackets {
  /** stream time base the pts are in */
  timeBase: [number, number];
  packets: { pts: number; key: boolean }[];
  /**
   * Frame count the container declares, in place of ffprobe's stream nb_frames (AVI: strh dwLength
   * less the zero-size drop chunks, which hold no frame). Undefined: keep ffprobe's.
   */
  declaredFrameCount?: number | null;
  /** which index the table came from (diagnostics) */
  source: string;
  /** byte range of each packet's data, same order as `packets` (decode order), where the index gives it */
  offsets?: number[];
  sizes?: number[];
  /** H.264 NAL length size from the avcC record (MP4); undefined = Annex B or detect */
  nalLengthSize?: number;
}

export interface PacketIndex {
  known: KnownPackets | null;
  /** why there is no table when one was expected (the probe will scan every packet) */
  warnings: string[];
}

/**
 * The frame table of the first video stream from the container's own index, reading only headers
 * and index structures through `file.read`. Never throws: a damaged or unusable index gives
 * `known: null` and a warning (AVI, Matroska), and the caller lets ffprobe scan the packets.
 */
export async function indexPackets(file: SourceFile, format = 'video'): Promise<PacketIndex> {
  if (file.size < 16) return { known: null, warnings: [] };
  let kind: ReturnType<typeof containerOf> = null;
  try {
    kind = containerOf(await file.read(0, 64));
  } catch {
    return { known: null, warnings: [] };
  }
  const scan = (why: string): PacketIndex => ({
    known: null,
    warnings: [`${file.path}: ${why}; the frame table comes from a full packet scan (reads the whole file)`],
  });
  try {
    if (kind === 'isobmff') {
      const t = await readVideoTrack(file);
      if (!t) return { known: null, warnings: [] }; // fragmented or no moov: ffprobe copes
      return {
        known: {
          timeBase: [1, t.timescale],
          packets: t.samples.map((x) => ({ pts: x.cts - t.shiftTicks, key: x.sync })),
          source: 'mp4 sample table',
          offsets: t.samples.map((x) => x.offset),
          sizes: t.samples.map((x) => x.size),
          nalLengthSize: avcLengthSize(t.description),
        },
        warnings: [],
      };
    }
    if (kind === 'avi') {
      const a = await readAviVideoIndex(file, { format });
      if (!a) return scan('no video stream in the AVI header');
      if (!a.pts.length) return scan('the AVI index lists no video frame');
      return {
        known: {
          timeBase: a.timeBase,
          packets: a.pts.map((pts, i) => ({ pts, key: a.keys[i] })),
          declaredFrameCount: a.declaredLength > 0 ? a.declaredLength - a.drops : null,
          source: `avi ${a.source}`,
          offsets: a.offsets,
          sizes: a.sizes,
        },
        warnings: [],
      };
    }
    if (kind === 'matroska') {
      const m = await readMkvVideoIndex(file, { format });
      if (!m) return scan('no video track in the Matroska header');
      if (!m.pts.length) return scan('no video block found in the Matroska clusters');
      return {
        known: {
          timeBase: m.timeBase,
          packets: m.pts.map((pts, i) => ({ pts, key: m.keys[i] })),
          source: `matroska block headers (${m.clusters} clusters, ${m.reads} reads)`,
          offsets: m.offsets,
          sizes: m.sizes,
        },
        warnings: [],
      };
    }
  } catch (e) {
    if (e instanceof FormatError) return scan(`index not usable (${e.reason}${e.offset !== undefined ? ` at byte ${e.offset}` : ''})`);
    return scan(`index not readable (${(e as Error).message ?? String(e)})`);
  }
  return { known: null, warnings: [] };
}

/**
 * Run ffprobe on `path` (inside the wasm FS). `ff` must be held exclusively by the caller. With
 * `known` packets only headers are read (the pts are rescaled when ffprobe reports an equal time
 * base in other terms, else every packet is scanned after all). `warnings` are passed on to
 * `info.warnings`.
 */
export async function probe(ff: FFmpeg, path: string, known?: KnownPackets, warnings: string[] = []): Promise<ProbeResult> {
  const out = `/probe-${++seq}.json`;
  const entries = HEADER_ENTRIES + (known ? '' : PACKET_ENTRIES);
  await ff.ffprobe(['-v', 'error', '-select_streams', 'v:0', '-show_entries', entries, '-of', 'json=c=1', path, '-o', out], 120_000);
  // ffprobe in wasm returns a non-zero code even on success: judge by the output file.
  let text: string;
  try {
    text = (await ff.readFile(out, 'utf8')) as string;
    await ff.deleteFile(out);
  } catch {
    throw new ProbeError('ffprobe produced no output (not a media file ffmpeg can read)');
  }
  if (known) {
    const j = parseJson(text);
    const merged = withKnownPackets(j, known);
    if (!merged) {
      const tb = j.streams?.[0]?.time_base ?? '?';
      return probe(ff, path, undefined, [
        ...warnings,
        `${path.split('/').pop()}: ffprobe's time base ${tb} does not match the index (${known.timeBase.join('/')}); the frame table comes from a full packet scan`,
      ]);
    }
    return withWarnings(parseRaw(merged.raw, merged.declared), warnings);
  }
  return withWarnings(parseProbe(text), warnings);
}

function withWarnings(r: ProbeResult, warnings: string[]): ProbeResult {
  if (warnings.length) r.info.warnings = [...(r.info.warnings ?? []), ...warnings];
  return r;
}

function parseJson(text: string): RawProbe {
  try {
    return JSON.parse(text) as RawProbe;
  } catch {
    throw new ProbeError('ffprobe output is not JSON');
  }
}

/**
 * ffprobe's header-only output with the packets of the index put in, rescaled to the stream time
 * base ffprobe reports; null when the index's ticks are not a whole number of ffprobe's.
 */
export function withKnownPackets(j: RawProbe, known: KnownPackets): { raw: RawProbe; declared: number | null | undefined } | null {
  const tb = j.streams?.[0]?.time_base;
  const m = /^(\d+)\/(\d+)$/.exec(tb ?? '');
  if (!m) return null;
  const [sn, sd] = [Number(m[1]), Number(m[2])];
  const [kn, kd] = known.timeBase;
  if (!(sn > 0 && sd > 0 && kn > 0 && kd > 0)) return null;
  // index ticks → stream ticks: pts · (kn/kd) / (sn/sd) must be an integer factor
  const num = kn * sd;
  const den = kd * sn;
  if (num % den !== 0) return null;
  const f = num / den;
  const packets = known.packets.map((p) => ({ pts: p.pts * f, flags: p.key ? 'K_' : '__' }));
  return { raw: { ...j, packets }, declared: known.declaredFrameCount };
}

export function parseProbe(text: string): ProbeResult {
  return parseRaw(parseJson(text));
}

/** ProbeResult from ffprobe's JSON; `declaredOverride` (if not undefined) replaces the declared frame count. */
export function parseRaw(j: RawProbe, declaredOverride?: number | null): ProbeResult {
  const st = j.streams?.[0];
  if (!st?.codec_name) throw new ProbeError('no video stream');
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
  if (declaredOverride !== undefined) declared = declaredOverride;
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
