/**
 * Windows BMP decoder: BITMAPINFOHEADER and later (V4/V5) headers, uncompressed 1/4/8-bit palette,
 * 16-bit (555 or bitfields), 24-bit BGR and 32-bit BGRX/BGRA (BI_RGB or BI_BITFIELDS), bottom-up
 * and top-down. Palette images whose palette is gray (r = g = b) come back as 1-channel gray
 * (OpenCV writes 8-bit gray images that way); other palette images as RGB. Output is RGB(A) order.
 * RLE-compressed BMPs are rejected with a FormatError.
 */
import { FormatError } from '../core/errors';
import type { Raster } from './png';

const MAX_PIXELS = 1 << 28;

export function isBmp(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d;
}

export function decodeBmp(bytes: Uint8Array, path = 'image.bmp'): Raster {
  const err = (reason: string, offset?: number) => new FormatError('bmp', path, reason, offset);
  if (!isBmp(bytes)) throw err("not a BMP file ('BM' expected)", 0);
  if (bytes.length < 26) throw err('truncated header', bytes.length);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOff = dv.getUint32(10, true);
  const hsize = dv.getUint32(14, true);
  if (hsize < 40) throw err(`unsupported DIB header size ${hsize} (OS/2 core headers are not supported)`, 14);
  if (14 + hsize > bytes.length) throw err('truncated DIB header', bytes.length);
  const width = dv.getInt32(18, true);
  const rawH = dv.getInt32(22, true);
  const bpp = dv.getUint16(28, true);
  const comp = dv.getUint32(30, true);
  let nColors = dv.getUint32(46, true);
  const topDown = rawH < 0;
  const height = Math.abs(rawH);
  if (width <= 0 || height === 0) throw err(`bad image size ${width}x${rawH}`, 18);
  if (width * height > MAX_PIXELS) throw err(`image ${width}x${height} too large`, 18);
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw err(`unsupported bit count ${bpp}`, 28);
  if (comp !== 0 && comp !== 3) throw err(`unsupported compression ${comp} (only BI_RGB and BI_BITFIELDS)`, 30);

  // channel masks for 16/32-bit
  let masks: [number, number, number, number] | null = null;
  if (bpp === 16 || bpp === 32) {
    if (comp === 3) {
      const mo = hsize >= 52 ? 54 : 14 + hsize; // V2+ headers carry masks inside, else they follow
      if (mo + 12 > bytes.length) throw err('truncated bitfield masks', mo);
      masks = [dv.getUint32(mo, true), dv.getUint32(mo + 4, true), dv.getUint32(mo + 8, true), hsize >= 56 ? dv.getUint32(66, true) : 0];
    } else {
      masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0x00ff0000, 0x0000ff00, 0x000000ff, 0];
    }
  }

  let palette: Uint8Array | null = null;
  let grayPalette = false;
  if (bpp <= 8) {
    if (nColors === 0) nColors = 1 << bpp;
    if (nColors > 1 << bpp) throw err(`palette of ${nColors} colours for ${bpp}-bit image`, 46);
    const po = 14 + hsize + (comp === 3 && hsize === 40 ? 12 : 0);
    if (po + nColors * 4 > bytes.length) throw err('truncated palette', po);
    palette = bytes.subarray(po, po + nColors * 4);
    grayPalette = true;
    for (let i = 0; i < nColors; i++) if (palette[i * 4] !== palette[i * 4 + 1] || palette[i * 4 + 1] !== palette[i * 4 + 2]) grayPalette = false;
  }

  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataOff + stride * height > bytes.length)
    throw err(`pixel data truncated: ${Math.max(0, bytes.length - dataOff)} of ${stride * height} bytes`, bytes.length);

  const hasAlpha = masks !== null && masks[3] !== 0;
  const channels: 1 | 3 | 4 = palette ? (grayPalette ? 1 : 3) : hasAlpha ? 4 : 3;
  const out = new Uint8Array(width * height * channels);
  const shiftOf = (m: number) => (m ? 31 - Math.clz32(m & -m) : 0);
  const scaleOf = (m: number) => {
    const bits = m ? 32 - Math.clz32(m >>> shiftOf(m)) : 0;
    return bits ? 255 / ((1 << bits) - 1) : 0;
  };
  const ms = masks?.map((m) => [m >>> 0, shiftOf(m), scaleOf(m)] as const);
  for (let y = 0; y < height; y++) {
    const row = dataOff + (topDown ? y : height - 1 - y) * stride;
    const o = y * width * channels;
    for (let x = 0; x < width; x++) {
      if (palette) {
        let idx: number;
        if (bpp === 8) idx = bytes[row + x];
        else {
          const bit = x * bpp;
          idx = (bytes[row + (bit >> 3)] >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        }
        if (idx >= nColors) throw err(`palette index ${idx} ≥ ${nColors}`, row);
        if (channels === 1) out[o + x] = palette[idx * 4];
        else {
          out[o + x * 3] = palette[idx * 4 + 2];
          out[o + x * 3 + 1] = palette[idx * 4 + 1];
          out[o + x * 3 + 2] = palette[idx * 4];
        }
      } else if (bpp === 24 && comp === 0) {
        const p = row + x * 3;
        out[o + x * 3] = bytes[p + 2];
        out[o + x * 3 + 1] = bytes[p + 1];
        out[o + x * 3 + 2] = bytes[p];
      } else {
        const v = bpp === 16 ? dv.getUint16(row + x * 2, true) : dv.getUint32(row + x * 4, true);
        for (let c = 0; c < channels; c++) {
          const [m, sh, sc] = ms![c];
          out[o + x * channels + c] = Math.round(((v & m) >>> sh) * sc);
        }
      }
    }
  }
  return { width, height, channels, bitDepth: 8, maxValue: 255, data: out };
}
