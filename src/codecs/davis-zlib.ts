import { CodecError } from '../core/errors';
import { inflateBounded } from './inflate-bounded';

/**
 * One zlib (RFC 1950) stream of a DaVis buffer, inflated with a hard output limit (zip-bomb guard):
 * the stream is fed in small slices and stops as soon as it passes `maxOut` or deflate's ratio
 * limit (inflate-bounded.ts). `expected` (the size the buffer header implies) preallocates the
 * output and is checked against the ratio limit before anything is inflated.
 * Returns exactly the inflated bytes (at most `maxOut`).
 */
export async function inflateZlib(data: Uint8Array, maxOut: number, expected?: number): Promise<Uint8Array> {
  if (data.length < 2 || (data[0] & 0x0f) !== 8 || ((data[0] << 8) | data[1]) % 31 !== 0) {
    throw new CodecError('not a zlib stream (bad CMF/FLG header bytes)', 0);
  }
  return inflateBounded(data, 'deflate', { maxOut, expected: expected !== undefined ? Math.min(expected, maxOut) : undefined });
}
