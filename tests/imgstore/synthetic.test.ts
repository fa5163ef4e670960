/**
 * Stores written here (our own npz/npy writer + test image encoders) for what the fixtures do not
 * cover: 16-bit png/pgm, ppm, bmp and tif directory stores, Bayer-encoded frames, odd frame
 * tables (repeats, backwards numbers), metadata corner cases.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/codecs/npy';
import { encodeNpz } from '../../src/codecs/npz';
import { FrameTable } from '../../src/formats/imgstore/frame-table';
import { formatEpochInZone, parseStoreMetadata } from '../../src/formats/imgstore/metadata';
import { open } from '../../src/formats/imgstore/open';
import { demosaicBilinear } from '../../src/formats/imgstore/bayer';
import { parseLenientJson } from '../../src/formats/imgstore/extra-data';
import { sourceTreeFromPath } from '../../src/io/node';
import { encodePng } from './png-encode';

const W = 8;
const H = 6;
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function writeStore(format: string, imgshape: number[], frames: Uint8Array[], fn: number[], extra: Record<string, unknown> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'imgstore-syn-'));
  roots.push(root);
  const dir = join(root, 'store');
  mkdirSync(join(dir, '000000'), { recursive: true });
  const storeKeys = { class: 'DirectoryImgStore', format, imgshape, imgdtype: 'uint8', chunksize: 100, version: 2, encoding: null, ...extra };
  const yaml =
    '__store:\n' +
    Object.entries(storeKeys)
      .map(([k, v]) => `  ${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : v === null ? 'null' : v}`)
      .join('\n') +
    '\n';
  writeFileSync(join(dir, 'metadata.yaml'), yaml);
  frames.forEach((b, i) => writeFileSync(join(dir, '000000', `${String(i).padStart(6, '0')}.${format}`), b));
  writeFileSync(
    join(dir, '000000', 'index.npz'),
    encodeNpz(
      {
        frame_number: encodeNpy({ data: BigInt64Array.from(fn, BigInt), shape: [fn.length] }),
        frame_time: encodeNpy({ data: Float64Array.from(fn, (n) => 1000 + n * 0.5), shape: [fn.length] }),
      },
      { compress: false },
    ),
  );
  return dir;
}

const gray16 = (k: number) => Array.from({ length: W * H }, (_, i) => (i * 1000 + k * 7) & 0xffff);
const rgb8 = (k: number) => Array.from({ length: W * H * 3 }, (_, i) => (i * 5 + k) & 0xff);
const be16 = (v: number[]) => Uint8Array.from(v.flatMap((x) => [x >> 8, x & 0xff]));
const ascii = (s: string) => new TextEncoder().encode(s);
const cat = (a: Uint8Array, b: Uint8Array) => {
  const o = new Uint8Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
};

function bmp24(rgb: number[]): Uint8Array {
  const stride = Math.ceil((W * 3) / 4) * 4;
  const out = new Uint8Array(54 + stride * H);
  const dv = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  dv.setUint32(10, 54, true);
  dv.setUint32(14, 40, true);
  dv.setInt32(18, W, true);
  dv.setInt32(22, H, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, 24, true);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const s = (y * W + x) * 3;
      out.set([rgb[s + 2], rgb[s + 1], rgb[s]], 54 + (H - 1 - y) * stride + x * 3);
    }
  return out;
}

function tif16(v: number[]): Uint8Array {
  const n = 10;
  const data = 8 + 2 + n * 12 + 4;
  const out = new Uint8Array(data + v.length * 2);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  dv.setUint32(4, 8, true);
  dv.setUint16(8, n, true);
  const tags: [number, number, number][] = [
    [256, 3, W],
    [257, 3, H],
    [258, 3, 16],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, data],
    [277, 3, 1],
    [278, 3, H],
    [279, 4, v.length * 2],
    [284, 3, 1],
  ];
  tags.forEach(([t, ty, val], i) => {
    const e = 10 + 12 * i;
    dv.setUint16(e, t, true);
    dv.setUint16(e + 2, ty, true);
    dv.setUint32(e + 4, 1, true);
    if (ty === 3) dv.setUint16(e + 8, val, true);
    else dv.setUint32(e + 8, val, true);
  });
  v.forEach((x, i) => dv.setUint16(data + 2 * i, x, true));
  return out;
}

describe('synthetic DirectoryImgStores of every pure-TS format', () => {
  const fn = [10, 11, 13];
  const cases: { format: string; shape: number[]; file: (k: number) => Uint8Array; want: (k: number) => number[]; ctor: unknown }[] = [
    {
      format: 'png',
      shape: [H, W],
      file: (k) => encodePng({ width: W, height: H, colorType: 0, depth: 16, samples: gray16(k) }),
      want: gray16,
      ctor: Uint16Array,
    },
    { format: 'pgm', shape: [H, W], file: (k) => cat(ascii(`P5\n${W} ${H}\n65535\n`), be16(gray16(k))), want: gray16, ctor: Uint16Array },
    { format: 'tif', shape: [H, W], file: (k) => tif16(gray16(k)), want: gray16, ctor: Uint16Array },
    { format: 'ppm', shape: [H, W, 3], file: (k) => cat(ascii(`P6 ${W} ${H} 255\n`), Uint8Array.from(rgb8(k))), want: rgb8, ctor: Uint8Array },
    { format: 'bmp', shape: [H, W, 3], file: (k) => bmp24(rgb8(k)), want: rgb8, ctor: Uint8Array },
    {
      format: 'png',
      shape: [H, W, 3],
      file: (k) => encodePng({ width: W, height: H, colorType: 2, depth: 8, samples: rgb8(k), interlace: true }),
      want: rgb8,
      ctor: Uint8Array,
    },
  ];
  for (const c of cases) {
    it(`${c.format} ${c.shape.length === 3 ? 'colour' : '16-bit gray'}: full depth, RGB order, frame table`, async () => {
      const dir = writeStore(
        c.format,
        c.shape,
        fn.map((_, k) => c.file(k)),
        fn,
      );
      const s = await open(await sourceTreeFromPath(dir));
      expect(s.warnings).toEqual([]);
      expect(s.frames.map((f) => [f.number, f.time])).toEqual(fn.map((n) => [n, 1000 + n * 0.5]));
      for (let k = 0; k < fn.length; k++) {
        const im = (await s.readFrame(k)).fields.image;
        expect(im.shape).toEqual(c.shape);
        expect(im.kind).toBe(c.shape.length === 3 ? 'rgb' : 'scalar');
        expect(im.values).toBeInstanceOf(c.ctor);
        expect(Array.from(im.values!)).toEqual(c.want(k));
        expect(im.scales?.x.unit).toBe('px');
      }
      expect(s.metadata.dropped_frames).toEqual({ count: 1, numbers: [12] });
    });
  }

  it('colour files in a grayscale store are converted like OpenCV IMREAD_GRAYSCALE (BT.601 luma)', async () => {
    const px = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 30];
    const dir = writeStore('ppm', [1, 4], [cat(ascii('P6 4 1 255\n'), Uint8Array.from(px))], [0]);
    const im = (await (await open(await sourceTreeFromPath(dir))).readFrame(0)).fields.image;
    expect(im.kind).toBe('scalar');
    expect(Array.from(im.values!)).toEqual([76, 150, 29, 124]);
  });

  it('npy Bayer frames (encoding cv_bayerbg = RGGB) are demosaiced to RGB', async () => {
    // a flat colour (R=200, G=100, B=50) seen through an RGGB mosaic
    const mosaic = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) mosaic[y * W + x] = y % 2 === 0 ? (x % 2 === 0 ? 200 : 100) : x % 2 === 0 ? 100 : 50;
    const npy = encodeNpy({ data: mosaic, shape: [H, W] });
    const dir = writeStore('npy', [H, W], [npy], [0], { encoding: 'cv_bayerbg' });
    const s = await open(await sourceTreeFromPath(dir));
    expect(s.fields[0].kind).toBe('rgb');
    expect(s.metadata.image_shape).toEqual([H, W, 3]);
    const im = (await s.readFrame(0)).fields.image;
    expect(im.kind).toBe('rgb');
    expect(im.shape).toEqual([H, W, 3]);
    for (let i = 0; i < W * H; i++) expect(Array.from(im.values!.subarray(3 * i, 3 * i + 3))).toEqual([200, 100, 50]);
  });

  it('npy frames of other dtypes (uint16 gray, float32) keep their values', async () => {
    const u16 = Uint16Array.from({ length: W * H }, (_, i) => i * 999);
    const f32 = Float32Array.from({ length: W * H }, (_, i) => i / 3);
    const dir = writeStore('npy', [H, W], [encodeNpy({ data: u16, shape: [H, W] }), encodeNpy({ data: f32, shape: [H, W] })], [0, 1]);
    const s = await open(await sourceTreeFromPath(dir));
    expect((await s.readFrame(0)).fields.image.values).toEqual(u16);
    expect((await s.readFrame(1)).fields.image.values).toEqual(f32);
  });
});

describe('Bayer patterns', () => {
  it('each pattern puts the colours where the name says', () => {
    const R = 240;
    const G = 120;
    const B = 60;
    for (const p of ['RGGB', 'BGGR', 'GRBG', 'GBRG'] as const) {
      const m = new Uint8Array(16);
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 4; x++) {
          const ch = p[(y & 1) * 2 + (x & 1)];
          m[y * 4 + x] = ch === 'R' ? R : ch === 'G' ? G : B;
        }
      const out = demosaicBilinear(m, 4, 4, p);
      for (let i = 0; i < 16; i++) expect(Array.from(out.subarray(3 * i, 3 * i + 3))).toEqual([R, G, B]);
    }
  });
});

describe('frame table semantics', () => {
  it('repeated and backwards frame_numbers (counter reset), unsorted times', () => {
    const t = new FrameTable([
      { chunk: 1, frameNumber: [0, 1, 2], frameTime: [10, 11, 12] },
      { chunk: 0, frameNumber: [6050, 6055, 6056, 6055], frameTime: [5, 6, 7, 6.5] },
      { chunk: 2, frameNumber: [], frameTime: [] },
    ]);
    expect(Array.from(t.numbers)).toEqual([6050, 6055, 6056, 6055, 0, 1, 2]);
    expect(t.chunks).toEqual([0, 1]);
    expect([t.chunkOf[4], t.rowOf[4]]).toEqual([1, 0]);
    expect(t.indexOfNumber(6055, 'exact')).toBe(1); // first stored occurrence
    expect(t.indexOfNumber(3, 'exact')).toBe(-1);
    expect(t.indexOfNumber(3, 'nearest')).toBe(6);
    expect(t.indexOfNumber(6052, 'nearest')).toBe(0); // tie 6050/6054? no: |2| vs |3| → 6050
    expect(t.nearestTime(6.4)).toBe(3);
    expect(t.nearestTime(6.25)).toBe(1); // tie between 6 and 6.5 → earliest index
    expect(t.nearestTime(-100)).toBe(0);
    expect(t.nearestTime(100)).toBe(6);
    expect(t.summary()).toMatchObject({ frame_count: 7, frame_min: 0, frame_max: 6056, frame_time_min: 5, frame_time_max: 12, duration: 7 });
  });

  it('sorted tables: ties go to the earlier frame, out-of-range clamps', () => {
    const t = new FrameTable([{ chunk: 0, frameNumber: [1036, 1038, 1040], frameTime: [1, 2, 2] }]);
    expect(t.indexOfNumber(1037, 'nearest')).toBe(0);
    expect(t.indexOfNumber(0, 'nearest')).toBe(0);
    expect(t.indexOfNumber(5000, 'nearest')).toBe(2);
    expect(t.nearestTime(1.5)).toBe(0);
    expect(t.nearestTime(2)).toBe(1);
    expect(t.nearestTime(9)).toBe(1);
    expect(t.medianFrameInterval()).toBe(1);
  });

  it('empty store summary like imgstore (NaN frame_min/max, zero times)', () => {
    const s = new FrameTable([]).summary();
    expect(s.frame_min).toBeNaN();
    expect([s.frame_time_min, s.frame_time_max, s.duration, s.frame_count]).toEqual([0, 0, 0, 0]);
  });
});

describe('metadata.yaml corner cases', () => {
  it('flow lists, YAML 1.1 booleans, legacy empty encoding, extension fallbacks', () => {
    const m = parseStoreMetadata(
      "__store: {class: VideoImgStoreFFMPEG, format: libx264, imgshape: [513, 641], chunksize: 100, version: 2, encoding: ''}\nflag: yes\nother: off\n",
      'metadata.yaml',
    );
    expect(m.cls).toBe('VideoImgStore');
    expect(m.storeClass).toBe('VideoImgStoreFFMPEG');
    expect(m.extension).toBe('.mp4');
    expect(m.encoding).toBeNull();
    expect(m.isColor).toBe(false);
    expect(m.user).toEqual({ flag: true, other: false });
    expect(m.displayTimezone).toBe('UTC');
    expect(parseStoreMetadata('__store:\n  class: VideoImgStore\n  format: mjpeg\n  version: 2\n', 'm').extension).toBe('.avi');
    expect(parseStoreMetadata('__store:\n  class: DirectoryImgStore\n  format: png+color\n  version: 2\n', 'm').format).toBe('png');
  });

  it('timezone: user key preferred, invalid names fall back; created_utc read as UTC', () => {
    const m = parseStoreMetadata(
      "__store:\n  class: DirectoryImgStore\n  format: npy\n  version: 2\n  timezone_local: America/New_York\n  created_utc: '2024-03-15T10:20:30.5'\ntimezone: Not/AZone\n",
      'm',
    );
    expect(m.displayTimezone).toBe('America/New_York');
    expect(m.createdUtc).toBe('2024-03-15T10:20:30.5Z');
  });

  it('date-time formatting across DST and in negative offsets', () => {
    expect(formatEpochInZone(1710498030.5, 'Europe/Vienna')).toBe('2024-03-15T11:20:30.500000+01:00');
    expect(formatEpochInZone(1720000000.000001, 'Europe/Vienna')).toBe('2024-07-03T11:46:40.000001+02:00');
    expect(formatEpochInZone(1710498030.25, 'America/New_York')).toBe('2024-03-15T06:20:30.250000-04:00');
    expect(formatEpochInZone(1.0, 'UTC')).toBe('1970-01-01T00:00:01.000000+00:00');
    expect(formatEpochInZone(NaN, 'UTC')).toBeNull();
  });

  it('lenient JSON: NaN/Infinity outside strings only, missing bracket, cut record', () => {
    expect(parseLenientJson('[{"a": NaN, "b": "NaN", "c": -Infinity}]', 'x').value).toEqual([{ a: null, b: 'NaN', c: null }]);
    expect(parseLenientJson('[{"a": 1}, {"a": 2}', 'x').value).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseLenientJson('[{"a": 1}, {"a": 2}, {"a": {"b": 3}, "c"', 'x').value).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseLenientJson('[', 'x').value).toEqual([]);
    expect(() => parseLenientJson('{"a": ', 'x/y.json')).toThrow(/x\/y\.json/);
  });
});
