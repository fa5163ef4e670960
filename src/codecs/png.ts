/**
 * PNG decoder (pure TypeScript, inflate by fflate). Runs in Node, pages and workers.
 *
 * Supports every colour type (gray, gray+alpha, RGB, RGBA, palette) at every legal bit depth
 * (1, 2, 4, 8, 16), Adam7 interlacing, and palette transparency (tRNS → RGBA). Samples are
 * returned as stored: depths ≤ 8 in a Uint8Array (1/2/4-bit samples keep their small values,
 * `maxValue` says the range), 16-bit in a Uint16Array (host order). Palette images are expanded
 * to RGB (or RGBA with tRNS) 8-bit. tRNS for gray/RGB images is reported (`transparentColor`) but
 * not turned into an alpha channel. CRCs are verified.
 */
import { crc32 } from './crc32';
import { inflateBoundedSync } from './inflate-bounded';
import { FormatError } from '../core/errors';

/** A decoded raster, shared by the pure-TS image codecs (png, pnm, bmp, tiff). */
export interface Raster {
  width: number;
  height: number;
  /** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (interleaved, channel fastest, rows top to bottom) */
  channels: 1 | 2 | 3 | 4;
  /** bits per sample of `data` as stored in the file (1..16) */
  bitDepth: number;
  /** largest possible sample value (2^bitDepth - 1, or a PNM maxval) */
  maxValue: number;
  data: Uint8Array | Uint16Array;
}

export interface PngRaster extends Raster {
  /** tRNS colour key of a gray/RGB image (samples), if present */
  transparentColor?: number[];
  interlaced: boolean;
}

const SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Refuse images whose decoded size exceeds this (bytes of unfiltered scanlines). */
const MAX_RAW_BYTES = 1 << 30;

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
/** Adam7 passes: x0, y0, dx, dy */
export const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** True when the bytes start with the PNG signature. */
export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && SIG.every((v, i) => b[i] === v);
}

export function decodePng(bytes: Uint8Array, path = 'image.png'): PngRaster {
  const err = (reason: string, offset?: number) => new FormatError('png', path, reason, offset);
  if (!isPng(bytes)) throw err('not a PNG file (signature \\x89PNG\\r\\n\\x1a\\n expected)', 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let ctype = -1;
  let interlace = 0;
  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let idatLen = 0;
  let sawEnd = false;
  while (pos < bytes.length) {
    if (pos + 12 > bytes.length)
      throw err(
        `the file ends at byte ${bytes.length.toLocaleString('en-US')}, inside the 12-byte header of the chunk at byte ${pos.toLocaleString('en-US')}${sawEnd ? '' : ' (no IEND yet)'}: the file is truncated`,
        pos,
      );
    const len = dv.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (len > 0x7fffffff)
      throw err(`chunk ${JSON.stringify(type)} declares ${len.toLocaleString('en-US')} bytes (over PNG's 2^31 − 1 limit: a damaged length)`, pos);
    if (pos + 12 + len > bytes.length)
      throw err(
        `the file ends at byte ${bytes.length.toLocaleString('en-US')} but chunk ${type} needs ${(12 + len).toLocaleString('en-US')} bytes from byte ${pos.toLocaleString('en-US')} (to byte ${(pos + 12 + len).toLocaleString('en-US')}): the file is truncated`,
        pos,
      );
    const d0 = pos + 8;
    const crc = dv.getUint32(d0 + len);
    if (crc32(bytes.subarray(pos + 4, d0 + len)) !== crc) throw err(`CRC mismatch in chunk ${type}`, pos);
    if (type === 'IHDR') {
      if (len !== 13) throw err('IHDR must be 13 bytes', pos);
      width = dv.getUint32(d0);
      height = dv.getUint32(d0 + 4);
      depth = bytes[d0 + 8];
      ctype = bytes[d0 + 9];
      interlace = bytes[d0 + 12];
      if (!(ctype in CHANNELS) || !DEPTHS[ctype].includes(depth)) throw err(`invalid colour type ${ctype} / bit depth ${depth}`, d0 + 8);
      if (bytes[d0 + 10] !== 0 || bytes[d0 + 11] !== 0) throw err('unknown compression or filter method', d0 + 10);
      if (interlace > 1) throw err(`unknown interlace method ${interlace}`, d0 + 12);
      if (width === 0 || height === 0) throw err(`empty image ${width}x${height}`, d0);
    } else if (ctype < 0) {
      throw err(`first chunk must be IHDR, got ${type}`, pos);
    } else if (type === 'PLTE') {
      if (len % 3 !== 0 || len === 0 || len > 768) throw err(`bad PLTE length ${len}`, pos);
      palette = bytes.subarray(d0, d0 + len);
    } else if (type === 'tRNS') {
      trns = bytes.subarray(d0, d0 + len);
    } else if (type === 'IDAT') {
      idat.push(bytes.subarray(d0, d0 + len));
      idatLen += len;
    } else if (type === 'IEND') {
      sawEnd = true;
      break;
    } else if (!(bytes[pos + 4] & 0x20)) {
      throw err(`unknown critical chunk ${type}`, pos);
    }
    pos = d0 + len + 4;
  }
  if (ctype < 0) throw err('no IHDR chunk', 8);
  if (!idat.length) throw err('no IDAT chunk (truncated file?)', pos);
  if (ctype === 3 && !palette) throw err('palette image without PLTE chunk', pos);
  void sawEnd; // a missing IEND is tolerated when the image data is complete

  const nch = CHANNELS[ctype];
  const bitsPP = nch * depth;
  const bpp = Math.max(1, bitsPP >> 3); // filter byte distance
  const passes = interlace
    ? ADAM7.map(([x0, y0, dx, dy]) => ({
        x0,
        y0,
        dx,
        dy,
        w: Math.ceil((width - x0) / dx) > 0 ? Math.ceil((width - x0) / dx) : 0,
        h: Math.ceil((height - y0) / dy) > 0 ? Math.ceil((height - y0) / dy) : 0,
      }))
    : [{ x0: 0, y0: 0, dx: 1, dy: 1, w: width, h: height }];
  let rawSize = 0;
  for (const p of passes) if (p.w && p.h) rawSize += p.h * (1 + Math.ceil((p.w * bitsPP) / 8));
  if (rawSize > MAX_RAW_BYTES) throw err(`image ${width}x${height} too large`, 16);

  const z = new Uint8Array(idatLen);
  {
    let o = 0;
    for (const c of idat) {
      z.set(c, o);
      o += c.length;
    }
  }
  let raw: Uint8Array;
  try {
    // a little excess is tolerated (and dropped) as libpng does; more is damage or a bomb
    raw = inflateBoundedSync(z, 'deflate', { maxOut: rawSize + 65536, expected: rawSize });
    if (raw.length > rawSize) raw = raw.subarray(0, rawSize);
  } catch (e) {
    throw err(
      `IDAT image data (${idatLen.toLocaleString('en-US')} compressed bytes for ${rawSize.toLocaleString('en-US')} bytes of rows): ${(e as Error).message}`,
    );
  }
  if (raw.length < rawSize) throw err(`image data ends early: ${raw.length} of ${rawSize} bytes after inflate (truncated file?)`);

  const outCh = ctype === 3 ? (trns ? 4 : 3) : nch;
  const n = width * height * outCh;
  const out16 = depth === 16 ? new Uint16Array(n) : null;
  const out8 = depth === 16 ? null : new Uint8Array(n);
  let palRGBA: Uint8Array | null = null;
  if (ctype === 3 && palette) {
    palRGBA = new Uint8Array(256 * 4);
    for (let i = 0; i < 256; i++) {
      if (i * 3 < palette.length) {
        palRGBA[i * 4] = palette[i * 3];
        palRGBA[i * 4 + 1] = palette[i * 3 + 1];
        palRGBA[i * 4 + 2] = palette[i * 3 + 2];
      }
      palRGBA[i * 4 + 3] = trns && i < trns.length ? trns[i] : 255;
    }
  }

  let rp = 0;
  for (const p of passes) {
    if (!p.w || !p.h) continue;
    const stride = Math.ceil((p.w * bitsPP) / 8);
    let prev = new Uint8Array(stride);
    let cur = new Uint8Array(stride);
    for (let y = 0; y < p.h; y++) {
      const ft = raw[rp];
      const line = raw.subarray(rp + 1, rp + 1 + stride);
      rp += 1 + stride;
      unfilter(ft, line, prev, cur, bpp, err);
      // write pixels of this row
      const oy = p.y0 + y * p.dy;
      if (depth === 16) {
        for (let x = 0; x < p.w; x++) {
          const o = (oy * width + p.x0 + x * p.dx) * outCh;
          for (let c = 0; c < nch; c++) out16![o + c] = (cur[(x * nch + c) * 2] << 8) | cur[(x * nch + c) * 2 + 1];
        }
      } else if (depth === 8) {
        if (palRGBA) {
          for (let x = 0; x < p.w; x++) {
            const o = (oy * width + p.x0 + x * p.dx) * outCh;
            const pi = cur[x] * 4;
            for (let c = 0; c < outCh; c++) out8![o + c] = palRGBA[pi + c];
          }
        } else if (p.dx === 1) {
          out8!.set(cur.subarray(0, p.w * nch), oy * width * nch);
        } else {
          for (let x = 0; x < p.w; x++) {
            const o = (oy * width + p.x0 + x * p.dx) * nch;
            for (let c = 0; c < nch; c++) out8![o + c] = cur[x * nch + c];
          }
        }
      } else {
        // 1, 2, 4-bit: gray or palette, one sample per pixel
        const mask = (1 << depth) - 1;
        for (let x = 0; x < p.w; x++) {
          const bit = x * depth;
          const v = (cur[bit >> 3] >> (8 - depth - (bit & 7))) & mask;
          const o = (oy * width + p.x0 + x * p.dx) * outCh;
          if (palRGBA) for (let c = 0; c < outCh; c++) out8![o + c] = palRGBA[v * 4 + c];
          else out8![o] = v;
        }
      }
      const t = prev;
      prev = cur;
      cur = t;
    }
  }

  const res: PngRaster = {
    width,
    height,
    channels: outCh as 1 | 2 | 3 | 4,
    bitDepth: ctype === 3 ? 8 : depth,
    maxValue: ctype === 3 ? 255 : (1 << depth) - 1,
    data: (out16 ?? out8)!,
    interlaced: interlace === 1,
  };
  if (trns && (ctype === 0 || ctype === 2) && trns.length >= 2 * nch) {
    const tv = new DataView(trns.buffer, trns.byteOffset, trns.byteLength);
    res.transparentColor = Array.from({ length: nch }, (_, i) => tv.getUint16(i * 2));
  }
  return res;
}

function unfilter(ft: number, line: Uint8Array, prev: Uint8Array, cur: Uint8Array, bpp: number, err: (r: string, o?: number) => FormatError): void {
  const n = line.length;
  switch (ft) {
    case 0:
      cur.set(line);
      break;
    case 1:
      for (let i = 0; i < n; i++) cur[i] = (line[i] + (i >= bpp ? cur[i - bpp] : 0)) & 0xff;
      break;
    case 2:
      for (let i = 0; i < n; i++) cur[i] = (line[i] + prev[i]) & 0xff;
      break;
    case 3:
      for (let i = 0; i < n; i++) cur[i] = (line[i] + (((i >= bpp ? cur[i - bpp] : 0) + prev[i]) >> 1)) & 0xff;
      break;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? cur[i - bpp] : 0;
        const b = prev[i];
        const c = i >= bpp ? prev[i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        cur[i] = (line[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
      break;
    default:
      throw err(`bad scanline filter type ${ft}`);
  }
}
