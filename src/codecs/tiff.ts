/**
 * TIFF decoder for the images OpenCV / imgstore write and the common baseline cases: first IFD
 * only, strips (not tiles), chunky (interleaved) samples, 1/8/16 bits per sample, gray (min-is-black
 * or min-is-white), RGB(A), palette (expanded to RGB). Compression: none, LZW (OpenCV's default),
 * Deflate (8 / 32946) and PackBits, with the horizontal-differencing predictor (2).
 * Tiled, planar-separate, floating-point and JPEG-compressed TIFFs are rejected with a FormatError.
 */
import { inflateBoundedSync } from './inflate-bounded';
import { FormatError } from '../core/errors';
import type { Raster } from './png';

const MAX_PIXELS = 1 << 28;

export function isTiff(b: Uint8Array): boolean {
  return b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42));
}

type Err = (reason: string, offset?: number) => FormatError;

export function decodeTiff(bytes: Uint8Array, path = 'image.tif'): Raster {
  const err: Err = (reason, offset) => new FormatError('tiff', path, reason, offset);
  if (bytes.length < 8) throw err('truncated header', 0);
  if (!isTiff(bytes)) {
    if ((bytes[0] === 0x49 || bytes[0] === 0x4d) && (bytes[2] === 43 || bytes[3] === 43)) throw err('BigTIFF is not supported', 2);
    throw err("not a TIFF file ('II*\\0' or 'MM\\0*' expected)", 0);
  }
  const le = bytes[0] === 0x49;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => dv.getUint16(o, le);
  const u32 = (o: number) => dv.getUint32(o, le);
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > bytes.length) throw err(`first IFD offset ${ifd} outside the file`, 4);
  const n = u16(ifd);
  if (ifd + 2 + n * 12 > bytes.length) throw err(`IFD with ${n} entries runs past the end of the file`, ifd);
  const SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8 };
  const tags = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    const tag = u16(e);
    const type = u16(e + 2);
    const count = u32(e + 4);
    const size = SIZES[type];
    if (!size) continue;
    if (type !== 3 && type !== 4 && type !== 1) {
      if (tag === 339 || tag === 258 || tag === 273 || tag === 279) throw err(`tag ${tag} has unexpected type ${type}`, e);
      continue;
    }
    const total = size * count;
    const vo = total <= 4 ? e + 8 : u32(e + 8);
    if (count > bytes.length || vo + total > bytes.length) throw err(`tag ${tag} values outside the file`, e);
    const vals: number[] = new Array(count);
    for (let k = 0; k < count; k++) vals[k] = type === 1 ? bytes[vo + k] : type === 3 ? u16(vo + 2 * k) : u32(vo + 4 * k);
    tags.set(tag, vals);
  }
  const one = (tag: number, dflt?: number): number => {
    const v = tags.get(tag);
    if (v?.length) return v[0];
    if (dflt === undefined) throw err(`required tag ${tag} missing`, ifd);
    return dflt;
  };
  const width = one(256);
  const height = one(257);
  const spp = one(277, 1);
  const bits = tags.get(258) ?? [1];
  const bps = bits[0];
  const comp = one(259, 1);
  const photo = one(262, spp >= 3 ? 2 : 1);
  const planar = one(284, 1);
  const predictor = one(317, 1);
  const fmt = one(339, 1);
  if (!width || !height) throw err(`empty image ${width}x${height}`, ifd);
  if (width * height > MAX_PIXELS) throw err(`image ${width}x${height} too large`, ifd);
  if (tags.has(322) || tags.has(324)) throw err('tiled TIFF is not supported', ifd);
  if (planar !== 1 && spp > 1) throw err('planar-separate TIFF is not supported', ifd);
  if (bits.some((b) => b !== bps) || ![1, 8, 16].includes(bps)) throw err(`unsupported BitsPerSample ${bits.join(',')}`, ifd);
  if (fmt !== 1 && fmt !== 2) throw err(`unsupported SampleFormat ${fmt} (only integers)`, ifd);
  if (spp < 1 || spp > 4) throw err(`unsupported SamplesPerPixel ${spp}`, ifd);
  if (![0, 1, 2, 3].includes(photo)) throw err(`unsupported PhotometricInterpretation ${photo}`, ifd);
  if (![1, 5, 8, 32946, 32773].includes(comp)) throw err(`unsupported compression ${comp}`, ifd);
  const offsets = tags.get(273);
  const counts = tags.get(279);
  if (!offsets || !counts || offsets.length !== counts.length) throw err('StripOffsets/StripByteCounts missing or inconsistent', ifd);
  const rps = Math.min(one(278, height), height);
  const rowBytes = Math.ceil((width * spp * bps) / 8);
  const total = rowBytes * height;
  const raw = new Uint8Array(total);
  let filled = 0;
  for (let s = 0; s < offsets.length && filled < total; s++) {
    const off = offsets[s];
    const cnt = counts[s];
    if (off + cnt > bytes.length) throw err(`strip ${s} (${cnt} bytes at ${off}) runs past the end of the file (truncated?)`, off);
    const src = bytes.subarray(off, off + cnt);
    const want = Math.min(rowBytes * rps, total - filled);
    const dst = raw.subarray(filled, filled + want);
    let got: number;
    if (comp === 1) {
      got = Math.min(src.length, want);
      dst.set(src.subarray(0, got));
    } else if (comp === 5) got = lzwDecode(src, dst, err, off);
    else if (comp === 32773) got = packbitsDecode(src, dst);
    else {
      try {
        const r = inflateBoundedSync(src, 'deflate', { maxOut: want + 65536, expected: want });
        got = Math.min(r.length, want);
        dst.set(r.subarray(0, got));
      } catch (e) {
        throw err(`corrupt deflate data in strip ${s}: ${(e as Error).message}`, off);
      }
    }
    if (got < want) throw err(`strip ${s} decodes to ${got} of ${want} bytes`, off);
    filled += want;
  }
  if (filled < total) throw err(`image data covers ${filled} of ${total} bytes`, ifd);

  // predictor 2: horizontal differencing per sample
  if (predictor === 2) {
    if (bps === 8) {
      for (let y = 0; y < height; y++) {
        const r = y * rowBytes;
        for (let i = spp; i < width * spp; i++) raw[r + i] = (raw[r + i] + raw[r + i - spp]) & 0xff;
      }
    } else if (bps === 16) {
      for (let y = 0; y < height; y++) {
        const r = y * rowBytes;
        for (let i = spp; i < width * spp; i++) {
          const a = le ? raw[r + 2 * i] | (raw[r + 2 * i + 1] << 8) : (raw[r + 2 * i] << 8) | raw[r + 2 * i + 1];
          const p = r + 2 * (i - spp);
          const b = le ? raw[p] | (raw[p + 1] << 8) : (raw[p] << 8) | raw[p + 1];
          const v = (a + b) & 0xffff;
          if (le) {
            raw[r + 2 * i] = v & 0xff;
            raw[r + 2 * i + 1] = v >> 8;
          } else {
            raw[r + 2 * i] = v >> 8;
            raw[r + 2 * i + 1] = v & 0xff;
          }
        }
      }
    } else throw err('predictor 2 with 1-bit samples', ifd);
  } else if (predictor !== 1) throw err(`unsupported predictor ${predictor}`, ifd);

  const np = width * height;
  if (photo === 3) {
    const cmap = tags.get(320);
    const nc = 1 << bps;
    if (!cmap || cmap.length < 3 * nc || spp !== 1 || bps === 16) throw err('palette image without a usable ColorMap', ifd);
    const out = new Uint8Array(np * 3);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const idx = bps === 8 ? raw[y * rowBytes + x] : (raw[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1;
        for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = cmap[c * nc + idx] >> 8;
      }
    return { width, height, channels: 3, bitDepth: 8, maxValue: 255, data: out };
  }
  const channels = Math.min(spp, 4) as 1 | 2 | 3 | 4;
  const invert = photo === 0;
  if (bps === 16) {
    const out = new Uint16Array(np * spp);
    for (let y = 0; y < height; y++)
      for (let i = 0; i < width * spp; i++) {
        const p = y * rowBytes + 2 * i;
        const v = le ? raw[p] | (raw[p + 1] << 8) : (raw[p] << 8) | raw[p + 1];
        out[y * width * spp + i] = invert ? 0xffff - v : v;
      }
    return { width, height, channels, bitDepth: 16, maxValue: 65535, data: out };
  }
  if (bps === 1) {
    const out = new Uint8Array(np);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const b = (raw[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1;
        out[y * width + x] = invert ? 1 - b : b;
      }
    return { width, height, channels: 1, bitDepth: 1, maxValue: 1, data: out };
  }
  const out = invert ? raw.map((v) => 255 - v) : raw;
  return { width, height, channels, bitDepth: 8, maxValue: 255, data: out.subarray(0, np * spp) };
}

/** TIFF LZW (MSB-first codes, 9..12 bits, early change). Returns the number of bytes written. */
function lzwDecode(src: Uint8Array, dst: Uint8Array, err: Err, base: number): number {
  if (src.length >= 2 && src[0] === 0 && src[1] & 1) throw err('old-style (LSB-first) LZW is not supported', base);
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    length[i] = 1;
  }
  let next = 258;
  let width = 9;
  let bitPos = 0;
  const totalBits = src.length * 8;
  let out = 0;
  let old = -1;
  const firstChar = (code: number) => {
    let c = code;
    while (prefix[c] >= 0) c = prefix[c];
    return suffix[c];
  };
  const emit = (code: number): void => {
    const len = length[code];
    let p = out + len - 1;
    let c = code;
    for (let k = 0; k < len; k++) {
      if (p < dst.length) dst[p] = suffix[c];
      p--;
      c = prefix[c];
    }
    out += len;
  };
  while (bitPos + width <= totalBits && out < dst.length) {
    let code = 0;
    for (let k = 0; k < width; k++) {
      code = (code << 1) | ((src[(bitPos + k) >> 3] >> (7 - ((bitPos + k) & 7))) & 1);
    }
    bitPos += width;
    if (code === 257) break;
    if (code === 256) {
      next = 258;
      width = 9;
      old = -1;
      continue;
    }
    if (old < 0) {
      if (code > 255) throw err(`LZW: code ${code} after a clear code`, base + (bitPos >> 3));
      emit(code);
      old = code;
      continue;
    }
    if (code < next) {
      emit(code);
      addEntry(old, firstChar(code));
    } else if (code === next) {
      addEntry(old, firstChar(old));
      emit(code);
    } else throw err(`LZW: code ${code} beyond table size ${next}`, base + (bitPos >> 3));
    old = code;
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  return Math.min(out, dst.length);

  function addEntry(pre: number, ch: number): void {
    if (next >= 4096) return;
    prefix[next] = pre;
    suffix[next] = ch;
    length[next] = length[pre] + 1;
    next++;
  }
}

function packbitsDecode(src: Uint8Array, dst: Uint8Array): number {
  let i = 0;
  let o = 0;
  while (i < src.length && o < dst.length) {
    const n = (src[i++] << 24) >> 24;
    if (n >= 0) {
      for (let k = 0; k <= n && i < src.length && o < dst.length; k++) dst[o++] = src[i++];
    } else if (n !== -128) {
      const v = src[i++];
      for (let k = 0; k < 1 - n && o < dst.length; k++) dst[o++] = v;
    }
  }
  return o;
}
