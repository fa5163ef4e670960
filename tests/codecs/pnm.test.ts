import { describe, expect, it } from 'vitest';
import { decodePnm } from '../../src/codecs/pnm';
import { FormatError } from '../../src/formats/errors';

const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

describe('PNM decoder', () => {
  it('P5 8-bit gray with comments in the header', () => {
    const px = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    const r = decodePnm(cat(enc('P5\n# made by a test\n4 3\n# another\n255\n'), px), 'a.pgm');
    expect([r.width, r.height, r.channels, r.maxValue, r.bitDepth]).toEqual([4, 3, 1, 255, 8]);
    expect(Array.from(r.data)).toEqual(Array.from(px));
  });

  it('P5 16-bit (maxval 65535) is big-endian and keeps full depth', () => {
    const vals = [0, 1000, 65535, 258];
    const b = new Uint8Array(8);
    vals.forEach((v, i) => {
      b[2 * i] = v >> 8;
      b[2 * i + 1] = v & 0xff;
    });
    const r = decodePnm(cat(enc('P5 2 2 65535\n'), b), 'b.pgm');
    expect(r.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(r.data)).toEqual(vals);
    expect(r.maxValue).toBe(65535);
  });

  it('P6 colour (RGB order), P3/P2 ASCII, P1/P4 bitmaps', () => {
    const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3];
    const r6 = decodePnm(cat(enc('P6\n2 2\n255\n'), Uint8Array.from(rgb)), 'c.ppm');
    expect(r6.channels).toBe(3);
    expect(Array.from(r6.data)).toEqual(rgb);
    const r3 = decodePnm(enc('P3\n2 2\n255\n' + rgb.join(' ') + '\n'), 'c.ppm');
    expect(Array.from(r3.data)).toEqual(rgb);
    const r2 = decodePnm(enc('P2 3 1 15\n0 7 15\n'), 'g.pgm');
    expect([Array.from(r2.data), r2.maxValue, r2.bitDepth]).toEqual([[0, 7, 15], 15, 4]);
    // 1 = black in PBM → sample 0
    const r1 = decodePnm(enc('P1\n3 2\n1 0 1\n0 1 0\n'), 'b.pbm');
    expect(Array.from(r1.data)).toEqual([0, 1, 0, 1, 0, 1]);
    const r4 = decodePnm(cat(enc('P4\n3 2\n'), Uint8Array.from([0b10100000, 0b01000000])), 'b.pbm');
    expect(Array.from(r4.data)).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('bad input → FormatError naming the file', () => {
    const check = (b: Uint8Array, re: RegExp) => {
      try {
        decodePnm(b, 'x/bad.pgm');
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect((e as FormatError).path).toBe('x/bad.pgm');
        expect((e as FormatError).reason).toMatch(re);
        return;
      }
      throw new Error('no error');
    };
    check(enc('P9 1 1 255\n'), /P1\.\.P6/);
    check(cat(enc('P5 4 4 255\n'), new Uint8Array(5)), /truncated/);
    check(enc('P5 4 x 255\n'), /height/);
    check(enc('P5 4 4 70000\n'), /maxval/);
    check(enc('P2 2 1 10\n5 11\n'), /exceeds maxval/);
  });
});
