/**
 * Frame table of the first video track of a Matroska / WebM file, read from the EBML element
 * headers only: Segment → Info (TimestampScale, Duration), Tracks, Cues, and every Cluster's
 * Timestamp plus the 4-byte header of each SimpleBlock / Block (track, relative timestamp, flags).
 * Frame payloads are skipped by their declared sizes, never parsed; they are read only where that
 * is cheaper than seeking past them (small frames: see Cursor).
 *
 * Matroska has no per-frame index (Cues list only keyframes), so exact per-frame timestamps need
 * the block headers. The Cues' cluster positions split the file into a few runs of clusters that
 * are walked concurrently; without Cues the clusters are walked from the first one. As in ffmpeg's
 * demuxer: pts = cluster timestamp +
 * block timestamp, in units of TimestampScale ns (time base TimestampScale/1e9); a keyframe is a
 * SimpleBlock with the key flag or a BlockGroup without ReferenceBlock; empty blocks are no frames.
 * A block cut off by the end of the file is not counted (`truncated`).
 *
 * Unsupported (FormatError, so the caller can fall back to a packet scan): laced video blocks,
 * TrackTimestampScale ≠ 1. Damaged element headers → FormatError naming file and offset. Every
 * loop is bounded by the file size.
 */
import { FormatError } from '../core/errors';
import type { SourceFile } from '../core/types';

export interface MkvVideoIndex {
  trackNumber: number;
  /** Matroska CodecID, e.g. V_FFV1, V_MPEG4/ISO/AVC, V_MS/VFW/FOURCC */
  codecId: string;
  /** CodecPrivate bytes (for V_MPEG4/ISO/AVC the avcC record), if any */
  codecPrivate: Uint8Array | null;
  width: number;
  height: number;
  /** ns per timestamp tick (Info TimestampScale) */
  timestampScale: number;
  /** time base of `pts` in seconds, reduced (TimestampScale / 1e9) */
  timeBase: [number, number];
  /** track DefaultDuration in ns, if given */
  defaultDuration: number | null;
  /** Info Duration in seconds, if given */
  durationSeconds: number | null;
  /** frames in file (decode) order: absolute offset and size of the frame data */
  offsets: number[];
  sizes: number[];
  /** presentation timestamps (TimestampScale ticks) */
  pts: number[];
  keys: boolean[];
  /** cue points of the video track */
  cuePoints: number;
  /** cluster walks (the first cluster, then cue-given clusters at least a run length apart) */
  runs: number;
  clusters: number;
  /** reads issued while walking (a measure of the cost over Blob slices or HTTP ranges) */
  reads: number;
  /** bytes those reads returned */
  bytesRead: number;
  /** a cluster or block was cut off by the end of the file */
  truncated: boolean;
}

const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  DefaultDuration: 0x23e383,
  TrackTimestampScale: 0x23314f,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  ReferenceBlock: 0xfb,
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
  CueClusterPosition: 0xf1,
  Tags: 0x1254c367,
  Chapters: 0x1043a770,
  Attachments: 0x1941a469,
} as const;

/** Top-level (Segment child) IDs: meeting one inside an unknown-size cluster ends that cluster. */
const TOP_LEVEL = new Set<number>([ID.Cluster, ID.Cues, ID.Tags, ID.Chapters, ID.Attachments, ID.SeekHead, ID.Info, ID.Tracks]);

const MAX_META = 16 << 20;
const MAX_CUES = 64 << 20;
/** read sizes of the Cursor (see there) */
const SMALL_READ = 64 << 10;
const BIG_READ = 4 << 20;
const READ_THROUGH_GAP = 384 << 10;
/** concurrent cluster walks (helps where reads run in parallel, e.g. Node; harmless in Chromium) */
const CONCURRENCY = 4;
/** the smallest span of a concurrent walk */
const MIN_RUN = 32 << 20;

type Err = (reason: string, offset?: number) => FormatError;

interface Header {
  id: number;
  /** payload size, or null when unknown (all ones) */
  size: number | null;
  /** bytes of ID + size */
  len: number;
}

/** EBML element header at b[o]; null when the bytes end before it does. Throws on an invalid vint. */
function header(b: Uint8Array, o: number, at: number, err: Err): Header | null {
  if (o >= b.length) return null;
  const f = b[o];
  if (f === 0) throw err('invalid EBML element ID (leading zero byte)', at);
  let il = 1;
  while (il <= 4 && !(f & (0x80 >> (il - 1)))) il++;
  if (il > 4) throw err(`invalid EBML element ID byte 0x${f.toString(16)}`, at);
  if (o + il >= b.length) return null;
  let id = 0;
  for (let k = 0; k < il; k++) id = id * 256 + b[o + k];
  const s = b[o + il];
  if (s === 0) throw err('invalid EBML size (leading zero byte)', at + il);
  let sl = 1;
  while (!(s & (0x80 >> (sl - 1)))) sl++;
  if (o + il + sl > b.length) return null;
  let size = s & (0xff >> sl);
  let allOnes = size === 0xff >> sl;
  for (let k = 1; k < sl; k++) {
    const x = b[o + il + k];
    size = size * 256 + x;
    if (x !== 0xff) allOnes = false;
  }
  return { id, size: allOnes ? null : size, len: il + sl };
}

function uint(b: Uint8Array, o: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) v = v * 256 + b[o + k];
  return v;
}

function float(b: Uint8Array, o: number, n: number): number {
  const dv = new DataView(b.buffer, b.byteOffset + o, n);
  return n === 4 ? dv.getFloat32(0) : n === 8 ? dv.getFloat64(0) : NaN;
}

/** Children of a fully read master element payload b[from, to) (absolute offset `base` of b[0]). */
function* children(b: Uint8Array, from: number, to: number, base: number, err: Err): Generator<{ id: number; at: number; size: number }> {
  let p = from;
  for (let n = 0; n < 1_000_000 && p < to; n++) {
    const h = header(b, p, base + p, err);
    if (!h) throw err('element header cut off', base + p);
    const size = h.size ?? to - p - h.len;
    if (p + h.len + size > to) throw err(`element 0x${h.id.toString(16)} of ${size} bytes runs past its parent`, base + p);
    yield { id: h.id, at: p + h.len, size };
    p += h.len + size;
  }
}

/**
 * Windowed reader. A read costs about as much as reading a few hundred kB more (Chromium Blob.slice:
 * ~0.9 ms a read, ~470 MB/s; reads are not served in parallel), so when the element headers we
 * need lie close together on average (small frames) it reads through in large windows, and when
 * they are far apart (large frames) it reads only a small window at each header.
 */
class Cursor {
  private buf: Uint8Array = new Uint8Array(0);
  private at = 0;
  private last = -1;
  /** running mean of the forward jumps between requests (bytes skipped per block) */
  private gap = 0;
  reads = 0;
  bytes = 0;
  constructor(private readonly file: SourceFile) {}
  /** bytes [pos, pos+n) (fewer at the end of the file) */
  async get(pos: number, n: number): Promise<{ b: Uint8Array; o: number }> {
    if (this.last >= 0 && pos - this.last > 64) this.gap = this.gap ? this.gap * 0.75 + (pos - this.last) * 0.25 : pos - this.last;
    this.last = pos;
    const end = Math.min(this.file.size, pos + n);
    if (pos < this.at || end > this.at + this.buf.length) {
      if (pos >= this.file.size) return { b: new Uint8Array(0), o: 0 };
      const want = this.gap < READ_THROUGH_GAP ? BIG_READ : SMALL_READ;
      this.buf = await this.file.read(pos, Math.min(this.file.size, pos + Math.max(n, want)));
      this.at = pos;
      this.reads++;
      this.bytes += this.buf.length;
    }
    return { b: this.buf, o: pos - this.at };
  }
  async header(pos: number, err: Err): Promise<Header | null> {
    const { b, o } = await this.get(pos, 12);
    return header(b, o, pos, err);
  }
}

interface Track {
  number: number;
  type: number;
  codecId: string;
  codecPrivate: Uint8Array | null;
  defaultDuration: number | null;
  trackScale: number;
  width: number;
  height: number;
}

function parseTracks(b: Uint8Array, base: number, err: Err): Track[] {
  const out: Track[] = [];
  const latin1 = new TextDecoder('latin1');
  for (const e of children(b, 0, b.length, base, err)) {
    if (e.id !== ID.TrackEntry) continue;
    const t: Track = { number: 0, type: 0, codecId: '', codecPrivate: null, defaultDuration: null, trackScale: 1, width: 0, height: 0 };
    for (const c of children(b, e.at, e.at + e.size, base, err)) {
      if (c.id === ID.TrackNumber) t.number = uint(b, c.at, c.size);
      else if (c.id === ID.TrackType) t.type = uint(b, c.at, c.size);
      else if (c.id === ID.CodecID) t.codecId = latin1.decode(b.subarray(c.at, c.at + c.size)).replace(/\0+$/, '');
      else if (c.id === ID.DefaultDuration) t.defaultDuration = uint(b, c.at, c.size);
      else if (c.id === ID.CodecPrivate) t.codecPrivate = b.slice(c.at, c.at + c.size);
      else if (c.id === ID.TrackTimestampScale) t.trackScale = float(b, c.at, c.size);
      else if (c.id === ID.Video)
        for (const v of children(b, c.at, c.at + c.size, base, err)) {
          if (v.id === ID.PixelWidth) t.width = uint(b, v.at, v.size);
          else if (v.id === ID.PixelHeight) t.height = uint(b, v.at, v.size);
        }
    }
    out.push(t);
  }
  return out;
}

interface Frames {
  offsets: number[];
  sizes: number[];
  pts: number[];
  keys: boolean[];
  clusters: number;
  truncated: boolean;
  /** position where the walk stopped (the next top-level element) */
  end: number;
}

/**
 * Walk top-level elements from `start` (a Cluster) while the position is below `stop`, collecting
 * the blocks of `track`. `strict`: the walk must land exactly on `stop` (a cue-given cluster start).
 */
async function walk(file: SourceFile, cur: Cursor, start: number, stop: number, segEnd: number, track: number, err: Err): Promise<Frames> {
  const fr: Frames = { offsets: [], sizes: [], pts: [], keys: [], clusters: 0, truncated: false, end: start };
  const size = file.size;
  let pos = start;
  const maxSteps = Math.ceil((Math.min(stop, segEnd) - start) / 2) + 16;
  let steps = 0;
  while (pos < stop && pos < segEnd && steps++ < maxSteps) {
    const h = await cur.header(pos, err);
    if (!h) {
      fr.truncated = true;
      break;
    }
    const dataAt = pos + h.len;
    if (h.id !== ID.Cluster) {
      if (h.size === null) break; // an unknown-size non-cluster element: nothing we can skip
      pos = dataAt + h.size;
      continue;
    }
    fr.clusters++;
    const cEnd = h.size === null ? segEnd : dataAt + h.size;
    if (cEnd > size) fr.truncated = true;
    let clusterTs: number | null = null;
    let p = dataAt;
    let ended = false;
    while (p < cEnd && steps++ < maxSteps) {
      const c = await cur.header(p, err);
      if (!c) {
        fr.truncated = true;
        ended = true;
        break;
      }
      if (h.size === null && TOP_LEVEL.has(c.id)) break; // end of an unknown-size cluster
      if (c.size === null) throw err(`element 0x${c.id.toString(16)} inside a cluster has an unknown size`, p);
      const at = p + c.len;
      const end = at + c.size;
      if (end > cEnd && cEnd <= size) throw err(`element 0x${c.id.toString(16)} of ${c.size} bytes runs past its cluster (ends at ${cEnd})`, p);
      if (c.id === ID.Timestamp) {
        if (c.size > 8) throw err(`cluster timestamp of ${c.size} bytes`, p);
        const { b, o } = await cur.get(at, c.size);
        if (b.length - o < c.size) {
          fr.truncated = true;
          ended = true;
          break;
        }
        clusterTs = uint(b, o, c.size);
      } else if (c.id === ID.SimpleBlock || c.id === ID.BlockGroup) {
        let blockAt = at;
        let blockSize = c.size;
        let key = true;
        if (c.id === ID.BlockGroup) {
          // the group's children: Block (skip its payload), ReferenceBlock (→ not a keyframe), ...
          let q = at;
          let found = false;
          for (let n = 0; n < 64 && q < end; n++) {
            const g = await cur.header(q, err);
            if (!g || g.size === null) {
              fr.truncated = !g;
              break;
            }
            if (g.id === ID.Block) {
              found = true;
              blockAt = q + g.len;
              blockSize = g.size;
            } else if (g.id === ID.ReferenceBlock) key = false;
            q += g.len + g.size;
          }
          if (!found) {
            if (end > size) {
              fr.truncated = true;
              ended = true;
              break;
            }
            p = end;
            continue;
          }
        }
        const { b, o } = await cur.get(blockAt, 12);
        const th = b.length - o >= 1 ? vintLen(b[o]) : 0;
        if (!th || b.length - o < th + 3) {
          fr.truncated = true;
          ended = true;
          break;
        }
        let tn = b[o] & (0xff >> th);
        for (let k = 1; k < th; k++) tn = tn * 256 + b[o + k];
        if (tn === track) {
          const rel = (((b[o + th] << 8) | b[o + th + 1]) << 16) >> 16;
          const flags = b[o + th + 2];
          if (flags & 0x06) throw err('laced video blocks (several frames per block) are not indexed', blockAt);
          if (clusterTs === null) throw err('block before its cluster timestamp', p);
          if (c.id === ID.SimpleBlock) key = (flags & 0x80) !== 0;
          const dataOff = blockAt + th + 3;
          const dataLen = blockSize - th - 3;
          if (blockAt + blockSize > size || end > size) {
            fr.truncated = true;
            ended = true;
            break;
          }
          if (dataLen > 0) {
            fr.offsets.push(dataOff);
            fr.sizes.push(dataLen);
            fr.pts.push(clusterTs + rel);
            fr.keys.push(key);
          }
        }
      }
      p = end;
    }
    if (ended || cEnd > size) {
      fr.truncated = true;
      pos = Math.min(p, size);
      break;
    }
    pos = h.size === null ? p : cEnd;
  }
  fr.end = pos;
  return fr;
}

/** Length of a vint from its first byte (1..8), 0 when invalid. */
function vintLen(f: number): number {
  for (let l = 1; l <= 8; l++) if (f & (0x80 >> (l - 1))) return l;
  return 0;
}

/**
 * The frame table of the first video track, or null when the file is not Matroska/WebM or has no
 * video track. Throws FormatError for damaged headers and for streams it does not index (laced
 * video, TrackTimestampScale ≠ 1).
 */
export async function readMkvVideoIndex(
  file: SourceFile,
  opts: { format?: string; concurrency?: number /** smallest byte span of a concurrent walk (tests) */; minRun?: number } = {},
): Promise<MkvVideoIndex | null> {
  const err: Err = (reason, offset) => new FormatError(opts.format ?? 'video', file.path, `Matroska: ${reason}`, offset);
  const size = file.size;
  const cur = new Cursor(file);
  const eh = await cur.header(0, err).catch(() => null);
  if (!eh || eh.id !== ID.EBML || eh.size === null) return null;
  const sp = eh.len + eh.size;
  const sh = await cur.header(sp, err);
  if (!sh) throw err('file ends before the Segment', sp);
  if (sh.id !== ID.Segment) throw err(`Segment expected after the EBML header, found element 0x${sh.id.toString(16)}`, sp);
  const segStart = sp + sh.len;
  const segEnd = sh.size === null ? size : Math.min(size, segStart + sh.size);

  // top level up to the first cluster (SeekHead, Info, Tracks, Tags, ...)
  let info: { at: number; size: number } | null = null;
  let tracksEl: { at: number; size: number } | null = null;
  let cuesEl: { at: number; size: number } | null = null;
  const seek = new Map<number, number>();
  let firstCluster = -1;
  let pos = segStart;
  for (let n = 0; n < 100_000 && pos < segEnd; n++) {
    const h = await cur.header(pos, err);
    if (!h) break;
    if (h.id === ID.Cluster) {
      firstCluster = pos;
      break;
    }
    if (h.size === null) throw err(`top-level element 0x${h.id.toString(16)} has an unknown size`, pos);
    const el = { at: pos + h.len, size: h.size };
    if (h.id === ID.Info) info ??= el;
    else if (h.id === ID.Tracks) tracksEl ??= el;
    else if (h.id === ID.Cues) cuesEl ??= el;
    else if (h.id === ID.SeekHead && h.size <= MAX_META) {
      const b = await file.read(el.at, el.at + el.size);
      if (b.length === el.size)
        for (const s of children(b, 0, b.length, el.at, err)) {
          if (s.id !== ID.Seek) continue;
          let sid = 0;
          let spos = -1;
          for (const c of children(b, s.at, s.at + s.size, el.at, err)) {
            if (c.id === ID.SeekID) sid = uint(b, c.at, c.size);
            else if (c.id === ID.SeekPosition) spos = uint(b, c.at, c.size);
          }
          if (sid && spos >= 0 && !seek.has(sid)) seek.set(sid, segStart + spos);
        }
    }
    pos = el.at + el.size;
  }
  const viaSeek = async (id: number): Promise<{ at: number; size: number } | null> => {
    const at = seek.get(id);
    if (at === undefined || at >= size) return null;
    const h = await cur.header(at, err);
    if (!h || h.id !== id || h.size === null) return null;
    return { at: at + h.len, size: h.size };
  };
  info ??= await viaSeek(ID.Info);
  tracksEl ??= await viaSeek(ID.Tracks);
  cuesEl ??= await viaSeek(ID.Cues);
  if (!tracksEl) throw err('no Tracks element', segStart);
  if (tracksEl.size > MAX_META) throw err(`Tracks element of ${tracksEl.size} bytes is implausibly large`, tracksEl.at);
  if (tracksEl.at + tracksEl.size > size) throw err('Tracks element runs past the end of the file', tracksEl.at);

  let timestampScale = 1_000_000;
  let durationTicks: number | null = null;
  if (info && info.size <= MAX_META && info.at + info.size <= size) {
    const b = await file.read(info.at, info.at + info.size);
    for (const c of children(b, 0, b.length, info.at, err)) {
      if (c.id === ID.TimestampScale) timestampScale = uint(b, c.at, c.size) || 1_000_000;
      else if (c.id === ID.Duration) durationTicks = float(b, c.at, c.size);
    }
  }
  const tb = await file.read(tracksEl.at, tracksEl.at + tracksEl.size);
  const track = parseTracks(tb, tracksEl.at, err).find((t) => t.type === 1);
  if (!track) return null;
  if (track.trackScale !== 1) throw err(`TrackTimestampScale ${track.trackScale} is not indexed`, tracksEl.at);
  if (firstCluster < 0) {
    if (pos >= size || pos >= segEnd) firstCluster = -1;
    else throw err('no Cluster found after the header elements', pos);
  }

  // cue points of the video track → cluster starting points for concurrent walks
  const starts: number[] = [];
  let cuePoints = 0;
  if (firstCluster >= 0 && cuesEl && cuesEl.size <= MAX_CUES && cuesEl.at + cuesEl.size <= size) {
    try {
      const b = await file.read(cuesEl.at, cuesEl.at + cuesEl.size);
      const set = new Set<number>();
      for (const cp of children(b, 0, b.length, cuesEl.at, err)) {
        if (cp.id !== ID.CuePoint) continue;
        for (const tp of children(b, cp.at, cp.at + cp.size, cuesEl.at, err)) {
          if (tp.id !== ID.CueTrackPositions) continue;
          let t = -1;
          let cl = -1;
          for (const c of children(b, tp.at, tp.at + tp.size, cuesEl.at, err)) {
            if (c.id === ID.CueTrack) t = uint(b, c.at, c.size);
            else if (c.id === ID.CueClusterPosition) cl = uint(b, c.at, c.size);
          }
          if (t === track.number && cl >= 0) {
            cuePoints++;
            const abs = segStart + cl;
            if (abs > firstCluster && abs < segEnd) set.add(abs);
          }
        }
      }
      starts.push(...[...set].sort((a, b2) => a - b2));
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      starts.length = 0; // damaged Cues: they are only a shortcut
      cuePoints = 0;
    }
  }

  const result: MkvVideoIndex = {
    trackNumber: track.number,
    codecId: track.codecId,
    codecPrivate: track.codecPrivate,
    width: track.width,
    height: track.height,
    timestampScale,
    timeBase: reduce(timestampScale, 1e9),
    defaultDuration: track.defaultDuration,
    durationSeconds: durationTicks !== null && Number.isFinite(durationTicks) ? (durationTicks * timestampScale) / 1e9 : null,
    offsets: [],
    sizes: [],
    pts: [],
    keys: [],
    cuePoints,
    runs: 0,
    clusters: 0,
    reads: cur.reads,
    bytesRead: cur.bytes,
    truncated: false,
  };
  if (firstCluster < 0) return result;

  // a few runs of similar byte length, each starting at a cue-given cluster
  const conc = Math.max(1, opts.concurrency ?? CONCURRENCY);
  const step = Math.max((segEnd - firstCluster) / conc, opts.minRun ?? MIN_RUN);
  const runs = [firstCluster];
  for (const s of starts) if (s >= runs[runs.length - 1] + step) runs.push(s);
  result.runs = runs.length;
  let parts: Frames[] | null = null;
  let extraReads = 0;
  let extraBytes = 0;
  if (runs.length > 1) {
    // concurrent walks, each from a cue-given cluster to the next; they must meet exactly
    const out: (Frames | null)[] = new Array(runs.length).fill(null);
    let next = 0;
    let ok = true;
    const worker = async () => {
      while (ok && next < runs.length) {
        const i = next++;
        const c = new Cursor(file);
        const head = await c.header(runs[i], err).catch(() => null);
        if (!head || head.id !== ID.Cluster) {
          ok = false;
          return;
        }
        const stop = i + 1 < runs.length ? runs[i + 1] : segEnd;
        const f = await walk(file, c, runs[i], stop, segEnd, track.number, err);
        extraReads += c.reads;
        extraBytes += c.bytes;
        if (i + 1 < runs.length && (f.end !== stop || f.truncated)) ok = false;
        out[i] = f;
      }
    };
    await Promise.all(Array.from({ length: Math.min(conc, runs.length) }, worker));
    if (ok) parts = out as Frames[];
  }
  if (!parts) {
    result.runs = 1;
    const c = new Cursor(file);
    parts = [await walk(file, c, firstCluster, segEnd, segEnd, track.number, err)];
    extraReads += c.reads;
    extraBytes += c.bytes;
  }
  for (const f of parts) {
    for (let i = 0; i < f.offsets.length; i++) {
      result.offsets.push(f.offsets[i]);
      result.sizes.push(f.sizes[i]);
      result.pts.push(f.pts[i]);
      result.keys.push(f.keys[i]);
    }
    result.clusters += f.clusters;
    result.truncated ||= f.truncated;
  }
  result.reads = cur.reads + extraReads;
  result.bytesRead = cur.bytes + extraBytes;
  return result;
}

function reduce(a: number, b: number): [number, number] {
  const g = (x: number, y: number): number => (y ? g(y, x % y) : x);
  const d = g(a, b) || 1;
  return [a / d, b / d];
}
