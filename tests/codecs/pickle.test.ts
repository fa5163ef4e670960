import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/codecs/npy';
import { encodeNpz, openNpz } from '../../src/codecs/npz';
import { isNdArrayValue, isTuple, toPlain, tuple, unpickle } from '../../src/codecs/pickle';
import { encodeObjectNpy, pickleObjectArray, pickleValue, pyFloat, scalarArray } from '../../src/codecs/pickle-write';
import { FormatError } from '../../src/formats/errors';
import { describeFixtures, treeOf } from '../fixtures';
import { hasNumpy, NUMPY_MISSING, python } from './python';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));

describeFixtures('pickle: object members of the PhiFlow fixtures', (dir) => {
  for (const scenes of ['scenes', 'scenes_numpy2']) {
    it(`${scenes}: dim_item_names and extrapolation of every field equal the oracle`, async () => {
      const oracle = JSON.parse(readFileSync(join(dir, 'phiflow', scenes, 'ORACLE.json'), 'utf8'));
      const tree = await treeOf('phiflow', scenes);
      let checked = 0;
      for (const [scene, s] of Object.entries<{ fields: Record<string, Record<string, { npz: Record<string, { value: unknown }> }>> }>(oracle.scenes)) {
        for (const [field, f] of Object.entries(s.fields)) {
          for (const frame of ['0', '5', '9']) {
            const file = tree.files.find((x) => x.path === `${scene}/${field}_${frame.padStart(6, '0')}.npz`)!;
            const npz = await openNpz(file);
            const items = await npz.read('dim_item_names');
            expect(items.dtype).toBe('|O');
            expect(toPlain(items.data)).toEqual(f[frame].npz.dim_item_names.value);
            const ex = await npz.read('extrapolation');
            expect(ex.shape).toEqual([]);
            expect(toPlain((ex.data as unknown[])[0])).toEqual(f[frame].npz.extrapolation.value);
            checked++;
          }
        }
      }
      expect(checked).toBe((8 + 2 + 3) * 3);
    });
  }

  it('the constant value is a 0-d int64 ndarray; item names are tuples', async () => {
    for (const scenes of ['scenes', 'scenes_numpy2']) {
      const tree = await treeOf('phiflow', scenes, 'sim_000000');
      const npz = await openNpz(tree.files.find((x) => x.path === 'velocity_000000.npz')!);
      const ex = ((await npz.read('extrapolation')).data as unknown[])[0] as { type: string; value: unknown };
      expect(ex.type).toBe('constant');
      expect(isNdArrayValue(ex.value)).toBe(true);
      const v = ex.value as { dtype: string; shape: number[]; data: BigInt64Array };
      expect(v.dtype).toBe('<i8');
      expect(v.shape).toEqual([]);
      expect(v.data[0]).toBe(0n);
      const items = (await npz.read('dim_item_names')).data as unknown[];
      expect(isTuple(items[2])).toBe(true);
      expect(items[2]).toEqual(['x', 'y']);
    }
  });
});

describe('pickle: hand-made streams', () => {
  it('protocol-2 bytes via _codecs.encode, BININT2, LONG1, BINFLOAT, LONG_BINPUT/LONG_BINGET', () => {
    // [b'\x00\xff', 300, -2**70, 1.5, <memo ref to 300>]
    const b: number[] = [0x80, 2, 0x5d, 0x28];
    const push = (...x: number[]) => b.push(...x);
    const str = (s: string) => {
      const e = new TextEncoder().encode(s);
      push(0x58, e.length, 0, 0, 0, ...e);
    };
    push(0x63, ...new TextEncoder().encode('_codecs\nencode\n'));
    str('\u0000\u00ff');
    str('latin1');
    push(0x86, 0x52); // TUPLE2 REDUCE
    push(0x4d, 0x2c, 0x01); // BININT2 300
    push(0x72, 5, 0, 0, 0); // LONG_BINPUT 5
    push(0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0); // LONG1 -2**70
    push(0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0); // BINFLOAT 1.5
    push(0x6a, 5, 0, 0, 0); // LONG_BINGET 5
    push(0x65, 0x2e); // APPENDS STOP
    const v = unpickle(Uint8Array.from(b)) as unknown[];
    expect(v[0]).toEqual(Uint8Array.of(0, 255));
    expect(v[1]).toBe(300);
    expect(v[2]).toBe(-(2n ** 70n));
    expect(v[3]).toBe(1.5);
    expect(v[4]).toBe(300);
  });

  it('refuses globals outside the whitelist and unknown opcodes', () => {
    const evil = Uint8Array.from([0x80, 2, ...new TextEncoder().encode('cos\nsystem\n'), 0x58, 2, 0, 0, 0, 0x6c, 0x73, 0x85, 0x52, 0x2e]);
    expect(() => unpickle(evil, 'evil.pkl')).toThrow(/refusing global os\.system/);
    try {
      unpickle(evil, 'evil.pkl');
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
      expect((e as FormatError).path).toBe('evil.pkl');
      expect((e as FormatError).offset).toBe(2);
    }
    expect(() => unpickle(hex('80044e8f2e'), 'p')).toThrow(/unsupported pickle opcode 0x8f at offset 3/);
    expect(() => unpickle(hex('80034e'), 'p')).toThrow(/no STOP/);
    expect(() => unpickle(hex('8003580a000000616263'), 'p')).toThrow(/truncated pickle/);
  });

  it('memo and stack are bounded by the input', () => {
    // 1000 × (EMPTY_LIST, APPEND to itself via memo) cycles are fine; a self-referencing list is returned
    const cyc = unpickle(hex('80035d7100680061' + '2e')) as unknown[];
    expect(cyc[0]).toBe(cyc);
    expect(() => unpickle(hex('8003' + '7101'.repeat(3) + '2e'))).toThrow(/underflow/);
  });
});

describe('pickle-write: round trips through our unpickler', () => {
  const items = [
    null,
    tuple('x', 'y'),
    { type: 'constant', value: scalarArray(0) },
    { type: 'mixed_v2', dims: { 'x-': { type: 'constant', value: scalarArray(1.5, '<f8') }, y: { type: 'zero-gradient' } } },
    [1, -1, 70000, -70000, 2 ** 40, 0.25, pyFloat(3), 'ñ😀', true, false, new Uint8Array([1, 2, 3])],
    -(2n ** 80n),
  ];
  for (const protocol of [2, 3, 4] as const) {
    it(`protocol ${protocol}`, () => {
      const p = pickleObjectArray(items, [items.length], protocol);
      const v = unpickle(p, 'w.pkl');
      expect(isNdArrayValue(v)).toBe(true);
      const arr = v as { dtype: string; shape: number[]; data: unknown[] };
      expect(arr.dtype).toBe('|O');
      expect(arr.shape).toEqual([6]);
      expect(isTuple(arr.data[1])).toBe(true);
      expect(toPlain(arr.data)).toEqual([
        null,
        ['x', 'y'],
        { type: 'constant', value: 0 },
        { type: 'mixed_v2', dims: { 'x-': { type: 'constant', value: 1.5 }, y: { type: 'zero-gradient' } } },
        [1, -1, 70000, -70000, 2 ** 40, 0.25, 3, 'ñ😀', true, false, { bytes: 3 }],
        -(2 ** 80),
      ]);
      expect((arr.data[4] as unknown[])[10]).toEqual(new Uint8Array([1, 2, 3]));
      expect(unpickle(pickleValue({ a: tuple() }, protocol))).toEqual({ a: [] });
      const npy = decodeNpy(encodeObjectNpy([{ type: 'periodic' }], [], protocol), 'o.npy');
      expect(npy.shape).toEqual([]);
      expect(npy.data).toEqual([{ type: 'periodic' }]);
    });
  }
});

describe.skipIf(!hasNumpy())(`pickle: cross-check with Python/numpy (skipped when ${NUMPY_MISSING})`, () => {
  it('reads what Python pickles (protocols 2-5): containers, numpy scalars, arrays, sets, complex, bytes', () => {
    const out = python(String.raw`
import pickle, numpy as np, json, sys
objs = {
  'basic': [None, True, False, 0, 255, 65535, -1, 2**31, 2**62, -2**70, 1.5, 'ñ😀', b'\x00\xff' * 200, (1, 2, 3, 4), ('a',), (), {'k': [1, {'z': None}]}],
  'numpy': {'i8': np.int64(-7), 'f4': np.float32(0.25), 'b': np.bool_(True), 'c': np.complex128(1 - 2j),
            'arr': np.arange(6, dtype='>i2').reshape(2, 3), 'f': np.asfortranarray(np.arange(6.0).reshape(2, 3)),
            'u': np.array(['ab', 'c']), 'o': np.array([None, (1, 2)], dtype=object), 'z': np.zeros((0, 2), dtype='<f4')},
  'py2': [set([1]), frozenset(['a']), complex(1, -1), bytearray(b'ab')],
}
res = {}
for p in (2, 3, 4, 5):
    for k, v in objs.items():
        if k == 'numpy' and p == 5:
            v = {kk: vv for kk, vv in v.items() if not isinstance(vv, np.ndarray)}
        if k == 'py2' and p >= 4:
            continue
        res[f'{k}{p}'] = pickle.dumps(v, protocol=p).hex()
print(json.dumps(res))
`);
    const res = JSON.parse(out) as Record<string, string>;
    for (const p of [2, 3, 4, 5]) {
      const basic = unpickle(hex(res[`basic${p}`]), `basic${p}`) as unknown[];
      expect(basic.slice(0, 12)).toEqual([null, true, false, 0, 255, 65535, -1, 2 ** 31, 2n ** 62n, -(2n ** 70n), 1.5, 'ñ😀']);
      expect((basic[12] as Uint8Array).length).toBe(400);
      expect(basic.slice(13)).toEqual([[1, 2, 3, 4], ['a'], [], { k: [1, { z: null }] }]);
      expect(isTuple(basic[13])).toBe(true);
      const np = unpickle(hex(res[`numpy${p}`]), `numpy${p}`) as Record<string, unknown>;
      expect(np.i8).toBe(-7);
      expect(np.f4).toBe(0.25);
      expect(np.b).toBe(true);
      expect(np.c).toEqual({ re: 1, im: -2 });
      if (p < 5) {
        expect(toPlain(np.arr)).toEqual({ dtype: '>i2', shape: [2, 3], value: [0, 1, 2, 3, 4, 5] });
        expect(toPlain(np.f)).toEqual({ dtype: '<f8', shape: [2, 3], value: [0, 1, 2, 3, 4, 5] });
        expect(toPlain(np.u)).toEqual({ dtype: '<U2', shape: [2], value: ['ab', 'c'] });
        expect(toPlain(np.o)).toEqual({ dtype: '|O', shape: [2], value: [null, [1, 2]] });
        expect(toPlain(np.z)).toEqual({ dtype: '<f4', shape: [0, 2], value: [] });
      }
      if (p < 4) {
        const py2 = unpickle(hex(res[`py2${p}`]), `py2${p}`) as unknown[];
        expect(py2).toEqual([[1], ['a'], { re: 1, im: -1 }, new Uint8Array([97, 98])]);
      }
    }
  });

  it('numpy (allow_pickle) loads PhiFlow-style object members written by pickle-write, protocols 2-4', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pkw-'));
    for (const protocol of [2, 3, 4] as const) {
      const z = encodeNpz(
        {
          dim_item_names: encodeObjectNpy([null, null, tuple('x', 'y')], [3], protocol),
          extrapolation: encodeObjectNpy(
            [
              {
                type: 'mixed_v2',
                dims: {
                  'x-': { type: 'constant', value: scalarArray(0) },
                  'x+': { type: 'constant', value: scalarArray(2.5, '<f8') },
                  y: { type: 'zero-gradient' },
                },
                n: 3,
                f: 0.5,
                s: 'é',
              },
            ],
            [],
            protocol,
          ),
          none: encodeObjectNpy([null], [], protocol),
        },
        { compress: true },
      );
      writeFileSync(join(dir, `p${protocol}.npz`), z);
    }
    const out = python(
      String.raw`
import numpy as np, sys, os, json, warnings
warnings.simplefilter('ignore')
d = sys.argv[1]
res = []
for p in (2, 3, 4):
    z = np.load(os.path.join(d, f'p{p}.npz'), allow_pickle=True)
    items = z['dim_item_names']
    ex = z['extrapolation'].item()
    dims = ex['dims']
    res.append([items.dtype.str, items.shape, [None if v is None else list(v) for v in items], isinstance(items[2], tuple),
                ex['type'], type(dims['x-']['value']).__name__, str(dims['x-']['value'].dtype), dims['x-']['value'].shape, int(dims['x-']['value']),
                float(dims['x+']['value']), str(dims['x+']['value'].dtype), dims['y'], ex['n'], type(ex['n']).__name__, ex['f'], ex['s'], z['none'].item()])
print(json.dumps(res))
`,
      [dir],
    );
    const res = JSON.parse(out);
    for (const r of res) {
      expect(r).toEqual([
        '|O',
        [3],
        [null, null, ['x', 'y']],
        true,
        'mixed_v2',
        'ndarray',
        'int64',
        [],
        0,
        2.5,
        'float64',
        { type: 'zero-gradient' },
        3,
        'int',
        0.5,
        'é',
        null,
      ]);
    }
  });
});
