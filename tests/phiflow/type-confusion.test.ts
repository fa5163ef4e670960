/**
 * Regressions of the issue-13 fuzz findings for the PhiFlow reader, rebuilt here from generated
 * reproducers (no fixture copied): JSON and pickle values that are objects where strings or numbers
 * are expected — objects whose `toString`/`valueOf` are not callable, so String()/Number()/template
 * literals throw `TypeError: Cannot convert object to primitive value` — and JSON nested 100,000
 * levels. Each must end as a FormatError or a warning, never a TypeError or RangeError.
 */
import { describe, expect, it } from 'vitest';
import { encodeNpz } from '../../src/codecs/npz';
import { encodeObjectNpy } from '../../src/codecs/pickle-write';
import { checkJsonDepth, JsonError, parseJsonLimited } from '../../src/core/json';
import { FormatError } from '../../src/core/errors';
import { open } from '../../src/formats/phiflow/open';
import { fieldMembers, pkStr, rawObjectNpy, treeFrom } from './synth';

const EVIL = { toString: 1, valueOf: 1 };

const scalar = () =>
  fieldMembers({
    dims: [
      { name: 'x', type: 'spatial' },
      { name: 'y', type: 'spatial' },
    ],
    shape: [3, 2],
    data: Float32Array.from({ length: 6 }, (_, k) => k),
  });

const staggered = (extrapolation: unknown) => {
  const m = fieldMembers({
    dims: [
      { name: 'x', type: 'spatial' },
      { name: 'y', type: 'spatial' },
      { name: 'vector', type: 'channel', items: ['x', 'y'] },
    ],
    fieldType: 'StaggeredGrid',
    shape: [4, 3, 2],
    data: Float32Array.from({ length: 24 }, (_, k) => k),
  });
  m.extrapolation = encodeObjectNpy([extrapolation], []);
  return m;
};

const scene = (desc: string, members = scalar()) => treeFrom('s', { 'f_000000.npz': encodeNpz(members, { compress: true }), 'description.json': desc });

async function settle(p: Promise<unknown>): Promise<unknown> {
  try {
    return await p;
  } catch (e) {
    return e;
  }
}

describe('PhiFlow: type-confused values end as FormatErrors or warnings', () => {
  it('description.json: objects as __tensors__ entries, tensor names, types and item names', async () => {
    const cases = [
      { __tensors__: ['t', EVIL], t: { names: ['vector'], types: ['channel'], item_names: [['x', 'y']], data: [1, 2] } },
      { __tensors__: ['t'], t: { names: [EVIL], types: ['channel'], item_names: [null], data: [1, 2] } },
      { __tensors__: ['t'], t: { names: ['vector'], types: ['channel'], item_names: [[EVIL, 'y']], data: [1, 2] } },
      { __tensors__: ['t'], t: { names: ['a', 'b'], types: [EVIL, 'spatial'], item_names: [null, null], data: [[1]] } },
      { __tensors__: EVIL, dt: 0.5 },
      { dt: EVIL },
    ];
    for (const c of cases) {
      const src = await settle(open(scene(JSON.stringify(c))));
      expect(src, JSON.stringify(c)).not.toBeInstanceOf(Error);
      const s = src as Awaited<ReturnType<typeof open>>;
      expect((await s.readFrame(0)).fields.f.values!.length).toBe(6);
    }
    const s1 = await open(scene(JSON.stringify(cases[1])));
    expect(s1.warnings!.join('\n')).toMatch(/property "t" is listed in __tensors__ but is not a tensor/);
    expect((s1.metadata.properties as Record<string, unknown>).t).toEqual(cases[1].t);
    const s0 = await open(scene(JSON.stringify(cases[0])));
    expect(s0.warnings!.join('\n')).toMatch(/__tensors__ holds entries that are not key names/);
    expect((s0.metadata.properties as Record<string, unknown>).t).toEqual({ x: 1, y: 2 });
    const s5 = await open(scene(JSON.stringify(cases[5])));
    expect(s5.frames[0].time).toBeNull();
  });

  it('a "__proto__" key in description.json stays an own property', async () => {
    const src = await open(scene('{"__proto__": {"toString": 1}, "dt": 0.5}'));
    const props = src.metadata.properties as Record<string, unknown>;
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect(Object.keys(props)).toEqual(['__proto__', 'dt']);
    expect(src.frames[0].time).toBe(0);
  });

  it('pickled extrapolation with an object as type (top level and inside mixed_v2): warning, faces stored', async () => {
    for (const ex of [{ type: EVIL }, { type: 'mixed_v2', dims: { x: { type: EVIL }, y: { type: 'periodic' } } }, { type: 'constant', value: EVIL }]) {
      const src = await settle(open(scene('{}', staggered(ex))));
      expect(src, JSON.stringify(ex)).not.toBeInstanceOf(Error);
      const s = src as Awaited<ReturnType<typeof open>>;
      const f = await s.readFrame(0);
      expect(Object.keys(f.fields)).toContain('f/x');
    }
    const s = await open(scene('{}', staggered({ type: EVIL })));
    expect(s.warnings!.join('\n')).toMatch(/extrapolation 'type' is not a string/);
    expect(s.fields.find((f) => f.name === 'f/x')!.shape).toEqual([2, 4]); // x faces: both stored
  });

  it('a cyclic pickled extrapolation (memo reference to itself) is a FormatError naming the member', async () => {
    // {'type': 'periodic', 'self': <the dict itself>}: EMPTY_DICT BINPUT 0 MARK … BINGET 0 SETITEMS STOP
    const pk = [0x80, 2, 0x7d, 0x71, 0, 0x28, ...pkStr('type'), ...pkStr('periodic'), ...pkStr('self'), 0x68, 0, 0x75, 0x2e];
    const m = scalar();
    m.extrapolation = rawObjectNpy(pk);
    const e = await settle(open(scene('{}', m)));
    expect(e).toBeInstanceOf(FormatError);
    expect((e as FormatError).message).toMatch(/f_000000\.npz.*extrapolation refers to itself/);
  });

  it('description.json nested 100,000 levels is a FormatError (no stack overflow later); context.json the same as a warning', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const e = await settle(open(scene(`{"a": ${deep}}`)));
    expect(e).toBeInstanceOf(FormatError);
    expect((e as FormatError).message).toMatch(/^description\.json @105: JSON nests deeper than 100 levels \(at character 105\)/);
    expect((e as FormatError).offset).toBe(105);
    const withCtx = treeFrom('s', {
      'f_000000.npz': encodeNpz(scalar(), { compress: true }),
      'src/context.json': `{"phi_version": ${deep}}`,
    });
    const src = await open(withCtx);
    expect(src.warnings!.join('\n')).toMatch(/context\.json @115: JSON nests deeper than 100 levels/);
    expect(src.metadata.phi_version).toBeNull();
  });
});

describe('core/json parseJsonLimited', () => {
  it('checks depth outside strings only, in one pass; wraps syntax errors', () => {
    expect(checkJsonDepth('{"a": [1, {"b": "[[[[[[["}]}', 3)).toBe(3);
    expect(() => checkJsonDepth('[[[[]]]]', 3)).toThrow(JsonError);
    expect(parseJsonLimited('"\\"[[["', { maxDepth: 1 })).toBe('"[[[');
    expect(parseJsonLimited('{"x": [1, 2]}')).toEqual({ x: [1, 2] });
    let err: unknown;
    try {
      parseJsonLimited('{"x": 1,,}');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonError);
    expect((err as JsonError).reason).toMatch(/^not valid JSON/);
    const t0 = performance.now();
    expect(() => parseJsonLimited('['.repeat(5_000_000))).toThrow(/deeper than 100 levels/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
