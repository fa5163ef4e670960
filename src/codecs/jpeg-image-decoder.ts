/**
 * BROWSER-ONLY JPEG decoding through WebCodecs' ImageDecoder: the browser's JPEG decoder hands out
 * the YUV planes (I420 for 4:2:0 JPEGs, as MJPEG cameras and imgstore write them) and ./yuv makes
 * RGB (full-range BT.601, nearest chroma). On this machine a 640×480 frame takes ~6 ms this way
 * against ~20 ms through createImageBitmap + a canvas read-back (./image-browser), which stays the
 * path for every other layout (4:2:2, 4:4:4, gray, progressive the decoder gives otherwise).
 * Pixel values: within 3 levels of ffmpeg's mjpeg + swscale (mean 0.35 per channel on a synthetic
 * pattern, e2e/video.spec.ts); against imgstore's own OpenCV decode (libjpeg's smooth chroma
 * upsampling) the per-frame means stay within the fixtures' tolerance (e2e/imgstore.spec.ts).
 */
import { FormatError } from '../core/errors';
import { SpareBuffers } from '../core/spare-buffers';
import type { Raster } from './png';
import { i420ToRgb } from './yuv';

/** an ImageDecoder that gives no picture in this time is abandoned */
const WATCHDOG_MS = 5000;

/** Plane buffers used again from one frame to the next (a fresh half-megabyte array per 640×480 frame costs as much as its conversion). */
const spare = new SpareBuffers(4);

export function jpegImageDecoderAvailable(): boolean {
  return typeof ImageDecoder === 'function' && typeof VideoFrame === 'function';
}

/** A JPEG's pixels as 8-bit RGB(A), or null when the decoder does not give I420 planes (use ./image-browser). */
export async function decodeJpegWithImageDecoder(bytes: Uint8Array | Blob, path: string, opts: { keepAlpha?: boolean } = {}): Promise<Raster | null> {
  let dec: ImageDecoder;
  let image: VideoFrame;
  try {
    const data = bytes instanceof Blob ? await bytes.arrayBuffer() : bytes;
    dec = new ImageDecoder({ data: data as BufferSource, type: 'image/jpeg', colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    return null;
  }
  let dog: ReturnType<typeof setTimeout> | undefined;
  try {
    const got = await Promise.race([
      dec.decode(),
      new Promise<null>((resolve) => {
        dog = setTimeout(() => resolve(null), WATCHDOG_MS);
      }),
    ]);
    // a decoder that never answers: the canvas path decides (and reports) instead
    if (!got) {
      dec.close();
      return null;
    }
    image = got.image;
  } catch (e) {
    dec.close();
    throw new FormatError('jpeg', path, `the browser could not decode the image (corrupt or truncated?): ${(e as Error).message ?? e}`);
  } finally {
    clearTimeout(dog);
  }
  try {
    const r = image.visibleRect;
    const width = r?.width ?? image.displayWidth;
    const height = r?.height ?? image.displayHeight;
    if (image.format !== 'I420' || (r && (r.x !== 0 || r.y !== 0)) || width % 2 || height % 2) return null;
    const planes = spare.take(width * height + 2 * (width / 2) * (height / 2));
    try {
      await image.copyTo(planes, { rect: { x: 0, y: 0, width, height } });
      const channels = opts.keepAlpha ? 4 : 3;
      const out = new Uint8Array(width * height * channels);
      // JPEG (JFIF) is full-range BT.601 whatever the frame's colour space says
      i420ToRgb(planes, width, height, out, channels, false, true);
      return { width, height, channels, bitDepth: 8, maxValue: 255, data: out };
    } finally {
      spare.give(planes);
    }
  } catch {
    return null;
  } finally {
    image.close();
    dec.close();
  }
}
