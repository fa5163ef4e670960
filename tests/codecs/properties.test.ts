/**
 * Property-based round trips of the codecs (fast-check): whatever arrays, values and images the
 * generators produce, writing and reading back gives the same values (bit-exact where lossless, within
 * half a quantisation step for py-pde packing), and the bounded inflate gives what deflate was given.
 */
import fc from 'fast-check';
import { deflateSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inflateBounded, inflateBoundedSync } from '../../src/codecs/inflate-bounded';
import { decodeNpy, encodeNpy } from '../../src/codecs/npy';
import { encodeNpz, openNpz } from '../../src/codecs/npz';
import { unpickle } from '../../src/codecs/pickle';
import { pickleValue, pyFloat } from '../../src/codecs/pickle-write';
import { decodePng } from '../../src/codecs/png';
import { encodePng } from '../../src/codecs/png-encode';
import type { Frame } from '../../src/core/types';
import { decodeDavisBuffer } from '../../src/formats/davis/read-buffer';
import { writeDavisBuffer } from '../../src/formats/davis/write-buffer';
import { channelSamples } from '../../src/formats/pypde/unpack';
import { packFrame, quantise, PYPDE_FORMATS, type PypdeLayout } from '../../src/formats/pypde/pack';
import { dequantise as dequantiseSamples } from '../../src/formats/pypde/unpack';
/** one sample's value from its quantised level (the reader's rule, for a single number) */
const dequantise = (q: number, a: number, b: number, M: number) =>
  dequantiseSamples(M === 255 ? Uint8Array.of(q) : Uint16Array.of(q), a, b, M === 255 ? 8 : 16)[0];
import { bytesSourceFile } from '../../src/io/slice-file';

const RUNS = { numRuns: 60 };
const shape = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 });
const count = (s: number[]) => s.reduce((a, b) => a * b, 1);

type Typed = Float64Array | Float32Array | Int32Array | Uint16Array | Int16Array | Uint8Array | Int8Array | Uint32Array;
const CTORS: [string, (n: number) => fc.Arbitrary<Typed>][] = [
  ['f8', (n) => fc.array(fc.double(), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a))],
  ['f4', (n) => fc.array(fc.float(), { minLength: n, maxLength: n }).map((a) => Float32Array.from(a))],
  ['i4', (n) => fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: n, maxLength: n }).map((a) => Int32Array.from(a))],
  ['u4', (n) => fc.array(fc.nat({ max: 2 ** 32 - 1 }), { minLength: n, maxLength: n }).map((a) => Uint32Array.from(a))],
  ['u2', (n) => fc.array(fc.nat({ max: 65535 }), { minLength: n, maxLength: n }).map((a) => Uint16Array.from(a))],
  ['i2', (n) => fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: n, maxLength: n }).map((a) => Int16Array.from(a))],
  ['u1', (n) => fc.uint8Array({ minLength: n, maxLength: n })],
  ['i1', (n) => fc.array(fc.integer({ min: -128, max: 127 }), { minLength: n, maxLength: n }).map((a) => Int8Array.from(a))],
];
const typedArray = shape.chain((s) => fc.constantFrom(...CTORS).chain(([, g]) => g(count(s)).map((data) => ({ shape: s, data }))));

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(b.length).toBe(a.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect([i, b[i]]).toEqual([i, a[i]]);
};

describe('npy', () => {
  it('encode → decode keeps shape, dtype and every value (NaN, -0 included)', () => {
    fc.assert(
      fc.property(typedArray, ({ shape, data }) => {
        const a = decodeNpy(encodeNpy({ data, shape }));
        expect(a.shape).toEqual(shape);
        expect(a.data.constructor).toBe(data.constructor);
        sameBits(data, a.data as Typed);
      }),
      RUNS,
    );
  });
});

describe('npz', () => {
  const members = fc
    .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), { minLength: 1, maxLength: 4 })
    .chain((names) => fc.tuple(fc.constant(names), fc.array(typedArray, { minLength: names.length, maxLength: names.length }), fc.boolean()));
  it('encodeNpz (stored or deflated) → openNpz.readMany gives every member back', async () => {
    await fc.assert(
      fc.asyncProperty(members, async ([names, arrays, compress]) => {
        const z = encodeNpz(Object.fromEntries(names.map((n, i) => [n, encodeNpy(arrays[i])])), { compress });
        const npz = await openNpz(bytesSourceFile('p.npz', z));
        expect(npz.names).toEqual(names);
        const all = await npz.readMany();
        names.forEach((n, i) => {
          expect(all[n].shape).toEqual(arrays[i].shape);
          sameBits(arrays[i].data, all[n].data as Typed);
        });
      }),
      RUNS,
    );
  });
});

describe('bounded inflate', () => {
  it('gives back exactly what deflate / zlib were given, sync and async, at any size limit ≥ the data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 70_000 }), fc.nat({ max: 1000 }), fc.boolean(), async (data, slack, runs) => {
        const src = runs ? data.map((x, i) => (i % 97 < 60 ? 0 : x)) : data; // some compressible runs
        const raw = deflateSync(src);
        const z = zlibSync(src);
        sameBits(src, inflateBoundedSync(raw, 'deflate-raw', { maxOut: src.length + slack, expected: src.length }));
        sameBits(src, await inflateBounded(z, 'deflate', { maxOut: src.length + slack }));
        if (src.length > 0) expect(() => inflateBoundedSync(raw, 'deflate-raw', { maxOut: src.length - 1 })).toThrow(/inflates/);
      }),
      { numRuns: 40 },
    );
  });
});

describe('pickle subset', () => {
  // what PhiFlow and numpy object arrays hold: None, bools, ints, floats, strings, lists, dicts
  const leaf = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true }).map((v) => ({ __float__: v })),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
  );
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 4 })),
  })).v;
  const toPy = (x: unknown): unknown =>
    x && typeof x === 'object' && '__float__' in (x as object)
      ? pyFloat((x as { __float__: number }).__float__)
      : Array.isArray(x)
        ? x.map(toPy)
        : x && typeof x === 'object'
          ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, toPy(v)]))
          : x;
  const toJs = (x: unknown): unknown =>
    x && typeof x === 'object' && '__float__' in (x as object)
      ? (x as { __float__: number }).__float__
      : Array.isArray(x)
        ? x.map(toJs)
        : x && typeof x === 'object'
          ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, toJs(v)]))
          : x;
  it('pickleValue (protocols 2–4) → unpickle gives the same value', () => {
    fc.assert(
      fc.property(value, fc.constantFrom(2, 3, 4) as fc.Arbitrary<2 | 3 | 4>, (v, proto) => {
        const back = unpickle(pickleValue(toPy(v), proto));
        expect(back).toEqual(toJs(v));
      }),
      RUNS,
    );
  });
});

describe('PNG', () => {
  const image = fc
    .record({
      w: fc.integer({ min: 1, max: 9 }),
      h: fc.integer({ min: 1, max: 9 }),
      ch: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
      deep: fc.boolean(),
    })
    .chain(({ w, h, ch, deep }) =>
      (deep
        ? fc.array(fc.nat({ max: 65535 }), { minLength: w * h * ch, maxLength: w * h * ch }).map((a) => Uint16Array.from(a))
        : fc.uint8Array({ minLength: w * h * ch, maxLength: w * h * ch })
      ).map((data) => ({ width: w, height: h, channels: ch, data })),
    );
  it('encodePng (any filter, level) → decodePng gives every sample back', () => {
    fc.assert(
      fc.property(
        image,
        fc.constantFrom(0, 1, 6, 9) as fc.Arbitrary<0 | 1 | 6 | 9>,
        fc.constantFrom('adaptive', 'none') as fc.Arbitrary<'adaptive' | 'none'>,
        (img, level, filter) => {
          const r = decodePng(encodePng(img, level, filter), 'p.png');
          expect([r.width, r.height, r.channels]).toEqual([img.width, img.height, img.channels]);
          expect(r.data.constructor).toBe(img.data.constructor);
          sameBits(img.data, r.data);
        },
      ),
      RUNS,
    );
  });
});

describe('DaVis packers', () => {
  const frames = fc
    .record({ nx: fc.integer({ min: 1, max: 12 }), ny: fc.integer({ min: 1, max: 8 }), nf: fc.integer({ min: 1, max: 3 }) })
    .chain(({ nx, ny, nf }) =>
      fc.array(fc.array(fc.nat({ max: 65535 }), { minLength: nx * ny, maxLength: nx * ny }), { minLength: nf, maxLength: nf }).map((fs) => ({ nx, ny, fs })),
    );
  it('raw and zlib-packed word images: write → read gives every pixel of every frame', async () => {
    await fc.assert(
      fc.asyncProperty(frames, fc.constantFrom('raw', 'zlib') as fc.Arbitrary<'raw' | 'zlib'>, async ({ nx, ny, fs }, pack) => {
        const bytes = writeDavisBuffer(
          fs.map((f) => ({ kind: 'image' as const, nx, ny, data: Uint16Array.from(f) })),
          { pack, imageFormat: 'uint16' },
        );
        const buf = await decodeDavisBuffer('p.im7', bytes);
        expect(buf.frames.length).toBe(fs.length);
        buf.frames.forEach((fr, k) => sameBits(fs[k], fr.components[0].data as ArrayLike<number>));
      }),
      { numRuns: 40 },
    );
  });
  it('float32 images survive zlib packing bit-exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.float({ noNaN: true }), { minLength: 6, maxLength: 6 }), async (v) => {
        const bytes = writeDavisBuffer([{ kind: 'image', nx: 3, ny: 2, data: Float32Array.from(v) }], { pack: 'zlib', imageFormat: 'float32' });
        const buf = await decodeDavisBuffer('f.im7', bytes);
        sameBits(Float32Array.from(v), buf.frames[0].components[0].data as ArrayLike<number>);
      }),
      { numRuns: 30 },
    );
  });
});

describe('py-pde packing', () => {
  it('quantise → dequantise stays within one step of the clipped value, and is monotone', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.constantFrom(255, 65535),
        (v, a, span, M) => {
          const b = a + span;
          const q = quantise(v, a, b, M);
          expect(Number.isInteger(q) && q >= 0 && q <= M).toBe(true);
          const c = Math.min(b, Math.max(a, v));
          expect(Math.abs(dequantise(q, a, b, M) - c)).toBeLessThanOrEqual(span / M + 1e-9 * Math.abs(b));
          expect(quantise(v + span / 10, a, b, M)).toBeGreaterThanOrEqual(q);
        },
      ),
      { numRuns: 200 },
    );
  });
  it('packFrame → the reader’s channelSamples gives back each field’s quantised samples', () => {
    const frame = fc
      .record({ nx: fc.integer({ min: 1, max: 7 }), ny: fc.integer({ min: 1, max: 5 }), bits: fc.constantFrom(8, 16) as fc.Arbitrary<8 | 16> })
      .chain(({ nx, ny, bits }) =>
        fc.tuple(fc.constant({ nx, ny, bits }), fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: nx * ny, maxLength: nx * ny })),
      );
    fc.assert(
      fc.property(frame, ([{ nx, ny, bits }, vals]) => {
        const format = PYPDE_FORMATS.find((f) => f.bits === bits && f.channels === 1) ?? PYPDE_FORMATS.find((f) => f.bits === bits)!;
        const layout: PypdeLayout = {
          members: [{ field: 'c', kind: 'scalar', label: 'c', cls: 'ScalarField', components: 1 }],
          width: nx,
          height: ny,
          nx,
          ny,
          axes: 2,
          flipX: false,
          flipY: false,
          grid: {},
          gridDim: 2,
          format,
          components: 1,
          channels: format.channels,
          bits,
        } as PypdeLayout;
        const fr: Frame = {
          info: { index: 0, number: 0, time: 0 },
          fields: { c: { kind: 'scalar', shape: [ny, nx], values: Float64Array.from(vals) } },
          attributes: {},
        };
        const raw = packFrame(fr, layout, [[-5, 5]]);
        const got = channelSamples(raw, { width: nx, height: ny, channels: format.channels, bits: format.bits as 8 | 16 }, 0);
        const want = vals.map((v) => quantise(v, -5, 5, format.max));
        sameBits(want, got);
      }),
      { numRuns: 60 },
    );
  });
});
