/**
 * Netpbm decoder: PBM/PGM/PPM in binary (P4/P5/P6) and ASCII (P1/P2/P3) form, maxval up to 65535
 * (two bytes big-endian per sample above 255, returned as a Uint16Array). In PBM files a set bit
 * means black; they are returned as gray samples 0 (black) / 1 (white) with maxValue 1, so a bitmap
 * displays the same way as its PGM equivalent.
 */
import { FormatError } from '../core/errors';
import type { Raster } from './png';

const MAX_PIXELS = 1 << 28;

export function isPnm(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x50 && b[1] >= 0x31 && b[1] <= 0x36;
}

export function decodePnm(bytes: Uint8Array, path = 'image.pnm'): Raster {
  const err = (reason: string, offset?: number) => new FormatError('pnm', path, reason, offset);
  if (!isPnm(bytes)) throw err('not a Netpbm file (P1..P6 magic expected)', 0);
  const kind = bytes[1] - 0x30;
  let pos = 2;
  const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
  /** next ASCII integer, skipping whitespace and # comments */
  const nextInt = (what: string): number => {
    for (;;) {
      while (pos < bytes.length && isSpace(bytes[pos])) pos++;
      if (pos < bytes.length && bytes[pos] === 0x23) {
        while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    let v = 0;
    while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 && pos - start < 10) v = v * 10 + (bytes[pos++] - 0x30);
    if (pos === start) throw err(`${what}: decimal number expected`, start);
    return v;
  };
  const width = nextInt('width');
  const height = nextInt('height');
  const maxval = kind === 1 || kind === 4 ? 1 : nextInt('maxval');
  if (!width || !height) throw err(`empty image ${width}x${height}`, 3);
  if (width * height > MAX_PIXELS) throw err(`image ${width}x${height} too large`, 3);
  if (maxval < 1 || maxval > 65535) throw err(`maxval ${maxval} out of range 1..65535`, pos);
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const n = width * height * channels;
  const wide = maxval > 255;
  const out = wide ? new Uint16Array(n) : new Uint8Array(n);
  const bitDepth = Math.ceil(Math.log2(maxval + 1));
  const res: Raster = { width, height, channels, bitDepth, maxValue: maxval, data: out };

  if (kind <= 3) {
    // ASCII
    if (kind === 1) {
      for (let i = 0; i < n; i++) {
        while (pos < bytes.length && (isSpace(bytes[pos]) || bytes[pos] === 0x23)) {
          if (bytes[pos] === 0x23) while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
          else pos++;
        }
        if (pos >= bytes.length) throw err(`pixel data ends after ${i} of ${n} pixels`, pos);
        const c = bytes[pos++];
        if (c !== 0x30 && c !== 0x31) throw err('PBM pixel must be 0 or 1', pos - 1);
        out[i] = c === 0x31 ? 0 : 1;
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (pos >= bytes.length) throw err(`pixel data ends after ${i} of ${n} samples`, pos);
        const v = nextInt('sample');
        if (v > maxval) throw err(`sample ${v} exceeds maxval ${maxval}`, pos);
        out[i] = v;
      }
    }
    return res;
  }
  // binary: exactly one whitespace byte after the header
  if (pos >= bytes.length || !isSpace(bytes[pos])) throw err('whitespace expected after the header', pos);
  pos++;
  if (kind === 4) {
    const rowBytes = Math.ceil(width / 8);
    if (pos + rowBytes * height > bytes.length) throw err(`pixel data truncated: ${bytes.length - pos} of ${rowBytes * height} bytes`, bytes.length);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = (bytes[pos + y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1 ? 0 : 1;
    return res;
  }
  const need = n * (wide ? 2 : 1);
  if (pos + need > bytes.length) throw err(`pixel data truncated: ${bytes.length - pos} of ${need} bytes`, bytes.length);
  if (wide) {
    for (let i = 0; i < n; i++) out[i] = (bytes[pos + 2 * i] << 8) | bytes[pos + 2 * i + 1];
  } else {
    (out as Uint8Array).set(bytes.subarray(pos, pos + n));
  }
  return res;
}
