/**
 * Structure of the bytes the DaVis writer produces, checked against davis.md (§2 header, §2.4 pack 0/2,
 * §2.5 attribute items, §2.6 tail, §2.7 mask, §2.8 typed scalars, §5 checklist, §6 set files) with a
 * small independent parser — not the framescope reader.
 */
import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeDavisBuffer, writeIm7, writeVc7, type DavisVectorFrame } from '../../src/formats/davis/write-buffer';
import { encodeSetFile, writeDavisSet } from '../../src/formats/davis/write-set';
import { davisAxisScale, vectorFrameFromField } from '../../src/formats/davis/write-field';
import type { Scale } from '../../src/formats/types';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

interface Item {
  type: number;
  offset: number;
  data: Uint8Array;
}

function header(b: Uint8Array) {
  const d = dv(b);
  return {
    version: d.getInt16(0, true),
    pack: d.getInt16(2, true),
    fmt: d.getInt16(4, true),
    sparse: d.getInt16(6, true),
    nx: d.getInt32(8, true),
    ny: d.getInt32(12, true),
    nz: d.getInt32(16, true),
    nf: d.getInt32(20, true),
    scalarN: d.getInt16(24, true),
    grid: d.getInt16(26, true),
    extra: d.getInt16(28, true),
  };
}

function items(b: Uint8Array, start: number): { items: Item[]; end: number } {
  const d = dv(b);
  const out: Item[] = [];
  let at = start;
  for (let guard = 0; guard < 10000; guard++) {
    const type = d.getInt32(at, true);
    const size = d.getInt32(at + 8 - 4, true);
    expect(type).toBeGreaterThanOrEqual(0);
    expect(type).toBeLessThanOrEqual(17);
    expect(at + 8 + size).toBeLessThanOrEqual(b.length);
    if (type === 0) {
      expect(size).toBe(0);
      return { items: out, end: at + 8 };
    }
    out.push({ type, offset: at, data: b.subarray(at + 8, at + 8 + size) });
    at += 8 + size;
  }
  throw new Error('no END item');
}

const attr = (its: Item[], name: string): string | undefined =>
  its
    .filter((i) => i.type === 6)
    .map((i) => latin1(i.data))
    .find((s) => s.startsWith(`${name}=`))
    ?.slice(name.length + 1);

function tail(b: Uint8Array): number[] {
  const d = dv(b);
  return Array.from({ length: 32 }, (_, k) => Number(d.getBigUint64(b.length - 256 + 8 * k, true)));
}

const mm = (slope: number, offset: number): Scale => ({ slope, offset, unit: 'mm', description: 'position' });

describe('IM7 header, data and attributes (davis.md §2, §5)', () => {
  const pixels = new Uint16Array([0, 1, 2, 3, 1000, 1001, 65535, 7]);
  const bytes = writeIm7([{ nx: 4, ny: 2, data: pixels }], { pack: 'raw', attributes: { MyKey: 'hello' } });

  it('writes the note’s minimal 4×2 uint16 header and pixels byte for byte', () => {
    expect(hex(bytes.subarray(0, 32))).toBe('00000000fcff00000400000002000000' + '01000000010000000000010000000000');
    expect(bytes.subarray(32, 256).every((x) => x === 0)).toBe(true);
    expect(hex(bytes.subarray(256, 272))).toBe('000001000200030' + '0e803e903ffff0700');
  });

  it('starts the attribute section with the note’s SCALE_X/SCALE_Y items and ends with END, no tail', () => {
    // the note's example: 01 00 00 00 0b 00 00 00 "1 0\0pixel\0\0"
    expect(hex(bytes.subarray(272, 272 + 19))).toBe('010000000b000000312030007069786' + '56c0000');
    const { items: its, end } = items(bytes, 272);
    expect(end).toBe(bytes.length);
    expect(its.map((i) => i.type).slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect(latin1(its[3].data)).toBe('1 0\0counts\0\0');
    expect(attr(its, 'MyKey')).toBe('hello');
    expect(attr(its, '_framescopeVersion')).toBe('0.1.0');
    expect(attr(its, 'FrameScaleX0')).toBe('1\n0\npixel\n');
    expect(attr(its, 'FrameScaleI0')).toBe('1\n0\ncounts\n');
    expect(header(bytes).extra).toBe(0);
  });

  it('pack 2: int32 length + one zlib stream (78 9C) inflating to the whole data section', () => {
    const n = 64 * 48;
    const data = new Uint16Array(n).map((_, k) => (k * 37) % 4096);
    const z = writeIm7(
      [
        { nx: 64, ny: 48, data },
        { nx: 64, ny: 48, data: data.map((x) => x + 1) },
      ],
      { pack: 'zlib' },
    );
    const h = header(z);
    expect(h).toMatchObject({ pack: 2, fmt: -4, nx: 64, ny: 48, nz: 1, nf: 2, extra: 0 });
    const L = dv(z).getInt32(256, true);
    expect(hex(z.subarray(260, 262))).toBe('789c');
    const inflated = unzlibSync(z.subarray(260, 260 + L));
    expect(inflated.length).toBe(2 * n * 2);
    const words = new Uint16Array(inflated.buffer, inflated.byteOffset, 2 * n);
    expect(Array.from(words.subarray(0, n))).toEqual(Array.from(data));
    expect(words[n + 5]).toBe(data[5] + 1); // frame 1 follows frame 0
    const { end } = items(z, 260 + L);
    expect(end).toBe(z.length);
  });

  it('picks the buffer format from the element type: uint8 (-2, one byte), uint16 (-4), float32 (-3)', () => {
    const u8 = writeIm7([{ nx: 3, ny: 1, data: new Uint8Array([1, 2, 250]) }], { pack: 'raw', imageFormat: 'uint8' });
    expect(header(u8).fmt).toBe(-2);
    expect(Array.from(u8.subarray(256, 259))).toEqual([1, 2, 250]);
    expect(items(u8, 259).end).toBe(u8.length);
    expect(header(writeIm7([{ nx: 3, ny: 1, data: new Uint8Array([1, 2, 250]) }], { pack: 'raw' })).fmt).toBe(-4);
    const f = writeIm7([{ nx: 2, ny: 1, data: new Float32Array([1.5, -2.25]) }], { pack: 'raw' });
    expect(header(f).fmt).toBe(-3);
    expect(dv(f).getFloat32(256, true)).toBe(1.5);
    expect(dv(f).getFloat32(260, true)).toBe(-2.25);
    expect(() => writeIm7([{ nx: 1, ny: 1, data: new Float32Array([1.5]) }], { pack: 'raw', imageFormat: 'uint16' })).toThrow(/does not fit/);
  });

  it('encodes attribute values: Latin-1 text, numbers, arrays with 4-byte padding, planes, TIME/DATE/COMMENT', () => {
    const b = writeIm7([{ nx: 1, ny: 1, data: new Uint16Array([5]) }], {
      pack: 'raw',
      attributes: [
        ['AcqTime0', '10500 µs'],
        ['Number', 0.25],
        ['DevDataTrace0', new Float32Array([10])],
        ['RealFrameSize0', new Int32Array([2048, 2048])],
        ['Words', new Uint16Array([1, 2, 3])],
        ['Doubles', [0.1, 1e300]],
        ['TS:Plane', { sizeX: 2, sizeY: 3, data: new Float32Array([1, 2, 3, 4, 5, 6]) }],
        ['_DaVisVersion', 'a'],
        ['_DaVisVersion', 'b'],
      ],
      comment: '\nhello',
      timeText: '16:08:58.206',
      dateText: '18.05.10',
    });
    const { items: its } = items(b, 258);
    const acq = its.find((i) => latin1(i.data).startsWith('AcqTime0='))!;
    expect(acq.data[acq.data.length - 2]).toBe(0xb5); // µ is 0xB5
    expect(attr(its, 'Number')).toBe('0.25');
    // the note's examples: 8 | 20 | "DevDataTrace0\0" + 2 pad + f32 10.0 ; 9 | 24 | "RealFrameSize0\0" + 1 pad + i32[2048, 2048]
    const fa = its.find((i) => i.type === 8)!;
    expect(fa.data.length).toBe(20);
    expect(latin1(fa.data.subarray(0, 14))).toBe('DevDataTrace0\0');
    expect(dv(fa.data).getFloat32(16, true)).toBe(10);
    const ia = its.find((i) => i.type === 9)!;
    expect(ia.data.length).toBe(24);
    expect([dv(ia.data).getInt32(16, true), dv(ia.data).getInt32(20, true)]).toEqual([2048, 2048]);
    const wa = its.find((i) => i.type === 10)!;
    expect(wa.data.length).toBe(8 + 6); // "Words\0" + 2 pad + 3 words
    const da = its.find((i) => i.type === 13)!;
    expect(dv(da.data).getFloat64(8, true)).toBe(0.1);
    expect(dv(da.data).getFloat64(16, true)).toBe(1e300);
    const pl = its.find((i) => i.type === 14)!;
    expect(latin1(pl.data.subarray(0, 9))).toBe('TS:Plane\0');
    expect([dv(pl.data).getUint32(12, true), dv(pl.data).getUint32(16, true)]).toEqual([2, 3]);
    expect(dv(pl.data).getFloat32(20 + 5 * 4, true)).toBe(6);
    expect(its.filter((i) => latin1(i.data).startsWith('_DaVisVersion=')).length).toBe(2);
    expect(its.slice(-3).map((i) => [i.type, latin1(i.data)])).toEqual([
      [5, '\nhello'],
      [11, '16:08:58.206'],
      [12, '18.05.10'],
    ]);
  });

  it('writes per-frame scales and suffixed frame attributes, acquisition times in µs and as [s, ns]', () => {
    const b = writeIm7(
      [
        {
          nx: 1,
          ny: 1,
          data: new Uint16Array([1]),
          scales: { x: mm(0.5, -3), y: mm(-0.5, 7), i: { slope: 2, offset: 1, unit: 'counts', description: '' } },
          time: 0.001,
          attributes: { CameraName: 'cam A' },
        },
        { nx: 1, ny: 1, data: new Uint16Array([2]), time: 1.5000005, attributes: { CameraName: 'cam B' } },
      ],
      { pack: 'raw' },
    );
    const { items: its } = items(b, 256 + 4);
    // IEH items from frame 0's scales (style 1, NUL separated)
    expect(latin1(its[0].data)).toBe('0.5 -3\0mm\0position\0');
    expect(latin1(its[1].data)).toBe('-0.5 7\0mm\0position\0');
    expect(latin1(its[3].data)).toBe('2 1\0counts\0\0');
    expect(attr(its, 'FrameScaleY0')).toBe('-0.5\n7\nmm\nposition');
    expect(attr(its, 'FrameScaleY1')).toBe('-0.5\n7\nmm\nposition'); // frame 1 inherits the buffer scales
    expect(attr(its, 'CameraName0')).toBe('cam A');
    expect(attr(its, 'CameraName1')).toBe('cam B');
    expect(attr(its, 'AcqTimeSeries0')).toBe('1000.000 µs');
    expect(attr(its, 'AcqTimeSeries1')).toBe('1500000.500 µs');
    const ts = its.find((i) => i.type === 9 && latin1(i.data).startsWith('AcqTimeSeries\0'))!;
    expect(Array.from(new Int32Array(ts.data.slice(16).buffer))).toEqual([0, 1000000, 1, 500000500]);
  });
});

describe('VC7 vectors, masks, typed scalars and the tail (davis.md §2.3, §2.6–2.8, §4.2)', () => {
  const nx = 3;
  const ny = 2;
  const nz = 2;
  const n = nx * ny * nz;
  const ramp = (k0: number) => new Float32Array(n).map((_, k) => k0 + k);
  const frame = (f: number): DavisVectorFrame => ({
    nx,
    ny,
    nz,
    u: ramp(100 * f),
    v: ramp(100 * f + 20),
    w: ramp(100 * f + 40),
    valid: new Uint8Array(n).map((_, k) => (k === 3 ? 0 : 1)),
    typedScalars: [
      { name: 'Uncertainty V', data: ramp(1000 + f), scale: { slope: 0.5, offset: 0, unit: 'm/s', description: 'Uncertainty V' } },
      { name: 'isValid', data: new Uint16Array(n).fill(1), scale: { slope: 1, offset: 0, unit: '', description: 'isValid' } },
    ],
  });
  const b = writeVc7([frame(0), frame(1)], {
    pack: 'raw',
    grid: 16,
    scales: { x: mm(0.1, -5), y: mm(-0.1, 5), z: mm(1, 0), i: { slope: 0.2, offset: 0, unit: 'm/s', description: 'velocity' } },
  });
  const h = header(b);
  const t = tail(b);

  it('header: format 4 (U, V, W), sizes, grid, extraFlags 1', () => {
    expect(h).toMatchObject({ version: 0, pack: 0, fmt: 4, sparse: 0, nx, ny, nz, nf: 2, scalarN: 0, grid: 16, extra: 1 });
  });

  it('data order is [f][component][z][y][x]', () => {
    const f32 = new Float32Array(b.slice(256, 256 + 2 * 3 * n * 4).buffer);
    expect(f32[0]).toBe(0); // f0 U z0
    expect(f32[6]).toBe(6); // f0 U z1 y0 x0
    expect(f32[n]).toBe(20); // f0 V
    expect(f32[2 * n]).toBe(40); // f0 W
    expect(f32[3 * n]).toBe(100); // f1 U
    expect(f32[3 * n + 2 * n + n - 1]).toBe(140 + n - 1); // f1 W last
  });

  it('tail: attributes at offset[0], raw mask (1 = valid) at offset[2], typed scalars at offset[3]', () => {
    expect(t[0]).toBe(256 + 2 * 3 * n * 4);
    expect(t[1]).toBe(0);
    const { end } = items(b, t[0]);
    expect(t[2]).toBe(end);
    const mask = b.subarray(t[2], t[2] + 2 * n);
    expect(Array.from(mask)).toEqual([...Array.from(frame(0).valid!), ...Array.from(frame(0).valid!)]);
    expect(t[3]).toBe(t[2] + 2 * n);
    expect(t.slice(4).every((x) => x === 0)).toBe(true);
  });

  it('typed scalars: count, record header, LSTR name and 5 scales, [f][z][y][x] data, ending at the tail', () => {
    const d = dv(b);
    let at = t[3];
    expect(d.getInt32(at, true)).toBe(2);
    at += 4;
    const names: string[] = [];
    for (let r = 0; r < 2; r++) {
      const rec = [0, 1, 2, 3, 4, 5].map((k) => d.getInt32(at + 4 * k, true));
      expect(rec.slice(0, 5)).toEqual([nx, ny, nz, 2, 1]);
      at += 24;
      const lstr = () => {
        const N = d.getInt32(at, true);
        const s = latin1(b.subarray(at + 4, at + 4 + N));
        expect(b[at + 4 + N]).toBe(0);
        at += 4 + N + 1;
        return s;
      };
      names.push(lstr());
      const scales = [lstr(), lstr(), lstr(), lstr(), lstr()];
      expect(scales[0]).toBe('0.1 -5\0mm\0position\0');
      expect(scales[3]).toBe('1 0\0pixel\0\0');
      if (r === 0) {
        expect(rec[5]).toBe(-3);
        expect(scales[4]).toBe('0.5 0\0m/s\0Uncertainty V\0');
        expect(d.getFloat32(at, true)).toBe(1000);
        expect(d.getFloat32(at + 4 * n, true)).toBe(1001); // frame 1
        at += 2 * n * 4;
      } else {
        expect(rec[5]).toBe(-4);
        expect(d.getUint16(at, true)).toBe(1);
        at += 2 * n * 2;
      }
    }
    expect(names).toEqual(['Uncertainty V', 'isValid']);
    expect(at).toBe(b.length - 256);
  });

  it('extended formats carry the choice header: 0 disabled, slot + 1, 5 for post-processed', () => {
    const u = new Float32Array([1, 2, 3, 4]);
    const fr: DavisVectorFrame = {
      nx: 4,
      ny: 1,
      u,
      v: u,
      enabled: new Uint8Array([1, 0, 1, 1]),
      activeChoice: [0, 0, 2, 4],
      extraChoices: [{ u: new Float32Array(4).fill(7), v: new Float32Array(4).fill(8) }],
    };
    const e = writeDavisBuffer([fr], { pack: 'raw' });
    expect(header(e).fmt).toBe(1);
    const f32 = new Float32Array(e.slice(256, 256 + 9 * 4 * 4).buffer);
    expect(Array.from(f32.subarray(0, 4))).toEqual([0 + 1, 0, 3, 5]);
    expect(Array.from(f32.subarray(4, 8))).toEqual([1, 2, 3, 4]); // U0
    expect(Array.from(f32.subarray(12, 16))).toEqual([7, 7, 7, 7]); // U1
    expect(Array.from(f32.subarray(20, 24))).toEqual([0, 0, 0, 0]); // U2 absent -> zeros
    const withPeak = writeDavisBuffer([{ ...fr, peakRatio: new Float32Array([9, 9, 9, 9]) }], { pack: 'raw' });
    expect(header(withPeak).fmt).toBe(3);
    expect(new Float32Array(withPeak.slice(256 + 9 * 16, 256 + 10 * 16).buffer)[0]).toBe(9);
    const threeD = writeDavisBuffer([{ ...fr, w: u, extraChoices: undefined }], { pack: 'raw' });
    expect(header(threeD).fmt).toBe(6);
    expect(header(writeDavisBuffer([{ ...fr, w: u, peakRatio: u }], { pack: 'raw' })).fmt).toBe(5);
    expect(header(writeDavisBuffer([{ nx: 1, ny: 1, u: u.subarray(0, 1), v: u.subarray(0, 1) }], { pack: 'raw' })).fmt).toBe(2);
    expect(() => writeDavisBuffer([fr], { pack: 'raw', vectorFormat: 'simple' })).toThrow(/simple vector format/);
  });

  it('extra scalar planes (scalarN) follow the vector components and are named by ComponentName<k>', () => {
    const one = new Float32Array([1, 2]);
    const s = writeDavisBuffer(
      [
        {
          nx: 2,
          ny: 1,
          u: one,
          v: one,
          scalars: [
            { name: 'Number of vectors', data: new Float32Array([27, 73]), scale: { slope: 1, offset: 0, unit: 'n', description: 'number of vectors' } },
          ],
        },
      ],
      { pack: 'raw' },
    );
    expect(header(s).scalarN).toBe(1);
    expect(Array.from(new Float32Array(s.slice(256, 256 + 24).buffer))).toEqual([1, 2, 1, 2, 27, 73]);
    const { items: its } = items(s, 256 + 24);
    expect(attr(its, 'ComponentName0')).toBe('Number of vectors');
    expect(attr(its, 'ComponentScale0')).toBe('1\n0\nn\nnumber of vectors');
  });
});

describe('FieldData → DaVis conventions (davis.md §4.3, §4.4)', () => {
  it('axis scales reproduce the cell centres through (i + 0.5)·grid·slope + offset', () => {
    const s = davisAxisScale({ slope: 1.5, offset: -10, unit: 'mm', description: '' }, 16);
    for (const i of [0, 1, 47]) expect((i + 0.5) * 16 * s.slope + s.offset).toBeCloseTo(-10 + 1.5 * i, 12);
  });

  it('vector values: identity I scale, raw = physical·sign(slope) per axis, mask inverted into valid', () => {
    const fr = vectorFrameFromField(
      {
        kind: 'vector',
        shape: [1, 2],
        u: new Float32Array([1, -2]),
        v: new Float32Array([3, 4]),
        mask: new Uint8Array([0, 1]),
        scales: { x: mm(0.5, 0), y: mm(-0.5, 10), i: { slope: 1, offset: 0, unit: 'm/s', description: 'velocity' } },
      },
      { grid: 8 },
    );
    expect(Array.from(fr.u)).toEqual([1, -2]);
    expect(Array.from(fr.v)).toEqual([-3, -4]);
    expect(Array.from(fr.valid!)).toEqual([1, 0]);
    expect(fr.scales!.i).toEqual({ slope: 1, offset: 0, unit: 'm/s', description: 'velocity' });
    expect(fr.scales!.y.slope).toBe(-0.5 / 8);
  });
});

describe('.set files (davis.md §6.1–6.2)', () => {
  it('writes the DaVis set text with SetType and the B-file folder', () => {
    const text = Buffer.from(encodeSetFile({ name: 'run', setType: 512, time: new Date(Date.UTC(2023, 4, 8, 13, 34, 47)), info: 'line1\n\tline2' })).toString(
      'latin1',
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\/\/ set file <run\.set> created by DaVis/);
    expect(lines[1]).toBe('');
    expect(lines[2]).toBe('#GROUP Sets');
    expect(lines).toContain('SetType = 512;');
    expect(lines).toContain('SetTime = "Mon May 08 13:34:47 2023";');
    expect(lines).toContain('SetStart = 1;');
    expect(lines).toContain('SetInc = 1;');
    expect(lines).toContain('bpInfoString = "line1\\n\\tline2";');
    for (const l of lines.slice(3).filter(Boolean)) expect(l).toMatch(/^\w+ = ("[^"]*"|-?\d+);$/);
  });

  it('names the buffers B00001.vc7 … and picks SetType 512 for vectors, 256 for images', () => {
    const one = new Float32Array([1]);
    const files = writeDavisSet([{ frames: [{ nx: 1, ny: 1, u: one, v: one }] }, { frames: [{ nx: 1, ny: 1, u: one, v: one }] }], {
      name: 'vec',
      pack: 'zlib',
    });
    expect(files.map((f) => f.path)).toEqual(['vec.set', 'vec/B00001.vc7', 'vec/B00002.vc7']);
    expect(Buffer.from(files[0].bytes).toString('latin1')).toContain('SetType = 512;');
    const im = writeDavisSet([{ frames: [{ nx: 1, ny: 1, data: new Uint16Array([1]) }] }], { name: 'img', pack: 'raw', start: 5 });
    expect(im.map((f) => f.path)).toEqual(['img.set', 'img/B00005.im7']);
    expect(Buffer.from(im[0].bytes).toString('latin1')).toContain('SetType = 256;');
  });
});

describe('writer robustness', () => {
  it('grows its buffers past the initial capacity (many and large attributes)', () => {
    const attrs: [string, string | Float32Array][] = [];
    for (let k = 0; k < 300; k++) attrs.push([`Key${k}`, 'v'.repeat(k)]);
    attrs.push(['Big', new Float32Array(5000).map((_, i) => i)]);
    const b = writeIm7([{ nx: 2, ny: 2, data: new Uint16Array([1, 2, 3, 4]) }], { pack: 'raw', attributes: attrs });
    const { items: its, end } = items(b, 256 + 8);
    expect(end).toBe(b.length);
    expect(attr(its, 'Key299')).toBe('v'.repeat(299));
    const big = its.find((i) => i.type === 8)!;
    expect(dv(big.data).getFloat32(4 + 4999 * 4, true)).toBe(4999);
  });

  it('writes GridX/Y/Z for volume vector fields and replaces stale copies', () => {
    const n = 2 * 2 * 3;
    const z = new Float32Array(n);
    const b = writeDavisBuffer([{ nx: 2, ny: 2, nz: 3, u: z, v: z, w: z }], { pack: 'raw', grid: 8, gridZ: 4, attributes: { GridZ: 99 } });
    const { items: its } = items(b, 256 + 3 * n * 4);
    expect([attr(its, 'GridX'), attr(its, 'GridY'), attr(its, 'GridZ')]).toEqual(['8', '8', '4']);
    expect(its.filter((i) => latin1(i.data).startsWith('GridZ=')).length).toBe(1);
  });

  it('rejects inconsistent input with a clear message', () => {
    const one = new Float32Array([1]);
    expect(() => writeDavisBuffer([], { pack: 'raw' })).toThrow(/at least one frame/);
    expect(() =>
      writeDavisBuffer(
        [
          { nx: 1, ny: 1, data: new Uint16Array([1]) },
          { nx: 1, ny: 1, u: one, v: one },
        ],
        { pack: 'raw' },
      ),
    ).toThrow(/mix image and vector/);
    expect(() =>
      writeDavisBuffer(
        [
          { nx: 1, ny: 1, data: new Uint16Array([1]) },
          { nx: 2, ny: 1, data: new Uint16Array([1, 2]) },
        ],
        { pack: 'raw' },
      ),
    ).toThrow(/shape differs/);
    expect(() => writeDavisBuffer([{ nx: 2, ny: 1, data: new Uint16Array([1]) }], { pack: 'raw' })).toThrow(/holds 1 values, expected 2/);
    expect(() => writeIm7([{ nx: 1, ny: 1, data: new Uint16Array([1]) }], { pack: 'raw', attributes: { 'a=b': 1 } })).toThrow(/bad attribute name/);
    expect(() =>
      writeDavisBuffer(
        [
          { nx: 1, ny: 1, u: one, v: one, w: one },
          { nx: 1, ny: 1, u: one, v: one },
        ],
        { pack: 'raw' },
      ),
    ).toThrow(/need w, or none/);
    expect(() =>
      writeDavisBuffer([{ nx: 1, ny: 1, u: one, v: one, activeChoice: [7], enabled: new Uint8Array([1]), extraChoices: [] }], {
        pack: 'raw',
        vectorFormat: 'extended',
      }),
    ).toThrow(/ACTIVE_CHOICE 7/);
    expect(() => writeDavisSet([{ frames: [{ nx: 1, ny: 1, data: new Uint16Array([1]) }] }], { name: 'a/b', pack: 'raw' })).toThrow(/bad set name/);
  });
});
