import { CodecError } from '../../core/errors';
import { decodeFixed12 } from '../../codecs/davis-fixed12';
import { inflateZlib } from '../../codecs/davis-zlib';
import { decodeImx } from '../../codecs/imx-pack';
import { lz4DecompressBlock } from '../../codecs/lz4';
import { type ByteReader, copyTyped, fmtInt } from './bytes';
import { type BlockLayout, bytesPer } from './buffer-format';
import { HEADER_SIZE } from './header';
import type { DavisArray, DavisHeader } from './model';

export interface DataSection {
  /** all elements in [f][c][z][y][x] order; words for uint8/uint16 images are widened to Uint16Array */
  data: DavisArray;
  /** offset just after the data section */
  end: number;
  /** notes about recovered variants */
  notes: string[];
}

const wrap =
  (r: ByteReader, base: number, what: string) =>
  (e: unknown): never => {
    if (e instanceof CodecError) {
      // a stream that runs out where the file ends: say so (the usual cause is a truncated file)
      const atEnd = /past the end|ended after|not terminated|ends early/.test(e.message) && base + e.offset >= r.size - 16;
      r.fail(`${what}: ${e.message}${atEnd ? ` — the file ends at byte ${fmtInt(r.size)} (truncated?)` : ''}`, base + e.offset);
    }
    throw e;
  };

/** typed view of decoded bytes (a view when aligned: the caller owns `raw`; a copy otherwise) */
function fromBytes(raw: Uint8Array, t: BlockLayout['stored'], count: number): DavisArray {
  switch (t) {
    case 'uint8': {
      const w = new Uint16Array(count);
      for (let i = 0; i < count; i++) w[i] = raw[i];
      return w;
    }
    case 'uint16':
      return raw.byteOffset % 2 === 0 ? new Uint16Array(raw.buffer, raw.byteOffset, count) : copyTyped(raw, 0, count, Uint16Array);
    case 'float64':
      return raw.byteOffset % 8 === 0 ? new Float64Array(raw.buffer, raw.byteOffset, count) : copyTyped(raw, 0, count, Float64Array);
    case 'int32':
      return raw.byteOffset % 4 === 0 ? new Int32Array(raw.buffer, raw.byteOffset, count) : copyTyped(raw, 0, count, Int32Array);
    default:
      return raw.byteOffset % 4 === 0 ? new Float32Array(raw.buffer, raw.byteOffset, count) : copyTyped(raw, 0, count, Float32Array);
  }
}

/** Bytes of the uncompressed data section (pack_type 0). */
export function rawDataBytes(h: DavisHeader, layout: BlockLayout): number {
  return h.nx * h.ny * h.nz * h.nf * (layout.C + h.scalarN) * bytesPer(layout.stored);
}

/** Is there a plausible attribute item (or the END item) at `pos`? */
export function plausibleItemAt(r: ByteReader, pos: number, limit: number): boolean {
  if (pos === limit) return true;
  if (pos + 8 > limit) return false;
  const type = r.i32(pos);
  const size = r.i32(pos + 4);
  return type >= 0 && type <= 17 && size >= 0 && pos + 8 + size <= limit;
}

/**
 * Decode the data section at byte 256 according to pack_type. `attrStart` is the attribute offset from
 * the tail when known (used to check the IMX stream variant), `limit` the end of the region the data may use.
 */
export async function decodeDataSection(r: ByteReader, h: DavisHeader, layout: BlockLayout, attrStart: number | null, limit: number): Promise<DataSection> {
  const B = layout.C + h.scalarN;
  const count = h.nx * h.ny * h.nz * h.nf * B;
  const es = bytesPer(layout.stored);
  const nbytes = count * es;
  const start = HEADER_SIZE;
  const notes: string[] = [];
  const isWord = layout.stored === 'uint16' || layout.stored === 'uint8';
  switch (h.packType) {
    case 0: {
      if (start + nbytes > limit) {
        r.endsEarly(
          `the uncompressed data of ${h.nx}x${h.ny}x${h.nz} × ${h.nf} frame(s) × ${B} ${layout.stored} values`,
          start,
          nbytes,
          limit,
          'the attribute section',
        );
      }
      return { data: fromBytes(r.bytes.slice(start, start + nbytes), layout.stored, count), end: start + nbytes, notes };
    }
    case 1: {
      if (!isWord) r.fail(`pack_type 1 (IMX) is only defined for 16-bit word images, not buffer_format ${h.bufferFormat}`, 2);
      const src = r.bytes.subarray(0, limit);
      const ok = (end: number) => (attrStart !== null ? end === attrStart : plausibleItemAt(r, end, limit));
      let first: unknown = null;
      try {
        const res = decodeImx(src, start, count);
        if (ok(res.end)) return { data: res.data, end: res.end, notes };
        first = new CodecError(`IMX stream ended at ${res.end}, where no attribute section starts`, res.end);
      } catch (e) {
        first = e;
      }
      const segs = h.nf * h.nz;
      for (const s of segs > 1 ? [h.nf, segs].filter((v, i, a) => v > 1 && a.indexOf(v) === i) : []) {
        try {
          const res = decodeImx(src, start, count, undefined, s);
          if (ok(res.end)) {
            notes.push(`IMX data restarts its stream in ${s} segments (DaVis 10/11 style)`);
            return { data: res.data, end: res.end, notes };
          }
        } catch {
          /* fall through to the first error */
        }
      }
      return wrap(r, 0, 'IMX data (pack_type 1)')(first);
    }
    case 2: {
      r.need(start, 4, 'zlib data length (pack_type 2)');
      const L = r.i32(start);
      if (L <= 0) r.fail(`zlib data (pack_type 2) declares a length of ${L} bytes`, start);
      if (start + 4 + L > limit) r.endsEarly(`the zlib data (pack_type 2) of ${h.nf} frame(s)`, start + 4, L, limit, 'the attribute section');
      const raw = await inflateZlib(r.bytes.subarray(start + 4, start + 4 + L), nbytes * 2 + (1 << 20), nbytes).catch(
        wrap(r, start + 4, 'zlib data (pack_type 2)'),
      );
      if (raw.length < nbytes)
        r.fail(
          `the zlib data (pack_type 2) inflates to ${fmtInt(raw.length)} bytes but the ${h.nx}x${h.ny}x${h.nz} × ${h.nf} frame(s) need ${fmtInt(nbytes)}`,
          start + 4,
        );
      if (raw.length > nbytes)
        notes.push(`zlib data inflates to ${raw.length} bytes, ${raw.length - nbytes} more than the ${nbytes} expected; the excess is ignored`);
      return { data: fromBytes(raw, layout.stored, count), end: start + 4 + L, notes };
    }
    case 3: {
      if (!isWord) r.fail(`pack_type 3 (12-bit) is only defined for word images, not buffer_format ${h.bufferFormat}`, 2);
      const res = (() => {
        try {
          return decodeFixed12(r.bytes.subarray(0, limit), start, h.nx, h.ny * h.nz * h.nf * B);
        } catch (e) {
          return wrap(r, 0, '12-bit data (pack_type 3)')(e);
        }
      })();
      return { data: res.data, end: res.end, notes };
    }
    case 20: {
      r.need(start, 8, 'LZ4 data length (pack_type 20)');
      const L = r.u64(start);
      if (!(L > 0)) r.fail(`LZ4 data (pack_type 20) declares a length of ${L} bytes`, start);
      if (start + 8 + L > limit) r.endsEarly(`the LZ4 data (pack_type 20)`, start + 8, L, limit, 'the attribute section');
      let raw: Uint8Array;
      try {
        raw = lz4DecompressBlock(r.bytes, nbytes, start + 8, start + 8 + L);
      } catch (e) {
        return wrap(r, 0, 'LZ4 data (pack_type 20)')(e);
      }
      return { data: fromBytes(raw, layout.stored, count), end: start + 8 + L, notes };
    }
    default:
      return r.fail(`pack_type ${h.packType} is not supported (known: 0 raw, 1 IMX, 2 zlib, 3 12-bit, 20 LZ4)`, 2);
  }
}
