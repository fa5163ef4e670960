import { CodecError } from '../../core/errors';
import { inflateZlib } from '../../codecs/davis-zlib';
import { type ByteReader, copyTyped } from './bytes';
import type { DavisArray, DavisTypedScalar } from './model';
import { defaultScale, parseScale } from './scales';

const ELEM: Record<number, { size: number; ctor: typeof Float32Array | typeof Uint16Array | typeof Float64Array | typeof Uint8Array | typeof Int32Array }> = {
  [-2]: { size: 1, ctor: Uint8Array },
  [-3]: { size: 4, ctor: Float32Array },
  [-4]: { size: 2, ctor: Uint16Array },
  [-5]: { size: 8, ctor: Float64Array },
};

/**
 * Typed scalars (the "TS:" components) at tail[3] (raw) or tail[4] (packed variant: an int32 packType
 * before each record's data; 0 = raw, 2 = uint32 L + zlib stream).
 *   int32 count; per record: int32 nx, ny, nz, nf, unknown, dataType; LSTR name; LSTR scale x5; [packType]; data
 *   LSTR = int32 N, N bytes, 1 trailing byte (ignored)
 */
export async function readTypedScalars(r: ByteReader, tail: number[] | null, limit: number): Promise<DavisTypedScalar[]> {
  if (!tail || !(tail[3] || tail[4])) return [];
  const packed = !tail[3];
  let p = packed ? tail[4] : tail[3];
  r.need(p, 4, 'typed-scalar count');
  const count = r.i32(p);
  if (count < 0 || count * 28 > limit - p) r.fail(`typed-scalar count ${count} is implausible for the ${limit - p} bytes left`, p);
  p += 4;
  const lstr = (what: string): string => {
    if (p + 4 > limit) r.fail(`typed scalar ${what}: length past the end of the region (${limit})`, p);
    const n = r.i32(p);
    if (n < 0) r.fail(`typed scalar ${what}: a string of ${n} bytes`, p);
    if (p + 4 + n + 1 > limit) r.endsEarly(`typed scalar ${what} (a string)`, p, 4 + n + 1, limit);
    const s = r.latin1(p + 4, p + 4 + n);
    p += 4 + n + 1;
    return s;
  };
  const out: DavisTypedScalar[] = [];
  for (let k = 0; k < count; k++) {
    const at = p;
    if (p + 24 > limit) r.fail(`typed scalar #${k}: record header past the end of the region (${limit})`, p);
    const nx = r.i32(p);
    const ny = r.i32(p + 4);
    const nz = r.i32(p + 8);
    const nf = r.i32(p + 12);
    const dataType = r.i32(p + 20);
    p += 24;
    if (nx < 1 || ny < 1 || nz < 1 || nf < 1) r.fail(`typed scalar #${k}: sizes ${nx}x${ny}x${nz}x${nf} are invalid`, at);
    const el = ELEM[dataType];
    if (!el) r.fail(`typed scalar #${k}: element type ${dataType} is unknown (expected -2, -3, -4 or -5)`, at + 20);
    const name = lstr(`#${k} name`);
    const scales = [0, 1, 2, 3, 4].map((i) => parseScale(lstr(`'${name}' scale ${i}`)) ?? defaultScale(''));
    const n = nx * ny * nz * nf;
    const nbytes = n * el.size;
    let data: DavisArray;
    let pack = 0;
    if (packed) {
      if (p + 4 > limit) r.fail(`typed scalar '${name}': packType past the end of the region`, p);
      pack = r.i32(p);
      p += 4;
    }
    if (pack === 0) {
      if (p + nbytes > limit) r.endsEarly(`typed scalar '${name}' (${n} elements)`, p, nbytes, limit);
      data = copyTyped(r.bytes, p, n, el.ctor as never) as DavisArray;
      p += nbytes;
    } else if (pack === 2) {
      if (p + 4 > limit) r.fail(`typed scalar '${name}': packed length past the end of the region`, p);
      const L = r.u32(p);
      if (p + 4 + L > limit) r.endsEarly(`typed scalar '${name}' (zlib stream)`, p + 4, L, limit);
      let raw: Uint8Array;
      try {
        raw = await inflateZlib(r.bytes.subarray(p + 4, p + 4 + L), nbytes, nbytes);
      } catch (e) {
        if (e instanceof CodecError) r.fail(`typed scalar '${name}': ${e.message}`, p + 4 + e.offset);
        throw e;
      }
      if (raw.length !== nbytes) r.fail(`typed scalar '${name}': inflates to ${raw.length} bytes, expected ${nbytes}`, p + 4);
      data = copyTyped(raw, 0, n, el.ctor as never) as DavisArray;
      p += 4 + L;
    } else {
      return r.fail(`typed scalar '${name}': packType ${pack} is not documented (0 raw, 2 zlib)`, p - 4);
    }
    out.push({ name, nx, ny, nz, nf, dataType, scales, data });
  }
  return out;
}
