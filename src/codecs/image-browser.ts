/**
 * BROWSER-ONLY image decoding (JPEG and anything else the browser decodes) through
 * createImageBitmap + OffscreenCanvas. Works in pages and workers; not in Node (throws a
 * FormatError saying so). Input bytes or a Blob (e.g. a slice of a dropped File). The result is always 8-bit RGB (alpha dropped), or RGBA on request.
 * Colour-space conversion and alpha premultiplication are disabled so pixel values are the
 * decoder's own.
 */
import { FormatError } from '../core/errors';
import { decodeJpegWithImageDecoder, jpegImageDecoderAvailable } from './jpeg-image-decoder';
import type { Raster } from './png';

export function browserImageDecodingAvailable(): boolean {
  return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
}

/**
 * One CPU-backed canvas per image size, kept: a new 2D context per frame cost more than the JPEG
 * decode itself (a 640×480 MJPEG frame: 42 ms with a fresh canvas, 18 ms with this one; same pixels).
 */
let kept: { w: number; h: number; ctx: OffscreenCanvasRenderingContext2D } | null = null;
function canvasOf(w: number, h: number): OffscreenCanvasRenderingContext2D | null {
  if (kept && kept.w === w && kept.h === h) return kept.ctx;
  const ctx = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
  kept = ctx ? { w, h, ctx } : null;
  return ctx;
}

export async function decodeImageInBrowser(bytes: Uint8Array | Blob, path: string, opts: { mime?: string; keepAlpha?: boolean } = {}): Promise<Raster> {
  const format = opts.mime?.split('/')[1] ?? 'image';
  if (!browserImageDecodingAvailable())
    throw new FormatError(format, path, 'decoding this image needs a browser (createImageBitmap/OffscreenCanvas are not available here)');
  // 4:2:0 JPEGs: the decoder's own planes, no canvas (./jpeg-image-decoder); anything else below
  if (opts.mime === 'image/jpeg' && jpegImageDecoderAvailable()) {
    const r = await decodeJpegWithImageDecoder(bytes, path, { keepAlpha: opts.keepAlpha });
    if (r) return r;
  }
  let bmp: ImageBitmap;
  try {
    const blob = bytes instanceof Blob ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>], { type: opts.mime ?? '' });
    bmp = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (e) {
    throw new FormatError(format, path, `the browser could not decode the image (corrupt or truncated?): ${(e as Error).message ?? e}`);
  }
  try {
    const { width, height } = bmp;
    const ctx = canvasOf(width, height);
    if (!ctx) throw new FormatError(format, path, 'no 2D canvas context available');
    // drawn and read back with no await in between: one canvas serves every decode of this context
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(bmp, 0, 0);
    const rgba = ctx.getImageData(0, 0, width, height).data;
    if (opts.keepAlpha) return { width, height, channels: 4, bitDepth: 8, maxValue: 255, data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength) };
    const n = width * height;
    const out = new Uint8Array(n * 3);
    for (let i = 0, j = 0; i < n; i++, j += 4) {
      out[i * 3] = rgba[j];
      out[i * 3 + 1] = rgba[j + 1];
      out[i * 3 + 2] = rgba[j + 2];
    }
    return { width, height, channels: 3, bitDepth: 8, maxValue: 255, data: out };
  } finally {
    bmp.close();
  }
}
