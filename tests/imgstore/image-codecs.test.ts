/** BMP and TIFF decoders (the DirectoryImgStore bmp/tif formats) on files built here byte by byte. */
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeBmp } from '../../src/codecs/bmp';
import { decodeTiff } from '../../src/codecs/tiff';
import { FormatError } from '../../src/formats/errors';

function rnd(n: number, max: number, seed = 1): number[] {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) % (max + 1));
}

// ---------------------------------------------------------------- BMP
function bmp(w: number, h: number, bpp: number, rowsTopDown: number[][], opts: { palette?: number[][]; topDown?: boolean; masks?: number[] } = {}): Uint8Array {
  const stride = Math.ceil((w * bpp) / 32) * 4;
  const pal = opts.palette ?? [];
  const hsize = opts.masks ? 56 : 40;
  const dataOff = 14 + hsize + pal.length * 4;
  const out = new Uint8Array(dataOff + stride * h);
  const dv = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  dv.setUint32(2, out.length, true);
  dv.setUint32(10, dataOff, true);
  dv.setUint32(14, hsize, true);
  dv.setInt32(18, w, true);
  dv.setInt32(22, opts.topDown ? -h : h, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, bpp, true);
  dv.setUint32(30, opts.masks ? 3 : 0, true);
  dv.setUint32(46, pal.length, true);
  if (opts.masks) opts.masks.forEach((m, i) => dv.setUint32(54 + 4 * i, m, true));
  pal.forEach(([r, g, b], i) => out.set([b, g, r, 0], 14 + hsize + 4 * i));
  for (let y = 0; y < h; y++) {
    const row = dataOff + (opts.topDown ? y : h - 1 - y) * stride;
    const src = rowsTopDown[y];
    if (bpp === 24) for (let x = 0; x < w; x++) out.set([src[3 * x + 2], src[3 * x + 1], src[3 * x]], row + 3 * x);
    else if (bpp === 32) for (let x = 0; x < w; x++) dv.setUint32(row + 4 * x, src[x], true);
    else if (bpp === 8) out.set(src, row);
    else for (let x = 0; x < w; x++) out[row + ((x * bpp) >> 3)] |= src[x] << (8 - bpp - ((x * bpp) & 7));
  }
  return out;
}

describe('BMP decoder', () => {
  it('24-bit bottom-up with row padding → RGB', () => {
    const w = 5;
    const h = 3;
    const px = rnd(w * h * 3, 255);
    const rows = Array.from({ length: h }, (_, y) => px.slice(y * w * 3, (y + 1) * w * 3));
    const r = decodeBmp(bmp(w, h, 24, rows), 'a.bmp');
    expect([r.width, r.height, r.channels]).toEqual([w, h, 3]);
    expect(Array.from(r.data)).toEqual(px);
    const t = decodeBmp(bmp(w, h, 24, rows, { topDown: true }), 'a.bmp');
    expect(Array.from(t.data)).toEqual(px);
  });

  it('8-bit with a gray palette (how OpenCV writes gray) → 1 channel; colour palette → RGB', () => {
    const gray = Array.from({ length: 256 }, (_, i) => [i, i, i]);
    const px = rnd(7 * 2, 255, 3);
    const r = decodeBmp(bmp(7, 2, 8, [px.slice(0, 7), px.slice(7)], { palette: gray }), 'g.bmp');
    expect(r.channels).toBe(1);
    expect(Array.from(r.data)).toEqual(px);
    const pal = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [9, 8, 7],
    ];
    const idx = rnd(6 * 2, 3, 5);
    const c = decodeBmp(bmp(6, 2, 4, [idx.slice(0, 6), idx.slice(6)], { palette: pal }), 'p.bmp');
    expect(c.channels).toBe(3);
    expect(Array.from(c.data)).toEqual(idx.flatMap((i) => pal[i]));
  });

  it('32-bit BI_BITFIELDS with alpha → RGBA', () => {
    const vals = [0xff102030, 0x80405060];
    const r = decodeBmp(bmp(2, 1, 32, [vals], { masks: [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000] }), 'x.bmp');
    expect(r.channels).toBe(4);
    expect(Array.from(r.data)).toEqual([0x10, 0x20, 0x30, 0xff, 0x40, 0x50, 0x60, 0x80]);
  });

  it('bad input → FormatError', () => {
    const good = bmp(
      4,
      4,
      24,
      Array.from({ length: 4 }, () => rnd(12, 255)),
    );
    expect(() => decodeBmp(good.subarray(0, 60), 'd/t.bmp')).toThrow(FormatError);
    expect(() => decodeBmp(good.subarray(0, 60), 'd/t.bmp')).toThrow(/d\/t\.bmp.*truncated/);
    const rle = good.slice();
    rle[30] = 1;
    expect(() => decodeBmp(rle, 'r.bmp')).toThrow(/compression 1/);
    expect(() => decodeBmp(new Uint8Array(10), 'z.bmp')).toThrow(/BM/);
  });
});

// ---------------------------------------------------------------- TIFF
/** TIFF LZW encoder (MSB-first, 9..12-bit codes, early change), for test inputs only. */
function lzwEncode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let nbits = 0;
  let width = 9;
  const put = (code: number) => {
    acc = (acc << width) | code;
    nbits += width;
    while (nbits >= 8) {
      out.push((acc >>> (nbits - 8)) & 0xff);
      nbits -= 8;
    }
    acc &= (1 << nbits) - 1;
  };
  let dict = new Map<number, number>(); // prefix code * 256 + byte → code
  let next = 258;
  put(256);
  let w = -1;
  for (const b of data) {
    if (w < 0) {
      w = b;
      continue;
    }
    const hit = dict.get(w * 256 + b);
    if (hit !== undefined) {
      w = hit;
      continue;
    }
    put(w);
    dict.set(w * 256 + b, next++);
    // the decoder adds this entry one code later, and widens when its next code + 1 reaches 2^width
    if (next >= 1 << width && width < 12) width++;
    w = b;
    if (next >= 4093) {
      put(256);
      dict = new Map();
      next = 258;
      width = 9;
    }
  }
  if (w >= 0) put(w);
  put(257);
  if (nbits) out.push((acc << (8 - nbits)) & 0xff);
  return Uint8Array.from(out);
}

function packbits(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < data.length; ) {
    let run = 1;
    while (i + run < data.length && data[i + run] === data[i] && run < 128) run++;
    if (run >= 2) {
      out.push(257 - run, data[i]);
      i += run;
    } else {
      const n = Math.min(128, data.length - i);
      out.push(n - 1, ...data.subarray(i, i + n));
      i += n;
    }
  }
  return Uint8Array.from(out);
}

interface TiffSpec {
  w: number;
  h: number;
  spp: number;
  bps: number;
  samples: number[];
  le?: boolean;
  comp?: number;
  predictor?: number;
  rowsPerStrip?: number;
  photometric?: number;
}

function tiff(s: TiffSpec): Uint8Array {
  const le = s.le ?? true;
  const bytesPer = s.bps / 8;
  const rowBytes = s.w * s.spp * bytesPer;
  const raw = new Uint8Array(rowBytes * s.h);
  const rdv = new DataView(raw.buffer);
  // apply the predictor on the sample values before packing
  const vals = s.samples.slice();
  if (s.predictor === 2)
    for (let y = 0; y < s.h; y++)
      for (let i = s.w * s.spp - 1; i >= s.spp; i--) {
        const k = y * s.w * s.spp + i;
        vals[k] = (s.samples[k] - s.samples[k - s.spp]) & (s.bps === 16 ? 0xffff : 0xff);
      }
  vals.forEach((v, i) => (s.bps === 16 ? rdv.setUint16(2 * i, v, le) : (raw[i] = v)));
  const rps = s.rowsPerStrip ?? s.h;
  const strips: Uint8Array[] = [];
  for (let y = 0; y < s.h; y += rps) {
    const part = raw.subarray(y * rowBytes, Math.min(s.h, y + rps) * rowBytes);
    strips.push(s.comp === 5 ? lzwEncode(part) : s.comp === 8 ? zlibSync(part) : s.comp === 32773 ? packbits(part) : part);
  }
  const entries: [number, number, number[]][] = [
    [256, 3, [s.w]],
    [257, 3, [s.h]],
    [258, 3, Array(s.spp).fill(s.bps)],
    [259, 3, [s.comp ?? 1]],
    [262, 3, [s.photometric ?? (s.spp >= 3 ? 2 : 1)]],
    [273, 4, strips.map(() => 0)],
    [277, 3, [s.spp]],
    [278, 3, [rps]],
    [279, 4, strips.map((x) => x.length)],
    [317, 3, [s.predictor ?? 1]],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const extraAt = 8 + ifdSize;
  const extras: Uint8Array[] = [];
  let extraLen = 0;
  const dataStart = () => extraAt + extraLen;
  // array values that do not fit into 4 bytes go after the IFD; strips after that
  const tagData: { tag: number; type: number; vals: number[]; off: number }[] = entries.map(([tag, type, v]) => {
    const size = (type === 3 ? 2 : 4) * v.length;
    const e = { tag, type, vals: v, off: -1 };
    if (size > 4) {
      e.off = dataStart();
      const b = new Uint8Array(size);
      const bdv = new DataView(b.buffer);
      v.forEach((x, i) => (type === 3 ? bdv.setUint16(2 * i, x, le) : bdv.setUint32(4 * i, x, le)));
      extras.push(b);
      extraLen += size;
    }
    return e;
  });
  let p = dataStart();
  const offs = strips.map((x) => {
    const o = p;
    p += x.length;
    return o;
  });
  const stripTag = tagData.find((t) => t.tag === 273)!;
  stripTag.vals = offs;
  if (stripTag.off >= 0) {
    // rewrite the stored offsets
    let _q = extraAt;
    for (const t of tagData) {
      if (t.off < 0) continue;
      if (t === stripTag) {
        const bdv = new DataView(extras[tagData.filter((u) => u.off >= 0).indexOf(t)].buffer);
        offs.forEach((x, i) => bdv.setUint32(4 * i, x, le));
      }
      _q += (t.type === 3 ? 2 : 4) * t.vals.length;
    }
  }
  const out = new Uint8Array(p);
  const dv = new DataView(out.buffer);
  out.set(le ? [0x49, 0x49, 42, 0] : [0x4d, 0x4d, 0, 42]);
  dv.setUint32(4, 8, le);
  dv.setUint16(8, entries.length, le);
  tagData.forEach((t, i) => {
    const e = 10 + 12 * i;
    dv.setUint16(e, t.tag, le);
    dv.setUint16(e + 2, t.type, le);
    dv.setUint32(e + 4, t.vals.length, le);
    if (t.off >= 0) dv.setUint32(e + 8, t.off, le);
    else t.vals.forEach((x, k) => (t.type === 3 ? dv.setUint16(e + 8 + 2 * k, x, le) : dv.setUint32(e + 8, x, le)));
  });
  let q = extraAt;
  for (const b of extras) {
    out.set(b, q);
    q += b.length;
  }
  strips.forEach((x, i) => out.set(x, offs[i]));
  return out;
}

describe('TIFF decoder', () => {
  const cases: [string, Partial<TiffSpec>][] = [
    ['uncompressed 8-bit gray', { spp: 1, bps: 8 }],
    ['uncompressed 16-bit gray, big-endian', { spp: 1, bps: 16, le: false }],
    ['LZW 8-bit RGB with horizontal predictor (OpenCV default)', { spp: 3, bps: 8, comp: 5, predictor: 2 }],
    ['LZW 16-bit gray with predictor, several strips', { spp: 1, bps: 16, comp: 5, predictor: 2, rowsPerStrip: 3 }],
    ['LZW 8-bit gray, no predictor, several strips', { spp: 1, bps: 8, comp: 5, rowsPerStrip: 4 }],
    ['Deflate 16-bit RGB', { spp: 3, bps: 16, comp: 8 }],
    ['PackBits 8-bit gray', { spp: 1, bps: 8, comp: 32773, rowsPerStrip: 5 }],
  ];
  for (const [label, c] of cases) {
    it(label, () => {
      const w = 37;
      const h = 11;
      const spp = c.spp!;
      const bps = c.bps!;
      // smooth-ish data (repeats, so LZW codes grow past 9 bits) plus noise
      const samples = rnd(w * h * spp, 0xffff, 9).map((v, i) => (bps === 16 ? (i * 37 + (v & 0xff)) & 0xffff : ((i >> 2) + (v & 7)) & 0xff));
      const r = decodeTiff(tiff({ w, h, spp, bps, samples, ...c }), 'f.tif');
      expect([r.width, r.height, r.channels, r.bitDepth]).toEqual([w, h, spp, bps]);
      expect(r.data).toBeInstanceOf(bps === 16 ? Uint16Array : Uint8Array);
      expect(Array.from(r.data)).toEqual(samples);
    });
  }

  it('LZW over a large image (codes reach 12 bits and the table is cleared)', () => {
    const w = 300;
    const h = 200;
    const samples = rnd(w * h, 255, 11);
    const r = decodeTiff(tiff({ w, h, spp: 1, bps: 8, samples, comp: 5 }), 'big.tif');
    expect(Array.from(r.data)).toEqual(samples);
  });

  it('min-is-white gray is inverted', () => {
    const r = decodeTiff(tiff({ w: 3, h: 1, spp: 1, bps: 8, samples: [0, 100, 255], photometric: 0 }), 'w.tif');
    expect(Array.from(r.data)).toEqual([255, 155, 0]);
  });

  it('bad input → FormatError naming the file', () => {
    const good = tiff({ w: 8, h: 8, spp: 1, bps: 8, samples: rnd(64, 255) });
    expect(() => decodeTiff(good.subarray(0, good.length - 10), 'd/t.tif')).toThrow(FormatError);
    expect(() => decodeTiff(good.subarray(0, good.length - 10), 'd/t.tif')).toThrow(/d\/t\.tif.*past the end/);
    expect(() => decodeTiff(new Uint8Array(4), 'x.tif')).toThrow(/truncated/);
    expect(() => decodeTiff(Uint8Array.from([0x49, 0x49, 42, 0, 0xff, 0xff, 0, 0]), 'x.tif')).toThrow(/IFD offset/);
    const jpeg = tiff({ w: 8, h: 8, spp: 1, bps: 8, samples: rnd(64, 255), comp: 7 });
    expect(() => decodeTiff(jpeg, 'j.tif')).toThrow(/compression 7/);
  });
});
