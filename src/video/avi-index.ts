/**
 * Frame index of an MJPEG AVI (the imgstore `mjpeg/avi` chunk format): where each video frame's
 * JPEG lies in the file, from the RIFF `idx1` index (offsets relative to the `movi` list or
 * absolute, both seen in the wild), or — without `idx1`, and for OpenDML `AVIX` extensions — by
 * walking the `movi` lists' chunk headers. Only the first video stream (`00dc` / `00db`) is used.
 * A zero-length frame chunk repeats the previous frame (AVI "drop" convention).
 * Reads only headers and the index, never frame data; every loop is bounded by the file size.
 */
import { FormatError } from '../errors';
import type { SourceFile } from '../types';

export interface AviFrameIndex {
  /** absolute byte offset of each frame's data */
  offsets: number[];
  sizes: number[];
}

const fourcc = (b: Uint8Array, o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const isVideoChunk = (id: string) => id === '00dc' || id === '00db';

/** The frame index of an AVI, or null when the file is not a RIFF AVI. Throws FormatError for a damaged index. */
export async function readAviIndex(file: SourceFile): Promise<AviFrameIndex | null> {
  const size = file.size;
  const head = await file.read(0, Math.min(size, 12));
  if (head.length < 12 || fourcc(head, 0) !== 'RIFF' || fourcc(head, 8) !== 'AVI ') return null;
  const err = (reason: string, offset?: number) => new FormatError('imgstore', file.path, `AVI: ${reason}`, offset);

  // top-level: the first RIFF 'AVI ' and any following RIFF 'AVIX' (OpenDML)
  const movis: { start: number; end: number }[] = [];
  let idx1: { pos: number; size: number } | null = null;
  let riff = 0;
  for (let r = 0; r < 4096 && riff + 12 <= size; r++) {
    const rh = await file.read(riff, riff + 12);
    if (rh.length < 12 || fourcc(rh, 0) !== 'RIFF') break;
    const rEnd = Math.min(size, riff + 8 + u32(rh, 4));
    let pos = riff + 12;
    for (let k = 0; k < 100000 && pos + 8 <= rEnd; k++) {
      const h = await file.read(pos, Math.min(size, pos + 12));
      if (h.length < 8) break;
      const id = fourcc(h, 0);
      const len = u32(h, 4);
      if (id === 'LIST' && h.length >= 12 && fourcc(h, 8) === 'movi') movis.push({ start: pos + 8, end: Math.min(size, pos + 8 + len) });
      else if (id === 'idx1' && r === 0) idx1 = { pos: pos + 8, size: Math.min(len, size - pos - 8) };
      pos += 8 + len + (len & 1);
    }
    riff = riff + 8 + u32(rh, 4);
    riff += riff & 1;
  }
  if (!movis.length) throw err("no 'movi' list (truncated or not a video AVI)", 12);

  const offsets: number[] = [];
  const sizes: number[] = [];
  const push = (off: number, len: number) => {
    if (len === 0 && offsets.length) {
      offsets.push(offsets[offsets.length - 1]);
      sizes.push(sizes[sizes.length - 1]);
    } else if (len > 0 && off + len <= size) {
      offsets.push(off);
      sizes.push(len);
    }
  };

  let usedIdx1 = false;
  if (idx1 && idx1.size >= 16) {
    const b = await file.read(idx1.pos, idx1.pos + idx1.size);
    const n = Math.floor(b.length / 16);
    let base: number | null = null;
    for (let i = 0; i < n; i++) {
      const id = fourcc(b, i * 16);
      if (!isVideoChunk(id)) continue;
      const off = u32(b, i * 16 + 8);
      const len = u32(b, i * 16 + 12);
      if (base === null) {
        // offsets are relative to the 'movi' fourcc, or absolute
        for (const cand of [movis[0].start, 0]) {
          const h = await file.read(cand + off, cand + off + 4);
          if (h.length === 4 && fourcc(h, 0) === id) {
            base = cand;
            break;
          }
        }
        if (base === null) throw err(`idx1 entry 0 does not point at a '${id}' chunk`, idx1.pos + i * 16);
      }
      push(base + off + 8, len);
    }
    usedIdx1 = offsets.length > 0;
  }
  // without idx1 (or for the AVIX extensions of an OpenDML file) walk the movi lists
  const toWalk = usedIdx1 ? movis.slice(1) : movis;
  for (const m of toWalk) {
    let pos = m.start + 4;
    const WINDOW = 1 << 16;
    let buf: Uint8Array = new Uint8Array(0);
    let bufAt = 0;
    for (let k = 0; k < 50_000_000 && pos + 8 <= m.end; k++) {
      if (pos < bufAt || pos + 12 > bufAt + buf.length) {
        bufAt = pos;
        buf = await file.read(pos, Math.min(size, pos + WINDOW));
        if (buf.length < 8) break;
      }
      const o = pos - bufAt;
      const id = fourcc(buf, o);
      const len = u32(buf, o + 4);
      if (id === 'LIST') {
        pos += 12; // descend into 'rec ' lists
        continue;
      }
      if (isVideoChunk(id)) push(pos + 8, len);
      pos += 8 + len + (len & 1);
    }
  }
  return { offsets, sizes };
}
