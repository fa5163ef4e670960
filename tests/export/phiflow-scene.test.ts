import { describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index';
import { phiflowFieldName } from '../../src/export/phiflow-scene';
import { openDataset } from '../../src/formats/index';
import type { FrameSource } from '../../src/formats/types';
import { readFileSync } from 'node:fs';
import { toFloat64 } from '../../src/codecs/npy';
import { openNpz } from '../../src/codecs/npz';
import { plainOf } from '../../src/formats/phiflow/values';
import { bytesSourceFile } from '../../src/io/slice-file';
import { describeFixtures, fixture, treeOf } from '../fixtures';
import { expectSameField, hasNumpy, python, treeFromFiles, writeFiles } from './helpers';
import { syntheticSource } from './synthetic';
import { fieldFile, treeFrom } from '../phiflow/synth';

async function reopen(files: { path: string; bytes: Uint8Array }[]): Promise<FrameSource> {
  const src = await openDataset(treeFromFiles(files, 'sim_000000', 'sim_000000'));
  expect(src.format).toBe('phiflow');
  return src;
}

describe('PhiFlow field-name normalisation', () => {
  it('follows Scene slugify after / → _', () => {
    expect(phiflowFieldName('Density')).toBe('density');
    expect(phiflowFieldName('vel.x')).toBe('vel_x');
    expect(phiflowFieldName('my field')).toBe('my-field');
    expect(phiflowFieldName('frame0/TS:Peak ratio')).toBe('frame0_tspeak-ratio');
    expect(phiflowFieldName('_hidden')).toBe('hidden');
  });
});

describe('phiflow-scene export (synthetic)', () => {
  it('writes description.json and nine-member npz files our reader opens with the same values', async () => {
    const src = syntheticSource({ frames: 3, numbers: [0, 1, 2], times: [0, 0.25, 0.5], flipY: true, vol: true });
    const files = await exportDataset(src, { target: 'phiflow-scene', fields: ['c', 'vel', 'line', 'vol'], options: { properties: { author: 'test' } } });
    const paths = files.map((f) => f.path);
    expect(paths[0]).toBe('sim_000000/description.json');
    expect(paths).toContain('sim_000000/c_000002.npz');
    expect(paths).toContain('sim_000000/vel_000000.npz');
    const desc = JSON.parse(new TextDecoder().decode(files[0].bytes));
    expect(desc.author).toBe('test');
    expect(desc.dt).toBe(0.25);
    expect(desc.__tensors__).toEqual(['domain_lower', 'domain_upper']);
    expect(desc.domain_lower).toEqual({ names: ['vector'], types: ['channel'], item_names: [['x', 'y']], data: [-1.125, 7.75] });
    const back = await reopen(files);
    expect(back.frames.map((f) => f.number)).toEqual([0, 1, 2]);
    expect(back.frames.map((f) => f.time)).toEqual([0, 0.25, 0.5]);
    for (let i = 0; i < 3; i++) {
      const a = await src.readFrame(i);
      const b = await back.readFrame(i);
      for (const name of ['c', 'vel', 'line', 'vol']) {
        const fa = a.fields[name];
        const fb = b.fields[name];
        // y had a negative slope: the export flips it so lower < upper; compare in physical order
        const ny = fa.shape.length >= 2 ? fa.shape[fa.shape.length - 2] : 1;
        const nx = fa.shape[fa.shape.length - 1];
        const planes = fa.shape.length === 3 ? fa.shape[0] : 1;
        const flip = (arr: ArrayLike<number> | undefined) => {
          if (!arr || fa.shape.length < 2) return arr as never;
          const out = new Float32Array(arr.length);
          for (let z = 0; z < planes; z++)
            for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[(z * ny + (ny - 1 - y)) * nx + x] = arr[(z * ny + y) * nx + x];
          return out;
        };
        const expected = {
          ...fa,
          values: fa.values ? flip(fa.values) : undefined,
          u: flip(fa.u),
          v: flip(fa.v),
          mask: undefined,
        };
        // PhiFlow has no masks: masked cells come back as NaN
        const maskF = fa.mask ? flip(fa.mask) : null;
        const comps = fb.kind === 'vector' ? [fb.u!, fb.v!] : [fb.values as Float32Array];
        if (maskF) for (let k = 0; k < maskF.length; k++) if (maskF[k]) for (const c of comps) expect(Number.isNaN(c[k]), `${name} cell ${k}`).toBe(true);
        const cleaned: { values?: unknown; u?: Float32Array; v?: Float32Array } & Record<string, unknown> = { ...expected };
        if (maskF) {
          const nanOut = (arr?: Float32Array) => arr && Float32Array.from(arr, (v, k) => (maskF[k] ? NaN : v));
          cleaned.values = cleaned.values && nanOut(cleaned.values as Float32Array);
          cleaned.u = nanOut(cleaned.u);
          cleaned.v = nanOut(cleaned.v);
        }
        expectSameField(cleaned as never, { ...fb, mask: undefined }, 1e-6, `${name} frame ${i}`);
        // the y axis now increases; cell centres unchanged as a set
        if (fa.shape.length >= 2) {
          expect(fb.scales!.y.slope).toBeCloseTo(0.5, 12);
          expect(fb.scales!.y.offset).toBeCloseTo(8, 12);
          expect(fb.scales!.x.offset).toBeCloseTo(-1, 12);
          expect(fb.scales!.x.slope).toBeCloseTo(0.25, 12);
        }
      }
    }
  });

  it('uses export positions as frame numbers when the source numbers do not fit six digits', async () => {
    const src = syntheticSource({ frames: 2, numbers: [5, 5_000_000] });
    const files = await exportDataset(src, { target: 'phiflow-scene', fields: ['c'], options: { sceneId: 12 } });
    expect(files.map((f) => f.path)).toEqual(['sim_000012/description.json', 'sim_000012/c_000000.npz', 'sim_000012/c_000001.npz']);
    const desc = JSON.parse(new TextDecoder().decode(files[0].bytes));
    expect(desc.source_frame_numbers).toEqual([5, 5_000_000]);
  });

  it('refuses RGB fields and name clashes', async () => {
    const src = syntheticSource({ frames: 1 });
    await expect(exportDataset(src, { target: 'phiflow-scene', fields: ['rgb'] })).rejects.toThrow(/rgb/);
    const s2 = syntheticSource({ frames: 1 });
    s2.fields.push({ name: 'C', kind: 'scalar', shape: [5, 7], unit: '' });
    await expect(exportDataset(s2, { target: 'phiflow-scene', fields: ['c', 'C'] })).rejects.toThrow(/both be stored as “c”/);
  });

  it('numpy reads the nine members with PhiFlow dtypes and unpickles the object members', async () => {
    if (!hasNumpy()) return;
    const src = syntheticSource({ frames: 1, numbers: [7] });
    const files = await exportDataset(src, { target: 'phiflow-scene', fields: ['c', 'vel'], options: { extrapolation: 'zero' } });
    const dir = writeFiles(files);
    const r = python(
      `import numpy as np, json, sys
out = {}
for name in ['c', 'vel']:
    z = np.load(sys.argv[1] + '/sim_000000/' + name + '_000007.npz', allow_pickle=True)
    ex = z['extrapolation'].item()
    out[name] = {'members': z.files, 'dim_names': z['dim_names'].tolist(), 'dim_types': z['dim_types'].tolist(),
      'dim_item_names': [None if v is None else list(v) for v in z['dim_item_names'].tolist()], 'item_tuple': type(z['dim_item_names'][-1]).__name__,
      'field_type': str(z['field_type']), 'lower': z['lower'].tolist(), 'upper': z['upper'].tolist(), 'bin': z['bounds_item_names'].tolist(),
      'ex_type': ex['type'], 'ex_value': int(ex['value']), 'ex_value_dtype': str(ex['value'].dtype), 'shape': list(z['data'].shape), 'dtype': str(z['data'].dtype),
      'data_xy': float(z['data'][3, 1] if name == 'c' else z['data'][3, 1, 1]), 'nans': int(np.isnan(z['data']).sum())}
print(json.dumps(out))`,
      dir,
    ) as Record<string, Record<string, unknown>>;
    const c = r.c;
    expect(c.members).toEqual(['dim_names', 'dim_types', 'dim_item_names', 'field_type', 'lower', 'upper', 'bounds_item_names', 'extrapolation', 'data']);
    expect(c.dim_names).toEqual(['x', 'y']);
    expect(c.dim_types).toEqual(['spatial', 'spatial']);
    expect(c.dim_item_names).toEqual([null, null]);
    expect(c.field_type).toBe('CenteredGrid');
    expect(c.lower).toEqual([-1.125, 0.75]);
    expect(c.upper).toEqual([0.625, 3.25]);
    expect(c.bin).toEqual(['x', 'y']);
    expect(c.ex_type).toBe('constant');
    expect(c.ex_value).toBe(0);
    expect(c.ex_value_dtype).toBe('int64');
    expect(c.shape).toEqual([7, 5]); // (x, y): transposed from our [ny, nx]
    expect(c.dtype).toBe('float32');
    const f = await src.readFrame(0);
    expect(c.data_xy).toBeCloseTo(f.fields.c.values![1 * 7 + 3], 6); // data[x=3, y=1]
    expect(c.nans).toBe(f.fields.c.mask!.reduce((a, b) => a + b, 0));
    const v = r.vel;
    expect(v.dim_names).toEqual(['x', 'y', 'vector']);
    expect(v.dim_types).toEqual(['spatial', 'spatial', 'channel']);
    expect(v.dim_item_names).toEqual([null, null, ['x', 'y']]);
    expect(v.item_tuple).toBe('tuple'); // PhiFlow stores the vector item names as a Python tuple
    expect(v.shape).toEqual([7, 5, 2]);
    expect(v.data_xy).toBeCloseTo(f.fields.vel.v![1 * 7 + 3], 6);
  });
});

describeFixtures('phiflow-scene export of real datasets', () => {
  it('PhiFlow scene sim_000000 → export → our reader: same grids, bounds, frames, times', async () => {
    const src = await openDataset(await treeOf('phiflow', 'scenes', 'sim_000000'));
    const fields = ['density', 'centered_vector', 'profile1d', 'density3d', 'velocity'];
    const files = await exportDataset(src, { target: 'phiflow-scene', fields, frames: [0, 4, 9] });
    const back = await reopen(files);
    expect(back.frames.map((f) => f.number)).toEqual([0, 4, 9]);
    expect(back.frames.map((f) => f.time)).toEqual([0, 0.4, 0.9].map((_t, i) => src.frames[[0, 4, 9][i]].time));
    // `velocity` (a StaggeredGrid) comes back with its faces: exactly the source's viewer fields
    expect(back.fields.map((f) => f.name).sort()).toEqual(
      src.fields
        .filter((f) => fields.includes(f.name.replace(/\/.*$/, '')))
        .map((f) => f.name)
        .sort(),
    );
    for (const [k, i] of [0, 4, 9].entries()) {
      const a = await src.readFrame(i);
      const b = await back.readFrame(k);
      for (const name of [...fields, 'velocity/x', 'velocity/y']) {
        expectSameField(a.fields[name], b.fields[name], 0, `${name} @${i}`);
        expect(b.fields[name].scales, name).toEqual(a.fields[name].scales);
      }
    }
    // description.json is the source's, unchanged
    const desc = JSON.parse(new TextDecoder().decode(files[0].bytes));
    expect(desc).toEqual(JSON.parse(readFileSync(fixture('phiflow', 'scenes', 'sim_000000', 'description.json'), 'utf8')));
  });

  it('a scene exported from a scene lists exactly the source field names; every member equals the source file (StaggeredGrid bit-exact, padding included)', async () => {
    for (const sub of ['scenes', 'scenes_numpy2']) {
      for (const scene of ['sim_000000', 'sim_000002']) {
        const src = await openDataset(await treeOf('phiflow', sub, scene));
        const files = await exportDataset(src, { target: 'phiflow-scene', frames: [0, 3] });
        const names = files.filter((f) => f.path.endsWith('.npz')).map((f) => f.path.replace(/^sim_000000\//, '').replace(/_\d{6}\.npz$/, ''));
        expect([...new Set(names)], `${sub}/${scene}`).toEqual(Object.keys(src.metadata.fields as object));
        for (const f of files.filter((x) => x.path.endsWith('.npz'))) {
          const base = f.path.split('/').pop()!;
          const orig = await openNpz(bytesSourceFile(base, new Uint8Array(readFileSync(fixture('phiflow', sub, scene, base)))));
          const mine = await openNpz(bytesSourceFile(base, f.bytes));
          expect(mine.names).toEqual([
            'dim_names',
            'dim_types',
            'dim_item_names',
            'field_type',
            'lower',
            'upper',
            'bounds_item_names',
            'extrapolation',
            'data',
          ]);
          const a = await orig.readMany(orig.names);
          const b = await mine.readMany(mine.names);
          for (const m of ['dim_names', 'dim_types', 'field_type', 'bounds_item_names']) expect(b[m].data, `${base} ${m}`).toEqual(a[m].data);
          expect(b.dim_item_names.data, base).toEqual(a.dim_item_names.data);
          expect(Array.from(toFloat64(b.lower.data as never)), base).toEqual(Array.from(toFloat64(a.lower.data as never)));
          expect(Array.from(toFloat64(b.upper.data as never)), base).toEqual(Array.from(toFloat64(a.upper.data as never)));
          expect(plainOf(b.extrapolation.data, base, 'x'), base).toEqual(plainOf(a.extrapolation.data, base, 'x'));
          expect(b.data.dtype, base).toBe(a.data.dtype);
          expect(b.data.shape, base).toEqual(a.data.shape);
          expect(Buffer.from((b.data.data as Float32Array).buffer).equals(Buffer.from((a.data.data as Float32Array).buffer)), `${base} data`).toBe(true);
        }
      }
    }
  });

  it('selecting one face of a StaggeredGrid writes the whole StaggeredGrid', async () => {
    const src = await openDataset(await treeOf('phiflow', 'scenes', 'sim_000000'));
    const files = await exportDataset(src, { target: 'phiflow-scene', fields: ['velocity_zgrad/y'], frames: [2] });
    expect(files.map((f) => f.path)).toEqual(['sim_000000/description.json', 'sim_000000/velocity_zgrad_000002.npz']);
    const back = await reopen(files);
    expect(back.fields.map((f) => f.name)).toEqual(['velocity_zgrad', 'velocity_zgrad/x', 'velocity_zgrad/y']);
    expect((back.metadata.fields as Record<string, { field_type: string; extrapolation: unknown }>).velocity_zgrad).toMatchObject({
      field_type: 'StaggeredGrid',
      extrapolation: { type: 'zero-gradient' },
    });
  });

  it('DaVis vector field → PhiFlow: y flipped to increase, masked vectors NaN', async () => {
    const src = await openDataset(await treeOf('davis', 'pivpy', 'pivpy', 'data', 'urban_canopy'));
    const files = await exportDataset(src, { target: 'phiflow-scene', fields: ['frame0'], frames: [0] });
    expect(files.map((f) => f.path)).toEqual(['sim_000000/description.json', 'sim_000000/frame0_000001.npz']);
    const back = await reopen(files);
    const b = (await back.readFrame(0)).fields.frame0;
    expect(b.shape).toEqual([135, 160]);
    let valid = 0;
    let su = 0;
    for (let i = 0; i < b.u!.length; i++) {
      if (Number.isNaN(b.u![i])) continue;
      valid++;
      su += b.u![i];
    }
    expect(valid).toBe(16680);
    expect(su / valid).toBeCloseTo(-1.518233, 4);
    expect(b.scales!.y.slope).toBeGreaterThan(0);
  });
});

describe('phiflow-scene export of synthetic PhiFlow sources: every grid written back as stored', () => {
  /** Export the whole scene, reopen it, and expect every viewer field and grid description unchanged. */
  async function roundTrip(files: Record<string, Uint8Array>, relaid: string[] = []) {
    const src = await openDataset(treeFrom('s', files));
    const out = await exportDataset(src, { target: 'phiflow-scene' });
    const back = await reopen(out);
    expect(back.fields).toEqual(src.fields);
    // `relaid` fields get PhiFlow 3's dim order (spatial slots x, y, z; vector entries by name)
    const keep = (m: unknown, k: string) => {
      const { first_file: _f, dim_names, dim_sizes, dim_item_names, ...rest } = m as Record<string, unknown>;
      void _f;
      return relaid.includes(k) ? rest : { ...rest, dim_names, dim_sizes, dim_item_names };
    };
    const ma = src.metadata.fields as Record<string, unknown>;
    const mb = back.metadata.fields as Record<string, unknown>;
    expect(Object.keys(mb)).toEqual(Object.keys(ma));
    for (const k of Object.keys(ma)) expect(keep(mb[k], k), k).toEqual(keep(ma[k], k));
    for (let i = 0; i < src.frames.length; i++) {
      const a = await src.readFrame(i);
      const b = await back.readFrame(i);
      expect(Object.keys(b.fields)).toEqual(Object.keys(a.fields));
      for (const n of Object.keys(a.fields)) expectSameField(a.fields[n], b.fields[n], 0, n);
    }
    return { src, back, out };
  }

  it('3-D StaggeredGrid with a batch dim and a mixed_v2 per-component constant', async () => {
    const sizes = [4, 3, 3]; // x: 3 cells, y: 2, z: 2 (+1 each)
    const data = new Float32Array(2 * sizes[0] * sizes[1] * sizes[2] * 3).map((_, k) => Math.sin(k) * 10);
    const { out } = await roundTrip({
      'w_000003.npz': fieldFile({
        dims: [
          { name: 'member', type: 'batch' },
          { name: 'x', type: 'spatial' },
          { name: 'y', type: 'spatial' },
          { name: 'z', type: 'spatial' },
          { name: 'vector', type: 'channel', items: ['x', 'y', 'z'] },
        ],
        shape: [2, ...sizes, 3],
        data,
        fieldType: 'StaggeredGrid',
        lower: [0, -1, 2],
        upper: [3, 1, 4],
        extrapolation: {
          type: 'mixed_v2',
          dims: {
            x: { type: 'periodic' },
            'y-': { type: 'symmetric' },
            'y+': { type: 'antisymmetric' },
            z: { type: 'constant', value: { __ndarray__: true, dtype: '<f8', shape: [3], fortranOrder: false, data: Float64Array.of(1, 2, 3) } },
          },
        },
      }),
    });
    expect(out.map((f) => f.path)).toEqual(['sim_000000/w_000003.npz']);
  });

  it('complex CenteredGrid stored (vector, y, x) with item names (y, x), float64 scalar, 1-D grid', async () => {
    const c = new Float32Array(2 * 2 * 3 * 2).map((_, k) => k - 5.5); // (vector 2, y 2, x 3) complex64
    const { back } = await roundTrip(
      {
        'c_000000.npz': fieldFile({
          dims: [
            { name: 'vector', type: 'channel', items: ['y', 'x'] },
            { name: 'y', type: 'spatial' },
            { name: 'x', type: 'spatial' },
          ],
          shape: [2, 2, 3],
          data: c,
          dtype: '<c8',
          bounds: ['x', 'y'],
          upper: [3, 2],
        }),
        'd_000000.npz': fieldFile({
          dims: [
            { name: 'x', type: 'spatial' },
            { name: 'y', type: 'spatial' },
          ],
          shape: [3, 2],
          data: Float64Array.of(1e-300, 2, 3, 4, 5, 6),
          extrapolation: { type: 'periodic' },
        }),
        'p_000000.npz': fieldFile({ dims: [{ name: 'x', type: 'spatial' }], shape: [5], data: Float32Array.of(1, 2, 3, 4, 5), lower: [-1], upper: [4] }),
      },
      ['c'],
    );
    const meta = (back.metadata.fields as Record<string, Record<string, unknown>>).c;
    expect(meta.dim_names).toEqual(['vector', 'x', 'y']);
    expect(meta.dim_item_names).toEqual([['x', 'y'], null, null]);
    expect(meta.dtype).toBe('<c8');
  });
});
