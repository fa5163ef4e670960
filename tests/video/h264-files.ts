/**
 * Generated H.264 test movies with Debian's ffmpeg/x264 (Node only, for the random-access tests):
 * open-GOP (non-IDR I-frames with a recovery-point SEI and leading B-frames), closed GOP, and files
 * whose sync-sample table flags pictures that are no clean restart point (as some muxers write
 * them), plus the native sequential decode every random access is compared with.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { ffmpeg } from './native';

export const W = 160;
export const H = 96;
export const FRAME_BYTES = (W * H * 3) / 2;

/** A moving test pattern with a hard scene change every `cut` frames (so x264 inserts plain I-frames). */
function source(frames: number, cut: number): string[] {
  return [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${W}x${H}:rate=25`,
    '-f',
    'lavfi',
    '-i',
    `mandelbrot=size=${W}x${H}:rate=25`,
    '-filter_complex',
    `[0:v][1:v]blend=all_expr='if(mod(floor(N/${cut}),2),B,A)',format=yuv420p`,
    '-frames:v',
    String(frames),
  ];
}

/** Encode with libx264 (x264 params as given), B-frames and several references. */
export function encodeH264(out: string, frames: number, x264: string, opts: { cut?: number } = {}): void {
  ffmpeg([...source(frames, opts.cut ?? 1000), '-c:v', 'libx264', '-preset', 'veryfast', '-x264-params', x264, '-pix_fmt', 'yuv420p', out]);
}

/** Stream copy into another container (keeps the packets and their key flags). */
export function remux(from: string, to: string): void {
  ffmpeg(['-i', from, '-c', 'copy', to]);
}

/** Native sequential decode: SHA-1 of every frame's yuv420p planes, display order. */
export function sequentialHashes(path: string): string[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'], { maxBuffer: 1 << 30 });
  if (raw.length % FRAME_BYTES) throw new Error(`${path}: decoded ${raw.length} bytes, not whole ${W}x${H} frames`);
  const out: string[] = [];
  for (let k = 0; k < raw.length; k += FRAME_BYTES)
    out.push(
      createHash('sha1')
        .update(raw.subarray(k, k + FRAME_BYTES))
        .digest('hex'),
    );
  return out;
}

/** Picture types in decode order (I/P/B) and the key flags of the packets, via ffprobe. */
export function decodeOrderTypes(path: string): { type: string; key: boolean; pts: number }[] {
  const frames = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts,pict_type', '-of', 'csv=p=0', path])
    .toString()
    .trim()
    .split('\n')
    .map((l) => l.split(','))
    .filter((f) => f.length >= 2 && f[0] !== '');
  const typeByPts = new Map(frames.map(([pts, t]) => [Number(pts), t.trim()]));
  return execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,flags', '-of', 'csv=p=0', path])
    .toString()
    .trim()
    .split('\n')
    .map((l) => {
      const [pts, flags] = l.split(',');
      return { pts: Number(pts), key: flags.startsWith('K'), type: typeByPts.get(Number(pts)) ?? '?' };
    });
}

const u32 = (b: Buffer, at: number) => b.readUInt32BE(at);

/**
 * Rewrite the sync-sample table (moov/trak/mdia/minf/stbl/stss) of an MP4 whose moov follows mdat
 * (ffmpeg's default layout), so chunk offsets stay valid: `sync` are 0-based sample numbers.
 */
export function rewriteStss(path: string, sync: number[]): void {
  const b = readFileSync(path);
  const chain: { at: number; size: number }[] = [];
  const find = (from: number, to: number, type: string): { at: number; size: number } | null => {
    for (let p = from; p + 8 <= to; ) {
      const size = u32(b, p);
      if (size < 8) return null;
      if (b.toString('latin1', p + 4, p + 8) === type) return { at: p, size };
      p += size;
    }
    return null;
  };
  let mdatAt = -1;
  let moov: { at: number; size: number } | null = null;
  for (let p = 0; p + 8 <= b.length; ) {
    const size = u32(b, p);
    const type = b.toString('latin1', p + 4, p + 8);
    if (type === 'mdat') mdatAt = p;
    if (type === 'moov') moov = { at: p, size };
    p += size;
  }
  if (!moov || mdatAt < 0 || moov.at < mdatAt) throw new Error(`${path}: expected moov after mdat`);
  chain.push(moov);
  let cur = moov;
  for (const t of ['trak', 'mdia', 'minf', 'stbl']) {
    const next = find(cur.at + 8, cur.at + cur.size, t);
    if (!next) throw new Error(`${path}: no ${t}`);
    chain.push(next);
    cur = next;
  }
  const stss = find(cur.at + 8, cur.at + cur.size, 'stss');
  if (!stss) throw new Error(`${path}: no stss`);
  const body = Buffer.alloc(16 + 4 * sync.length);
  body.writeUInt32BE(body.length, 0);
  body.write('stss', 4, 'latin1');
  body.writeUInt32BE(0, 8);
  body.writeUInt32BE(sync.length, 12);
  sync.forEach((s, k) => body.writeUInt32BE(s + 1, 16 + 4 * k));
  const delta = body.length - stss.size;
  const out = Buffer.concat([b.subarray(0, stss.at), body, b.subarray(stss.at + stss.size)]);
  for (const box of chain) out.writeUInt32BE(box.size + delta, box.at);
  writeFileSync(path, out);
}

/**
 * Set the key flag of the SimpleBlocks holding the given frames (0-based, file order) of a
 * Matroska file's video track, as a muxer that flags every I-frame would (`dataOffsets` are the
 * frame data offsets from the Matroska index; the flags byte precedes the data of an unlaced block).
 */
export function setMkvKeyFlags(path: string, dataOffsets: number[], frames: number[]): void {
  const b = readFileSync(path);
  for (const k of frames) b[dataOffsets[k] - 1] |= 0x80;
  writeFileSync(path, b);
}
