/**
 * Test-only PNG writer: builds PNGs of every colour type / bit depth, with every filter type
 * (cycled per row) and optional Adam7 interlacing, so the decoder can be checked against the
 * sample values that went in.
 */
import { zlibSync } from 'fflate';
import { ADAM7 } from '../../src/codecs/png';
import { pngChunk as chunk } from '../../src/codecs/png-encode';

const CH: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface PngSpec {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  depth: 1 | 2 | 4 | 8 | 16;
  /** samples, row-major, channel fastest (palette: indices) */
  samples: ArrayLike<number>;
  palette?: number[][]; // [r,g,b]
  trns?: Uint8Array;
  interlace?: boolean;
  /** fixed filter type for every row; default cycles 0..4 */
  filter?: number;
}

export function encodePng(s: PngSpec): Uint8Array {
  const nch = CH[s.colorType];
  const bitsPP = nch * s.depth;
  const bpp = Math.max(1, bitsPP >> 3);
  const passes = s.interlace ? ADAM7.map(([x0, y0, dx, dy]) => ({ x0, y0, dx, dy })) : [{ x0: 0, y0: 0, dx: 1, dy: 1 }];
  const lines: number[] = [];
  let row = 0;
  for (const p of passes) {
    const w = Math.max(0, Math.ceil((s.width - p.x0) / p.dx));
    const h = Math.max(0, Math.ceil((s.height - p.y0) / p.dy));
    if (!w || !h) continue;
    const stride = Math.ceil((w * bitsPP) / 8);
    let prev = new Uint8Array(stride);
    for (let y = 0; y < h; y++) {
      const cur = new Uint8Array(stride);
      const oy = p.y0 + y * p.dy;
      for (let x = 0; x < w; x++) {
        const ox = p.x0 + x * p.dx;
        for (let c = 0; c < nch; c++) {
          const v = s.samples[(oy * s.width + ox) * nch + c];
          if (s.depth === 16) {
            cur[(x * nch + c) * 2] = v >> 8;
            cur[(x * nch + c) * 2 + 1] = v & 0xff;
          } else if (s.depth === 8) cur[x * nch + c] = v;
          else {
            const bit = x * s.depth;
            cur[bit >> 3] |= v << (8 - s.depth - (bit & 7));
          }
        }
      }
      const ft = s.filter ?? row++ % 5;
      lines.push(ft);
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? cur[i - bpp] : 0;
        const b = prev[i];
        const c = i >= bpp ? prev[i - bpp] : 0;
        let pred = 0;
        if (ft === 1) pred = a;
        else if (ft === 2) pred = b;
        else if (ft === 3) pred = (a + b) >> 1;
        else if (ft === 4) {
          const pp = a + b - c;
          const pa = Math.abs(pp - a);
          const pb = Math.abs(pp - b);
          const pc = Math.abs(pp - c);
          pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
        lines.push((cur[i] - pred) & 0xff);
      }
      prev = cur;
    }
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, s.width);
  dv.setUint32(4, s.height);
  ihdr[8] = s.depth;
  ihdr[9] = s.colorType;
  ihdr[12] = s.interlace ? 1 : 0;
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (s.palette) parts.push(chunk('PLTE', new Uint8Array(s.palette.flat())));
  if (s.trns) parts.push(chunk('tRNS', s.trns));
  const z = zlibSync(new Uint8Array(lines));
  // split IDAT in two to exercise concatenation
  const half = z.length >> 1;
  parts.push(chunk('IDAT', z.subarray(0, half)), chunk('IDAT', z.subarray(half)), chunk('IEND', new Uint8Array(0)));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
