import { describe, expect, it } from 'vitest';
import { openNpz } from '../../src/codecs/npz';
import {
  chooseVideoFormat,
  commentJson,
  commentTag,
  fieldAttributes,
  packFrame,
  planLayout,
  quantise,
  timesText,
  uniformTimes,
} from '../../src/formats/pypde/pack';
import type { FieldData, Frame, FrameSource, Scale } from '../../src/formats/types';
import { sourceTreeFromPath } from '../../src/io/node';
import { describeFixtures, fixture } from '../fixtures';
import { syntheticSource } from './synthetic';

describe('py-pde format choice and quantisation', () => {
  it('automatic format table (§3.1)', () => {
    expect([1, 2, 3, 4].map((c) => chooseVideoFormat(c, 8).key)).toEqual(['gray', 'rgb24', 'rgb24', 'rgb32']);
    expect([1, 2, 3, 4].map((c) => chooseVideoFormat(c, 16).key)).toEqual(['gray16le', 'gbrp16le', 'gbrp16le', 'gbrap16le']);
    expect(() => chooseVideoFormat(5, 8)).toThrow(/at most 4 components/);
  });
  it('clip + truncation, NaN → 0, a == b → 0', () => {
    expect(quantise(0.5, 0, 1, 255)).toBe(127);
    expect(quantise(1, 0, 1, 255)).toBe(255);
    expect(quantise(1.7, 0, 1, 255)).toBe(255);
    expect(quantise(-3, 0, 1, 255)).toBe(0);
    expect(quantise(NaN, 0, 1, 65535)).toBe(0);
    expect(quantise(3, 2, 2, 255)).toBe(0);
  });
  it('.times text is Python str(float) per line; uniform times give dt/t_start', () => {
    expect(timesText([0, 0.5, 1e-5, 0.30000000000000004])).toBe('0.0\n0.5\n1e-05\n0.30000000000000004\n');
    expect(uniformTimes([0.5, 0.75, 1.0])).toEqual({ dt: 0.25, t0: 0.5 });
    expect(uniformTimes([0, 0.05, 0.1414])).toBeNull();
  });
});

describe('py-pde layout of a non-py-pde source', () => {
  it('CartesianGrid from the cell-centre scales (y flipped to increase), label = field name', async () => {
    const src = syntheticSource({ frames: 2, flipY: true });
    const first = await src.readFrame(0);
    const layout = planLayout(src, [src.fields[0], src.fields[1]], first, 16);
    expect(layout.format.key).toBe('gbrp16le');
    expect(layout.width).toBe(7);
    expect(layout.height).toBe(5);
    expect(layout.flipY).toBe(true);
    const fa = fieldAttributes(layout);
    expect(fa.class).toBe('"FieldCollection"');
    const members = JSON.parse(fa.fields);
    expect(members.map((m: Record<string, string>) => JSON.parse(m.label))).toEqual(['c', 'vel']);
    expect(JSON.parse(members[1].class)).toBe('VectorField');
    expect(JSON.parse(members[0].grid)).toEqual({
      bounds: [
        [-1.125, 0.625],
        [7.75, 10.25],
      ],
      shape: [7, 5],
      periodic: [false, false],
      class: 'CartesianGrid',
    });
    expect(members[0].grid).toContain('[[-1.125, 0.625], [7.75, 10.25]]');
    const json = commentJson(
      layout,
      [
        [-3, 3],
        [-5, 5],
      ],
      [0.5, 0.75],
      { user: "O'Brien" },
      true,
    );
    expect(json.startsWith('{"user": "O\'Brien", "dt": 0.25, "t_start": 0.5, "field_attributes": {"class": "\\"FieldCollection\\""')).toBe(true);
    expect(json.endsWith('"video_format": "gbrp16le", "version": 1, "vmin": [-3.0, -5.0], "vmax": [3.0, 5.0], "write_times": true}')).toBe(true);
    expect(commentTag(json)).toContain(`"O'"'"'Brien"`);
    // packing: y flipped, masked cells 0, channel 2 unused
    const raw = packFrame(first, layout, [
      [-3, 3],
      [-5, 5],
    ]);
    expect(raw.length).toBe(7 * 5 * 3 * 2);
    const u16 = new Uint16Array(raw.buffer.slice(0));
    const c = first.fields.c;
    for (let x = 0; x < 7; x++)
      for (let y = 0; y < 5; y++) {
        const si = (4 - y) * 7 + x;
        const di = (x * 5 + y) * 3;
        expect(u16[di]).toBe(c.mask![si] ? 0 : quantise(c.values![si], -3, 3, 65535));
        expect(u16[di + 1]).toBe(first.fields.vel.mask![si] ? 0 : quantise(first.fields.vel.u![si], -5, 5, 65535));
      }
  });
  it('refuses 3-axis and RGB fields, and more than four components', async () => {
    const src = syntheticSource({ frames: 1, vol: true });
    const first = await src.readFrame(0);
    expect(() => planLayout(src, [src.fields.find((f) => f.name === 'vol')!], first, 16)).toThrow(/1- or 2-axis/);
    expect(() => planLayout(src, [src.fields.find((f) => f.name === 'rgb')!], first, 8)).toThrow(/RGB/);
    const vel = src.fields.find((f) => f.name === 'vel')!;
    expect(() => planLayout(src, [vel, vel, src.fields[0]], first, 8)).toThrow(/do not fit/);
  });
});

/** A FrameSource over an oracle's `source` array, as our py-pde reader would describe it. */
function oracleSource(name: string, data: Float64Array, shape: number[], kinds: ('scalar' | 'vector')[], grid: Record<string, unknown>): FrameSource {
  const nf = shape[0];
  const gshape = grid.shape as number[];
  const nx = gshape[0];
  const ny = gshape.length === 2 ? gshape[1] : 1;
  const cells = nx * ny;
  const comps = kinds.reduce((a, k) => a + (k === 'vector' ? 2 : 1), 0);
  const bounds = grid.bounds as number[][] | undefined;
  const sc = (a: number): Scale => {
    if (!bounds) return { slope: 1, offset: 0.5, unit: '', description: '' };
    const [lo, hi] = bounds[a];
    const n = gshape[a];
    return { slope: (hi - lo) / n, offset: lo + (hi - lo) / n / 2, unit: '', description: '' };
  };
  return {
    format: 'pypde',
    name,
    frames: Array.from({ length: nf }, (_, i) => ({ index: i, number: i, time: i })),
    fields: kinds.map((k, i) => ({ name: `field${i}`, kind: k, shape: ny > 1 ? [ny, nx] : [nx], unit: '' })),
    metadata: { grid: { class: grid.class, state: grid } },
    timeUnit: null,
    async readFrame(i): Promise<Frame> {
      // oracle source[i] is (C, nx, ny) (or (nx, ny) for a single scalar): x slowest; ours is [ny, nx]
      const comp = (c: number) => {
        const out = new Float64Array(cells);
        for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) out[y * nx + x] = data[((i * comps + c) * nx + x) * ny + y];
        return out;
      };
      const fields: Record<string, FieldData> = {};
      let c = 0;
      kinds.forEach((k, j) => {
        const base = { shape: ny > 1 ? [ny, nx] : [nx], scales: { x: sc(0), y: ny > 1 ? sc(1) : sc(0) } };
        if (k === 'vector') {
          fields[`field${j}`] = { kind: 'vector', u: Float32Array.from(comp(c)), v: Float32Array.from(comp(c + 1)), ...base };
          c += 2;
        } else fields[`field${j}`] = { kind: 'scalar', values: comp(c++), ...base };
      });
      return { info: { index: i, number: i, time: i }, fields, attributes: {} };
    },
    nearestIndex: (t) => Math.round(t),
    close() {},
  };
}

describeFixtures('py-pde packing against the oracles (raw frames bit for bit)', () => {
  const cases: { file: string; kinds: ('scalar' | 'vector')[]; bits: number; limits: [number, number][]; grid: Record<string, unknown>; fmt: string }[] = [
    {
      file: 'scalar2d_8bit',
      kinds: ['scalar'],
      bits: 8,
      limits: [[0, 1]],
      fmt: 'gray',
      grid: {
        bounds: [
          [0, 2],
          [0, 1.5],
        ],
        shape: [32, 24],
        periodic: [true, false],
        class: 'CartesianGrid',
      },
    },
    {
      file: 'scalar2d_16bit',
      kinds: ['scalar'],
      bits: 16,
      limits: [[-0.25, 1.25]],
      fmt: 'gray16le',
      grid: {
        bounds: [
          [0, 2],
          [0, 1.5],
        ],
        shape: [32, 24],
        periodic: [true, false],
        class: 'CartesianGrid',
      },
    },
    {
      file: 'vector2d_16bit',
      kinds: ['vector'],
      bits: 16,
      limits: [[-1, 1]],
      fmt: 'gbrp16le',
      grid: {
        bounds: [
          [0, 2],
          [0, 1.5],
        ],
        shape: [32, 24],
        periodic: [true, false],
        class: 'CartesianGrid',
      },
    },
    {
      file: 'collection2d_mixed_8bit',
      kinds: ['scalar', 'vector'],
      bits: 8,
      limits: [
        [0, 1],
        [-1, 1],
      ],
      fmt: 'rgb24',
      grid: {
        bounds: [
          [0, 2],
          [0, 1.5],
        ],
        shape: [32, 24],
        periodic: [true, false],
        class: 'CartesianGrid',
      },
    },
    {
      file: 'scalar1d_16bit',
      kinds: ['scalar'],
      bits: 16,
      limits: [[0, 1]],
      fmt: 'gray16le',
      grid: { bounds: [[0, 10]], shape: [64], periodic: [true], class: 'CartesianGrid' },
    },
    { file: 'polar_vector_16bit', kinds: ['vector'], bits: 16, limits: [[-1, 1]], fmt: 'gbrp16le', grid: { radius: 3, shape: [40], class: 'PolarSymGrid' } },
  ];
  for (const c of cases) {
    it(`${c.file}: packFrame(source) == raw_frames; grid attributes as py-pde wrote them`, async () => {
      const tree = await sourceTreeFromPath(fixture('pypde', `${c.file}.oracle.npz`));
      const z = await (await openNpz(tree.files[0])).readMany(['source', 'raw_frames']);
      const src = oracleSource(c.file, z.source.data as Float64Array, z.source.shape, c.kinds, c.grid);
      const first = await src.readFrame(0);
      const layout = planLayout(src, src.fields, first, c.bits);
      expect(layout.format.key).toBe(c.fmt);
      const fa = fieldAttributes(layout);
      const gridText = layout.members.length === 1 ? fa.grid : JSON.parse(fa.fields)[0].grid;
      // byte-exact grid JSON text as in INDEX.md
      const expected: Record<string, string> = {
        CartesianGrid2: '{"bounds": [[0.0, 2.0], [0.0, 1.5]], "shape": [32, 24], "periodic": [true, false], "class": "CartesianGrid"}',
        CartesianGrid1: '{"bounds": [[0.0, 10.0]], "shape": [64], "periodic": [true], "class": "CartesianGrid"}',
        PolarSymGrid1: '{"radius": 3.0, "shape": [40], "class": "PolarSymGrid"}',
      };
      expect(gridText).toBe(expected[`${c.grid.class}${(c.grid.shape as number[]).length}`]);
      const raw = z.raw_frames;
      const per = raw.shape.slice(1).reduce((a, b) => a * b, 1);
      for (const i of [0, 7, 19]) {
        const packed = packFrame(await src.readFrame(i), layout, c.limits);
        const want = raw.data instanceof Uint16Array ? raw.data.subarray(i * per, (i + 1) * per) : (raw.data as Uint8Array).subarray(i * per, (i + 1) * per);
        const got = raw.data instanceof Uint16Array ? new Uint16Array(packed.buffer.slice(0)) : packed;
        // the oracle holds the channels the format has (rgb24: 3); ours pads to the same count
        let diff = 0;
        for (let k = 0; k < per; k++) if (got[k] !== want[k]) diff++;
        expect(diff, `${c.file} frame ${i}: ${diff} of ${per} samples differ`).toBe(0);
      }
    });
  }
});
