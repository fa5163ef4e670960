import { CodecError } from '../../core/errors';
import { inflateZlib } from '../../codecs/davis-zlib';
import type { ByteReader } from './bytes';
import type { DavisHeader } from './model';

/**
 * The DaVis mask (1 = valid, 0 = masked out), nx*ny*nz*nf bytes in [f][z][y][x] order:
 * raw at tail[2], or packed at tail[5] (int32 packType 2, uint32 L, zlib stream).
 */
export async function readMask(r: ByteReader, h: DavisHeader, tail: number[] | null, limit: number): Promise<Uint8Array | null> {
  if (!tail) return null;
  const n = h.nx * h.ny * h.nz * h.nf;
  if (tail[2]) {
    const at = tail[2];
    if (at + n > limit) r.endsEarly(`the mask (${n} bytes, one per vector)`, at, n, limit);
    return r.bytes.slice(at, at + n);
  }
  if (tail[5]) {
    const at = tail[5];
    r.need(at, 8, 'packed mask header');
    const pack = r.i32(at);
    if (pack !== 2) r.fail(`packed mask uses packType ${pack}; only 2 (zlib) is documented`, at);
    const L = r.u32(at + 4);
    if (at + 8 + L > limit) r.endsEarly('the packed mask stream', at + 8, L, limit);
    let out: Uint8Array;
    try {
      out = await inflateZlib(r.bytes.subarray(at + 8, at + 8 + L), n, n);
    } catch (e) {
      if (e instanceof CodecError) r.fail(`packed mask: ${e.message}`, at + 8 + e.offset);
      throw e;
    }
    if (out.length !== n) r.fail(`packed mask inflates to ${out.length} bytes, expected ${n}`, at + 8);
    return out;
  }
  return null;
}
