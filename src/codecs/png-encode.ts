/**
 * PNG encoder (pure TypeScript, zlib by fflate): gray, gray+alpha, RGB, RGBA at 8 or 16 bits per
 * sample, non-interlaced. Runs in Node, pages and workers. Each row gets the filter (None, Sub, Up,
 * Average, Paeth) with the smallest sum of absolute filtered bytes, the usual libpng heuristic.
 * 16-bit samples are given in host order (Uint16Array) and written big-endian as PNG requires.
 */
import { crc32 } from './crc32';
import { zlibSync } from 'fflate';

export interface PngImage {
  width: number;
  height: number;
  /** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA; samples interleaved, rows top to bottom */
  channels: 1 | 2 | 3 | 4;
  /** Uint8Array/Uint8ClampedArray = 8-bit, Uint16Array = 16-bit */
  data: Uint8Array | Uint8ClampedArray | Uint16Array;
  /** tEXt chunks (Latin-1 keys and values) */
  text?: Record<string, string>;
}

const COLOR_TYPE: Record<number, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };

/** One PNG chunk: length, type, payload, CRC-32 of type + payload. */
export function pngChunk(type: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, payload.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(payload, 8);
  dv.setUint32(8 + payload.length, crc32(out.subarray(4, 8 + payload.length)));
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Encode an image as PNG bytes. `level` is the zlib level (0 = stored … 9); `filter` 'none' skips
 * the per-row filter search (the viewer's fast path: level 0 + no filter costs a copy and two checksums).
 */
export function encodePng(img: PngImage, level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 6, filter: 'adaptive' | 'none' = 'adaptive'): Uint8Array {
  const { width, height, channels } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff)
    throw new RangeError(`PNG size ${width}×${height} is not valid`);
  const ct = COLOR_TYPE[channels];
  if (ct === undefined) throw new RangeError(`PNG channels must be 1..4 (got ${channels})`);
  const sixteen = img.data instanceof Uint16Array;
  const bps = sixteen ? 2 : 1;
  const n = width * height * channels;
  if (img.data.length !== n) throw new RangeError(`PNG data has ${img.data.length} samples, expected ${width}×${height}×${channels} = ${n}`);
  const bpp = channels * bps;
  const rowBytes = width * bpp;
  // raw rows in PNG byte order
  const raw = new Uint8Array(rowBytes * height);
  if (sixteen) {
    const d = img.data as Uint16Array;
    for (let i = 0; i < n; i++) {
      raw[2 * i] = d[i] >>> 8;
      raw[2 * i + 1] = d[i] & 0xff;
    }
  } else raw.set(img.data as Uint8Array);
  const filtered = new Uint8Array((rowBytes + 1) * height);
  const cand = [0, 1, 2, 3, 4].map(() => new Uint8Array(rowBytes));
  const zero = new Uint8Array(rowBytes);
  for (let y = 0; y < height && filter === 'none'; y++) filtered.set(raw.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  for (let y = 0; y < height && filter === 'adaptive'; y++) {
    const cur = raw.subarray(y * rowBytes, (y + 1) * rowBytes);
    const up = y ? raw.subarray((y - 1) * rowBytes, y * rowBytes) : zero;
    let best = 0;
    let bestSum = Infinity;
    for (let f = 0; f < 5; f++) {
      const o = cand[f];
      let sum = 0;
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= bpp ? cur[i - bpp] : 0;
        const b = up[i];
        const c = i >= bpp ? up[i - bpp] : 0;
        const x = cur[i];
        const v = (f === 0 ? x : f === 1 ? x - a : f === 2 ? x - b : f === 3 ? x - ((a + b) >>> 1) : x - paeth(a, b, c)) & 0xff;
        o[i] = v;
        sum += v < 128 ? v : 256 - v;
        if (sum >= bestSum) break;
      }
      if (sum < bestSum) {
        bestSum = sum;
        best = f;
      }
    }
    // a candidate that stopped early lost; the winner's row is complete
    const o = cand[best];
    filtered[y * (rowBytes + 1)] = best;
    filtered.set(o, y * (rowBytes + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = sixteen ? 16 : 8;
  ihdr[9] = ct;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const parts: Uint8Array[] = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr)];
  for (const [k, v] of Object.entries(img.text ?? {})) {
    const key = latin1(k.slice(0, 79));
    const val = latin1(v);
    const p = new Uint8Array(key.length + 1 + val.length);
    p.set(key, 0);
    p.set(val, key.length + 1);
    parts.push(pngChunk('tEXt', p));
  }
  parts.push(pngChunk('IDAT', zlibSync(filtered, { level })));
  parts.push(pngChunk('IEND', new Uint8Array(0)));
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i] = c < 256 && c !== 0 ? c : 0x3f;
  }
  return out;
}
