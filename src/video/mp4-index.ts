/**
 * Browser-only helper for the WebCodecs path: locate `ftyp`/`moov` among the top-level boxes of an
 * MP4/MOV (reading only box headers), parse them with mp4box.js and return the first video track's
 * sample table (display order, keyframes, byte ranges) plus its avcC decoder description.
 */
import type { SourceFile } from '../core/types';

export interface Mp4Sample {
  offset: number;
  size: number;
  /** composition (presentation) time, track timescale */
  cts: number;
  dts: number;
  duration: number;
  sync: boolean;
}

export interface Mp4VideoTrack {
  codec: string;
  width: number;
  height: number;
  timescale: number;
  /** samples in decode order */
  samples: Mp4Sample[];
  /** ticks (track timescale) to subtract from cts (edit list media_time), as ffmpeg applies it */
  shiftTicks: number;
  /** seconds to add afterwards (leading empty edits) */
  delay: number;
  description: Uint8Array | null;
  brands: { major: string; compatible: string[] };
  /** container tags from moov/udta (iTunes ilst items and QuickTime ©-atoms), keys as ffprobe names them */
  tags: Record<string, string>;
  durationSeconds: number | null;
}

const MAX_BOXES = 100_000;
const MAX_MOOV = 512 << 20;

function u32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Top-level boxes: byte ranges of ftyp and moov; whether the file is fragmented (moof). */
export async function topLevelBoxes(file: SourceFile): Promise<{ ftyp?: [number, number]; moov?: [number, number]; fragmented: boolean } | null> {
  let pos = 0;
  const out: { ftyp?: [number, number]; moov?: [number, number]; fragmented: boolean } = { fragmented: false };
  for (let n = 0; n < MAX_BOXES && pos + 8 <= file.size; n++) {
    const h = await file.read(pos, Math.min(pos + 16, file.size));
    let size = u32(h, 0);
    const type = String.fromCharCode(h[4], h[5], h[6], h[7]);
    let header = 8;
    if (size === 1) {
      if (h.length < 16) return null;
      size = u32(h, 8) * 2 ** 32 + u32(h, 12);
      header = 16;
    } else if (size === 0) size = file.size - pos;
    if (size < header || pos + size > file.size + 0) {
      // a box running past the end: truncated file
      if (type === 'mdat' && out.moov) break;
      return null;
    }
    if (type === 'ftyp') out.ftyp = [pos, pos + size];
    else if (type === 'moov') out.moov = [pos, pos + size];
    else if (type === 'moof') out.fragmented = true;
    pos += size;
  }
  return out;
}

/** Parse the first video track (null when mp4box finds none or the file is fragmented). */
export async function readVideoTrack(file: SourceFile): Promise<Mp4VideoTrack | null> {
  const boxes = await topLevelBoxes(file);
  if (!boxes?.moov || boxes.fragmented) return null;
  if (boxes.moov[1] - boxes.moov[0] > MAX_MOOV) return null;
  const { createFile, DataStream, Endianness } = await import('mp4box');
  const parts: Uint8Array[] = [];
  if (boxes.ftyp) parts.push(await file.read(boxes.ftyp[0], boxes.ftyp[1]));
  parts.push(await file.read(boxes.moov[0], boxes.moov[1]));
  const total = parts.reduce((s, p) => s + p.length, 0);
  const buf = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    buf.set(p, o);
    o += p.length;
  }
  const ab = buf.buffer as ArrayBuffer & { fileStart: number };
  ab.fileStart = 0;
  const mp4 = createFile();
  let movie: import('mp4box').Movie | null = null;
  mp4.onReady = (m) => {
    movie = m;
  };
  mp4.onError = () => {
    movie = null;
  };
  mp4.appendBuffer(ab as unknown as Parameters<typeof mp4.appendBuffer>[0]);
  mp4.flush();
  const mv = movie as import('mp4box').Movie | null;
  if (!mv?.videoTracks.length) return null;
  const track = mv.videoTracks[0];
  const raw = mp4.getTrackSamplesInfo(track.id);
  if (!raw.length) return null;
  const samples: Mp4Sample[] = raw.map((s) => ({ offset: s.offset, size: s.size, cts: s.cts, dts: s.dts, duration: s.duration, sync: s.is_sync }));
  for (const s of samples) if (s.offset + s.size > file.size) return null; // truncated: leave it to ffmpeg

  let description: Uint8Array | null = null;
  const trak = mp4.getTrackById(track.id) as unknown as {
    mdia: { minf: { stbl: { stsd: { entries: { avcC?: { write(s: unknown): void } }[] } } } };
  };
  for (const entry of trak.mdia.minf.stbl.stsd.entries) {
    if (entry.avcC) {
      const stream = new DataStream(undefined, 0, Endianness.BIG_ENDIAN);
      entry.avcC.write(stream);
      description = new Uint8Array(stream.buffer as ArrayBuffer, 8); // skip the box header
      break;
    }
  }
  // edit list: leading empty edits delay, the first media edit's media_time is subtracted
  let shiftTicks = 0;
  let delay = 0;
  for (const e of track.edits ?? []) {
    if (e.media_time === -1) delay += e.segment_duration / (track.movie_timescale || mv.timescale);
    else {
      shiftTicks = e.media_time;
      break;
    }
  }
  const major = String.fromCharCode(...buf.subarray(8, 12));
  return {
    codec: track.codec,
    width: track.video?.width ?? track.track_width,
    height: track.video?.height ?? track.track_height,
    timescale: track.timescale,
    samples,
    shiftTicks,
    delay,
    description,
    brands: { major: boxes.ftyp ? major : '', compatible: mv.brands ?? [] },
    tags: udtaTags(parts[parts.length - 1]),
    durationSeconds: mv.timescale ? mv.duration / mv.timescale : null,
  };
}

const TAG_NAMES: Record<string, string> = {
  '\u00a9cmt': 'comment',
  '\u00a9too': 'encoder',
  '\u00a9nam': 'title',
  '\u00a9day': 'date',
  '\u00a9ART': 'artist',
  '\u00a9alb': 'album',
  '\u00a9gen': 'genre',
  desc: 'description',
  cprt: 'copyright',
};

/** Child boxes of the payload [from, to) of a box. */
function* children(b: Uint8Array, from: number, to: number): Generator<[string, number, number]> {
  let p = from;
  for (let n = 0; n < 10_000 && p + 8 <= to; n++) {
    const size = u32(b, p);
    if (size < 8 || p + size > to) return;
    yield [String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]), p + 8, p + size];
    p += size;
  }
}

/** Tags from a moov box (bytes starting at its header). */
export function udtaTags(moov: Uint8Array): Record<string, string> {
  const tags: Record<string, string> = {};
  const utf8 = new TextDecoder();
  const latin1 = new TextDecoder('latin1');
  for (const [t, a, z] of children(moov, 8, moov.length)) {
    if (t !== 'udta') continue;
    for (const [u, ua, uz] of children(moov, a, z)) {
      if (u === 'meta') {
        // full box: 4 bytes version/flags (some writers omit them: detect by a plausible child)
        const start = latin1.decode(moov.subarray(ua + 4, ua + 8)) === 'hdlr' ? ua : ua + 4;
        for (const [m, ma, mz] of children(moov, start, uz)) {
          if (m !== 'ilst') continue;
          for (const [item, ia, iz] of children(moov, ma, mz)) {
            for (const [d, da, dz] of children(moov, ia, iz)) {
              if (d === 'data' && dz - da >= 8 && u32(moov, da) === 1) tags[TAG_NAMES[item] ?? item] = utf8.decode(moov.subarray(da + 8, dz));
            }
          }
        }
      } else if (u.charCodeAt(0) === 0xa9 && uz - ua >= 4) {
        // QuickTime international text: 2-byte length, 2-byte language, text
        const len = (moov[ua] << 8) | moov[ua + 1];
        if (ua + 4 + len <= uz) tags[TAG_NAMES[u] ?? u] = utf8.decode(moov.subarray(ua + 4, ua + 4 + len));
      }
    }
  }
  return tags;
}
