import { describe, expect, it } from 'vitest';
import { decodePng } from '../../src/codecs/png';
import { FormatError } from '../../src/formats/errors';
import { encodePng, type PngSpec } from '../imgstore/png-encode';

function pattern(n: number, max: number, seed = 7): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out.push((s >>> 8) % (max + 1));
  }
  return out;
}

const CH = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;

describe('PNG decoder', () => {
  const cases: [PngSpec['colorType'], PngSpec['depth']][] = [
    [0, 1],
    [0, 2],
    [0, 4],
    [0, 8],
    [0, 16],
    [2, 8],
    [2, 16],
    [4, 8],
    [4, 16],
    [6, 8],
    [6, 16],
  ];
  for (const interlace of [false, true]) {
    for (const [ct, d] of cases) {
      it(`colour type ${ct}, ${d}-bit${interlace ? ', Adam7' : ''}: every sample round-trips`, () => {
        const width = 13;
        const height = 11;
        const samples = pattern(width * height * CH[ct], (1 << d) - 1, ct * 31 + d);
        const png = encodePng({ width, height, colorType: ct, depth: d, samples, interlace });
        const r = decodePng(png, 'x.png');
        expect([r.width, r.height, r.channels, r.bitDepth, r.maxValue, r.interlaced]).toEqual([width, height, CH[ct], d, (1 << d) - 1, interlace]);
        expect(r.data).toBeInstanceOf(d === 16 ? Uint16Array : Uint8Array);
        expect(Array.from(r.data)).toEqual(samples);
      });
    }
  }

  it('16-bit gray keeps full depth (1000 stays 1000, 65535 stays 65535)', () => {
    const samples = [0, 1000, 65535, 256, 255, 4095];
    const r = decodePng(encodePng({ width: 3, height: 2, colorType: 0, depth: 16, samples }), 'g16.png');
    expect(Array.from(r.data)).toEqual(samples);
  });

  it('palette images expand to RGB, with tRNS to RGBA', () => {
    const palette = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [10, 20, 30],
    ];
    for (const depth of [2, 4, 8] as const) {
      const idx = pattern(7 * 5, 3, depth);
      const r = decodePng(encodePng({ width: 7, height: 5, colorType: 3, depth, samples: idx, palette }), 'p.png');
      expect(r.channels).toBe(3);
      expect(Array.from(r.data)).toEqual(idx.flatMap((i) => palette[i]));
      const t = decodePng(encodePng({ width: 7, height: 5, colorType: 3, depth, samples: idx, palette, trns: new Uint8Array([0, 128]) }), 'p.png');
      expect(t.channels).toBe(4);
      expect(Array.from(t.data)).toEqual(idx.flatMap((i) => [...palette[i], i === 0 ? 0 : i === 1 ? 128 : 255]));
    }
  });

  it('1×1 and wide images', () => {
    const r = decodePng(encodePng({ width: 1, height: 1, colorType: 0, depth: 8, samples: [77], interlace: true }), 'a.png');
    expect(Array.from(r.data)).toEqual([77]);
    const w = pattern(1000 * 3 * 3, 255);
    const r2 = decodePng(encodePng({ width: 1000, height: 3, colorType: 2, depth: 8, samples: w }), 'w.png');
    expect(Array.from(r2.data)).toEqual(w);
  });

  it('bad input throws FormatError naming the file', () => {
    const good = encodePng({ width: 8, height: 8, colorType: 0, depth: 8, samples: pattern(64, 255) });
    const check = (b: Uint8Array, re: RegExp) => {
      let e: unknown;
      try {
        decodePng(b, 'dir/bad.png');
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(FormatError);
      expect((e as FormatError).path).toBe('dir/bad.png');
      expect((e as FormatError).reason).toMatch(re);
    };
    check(good.subarray(0, 4), /signature/);
    check(good.subarray(0, good.length - 30), /past the end|ends early|truncated|IDAT/);
    const flipped = good.slice();
    flipped[40] ^= 0xff;
    check(flipped, /CRC|zlib|filter/);
    check(new Uint8Array(100), /signature/);
  });
});
