import { describe, expect, it } from 'vitest';
import { decodeImx } from '../../src/codecs/imx-pack';
import { lz4DecompressBlock } from '../../src/codecs/lz4';
import { decodeFixed12 } from '../../src/codecs/davis-fixed12';
import { inflateZlib } from '../../src/codecs/davis-zlib';
import { decodeDavisBuffer, BAYER_WARNING } from '../../src/formats/davis/read-buffer';
import { parseScale } from '../../src/formats/davis/scales';
import { parseDuration } from '../../src/formats/davis/frame-scales';
import { attr, concat, f32, i32, im7, scaleItem, text, u16, zlibData } from './synth';

const HAND_STREAM = [0x01, 0x01, 0x00, 0x64, 0x81, 0x1e, 0x3f, 0x10, 0x28, 0x7f, 0x03, 0x40, 0x9c, 0x41, 0x9c, 0x42, 0x9c, 0x80, 0x05, 0x00];
const HAND_VALUES = [100, 101, 99, 102, 101, 102, 102, 104, 40000, 40001, 40002, 5];

/** a literal-only LZ4 block plus a match that overlaps its source (run-length style) */
function lz4Block(): { block: Uint8Array; out: number[] } {
  // literals "abcd", then match offset 4 length 8 -> "abcdabcdabcd", then final literals "xyz"
  const block = Uint8Array.from([0x44, 97, 98, 99, 100, 4, 0, 0x30, 120, 121, 122]);
  return { block, out: Array.from('abcdabcdabcdxyz', (c) => c.charCodeAt(0)) };
}

describe('DaVis codecs', () => {
  it('IMX: the hand-made stream of the format note', () => {
    const src = Uint8Array.from(HAND_STREAM);
    const { data, end } = decodeImx(src, 0, HAND_VALUES.length);
    expect(Array.from(data)).toEqual(HAND_VALUES);
    expect(end).toBe(src.length);
  });
  it('IMX: per-frame restart variant (new preview, last = 0 per segment)', () => {
    const seg = [0x01, 0x01, 0x00, 0x05, 0x01, 0xff];
    const { data } = decodeImx(Uint8Array.from([...seg, ...seg]), 0, 6, undefined, 2);
    expect(Array.from(data)).toEqual([5, 6, 5, 5, 6, 5]);
  });
  it('IMX: value wraps modulo 65536 and word runs', () => {
    const { data } = decodeImx(Uint8Array.from([0, 0, 0x80, 0xff, 0xff, 0x02, 0x7f, 0x02, 0x01, 0x00, 0x02, 0x00]), 0, 4);
    expect(Array.from(data)).toEqual([65535, 1, 1, 2]);
  });
  it('LZ4 block with overlapping match', () => {
    const { block, out } = lz4Block();
    expect(Array.from(lz4DecompressBlock(block, out.length))).toEqual(out);
  });
  it('12-bit (pack 3): four pixels per three words, raw words for the row rest', () => {
    const px = [0xabc, 0x123, 0x456, 0xfed, 7, 8];
    const w0 = px[0] | ((px[1] & 0xf) << 12);
    const w1 = (px[1] >> 4) | ((px[2] & 0xff) << 8);
    const w2 = (px[2] >> 8) | (px[3] << 4);
    const { data, end } = decodeFixed12(concat([u16(w0, w1, w2), u16(7, 8)]), 0, 6, 1);
    expect(Array.from(data)).toEqual(px);
    expect(end).toBe(10);
  });
  it('zlib with a hard output limit', async () => {
    const raw = new Uint8Array(200000).fill(7);
    const z = zlibData(raw).subarray(4);
    expect((await inflateZlib(z, 200000)).length).toBe(200000);
    await expect(inflateZlib(z, 1000)).rejects.toThrow(/more than the allowed/);
  });
  it('scale strings in both spellings, durations', () => {
    expect(parseScale('0.250682 -146.610992\0[mm]\0\0')).toEqual({ slope: 0.250682, offset: -146.610992, unit: '[mm]', description: '' });
    expect(parseScale('1\n-64\nmm\nx')).toEqual({ slope: 1, offset: -64, unit: 'mm', description: 'x' });
    expect(parseScale('1 0\0\0Correlation value\0')).toEqual({ slope: 1, offset: 0, unit: '', description: 'Correlation value' });
    expect(parseDuration('178439.840 \u00b5s')).toBeCloseTo(0.17843984, 12);
    expect(parseDuration('200 ms')).toBeCloseTo(0.2, 12);
  });
});

describe('DaVis synthetic buffers', () => {
  const pixels = [0, 1, 2, 3, 1000, 1001, 65535, 7];
  it('the minimal IM7 of the format note (pack 0, uint16 4x2)', async () => {
    const b = await decodeDavisBuffer(
      'min.im7',
      im7({
        nx: 4,
        ny: 2,
        data: u16(...pixels),
        items: [scaleItem(1, '1 0\0pixel\0\0'), scaleItem(2, '1 0\0pixel\0\0'), scaleItem(4, '1 0\0counts\0\0'), attr('MyKey', 'hello')],
      }),
    );
    expect(Array.from(b.frames[0].components[0].data)).toEqual(pixels);
    expect(b.attributes.MyKey).toBe('hello');
    expect(b.fields.frame0.shape).toEqual([2, 4]);
    expect(b.fields.frame0.scales!.x).toMatchObject({ slope: 1, offset: 0.5, unit: 'pixel' });
  });
  it('same pixels through IMX (pack 1), zlib (pack 2), 12-bit (pack 3, < 4096 values) and LZ4 (pack 20)', async () => {
    const imx = Uint8Array.from([1, 1, 0, 0x80, 0, 0, 1, 1, 1, 0x7f, 3, 0xe8, 3, 0xe9, 3, 0xff, 0xff, 0x80, 7, 0]);
    const a = await decodeDavisBuffer('imx.im7', im7({ nx: 4, ny: 2, pack: 1, data: imx }));
    expect(Array.from(a.frames[0].components[0].data)).toEqual(pixels);
    const z = await decodeDavisBuffer('z.im7', im7({ nx: 4, ny: 2, pack: 2, data: zlibData(u16(...pixels)) }));
    expect(Array.from(z.frames[0].components[0].data)).toEqual(pixels);
    const small = [1, 2, 3, 4095, 5, 6, 7, 8];
    const pack12 = (p: number[]) => u16(p[0] | ((p[1] & 0xf) << 12), (p[1] >> 4) | ((p[2] & 0xff) << 8), (p[2] >> 8) | (p[3] << 4));
    const t = await decodeDavisBuffer('12.im7', im7({ nx: 4, ny: 2, pack: 3, data: concat([pack12(small.slice(0, 4)), pack12(small.slice(4))]) }));
    expect(Array.from(t.frames[0].components[0].data)).toEqual(small);
    const raw = u16(...pixels);
    const lzb = concat([Uint8Array.from([0xf0, 1]), raw]); // one literal-only sequence of 15 + 1 bytes
    const l = await decodeDavisBuffer(
      'lz.im7',
      im7({ nx: 4, ny: 2, pack: 20, data: concat([new Uint8Array(new BigUint64Array([BigInt(lzb.length)]).buffer), lzb]) }),
    );
    expect(Array.from(l.frames[0].components[0].data)).toEqual(pixels);
  });
  it('float image with scale, raw mask at tail[2], Bayer warning', async () => {
    const b = await decodeDavisBuffer(
      'f.im7',
      im7({
        nx: 2,
        ny: 2,
        format: -3,
        data: f32(1, 2, 3, 4),
        items: [scaleItem(4, '2 1\0counts\0\0'), attr('RGBFrame', '1')],
        sections: { 2: Uint8Array.from([1, 0, 1, 1]) },
      }),
    );
    expect(Array.from(b.fields.frame0.values!)).toEqual([3, 5, 7, 9]);
    expect(Array.from(b.fields.frame0.mask!)).toEqual([0, 1, 0, 0]);
    expect(b.warnings).toContain(BAYER_WARNING);
  });
  it('vector format 1 with nf = 2: [f][c] order, choice mapping, sign rule, frame-suffixed attributes', async () => {
    // 2x1 grid, 9 blocks per frame: header, (U,V) x 4
    const frame = (h: number[], base: number) => {
      const v: number[] = [...h];
      for (let c = 1; c < 9; c++) v.push(base + c, base + c + 0.5);
      return v;
    };
    const data = f32(...frame([2, 5], 0), ...frame([0, 1], 100));
    const b = await decodeDavisBuffer(
      'v.vc7',
      im7({
        nx: 2,
        ny: 1,
        nf: 2,
        format: 1,
        vgrid: 8,
        data,
        items: [
          scaleItem(1, '0.5 10\0mm\0\0'),
          scaleItem(2, '-0.5 20\0mm\0\0'),
          scaleItem(4, '2 0\0m/s\0\0'),
          attr('CameraName0', 'A'),
          attr('CameraName1', 'B'),
          attr('AcqTimeSeries0', '1500 ms'),
          attr('AcqTimeSeries1', '1600 ms'),
        ],
      }),
    );
    expect(b.frames.map((f) => f.attributes.CameraName)).toEqual(['A', 'B']);
    expect(b.frames.map((f) => f.time)).toEqual([1.5, 1.6]);
    const f0 = b.fields.frame0;
    // block c holds [c, c + 0.5]; cell 0: h=2 -> slot 1 (blocks 3, 4); cell 1: h=5 -> slot 3 (blocks 7, 8); v negated (slope_Y < 0)
    expect(Array.from(f0.u!)).toEqual([6, 15]);
    expect(Array.from(f0.v!)).toEqual([-8, -17]);
    expect(Array.from(b.fields['frame0/ACTIVE_CHOICE'].values!)).toEqual([1, 4]);
    const f1 = b.fields.frame1;
    expect(Array.from(f1.mask!)).toEqual([1, 0]);
    expect(Array.from(f1.u!)).toEqual([0, 203]);
    expect(f0.scales!.x).toEqual({ slope: 4, offset: 12, unit: 'mm', description: '' });
    expect(f0.scales!.y).toMatchObject({ slope: -4, offset: 18 });
  });
  it('attribute arrays and planes with alignment padding', async () => {
    const name = text('Arr\0');
    const plane = concat([text('Pl\0'), Uint8Array.from([0x30]), i32(2, 1), f32(1.5, 2.5)]);
    const b = await decodeDavisBuffer(
      'a.im7',
      im7({
        nx: 1,
        ny: 1,
        data: u16(9),
        items: [
          [9, concat([name, i32(5, 6)])],
          [14, plane],
          [11, new Uint8Array(0)],
        ],
      }),
    );
    expect(b.attributes.Arr).toEqual(new Int32Array([5, 6]));
    expect(b.attributes.Pl).toEqual({ sizeX: 2, sizeY: 1, data: new Float32Array([1.5, 2.5]) });
    expect(b.attributes._TIME).toBe('');
  });
});
