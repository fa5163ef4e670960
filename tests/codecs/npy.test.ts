import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, fortranToC, halfToFloat32, npyHeader, toFloat64, type NumericData } from '../../src/codecs/npy';
import { hasNumpy, NUMPY_MISSING, python } from './python';

/** Concatenate a header and a payload. */
function npy(descr: string, shape: number[], payload: Uint8Array, fortran = false): Uint8Array {
  const h = npyHeader(descr, shape, fortran);
  const out = new Uint8Array(h.length + payload.length);
  out.set(h);
  out.set(payload, h.length);
  return out;
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

function swapped(a: ArrayBufferView, size: number): Uint8Array {
  const b = bytesOf(a);
  for (let o = 0; o < b.length; o += size) b.subarray(o, o + size).reverse();
  return b;
}

const numericCases: { descr: string; make: (n: number) => NumericData; size: number }[] = [
  { descr: '|i1', make: (n) => Int8Array.from({ length: n }, (_, k) => k * 37 - 128), size: 1 },
  { descr: '|u1', make: (n) => Uint8Array.from({ length: n }, (_, k) => (k * 37) & 255), size: 1 },
  { descr: '<i2', make: (n) => Int16Array.from({ length: n }, (_, k) => k * 3001 - 32768), size: 2 },
  { descr: '<u2', make: (n) => Uint16Array.from({ length: n }, (_, k) => (k * 5003) & 0xffff), size: 2 },
  { descr: '<i4', make: (n) => Int32Array.from({ length: n }, (_, k) => k * 123456789 - 2 ** 31), size: 4 },
  { descr: '<u4', make: (n) => Uint32Array.from({ length: n }, (_, k) => (k * 3000000019) >>> 0), size: 4 },
  { descr: '<i8', make: (n) => BigInt64Array.from({ length: n }, (_, k) => BigInt(k) * 1234567890123n - 2n ** 62n), size: 8 },
  { descr: '<u8', make: (n) => BigUint64Array.from({ length: n }, (_, k) => BigInt(k) * 9876543210987n + 2n ** 63n), size: 8 },
  { descr: '<f4', make: (n) => Float32Array.from({ length: n }, (_, k) => Math.sin(k) * 1e3), size: 4 },
  { descr: '<f8', make: (n) => Float64Array.from({ length: n }, (_, k) => Math.cos(k) / 7), size: 8 },
];

describe('npy: numeric dtypes, both byte orders', () => {
  for (const c of numericCases) {
    it(`${c.descr} little- and big-endian`, () => {
      const shape = [3, 4];
      const src = c.make(12);
      const le = decodeNpy(encodeNpy({ shape, data: src }), 'le.npy');
      expect(le.dtype).toBe(c.descr);
      expect(le.shape).toEqual(shape);
      expect(le.fortranOrder).toBe(false);
      expect(Array.from(le.data as ArrayLike<unknown>)).toEqual(Array.from(src as ArrayLike<unknown>));
      expect((le.data as NumericData).constructor).toBe(src.constructor);
      const bigDescr = c.size === 1 ? c.descr : '>' + c.descr.slice(1);
      const be = decodeNpy(npy(bigDescr, shape, swapped(src, c.size)), 'be.npy');
      expect(be.dtype).toBe(bigDescr);
      expect(Array.from(be.data as ArrayLike<unknown>)).toEqual(Array.from(src as ArrayLike<unknown>));
    });
  }

  it('|b1 → 0/1 Uint8Array', () => {
    const a = decodeNpy(npy('|b1', [5], Uint8Array.of(0, 1, 0, 2, 1)));
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data as Uint8Array)).toEqual([0, 1, 0, 1, 1]);
    const r = decodeNpy(encodeNpy({ dtype: '|b1', shape: [2], data: Uint8Array.of(1, 0) }));
    expect(r.dtype).toBe('|b1');
  });

  it('f2 → Float32 (exact, both orders, specials)', () => {
    const bits = Uint16Array.of(0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x3555);
    const want = [1, -2, 65504, 2 ** -24, -0, Infinity, -Infinity, NaN, 0.333251953125];
    for (const [descr, payload] of [
      ['<f2', bytesOf(bits)],
      ['>f2', swapped(bits, 2)],
    ] as const) {
      const a = decodeNpy(npy(descr, [9], payload));
      expect(a.data).toBeInstanceOf(Float32Array);
      expect(Array.from(a.data as Float32Array)).toEqual(want);
    }
    expect(Object.is(halfToFloat32(Uint16Array.of(0x8000))[0], -0)).toBe(true);
  });

  it('c8 / c16 → interleaved re/im, both orders', () => {
    const f = Float32Array.of(1, -1, 2.5, 0.5);
    const a = decodeNpy(npy('<c8', [2], bytesOf(f)));
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data as Float32Array)).toEqual([1, -1, 2.5, 0.5]);
    const d = Float64Array.of(1e-300, 3, -4, 1 / 3);
    const b = decodeNpy(npy('>c16', [2], swapped(d, 8)));
    expect(b.data).toBeInstanceOf(Float64Array);
    expect(Array.from(b.data as Float64Array)).toEqual(Array.from(d));
  });

  it('int64 helper: toFloat64', () => {
    expect(Array.from(toFloat64(BigInt64Array.of(-3n, 2n ** 40n)))).toEqual([-3, 2 ** 40]);
    expect(Array.from(toFloat64(Int16Array.of(-7)))).toEqual([-7]);
  });
});

describe('npy: Fortran order, strings, headers', () => {
  it('Fortran order is transposed to C order (2-D and 3-D, complex)', () => {
    // logical a[i][j] = 10*i + j, shape (2, 3); Fortran storage: i fastest
    const f = Int32Array.of(0, 10, 1, 11, 2, 12);
    const a = decodeNpy(npy('<i4', [2, 3], bytesOf(f), true));
    expect(a.fortranOrder).toBe(true);
    expect(Array.from(a.data as Int32Array)).toEqual([0, 1, 2, 10, 11, 12]);
    // 3-D: a[i][j][k] = 100i + 10j + k, shape (2,3,4)
    const shape = [2, 3, 4];
    const fort: number[] = [];
    for (let k = 0; k < 4; k++) for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) fort.push(100 * i + 10 * j + k);
    const c: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) c.push(100 * i + 10 * j + k);
    const b = decodeNpy(npy('>f8', shape, swapped(Float64Array.from(fort), 8), true));
    expect(Array.from(b.data as Float64Array)).toEqual(c);
    // complex pairs stay together
    const z = decodeNpy(npy('<c8', [2, 2], bytesOf(Float32Array.of(0, 0.5, 10, 10.5, 1, 1.5, 11, 11.5)), true));
    expect(Array.from(z.data as Float32Array)).toEqual([0, 0.5, 1, 1.5, 10, 10.5, 11, 11.5]);
    expect(fortranToC(['a', 'b', 'c', 'd'], [2, 2], 1)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('<U / >U strings (UTF-32, NUL padded, non-BMP) round-trip', () => {
    const strs = ['x', 'vector', '', 'ñ€😀'];
    const enc = encodeNpy({ shape: [4], data: strs });
    const a = decodeNpy(enc);
    expect(a.dtype).toBe('<U6');
    expect(a.data).toEqual(strs);
    // big-endian by hand
    const cps = [0x61, 0x62, 0, 0x1f600, 0, 0];
    const be = new Uint8Array(cps.length * 4);
    const dv = new DataView(be.buffer);
    cps.forEach((c, k) => dv.setUint32(4 * k, c, false));
    expect(decodeNpy(npy('>U3', [2], be)).data).toEqual(['ab', '😀']);
    // 0-d string
    expect(decodeNpy(encodeNpy({ shape: [], data: ['CenteredGrid'] })).data).toEqual(['CenteredGrid']);
  });

  it('|S byte strings', () => {
    const p = Uint8Array.from([0x61, 0x62, 0x00, 0x63, 0x00, 0x00, 0xe9, 0x7a, 0x7a]);
    expect(decodeNpy(npy('|S3', [3], p)).data).toEqual(['ab', 'c', 'ézz']);
  });

  it('header: 64-byte alignment, version 2.0 and 3.0', () => {
    const enc = encodeNpy({ shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) });
    const hl = enc[8] | (enc[9] << 8);
    expect((10 + hl) % 64).toBe(0);
    expect(enc[10 + hl - 1]).toBe(0x0a);
    for (const major of [2, 3]) {
      const text = "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }" + ' '.repeat(3) + '\n';
      const head = new Uint8Array(12 + text.length);
      head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
      new DataView(head.buffer).setUint32(8, text.length, true);
      head.set(new TextEncoder().encode(text), 12);
      const all = new Uint8Array(head.length + 4);
      all.set(head);
      all.set(bytesOf(Int16Array.of(-1, 300)), head.length);
      const a = decodeNpy(all);
      expect(Array.from(a.data as Int16Array)).toEqual([-1, 300]);
    }
  });

  it('0-d and empty arrays', () => {
    expect(Array.from(decodeNpy(encodeNpy({ shape: [], data: Float64Array.of(2.5) })).data as Float64Array)).toEqual([2.5]);
    const e = decodeNpy(encodeNpy({ shape: [0, 3], data: new Float32Array(0) }));
    expect(e.shape).toEqual([0, 3]);
    expect((e.data as Float32Array).length).toBe(0);
  });
});

describe.skipIf(!hasNumpy())(`npy: cross-check with numpy (skipped when ${NUMPY_MISSING})`, () => {
  it('decodes every dtype numpy writes (both orders, Fortran, strings, objects, v2/v3)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const out = python(
      String.raw`
import numpy as np, json, sys, os
d = sys.argv[1]
cases = {}
rng = np.random.default_rng(1)
def put(name, a, version=None):
    p = os.path.join(d, name + '.npy')
    if version is None:
        np.save(p, a, allow_pickle=True)
    else:
        with open(p, 'wb') as f:
            np.lib.format.write_array(f, a, version=version, allow_pickle=True)
    c = np.ascontiguousarray(a)
    if a.dtype.kind == 'c':
        vals = [float(v) for z in c.ravel() for v in (z.real, z.imag)]
    elif a.dtype.kind in 'iub':
        vals = [str(int(v)) for v in c.ravel()]
    elif a.dtype.kind == 'f':
        vals = [float(v) for v in c.ravel()]
    elif a.dtype.kind == 'S':
        vals = [v.decode('latin1') for v in c.ravel()]
    elif a.dtype.kind == 'U':
        vals = [str(v) for v in c.ravel()]
    else:
        vals = None
    cases[name] = dict(descr=np.lib.format.dtype_to_descr(a.dtype), shape=list(a.shape), fortran=bool(a.flags.f_contiguous and not a.flags.c_contiguous), values=vals)
for t in ['i1','u1','i2','u2','i4','u4','i8','u8','f2','f4','f8','c8','c16']:
    base = (rng.standard_normal((3, 5)) * 1000)
    if t[0] == 'c':
        base = base + 1j * rng.standard_normal((3, 5))
    if t[0] in 'iu':
        info = np.iinfo(t)
        base = np.linspace(info.min, info.max, 15).reshape(3, 5)
        a = base.astype(t) if t not in ('i8','u8') else np.array([int(x) for x in np.linspace(0, 1, 15) * 0] , dtype=t).reshape(3,5) + np.arange(15, dtype=t).reshape(3,5) * np.array(info.max // 20, dtype=t)
    else:
        a = base.astype(t)
    for order in '<>':
        aa = a.astype(a.dtype.newbyteorder(order))
        put(f'{t}{order == "<" and "le" or "be"}', aa)
        put(f'{t}{order == "<" and "le" or "be"}_F', np.asfortranarray(aa.reshape(3, 5)))
put('b1', np.array([[True, False, True], [False, False, True]]))
put('U', np.array(['x', 'vector', 'ñ€😀', '']))
put('Ube', np.array(['ab', 'cde']).astype('>U3'))
put('S', np.array([b'ab', b'c', b'\xe9zz']))
put('f4_3d_F', np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4)))
put('v2', np.arange(6, dtype='<i2').reshape(2, 3), version=(2, 0))
put('v3', np.array(['é', 'ab']), version=(3, 0))
put('obj', np.array([None, ('x', 'y'), {'a': 1, 'b': 2.5, 'c': 'z'}, np.int64(7), [1, 2]], dtype=object))
print(json.dumps(cases))
`,
      [dir],
    );
    const cases = JSON.parse(out) as Record<string, { descr: string; shape: number[]; fortran: boolean; values: (string | number)[] | null }>;
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(58);
    for (const [name, c] of Object.entries(cases)) {
      const a = decodeNpy(new Uint8Array(readFileSync(join(dir, name + '.npy'))), name + '.npy');
      expect(a.dtype, name).toBe(c.descr);
      expect(a.shape, name).toEqual(c.shape);
      expect(a.fortranOrder, name).toBe(c.fortran);
      if (c.values === null) continue;
      const got = Array.from(a.data as ArrayLike<unknown>);
      if (/[iub]/.test(c.descr))
        expect(
          got.map((v) => String(typeof v === 'bigint' ? v : Number(v))),
          name,
        ).toEqual(c.values);
      else if (/[fc]/.test(c.descr)) {
        const want = c.values as number[];
        got.forEach((v, k) => {
          if (c.descr.endsWith('f4') || c.descr.endsWith('c8')) expect(v, `${name}[${k}]`).toBe(Math.fround(want[k]));
          else expect(v, `${name}[${k}]`).toBe(want[k]);
        });
      } else expect(got, name).toEqual(c.values);
    }
    const obj = decodeNpy(new Uint8Array(readFileSync(join(dir, 'obj.npy'))), 'obj.npy');
    expect(obj.dtype).toBe('|O');
    expect(obj.data).toEqual([null, ['x', 'y'], { a: 1, b: 2.5, c: 'z' }, 7, [1, 2]]);
  });

  it('numpy loads what encodeNpy writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npyw-'));
    const files: Record<string, Uint8Array> = {
      f4: encodeNpy({ shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6.5) }),
      i8: encodeNpy({ shape: [2], data: BigInt64Array.of(-(2n ** 62n), 5n) }),
      u2: encodeNpy({ shape: [], data: Uint16Array.of(65535) }),
      b1: encodeNpy({ dtype: '|b1', shape: [3], data: Uint8Array.of(1, 0, 1) }),
      c16: encodeNpy({ dtype: '<c16', shape: [1], data: Float64Array.of(1.5, -2) }),
      U: encodeNpy({ shape: [3], data: ['x', 'y', 'vector😀'] }),
    };
    for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, k + '.npy'), v);
    const out = python(
      String.raw`
import numpy as np, sys, os, json
d = sys.argv[1]
r = {}
for n in ['f4','i8','u2','b1','c16','U']:
    a = np.load(os.path.join(d, n + '.npy'))
    r[n] = [str(a.dtype), list(a.shape), repr(a.tolist())]
print(json.dumps(r))
`,
      [dir],
    );
    expect(JSON.parse(out)).toEqual({
      f4: ['float32', [2, 3], '[[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]]'],
      i8: ['int64', [2], '[-4611686018427387904, 5]'],
      u2: ['uint16', [], '65535'],
      b1: ['bool', [3], '[True, False, True]'],
      c16: ['complex128', [1], '[(1.5-2j)]'],
      U: ['<U7', [3], "['x', 'y', 'vector😀']"],
    });
  });
});
