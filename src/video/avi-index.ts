/**
 * Frame table of the first video stream of a RIFF AVI, read from the container's own indexes
 * without touching frame data: the OpenDML super index (`indx` in the stream header list) and its
 * standard indexes (`ix##` chunks), else the AVI 1.0 `idx1` index, else — for a file whose index
 * was cut off, and for RIFF `AVIX` segments no index covers — a walk over the `movi` chunk headers.
 *
 * Conventions follow ffmpeg's AVI demuxer, so that the table matches what ffprobe reports:
 * - stream `nn` owns chunks `nndc` / `nndb` (and `nnpc` palette changes, ignored);
 * - the presentation time stamp of a frame is its position among the stream's chunks (every chunk,
 *   including zero-size "drop" chunks, advances it by one), offset by the stream's `dwStart`;
 *   time = pts · dwScale / dwRate;
 * - zero-size chunks and entries repeating the previous position are not frames;
 * - keyframes: the AVIIF_KEYFRAME flag of `idx1` (when no entry has it, the first frame is key),
 *   bit 31 clear in an OpenDML standard index entry; a header walk cannot tell, so there only the
 *   first frame is key unless the codec is intra-only (MJPEG, raw, PNG, ...).
 * Every loop is bounded by the file size and every read by the element sizes the file declares.
 */
import { FormatError } from '../core/errors';
import type { SourceFile } from '../core/types';

export interface AviVideoIndex {
  /** stream number of the video stream (the `nn` of its chunk ids) */
  stream: number;
  /** codec four-character code: BITMAPINFOHEADER biCompression, else the strh handler */
  fourcc: string;
  width: number;
  height: number;
  /** strh dwScale / dwRate: the stream time base in seconds, reduced */
  timeBase: [number, number];
  /** strh dwLength: frames the stream header declares (OpenDML: dmlh dwTotalFrames when larger) */
  declaredLength: number;
  /** absolute byte offset of each frame's data, file order (= decode order) */
  offsets: number[];
  sizes: number[];
  /** presentation time stamp of each frame in `timeBase` units */
  pts: number[];
  keys: boolean[];
  /** zero-size (drop) chunks seen: they advance the time but hold no frame */
  drops: number;
  /** where the table came from */
  source: 'odml' | 'idx1' | 'scan' | 'idx1+scan' | 'odml+scan';
  /** chunks were cut off by the end of the file (index entries or walked chunks past EOF) */
  truncated: boolean;
}

/** Legacy view for the imgstore MJPEG path: one entry per frame, a drop chunk repeats the previous frame. */
export interface AviFrameIndex {
  /** absolute byte offset of each frame's data */
  offsets: number[];
  sizes: number[];
}

const fourccAt = (b: Uint8Array, o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const i32 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 2 ** 32;
const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

const MAX_HDRL = 16 << 20;
const IDX_READ = 1 << 20;
const AVIIF_KEYFRAME = 0x10;
/** chunks smaller than this are read through rather than seeked past when walking a movi list */
const READ_THROUGH_CHUNK = 384 << 10;
/** codecs whose every frame is a keyframe (for tables built without an index) */
const INTRA_ONLY = new Set([
  'MJPG',
  'mjpg',
  'AVRn',
  'LJPG',
  'JPGL',
  'dmb1',
  'MJLS',
  'png ',
  'MPNG',
  'DIB ',
  'RGB ',
  'raw ',
  '\0\0\0\0',
  'Y800',
  'Y8  ',
  'GREY',
  'UYVY',
  'YUY2',
  'v210',
  'HFYU',
  'FFVH',
  'UTVD',
  'ULRG',
  'ULY0',
  'ULY2',
  'ULH0',
  'ULH2',
  'ULRA',
  'MLRG',
]);

interface Strl {
  type: string;
  handler: string;
  scale: number;
  rate: number;
  start: number;
  length: number;
  sampleSize: number;
  width: number;
  height: number;
  compression: string | null;
  /** position and length of the payload of an `indx` chunk */
  indx: { pos: number; len: number } | null;
}

interface Layout {
  streams: Strl[];
  totalFramesOdml: number;
  movis: { start: number; end: number }[];
  /** payload position, bytes present and bytes declared */
  idx1: { pos: number; len: number; declared: number } | null;
}

/** Header facts and the positions of `movi` lists and `idx1`; reads only list/chunk headers and `hdrl`. */
async function layout(file: SourceFile, err: (reason: string, offset?: number) => FormatError): Promise<Layout | null> {
  const size = file.size;
  const head = await file.read(0, Math.min(size, 12));
  if (head.length < 12 || fourccAt(head, 0) !== 'RIFF' || fourccAt(head, 8) !== 'AVI ') return null;
  const out: Layout = { streams: [], totalFramesOdml: 0, movis: [], idx1: null };
  let hdrlSeen = false;
  let riff = 0;
  const maxSteps = Math.max(64, Math.ceil(size / 8));
  let steps = 0;
  for (let r = 0; riff + 12 <= size && steps < maxSteps; r++) {
    const rh = await file.read(riff, riff + 12);
    if (rh.length < 12 || fourccAt(rh, 0) !== 'RIFF') break;
    const kind = fourccAt(rh, 8);
    if (r > 0 && kind !== 'AVIX') break;
    const declared = u32(rh, 4);
    const rEnd = Math.min(size, riff + 8 + declared);
    let pos = riff + 12;
    while (pos + 8 <= rEnd && steps++ < maxSteps) {
      const h = await file.read(pos, Math.min(size, pos + 12));
      if (h.length < 8) break;
      const id = fourccAt(h, 0);
      const len = u32(h, 4);
      if (id === 'LIST' && h.length >= 12) {
        const listType = fourccAt(h, 8);
        if (listType === 'movi') out.movis.push({ start: pos + 8, end: Math.min(size, pos + 8 + len) });
        else if (listType === 'hdrl' && r === 0 && !hdrlSeen) {
          hdrlSeen = true;
          if (len > MAX_HDRL) throw err(`header list of ${len} bytes is implausibly large`, pos);
          if (pos + 8 + len > size) throw err(`header list (${len} bytes) runs past the end of the file (cut inside its header)`, pos);
          const hdrl = await file.read(pos + 12, pos + 8 + len);
          parseHdrl(hdrl, pos + 12, out, err);
        }
      } else if (id === 'idx1' && r === 0) out.idx1 = { pos: pos + 8, len: Math.min(len, Math.max(0, size - pos - 8)), declared: len };
      if (len > 0xffffffff - 9) break;
      pos += 8 + len + (len & 1);
    }
    if (declared === 0) break; // a RIFF header that was never finalised: nothing follows it
    riff += 8 + declared + (declared & 1);
  }
  if (!hdrlSeen) throw err("no 'hdrl' header list (truncated or not a video AVI)", 12);
  return out;
}

/** Stream headers from the payload of `LIST hdrl` (at absolute offset `base`). */
function parseHdrl(b: Uint8Array, base: number, out: Layout, err: (reason: string, offset?: number) => FormatError): void {
  let pos = 0;
  for (let k = 0; k < 10_000 && pos + 8 <= b.length; k++) {
    const id = fourccAt(b, pos);
    const len = u32(b, pos + 4);
    const end = Math.min(b.length, pos + 8 + len);
    if (id === 'LIST' && len >= 4 && pos + 12 <= b.length) {
      const t = fourccAt(b, pos + 8);
      if (t === 'strl') {
        const s: Strl = { type: '', handler: '', scale: 0, rate: 0, start: 0, length: 0, sampleSize: 0, width: 0, height: 0, compression: null, indx: null };
        let p = pos + 12;
        for (let j = 0; j < 1000 && p + 8 <= end; j++) {
          const cid = fourccAt(b, p);
          const clen = u32(b, p + 4);
          const d = p + 8;
          if (cid === 'strh') {
            if (clen < 48 || d + 48 > b.length) throw err(`stream header of ${clen} bytes is too short (48 expected)`, base + p);
            s.type = fourccAt(b, d);
            s.handler = fourccAt(b, d + 4);
            s.scale = u32(b, d + 20);
            s.rate = u32(b, d + 24);
            s.start = u32(b, d + 28);
            s.length = u32(b, d + 32);
            s.sampleSize = u32(b, d + 44);
          } else if (cid === 'strf' && s.type === 'vids' && clen >= 20 && d + 20 <= b.length) {
            s.width = i32(b, d + 4);
            s.height = Math.abs(i32(b, d + 8));
            s.compression = fourccAt(b, d + 16);
          } else if (cid === 'indx') {
            s.indx = { pos: base + d, len: Math.min(clen, b.length - d) };
          }
          p = d + clen + (clen & 1);
        }
        // ffmpeg does not number 'pads' streams
        if (s.type !== 'pads') out.streams.push(s);
      } else if (t === 'odml') {
        let p = pos + 12;
        for (let j = 0; j < 100 && p + 8 <= end; j++) {
          const cid = fourccAt(b, p);
          const clen = u32(b, p + 4);
          if (cid === 'dmlh' && clen >= 4 && p + 12 <= b.length) out.totalFramesOdml = u32(b, p + 8);
          p += 8 + clen + (clen & 1);
        }
      }
    }
    pos += 8 + len + (len & 1);
  }
}

/** One frame-table builder shared by the three sources. */
class Table {
  offsets: number[] = [];
  sizes: number[] = [];
  pts: number[] = [];
  keys: boolean[] = [];
  drops = 0;
  truncated = false;
  private lastPos = -1;
  constructor(
    private ts: number,
    private readonly fileSize: number,
  ) {}
  get nextPts(): number {
    return this.ts;
  }
  /** `pos` = data offset. Returns false once an entry lies past the end of the file. */
  add(pos: number, len: number, key: boolean): boolean {
    if (len === 0) {
      this.drops++;
      this.ts++;
      return true;
    }
    if (pos === this.lastPos) {
      this.ts++;
      return true;
    }
    if (pos + len > this.fileSize) {
      this.truncated = true;
      return false;
    }
    this.offsets.push(pos);
    this.sizes.push(len);
    this.pts.push(this.ts);
    this.keys.push(key);
    this.ts++;
    this.lastPos = pos;
    return true;
  }
}

const isFrameChunk = (id: string, prefix: string) => id.startsWith(prefix) && (id.endsWith('dc') || id.endsWith('db'));

/** Standard (`ix##`) or super (`indx`) OpenDML index entries → table. Returns the movi lists covered. */
async function readOdml(
  file: SourceFile,
  indx: { pos: number; len: number },
  prefix: string,
  table: Table,
  err: (reason: string, offset?: number) => FormatError,
): Promise<{ covered: Set<number>; complete: boolean }> {
  const covered = new Set<number>();
  const b = await file.read(indx.pos, indx.pos + indx.len);
  if (b.length < 24) throw err(`OpenDML index of ${b.length} bytes is shorter than its 24-byte header`, indx.pos);
  const longsPerEntry = u16(b, 0);
  const subType = b[2];
  const type = b[3];
  const n = u32(b, 4);
  if (type === 0) {
    // super index: entries {qwOffset, dwSize, dwDuration} of the ix## chunks
    if (longsPerEntry !== 4 || subType !== 0)
      throw err(`OpenDML super index with ${longsPerEntry} longs per entry / sub-type ${subType} (4 / 0 expected)`, indx.pos);
    if (24 + n * 16 > b.length) throw err(`OpenDML super index lists ${n} entries but holds room for ${Math.floor((b.length - 24) / 16)}`, indx.pos + 4);
    for (let i = 0; i < n; i++) {
      const e = 24 + i * 16;
      const off = u64(b, e);
      const len = u32(b, e + 8);
      if (off === 0 && len === 0) continue; // unused slot
      if (off + 8 > file.size || off + len > file.size) {
        table.truncated = true;
        return { covered, complete: false };
      }
      const h = await file.read(off, off + 8);
      const id = fourccAt(h, 0);
      const chunkLen = u32(h, 4);
      if (!(id.startsWith('ix') || id.endsWith('ix')) || chunkLen < 24)
        throw err(`super index entry ${i} points at '${id.replace(/[^ -~]/g, '?')}' (an ix## chunk expected)`, indx.pos + e);
      if (off + 8 + chunkLen > file.size) {
        table.truncated = true;
        return { covered, complete: false };
      }
      const base = await readStdIndex(file, off + 8, chunkLen, prefix, table, err);
      if (base === null) return { covered, complete: false };
      covered.add(base);
    }
    return { covered, complete: true };
  }
  if (type === 1) {
    const base = await readStdIndex(file, indx.pos, indx.len, prefix, table, err);
    if (base !== null) covered.add(base);
    return { covered, complete: base !== null };
  }
  throw err(`OpenDML index type ${type} (0 = super index, 1 = standard index expected)`, indx.pos + 3);
}

/** A standard index (payload at `pos`). Returns its base offset, or null when an entry ran past EOF. */
async function readStdIndex(
  file: SourceFile,
  pos: number,
  len: number,
  prefix: string,
  table: Table,
  err: (reason: string, offset?: number) => FormatError,
): Promise<number | null> {
  const b = await file.read(pos, pos + len);
  if (b.length < 24) throw err(`OpenDML standard index of ${b.length} bytes is shorter than its 24-byte header`, pos);
  const longsPerEntry = u16(b, 0);
  const subType = b[2];
  const type = b[3];
  const n = u32(b, 4);
  const chunkId = fourccAt(b, 8);
  const base = u64(b, 12);
  if (type !== 1 || longsPerEntry !== 2 || subType !== 0)
    throw err(`OpenDML standard index of type ${type}, ${longsPerEntry} longs per entry, sub-type ${subType} (1, 2, 0 expected)`, pos);
  if (!chunkId.startsWith(prefix))
    throw err(`OpenDML standard index for chunks '${chunkId.replace(/[^ -~]/g, '?')}' in the video stream's index ('${prefix}dc' expected)`, pos + 8);
  if (24 + n * 8 > b.length) throw err(`OpenDML standard index lists ${n} entries but holds room for ${Math.floor((b.length - 24) / 8)}`, pos + 4);
  if (base >= file.size) {
    table.truncated = true;
    return null;
  }
  for (let i = 0; i < n; i++) {
    const e = 24 + i * 8;
    const off = u32(b, e);
    const raw = u32(b, e + 4);
    if (!table.add(base + off, raw & 0x7fffffff, (raw & 0x80000000) === 0)) return null;
  }
  return base;
}

/** AVI 1.0 `idx1` entries of the video stream → table (offsets relative to 'movi' or absolute). */
async function readIdx1(
  file: SourceFile,
  idx1: { pos: number; len: number; declared: number },
  movi: { start: number; end: number },
  prefix: string,
  table: Table,
  err: (reason: string, offset?: number) => FormatError,
): Promise<boolean> {
  const n = Math.floor(idx1.len / 16);
  let base: number | null = null;
  let anyKey = false;
  let firstFrame = -1;
  const chunkEntries = Math.floor(IDX_READ / 16);
  for (let c = 0; c < n; c += chunkEntries) {
    const m = Math.min(chunkEntries, n - c);
    const b = await file.read(idx1.pos + c * 16, idx1.pos + (c + m) * 16);
    if (b.length < m * 16) throw err(`idx1 index cut short (${b.length} of ${m * 16} bytes)`, idx1.pos + c * 16);
    for (let k = 0; k < m; k++) {
      const e = k * 16;
      const id = fourccAt(b, e);
      const flags = u32(b, e + 4);
      if (flags & AVIIF_KEYFRAME) anyKey = true;
      if (!id.startsWith(prefix)) continue;
      if (id.endsWith('pc')) continue;
      const off = u32(b, e + 8);
      const len = u32(b, e + 12);
      if (base === null) {
        if (len === 0) {
          // a leading drop entry: its offset may point anywhere; it only advances the time
          table.add(-1, 0, false);
          continue;
        }
        for (const cand of [movi.start, 0]) {
          const h = await file.read(cand + off, cand + off + 4);
          if (h.length === 4 && fourccAt(h, 0) === id) {
            base = cand;
            break;
          }
        }
        if (base === null) throw err(`idx1 entry ${c + k} does not point at a '${id.replace(/[^ -~]/g, '?')}' chunk`, idx1.pos + (c + k) * 16);
      }
      const before = table.offsets.length;
      if (!table.add(base + off + 8, len, (flags & AVIIF_KEYFRAME) !== 0)) return true;
      if (firstFrame < 0 && table.offsets.length > before) firstFrame = before;
    }
  }
  if (!anyKey && firstFrame >= 0) table.keys[firstFrame] = true;
  return table.offsets.length > 0 || table.drops > 0;
}

/** Walk the chunk headers of a `movi` list (descending into `rec ` lists). */
async function walkMovi(file: SourceFile, m: { start: number; end: number }, prefix: string, table: Table, intra: boolean): Promise<void> {
  const size = file.size;
  let pos = m.start + 4;
  let buf: Uint8Array = new Uint8Array(0);
  let bufAt = 0;
  let lastLen = 0;
  const maxSteps = Math.ceil((m.end - m.start) / 8) + 1;
  for (let k = 0; k < maxSteps && pos + 8 <= m.end; k++) {
    if (pos < bufAt || pos + 12 > bufAt + buf.length) {
      bufAt = pos;
      // small chunks: read through them in large windows (a read costs more than the bytes); large ones: seek
      buf = await file.read(pos, Math.min(size, pos + (lastLen < READ_THROUGH_CHUNK ? 4 << 20 : 64 << 10)));
      if (buf.length < 8) break;
    }
    const o = pos - bufAt;
    const id = fourccAt(buf, o);
    const len = u32(buf, o + 4);
    if (id === 'LIST') {
      pos += 12; // descend into 'rec ' lists
      continue;
    }
    lastLen = len;
    if (isFrameChunk(id, prefix)) {
      const first = table.offsets.length === 0;
      if (!table.add(pos + 8, len, intra || first)) break;
    }
    pos += 8 + len + (len & 1);
  }
  if (pos < m.end && pos + 8 > m.end) table.truncated = true;
}

/**
 * The frame table of the first video stream, or null when the file is not a RIFF AVI or has no video
 * stream. Throws FormatError (naming the file and the byte offset) for a damaged header or index.
 */
export async function readAviVideoIndex(file: SourceFile, opts: { format?: string } = {}): Promise<AviVideoIndex | null> {
  const err = (reason: string, offset?: number) => new FormatError(opts.format ?? 'video', file.path, `AVI: ${reason}`, offset);
  const lay = await layout(file, err);
  if (!lay) return null;
  const vi = lay.streams.findIndex((s) => s.type === 'vids');
  if (vi < 0) return null;
  const s = lay.streams[vi];
  if (!lay.movis.length) throw err("no 'movi' list (truncated or not a video AVI)", 12);
  const prefix = String(vi).padStart(2, '0');
  let scale = s.scale;
  let rate = s.rate;
  if (!(scale && rate)) {
    scale = 1;
    rate = 25;
  }
  const g = gcd(scale, rate);
  const table = new Table(s.start * Math.max(1, s.sampleSize), file.size);
  const fourcc = s.compression && s.compression !== '\0\0\0\0' ? s.compression : s.handler;
  const intra = INTRA_ONLY.has(fourcc) || INTRA_ONLY.has(s.handler);

  let source: AviVideoIndex['source'] = 'scan';
  let covered = new Set<number>();
  if (s.indx && s.indx.len >= 24) {
    covered = (await readOdml(file, s.indx, prefix, table, err)).covered;
    if (table.offsets.length || table.drops) source = 'odml';
  }
  // idx1 (AVI 1.0) when there is no usable OpenDML index; one cut short is ignored (the walk below reads every frame)
  if (source === 'scan' && lay.idx1 && lay.idx1.len >= 16 && lay.idx1.len === lay.idx1.declared) {
    if (await readIdx1(file, lay.idx1, lay.movis[0], prefix, table, err)) {
      source = 'idx1';
      covered = new Set([lay.movis[0].start]);
    }
  }
  // movi lists no index covers (no index at all, AVIX segments whose ix## was cut off)
  const rest = lay.movis.filter((m) => ![...covered].some((c) => c >= m.start && c < m.end));
  for (const m of rest) await walkMovi(file, m, prefix, table, intra);
  if (rest.length && source !== 'scan') source = source === 'odml' ? 'odml+scan' : 'idx1+scan';
  return {
    stream: vi,
    fourcc,
    width: s.width,
    height: s.height,
    timeBase: [scale / g, rate / g],
    declaredLength: Math.max(s.length, lay.totalFramesOdml),
    offsets: table.offsets,
    sizes: table.sizes,
    pts: table.pts,
    keys: table.keys,
    drops: table.drops,
    source,
    truncated: table.truncated,
  };
}

/**
 * Frame index of an AVI for the imgstore MJPEG path: every video chunk in order, a zero-size chunk
 * repeating the previous frame (AVI "drop" convention). Null when the file is not a RIFF AVI.
 * Throws FormatError (format 'imgstore' unless told otherwise) for a damaged header or index.
 */
export async function readAviIndex(file: SourceFile, format = 'imgstore'): Promise<AviFrameIndex | null> {
  const idx = await readAviVideoIndex(file, { format });
  if (!idx) return null;
  if (!idx.drops) return { offsets: idx.offsets, sizes: idx.sizes };
  // re-insert the drops as repeats of the frame before them (pts gaps)
  const offsets: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < idx.offsets.length; i++) {
    if (i > 0) {
      for (let gap = idx.pts[i] - idx.pts[i - 1] - 1, k = 0; k < gap && k < 1_000_000; k++) {
        offsets.push(idx.offsets[i - 1]);
        sizes.push(idx.sizes[i - 1]);
      }
    }
    offsets.push(idx.offsets[i]);
    sizes.push(idx.sizes[i]);
  }
  return { offsets, sizes };
}
