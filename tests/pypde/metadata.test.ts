import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeFixtures, fixture, treeOf } from '../fixtures';
import {
  commentTag,
  decodeFieldAttributes,
  fieldLimits,
  parseComment,
  parseLenientJson,
  shlexFirstWord,
  videoFormatKey,
} from '../../src/formats/pypde/metadata';
import { gridGeometry } from '../../src/formats/pypde/grid';
import { channelSamples, channelValues, componentSlots, dequantise, quantisationStep, rawFrameSize } from '../../src/formats/pypde/unpack';
import { NEAREST_RULES, nearestIndex } from '../../src/core/nearest';
import { formulaTimes, parseTimes } from '../../src/formats/pypde/times';
const nearestByTime = (t: (number | null)[], x: number) => nearestIndex(t, x, NEAREST_RULES.pypde);
import { rawFrameBytes } from '../../src/video/raw-frames';
import { containerOf } from '../../src/video/magic';
import { sniff } from '../../src/formats/pypde/sniff';
import { sniff as sniffVideo } from '../../src/formats/video/sniff';
import { subtree } from '../../src/io/subtree';

/** Python shlex.quote for a string that needs quoting. */
const shq = (s: string) => `'${s.replace(/'/g, `'"'"'`)}'`;

describe('shlex first word', () => {
  it('unquotes single-quoted spans literally, joins adjacent spans', () => {
    expect(shlexFirstWord(`'{"a": "it'"'"'s"}'`)).toBe(`{"a": "it's"}`);
    expect(shlexFirstWord(`  'a b' c`)).toBe('a b');
    expect(shlexFirstWord(`"x\\"y\\\\z"'q'`)).toBe('x"y\\zq');
    expect(shlexFirstWord(`a\\ b c`)).toBe('a b');
    expect(shlexFirstWord('   ')).toBeNull();
  });
  it('round-trips Python shlex.quote', () => {
    for (const s of ['{"k": "v"}', `it's`, `''`, 'a\nb "c" \\ d']) expect(shlexFirstWord(shq(s))).toBe(s);
  });
});

describe('lenient JSON', () => {
  it('accepts bare NaN / Infinity / -Infinity but not inside strings', () => {
    const v = parseLenientJson('{"a": NaN, "b": [Infinity, -Infinity, 1], "s": "NaN Infinity", "t": "x\\"NaN"}') as Record<string, unknown>;
    expect(Number.isNaN(v.a as number)).toBe(true);
    expect(v.b).toEqual([Infinity, -Infinity, 1]);
    expect(v.s).toBe('NaN Infinity');
    expect(v.t).toBe('x"NaN');
  });
});

describe('comment → metadata', () => {
  const comment = shq(
    JSON.stringify({
      dt: 0.5,
      t_start: null,
      field_attributes: {
        class: JSON.stringify('FieldCollection'),
        label: 'null',
        dtype: JSON.stringify('<f8'),
        fields: JSON.stringify([
          {
            class: JSON.stringify('ScalarField'),
            grid: JSON.stringify({
              bounds: [
                [0, 2],
                [0, 1.5],
              ],
              shape: [32, 24],
              periodic: [true, false],
              class: 'CartesianGrid',
            }),
            label: JSON.stringify('phi'),
            dtype: JSON.stringify('<f8'),
          },
          {
            class: JSON.stringify('VectorField'),
            grid: JSON.stringify({
              bounds: [
                [0, 2],
                [0, 1.5],
              ],
              shape: [32, 24],
              periodic: [true, false],
              class: 'CartesianGrid',
            }),
            label: 'null',
            dtype: JSON.stringify('<f8'),
          },
        ]),
      },
      user: "Bob's run",
      video_format: 'rgb24',
      version: 1,
      vmin: [0, -1],
      vmax: [1, 1],
      write_times: false,
    }).replace('"dt": 0.5', '"dt": 0.5'),
  );
  it('tag lookup: comment, COMMENT, other case', () => {
    expect(commentTag({ comment: 'a', COMMENT: 'b' })).toBe('a');
    expect(commentTag({ COMMENT: 'b' })).toBe('b');
    expect(commentTag({ Comment: 'c' })).toBe('c');
    expect(commentTag({ title: 'x' })).toBeNull();
  });
  it('decodes a collection with triple-encoded grids', () => {
    const meta = parseComment(comment);
    expect(meta.user).toBe("Bob's run");
    const d = decodeFieldAttributes(meta.field_attributes);
    expect(d.collection).toBe(true);
    expect(d.fields.map((f) => [f.class, f.label, f.rank])).toEqual([
      ['ScalarField', 'phi', 0],
      ['VectorField', null, 1],
    ]);
    expect(fieldLimits(meta.vmin, meta.vmax, 2)).toEqual({ a: [0, -1], b: [1, 1] });
    expect(videoFormatKey(meta, 'bgr0')).toBe('rgb24');
    expect(componentSlots([0, 1], 2)).toEqual([
      { field: 0, index: [] },
      { field: 1, index: [0] },
      { field: 1, index: [1] },
    ]);
  });
  it('limits: number for all fields, longer lists truncated', () => {
    expect(fieldLimits(-1, 2, 3)).toEqual({ a: [-1, -1, -1], b: [2, 2, 2] });
    expect(fieldLimits([0, 1, 2], [3, 4, 5], 2)).toEqual({ a: [0, 1], b: [3, 4] });
  });
  it('video format from the stored pixel format when the key is absent', () => {
    expect(videoFormatKey({}, 'gray16le')).toBe('gray16le');
    expect(videoFormatKey({}, 'bgra')).toBe('rgb32');
  });
});

describe('grids', () => {
  it('Cartesian: cell centres and index scales', () => {
    const g = gridGeometry({
      class: 'CartesianGrid',
      bounds: [
        [0, 2],
        [0, 1.5],
      ],
      shape: [32, 24],
      periodic: [true, false],
    });
    expect(g.dim).toBe(2);
    expect(g.axes.map((a) => [a.name, a.n, a.periodic])).toEqual([
      ['x', 32, true],
      ['y', 24, false],
    ]);
    expect(g.axes[0].scale.slope).toBeCloseTo(1 / 16, 15);
    expect(g.axes[0].scale.offset).toBeCloseTo(1 / 32, 15);
    expect(g.axes[1].centres[23]).toBeCloseTo(1.5 - 1.5 / 48, 15);
  });
  it('UnitGrid, polar (dim 2), spherical (dim 3, inner radius), cylindrical', () => {
    expect(gridGeometry({ class: 'UnitGrid', shape: [4], periodic: [false] }).axes[0].centres).toEqual(new Float64Array([0.5, 1.5, 2.5, 3.5]));
    const p = gridGeometry({ class: 'PolarSymGrid', radius: 3, shape: [40] });
    expect([p.dim, p.axes[0].name, p.axes[0].centres[0]]).toEqual([2, 'r', 0.0375]);
    const s = gridGeometry({ class: 'SphericalSymGrid', radius: [1, 2], shape: [4] });
    expect([s.dim, s.axes[0].centres[0]]).toEqual([3, 1.125]);
    const c = gridGeometry({ class: 'CylindricalSymGrid', radius: 3, bounds_z: [1, 2], shape: [2, 2], periodic_z: false });
    expect([c.dim, c.axes.map((a) => a.name), Array.from(c.axes[1].centres)]).toEqual([3, ['r', 'z'], [1.25, 1.75]]);
  });
});

describe('unpacking', () => {
  it('(x·H + y)·C + k with y fastest → [H][W], 16-bit little endian, unused channel ignored', () => {
    const W = 3;
    const H = 2;
    const C = 3;
    const raw = new Uint8Array(W * H * C * 2);
    const dv = new DataView(raw.buffer);
    for (let x = 0; x < W; x++) for (let y = 0; y < H; y++) for (let k = 0; k < C; k++) dv.setUint16(((x * H + y) * C + k) * 2, 1000 * k + 10 * x + y, true);
    const l = { width: W, height: H, channels: C, bits: 16 as const };
    expect(rawFrameSize(l)).toBe(36);
    expect(Array.from(channelSamples(raw, l, 1))).toEqual([1000, 1010, 1020, 1001, 1011, 1021]);
  });
  it('dequantises like py-pde (floor quantisation, one-step error)', () => {
    const q = new Uint16Array([0, 1, 65535]);
    expect(Array.from(dequantise(q, -1, 1, 16))).toEqual([-1, -1 + 2 / 65535, 1]);
    expect(quantisationStep(0, 1, 8)).toBe(1 / 255);
  });
  it('channelValues equals dequantise(channelSamples) bit for bit, every layout, any byte offset', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) & 0xffff;
    for (const bits of [8, 16] as const)
      for (const C of [1, 2, 3, 4])
        for (const [W, H] of [
          [1, 1],
          [5, 3],
          [3, 70],
          [70, 33],
          [64, 64],
        ])
          for (const offset of [0, 1]) {
            const l = { width: W, height: H, channels: C, bits };
            const buf = new Uint8Array(rawFrameSize(l) + offset);
            for (let i = 0; i < buf.length; i++) buf[i] = rnd() & 255;
            const raw = buf.subarray(offset);
            for (let k = 0; k < C; k++) {
              const want = dequantise(channelSamples(raw, l, k), -1.25, 3.5, bits);
              const got = channelValues(raw, l, k, -1.25, 3.5);
              expect(got).toBeInstanceOf(Float64Array);
              expect(Array.from(got)).toEqual(Array.from(want));
              const f32 = channelValues(raw, l, k, -1.25, 3.5, new Float32Array(W * H));
              expect(Array.from(f32)).toEqual(Array.from(Float32Array.from(want)));
            }
          }
    expect(() => channelValues(new Uint8Array(8), { width: 2, height: 2, channels: 1, bits: 16 }, 0, 0, 1, new Float64Array(3))).toThrow(/holds 3 values/);
  });
});

describe('times', () => {
  it('parses whitespace-separated floats, Python reprs included', () => {
    expect(parseTimes('0\n0.5\n1e-05\n0.30000000000000004\n', 10)).toEqual([0, 0.5, 1e-5, 0.30000000000000004]);
    expect(formulaTimes(3, null, 0.25)).toEqual([0, 0.25, 0.5]);
    expect(formulaTimes(2, 0.5, undefined)).toEqual([0.5, 1.5]);
  });
  it('nearest index, sorted or not', () => {
    expect(nearestByTime([0, 1, 2, 3], 1.6)).toBe(2);
    expect(nearestByTime([0, 1, 2, 3], -5)).toBe(0);
    expect(nearestByTime([3, 0, 2], 0.4)).toBe(1);
  });
});

describe('raw frame sizes and container magic', () => {
  it('rawvideo sizes', () => {
    expect(rawFrameBytes('gbrp16le', 32, 24)).toBe(32 * 24 * 6);
    expect(rawFrameBytes('yuv420p', 331, 247)).toBe(331 * 247 + 2 * 166 * 124);
    expect(rawFrameBytes('rgb32', 2, 2)).toBe(16);
    expect(rawFrameBytes('pal8', 2, 2)).toBe(1028);
    expect(rawFrameBytes('nonsense', 2, 2)).toBeNull();
  });
  it('magic bytes', () => {
    const b = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    expect(containerOf(b('RIFF\x00\x00\x00\x00AVI LIST'))).toBe('avi');
    expect(containerOf(b('\x1aE\xdf\xa3\x00\x00\x00\x00'))).toBe('matroska');
    expect(containerOf(b('\x00\x00\x00\x20ftypisom'))).toBe('isobmff');
    expect(containerOf(b('GIF89a\x00\x00'))).toBe('gif');
    expect(containerOf(b('RIFF\x00\x00\x00\x00WAVEfmt '))).toBeNull();
    expect(containerOf(b('\x89PNG\r\n\x1a\n'))).toBeNull();
  });
});

describeFixtures('py-pde fixtures: comments and sniffing (Node, no ffmpeg)', (dir) => {
  const index = readFileSync(fixture('pypde', 'INDEX.md'), 'utf8');
  // the byte-exact comment tags INDEX.md lists, one per movie
  const tags = [...index.matchAll(/## (\S+\.(?:avi|mkv|mov))\n(?:(?!\n## )[\s\S])*?exact comment tag \(ffprobe, byte-exact\):\n\n```text\n(.*)\n```/g)].map(
    (m) => [m[1], m[2]] as const,
  );
  it('INDEX.md lists the comment of all 11 movies', () => {
    expect(tags.length).toBe(11);
    expect(dir).toBeTruthy();
  });
  it.each(tags)('%s: comment parses like py-pde', (name, tag) => {
    const meta = parseComment(tag);
    expect(meta.version).toBe(1);
    const d = decodeFieldAttributes(meta.field_attributes);
    const g = gridGeometry(d.fields[0].grid);
    expect(g.axes.length).toBeGreaterThan(0);
    fieldLimits(meta.vmin, meta.vmax, d.fields.length);
    if (name === 'collection2d_16bit.avi') expect(d.fields.map((f) => f.label)).toEqual(['u', 'v']);
    if (name === 'polar_vector_16bit.avi') expect([g.class, g.dim]).toEqual(['PolarSymGrid', 2]);
  });
  it('pypde sniff: every movie with its .times; not the isf videos; video sniff lower', async () => {
    const tree = await treeOf('pypde');
    for (const [name] of tags) {
      const t = { name, files: tree.files.filter((f) => f.path === name || f.path === name + '.times') };
      expect(await sniff(t), name).toBe(0.95);
      expect(await sniffVideo(t), name).toBeLessThan(0.95);
    }
    const isf = await treeOf('isf');
    expect(await sniff(isf)).toBe(0);
    expect(await sniffVideo(subtree({ name: 'isf', files: isf.files.map((f) => ({ ...f, path: 'x/' + f.path })) }, 'x'))).toBeGreaterThan(0);
    expect(await sniff(await treeOf('phiflow'))).toBe(0);
  });
});
