/**
 * DirectoryImgStore frames: one file per frame, `<chunk>/<row:06d>.<format>` (formats/imgstore.md
 * §1.2, §5.1). npy, png (1–16 bit), tif, pgm, ppm and bmp decode in pure TypeScript (Node, pages,
 * workers); jpg needs the browser's decoder (src/codecs/image-browser.ts, loaded lazily).
 * The decoder is chosen by the file's content, not its extension.
 */
import { decodeBmp, isBmp } from '../../codecs/bmp';
import { decodeNpy } from '../../codecs/npy';
import { decodePng, isPng, type Raster } from '../../codecs/png';
import { decodePnm, isPnm } from '../../codecs/pnm';
import { decodeTiff, isTiff } from '../../codecs/tiff';
import { FormatError } from '../errors';
import type { SourceFile } from '../types';
import type { PixelArray, Pixels } from './pixels';

/** Largest frame file read (bytes). */
const MAX_FRAME_FILE = 1 << 30;

function fromRaster(r: Raster): Pixels {
  return { width: r.width, height: r.height, channels: r.channels, order: 'rgb', data: r.data };
}

function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

function isNpy(b: Uint8Array): boolean {
  return b.length >= 6 && b[0] === 0x93 && b[1] === 0x4e && b[2] === 0x55 && b[3] === 0x4d && b[4] === 0x50 && b[5] === 0x59;
}

/** Convert an npy frame (shape (h, w) or (h, w, c), imgstore BGR) to Pixels. */
function fromNpy(bytes: Uint8Array, path: string): Pixels {
  const a = decodeNpy(bytes, path);
  const shape = a.shape;
  if (shape.length !== 2 && shape.length !== 3)
    throw new FormatError('imgstore', path, `frame array of shape (${shape.join(', ')}) — (h, w) or (h, w, c) expected`);
  const channels = shape.length === 3 ? shape[2] : 1;
  if (channels < 1 || channels > 4) throw new FormatError('imgstore', path, `frame array with ${channels} channels (1..4 expected)`);
  const d = a.data;
  let data: PixelArray;
  if (d instanceof Uint8Array || d instanceof Uint16Array || d instanceof Float32Array || d instanceof Float64Array) data = d;
  else if (d instanceof Int8Array || d instanceof Int16Array) data = Float32Array.from(d);
  else if (d instanceof Int32Array || d instanceof Uint32Array) data = Float64Array.from(d);
  else if (d instanceof BigInt64Array || d instanceof BigUint64Array) data = Float64Array.from(d, Number);
  else throw new FormatError('imgstore', path, `frame dtype ${a.dtype} is not numeric`);
  if (a.dtype.includes('c')) throw new FormatError('imgstore', path, `complex frame dtype ${a.dtype} is not supported`);
  return { width: shape[1], height: shape[0], channels, order: 'bgr', data };
}

/** Decode one DirectoryImgStore frame file. */
export async function decodeFrameFile(file: SourceFile, format: string): Promise<Pixels> {
  if (file.size > MAX_FRAME_FILE) throw new FormatError('imgstore', file.path, `frame file of ${file.size} bytes is too large`);
  const bytes = await file.read(0, file.size);
  if (bytes.length !== file.size) throw new FormatError('imgstore', file.path, `read ${bytes.length} of ${file.size} bytes`);
  if (!bytes.length) throw new FormatError('imgstore', file.path, 'empty frame file', 0);
  if (isNpy(bytes)) return fromNpy(bytes, file.path);
  if (isPng(bytes)) return fromRaster(decodePng(bytes, file.path));
  if (isTiff(bytes)) return fromRaster(decodeTiff(bytes, file.path));
  if (isPnm(bytes)) return fromRaster(decodePnm(bytes, file.path));
  if (isBmp(bytes)) return fromRaster(decodeBmp(bytes, file.path));
  if (isJpeg(bytes)) {
    const { decodeImageInBrowser } = await import('../../codecs/image-browser');
    return fromRaster(await decodeImageInBrowser(bytes, file.path, { mime: 'image/jpeg' }));
  }
  if (format === 'bpk') throw new FormatError('imgstore', file.path, 'bloscpack (bpk) frames are not supported', 0);
  throw new FormatError('imgstore', file.path, `unrecognised image data for format '${format}' (npy, png, tif, pgm/ppm, bmp or jpg expected)`, 0);
}
