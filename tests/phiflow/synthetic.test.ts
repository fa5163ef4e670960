import { describe, expect, it } from 'vitest';
import { scalarArray } from '../../src/codecs/pickle-write';
import { openDataset } from '../../src/formats/index';
import { open } from '../../src/formats/phiflow/open';
import { sniff } from '../../src/formats/phiflow/sniff';
import { fieldFile, treeFrom } from './synth';

/** data[x][y] = 10*x + y (C order over (x, y)) */
function xy(nx: number, ny: number, f = (x: number, y: number) => 10 * x + y) {
  const a = new Float32Array(nx * ny);
  for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) a[x * ny + y] = f(x, y);
  return a;
}

const scalar = (nx: number, ny: number, off = 0) =>
  fieldFile({
    dims: [
      { name: 'x', type: 'spatial' },
      { name: 'y', type: 'spatial' },
    ],
    shape: [nx, ny],
    data: xy(nx, ny, (x, y) => 10 * x + y + off),
  });

describe('PhiFlow synthetic scenes', () => {
  it('frames are the union over fields; a frame lacking a field lacks it; no prefix quirk', async () => {
    const tree = treeFrom('s', {
      'sim_000000/density_000000.npz': scalar(3, 2),
      'sim_000000/density_000002.npz': scalar(3, 2, 2),
      'sim_000000/density_mixed_000005.npz': scalar(3, 2, 5),
      'sim_000000/density_1000000.npz': scalar(3, 2, 7),
      'sim_000000/notes.npz': scalar(3, 2),
    });
    expect(await sniff(tree)).toBeGreaterThan(0.9);
    const src = await openDataset(tree);
    expect(src.frames.map((f) => f.number)).toEqual([0, 2, 5, 1000000]);
    expect(src.frames.every((f) => f.time === null)).toBe(true);
    expect(Object.keys(src.metadata.fields as object)).toEqual(['density', 'density_mixed']);
    expect((src.metadata.fields as Record<string, { frames: number }>).density.frames).toBe(3);
    const f5 = await src.readFrame(2);
    expect(Object.keys(f5.fields)).toEqual(['density_mixed']);
    expect(f5.fields.density_mixed.values![0]).toBe(5);
    const f2 = await src.readFrame(1);
    expect(Object.keys(f2.fields)).toEqual(['density']);
    // transposed: values[y][x] = 10x + y + 2
    expect(Array.from(f2.fields.density.values!)).toEqual([2, 12, 22, 3, 13, 23]);
    expect((await src.readFrame(3)).fields.density.values![0]).toBe(7);
    expect(src.nearestIndex(4)).toBe(2);
  });

  it('axes are permuted by dim_names: (vector, y, x) storage with item names (y, x) and float64', async () => {
    const nx = 3;
    const ny = 2;
    // storage order (vector, y, x); vector items ('y', 'x') → entry 0 is the y component
    const data = new Float64Array(2 * ny * nx);
    for (let c = 0; c < 2; c++)
      for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) data[(c * ny + y) * nx + x] = c === 1 ? 100 + 10 * x + y : -(10 * x + y);
    const tree = treeFrom('v', {
      'vel_000001.npz': fieldFile({
        dims: [
          { name: 'vector', type: 'channel', items: ['y', 'x'] },
          { name: 'y', type: 'spatial' },
          { name: 'x', type: 'spatial' },
        ],
        shape: [2, ny, nx],
        data,
        bounds: ['x', 'y'],
        lower: [0, -1],
        upper: [3, 1],
      }),
      'description.json': JSON.stringify({ dt: 0.5 }),
    });
    const src = await open(tree);
    expect(src.name).toBe('v');
    expect(src.frames).toEqual([{ index: 0, number: 1, time: 0.5 }]);
    expect(src.fields).toEqual([{ name: 'vel', kind: 'vector', shape: [2, 3], unit: '' }]);
    const fd = (await src.readFrame(0)).fields.vel;
    expect(Array.from(fd.u!)).toEqual([100, 110, 120, 101, 111, 121]);
    expect(Array.from(fd.v!)).toEqual([-0, -10, -20, -1, -11, -21]);
    expect(fd.scales!.x).toEqual({ slope: 1, offset: 0.5, unit: '', description: 'x' });
    expect(fd.scales!.y).toEqual({ slope: 1, offset: -0.5, unit: '', description: 'y' });
  });

  it('float64 scalar data stays Float64Array; scalar 0-d lower/upper broadcast', async () => {
    const tree = treeFrom('d', {
      'p_000000.npz': fieldFile({ dims: [{ name: 'x', type: 'spatial' }], shape: [4], data: Float64Array.of(1e-300, 2, 3, 4), lower: [-2], upper: [2] }),
    });
    const fd = (await (await open(tree)).readFrame(0)).fields.p;
    expect(fd.values).toBeInstanceOf(Float64Array);
    expect(fd.values![0]).toBe(1e-300);
    expect(fd.shape).toEqual([4]);
    expect(fd.scales!.x.offset).toBe(-1.5);
  });

  it('mixed_v2 staggered per side (x-: constant 2, x+: periodic-like zero-gradient, y: periodic), inner batch dim', async () => {
    const nx = 3;
    const ny = 2;
    // staggered (x: nx+1, y: ny+1, member: 2, vector: 2)
    const sx = nx + 1;
    const sy = ny + 1;
    const data = new Float32Array(sx * sy * 2 * 2);
    const at = (x: number, y: number, m: number, c: number) => ((x * sy + y) * 2 + m) * 2 + c;
    for (let x = 0; x < sx; x++)
      for (let y = 0; y < sy; y++) for (let m = 0; m < 2; m++) for (let c = 0; c < 2; c++) data[at(x, y, m, c)] = (m ? -1 : 1) * (100 * c + 10 * x + y);
    const tree = treeFrom('m', {
      'sim_000007/u_000000.npz': fieldFile({
        dims: [
          { name: 'x', type: 'spatial' },
          { name: 'y', type: 'spatial' },
          { name: 'member', type: 'batch' },
          { name: 'vector', type: 'channel', items: ['x', 'y'] },
        ],
        shape: [sx, sy, 2, 2],
        data,
        fieldType: 'StaggeredGrid',
        upper: [3, 2],
        extrapolation: {
          type: 'mixed_v2',
          dims: { 'x-': { type: 'constant', value: scalarArray(2) }, 'x+': { type: 'zero-gradient' }, y: { type: 'periodic' } },
        },
      }),
    });
    const src = await open(tree);
    expect(src.fields.map((f) => [f.name, f.shape])).toEqual([
      ['u[member=0]', [2, 3]],
      ['u[member=0]/x', [2, 3]], // x: lower padding, upper stored → faces 1..3
      ['u[member=0]/y', [2, 3]], // y periodic: faces 0..1
      ['u[member=1]', [2, 3]],
      ['u[member=1]/x', [2, 3]],
      ['u[member=1]/y', [2, 3]],
    ]);
    const fr = await src.readFrame(0);
    const fx = fr.fields['u[member=1]/x'];
    expect(Array.from(fx.values!)).toEqual([-10, -20, -30, -11, -21, -31]);
    expect(fx.scales!.x.offset).toBe(1);
    const fy = fr.fields['u[member=0]/y'];
    expect(Array.from(fy.values!)).toEqual([100, 110, 120, 101, 111, 121]);
    expect(fy.scales!.y.offset).toBe(0);
    const vec = fr.fields['u[member=0]'];
    // u at x=0: lower face is the constant 2 → (2 + f[1]) / 2; x=2: (f[2] + f[3]) / 2 (upper stored)
    expect(Array.from(vec.u!)).toEqual([(2 + 10) / 2, (10 + 20) / 2, (20 + 30) / 2, (2 + 11) / 2, (11 + 21) / 2, (21 + 31) / 2]);
    // v at y=1 (last): upper face wraps to face 0 (periodic)
    expect(Array.from(vec.v!)).toEqual([(100 + 101) / 2, (110 + 111) / 2, (120 + 121) / 2, (101 + 100) / 2, (111 + 110) / 2, (121 + 120) / 2]);
    expect((src.metadata.fields as Record<string, { extrapolation: unknown }>).u.extrapolation).toEqual({
      type: 'mixed_v2',
      dims: { 'x-': { type: 'constant', value: 2 }, 'x+': { type: 'zero-gradient' }, y: { type: 'periodic' } },
    });
    expect(src.scenes).toBeUndefined();
  });

  it('3-D staggered grid: faces and cell-centred w', async () => {
    const n = [2, 2, 2];
    const s = n.map((k) => k + 1);
    const data = new Float32Array(s[0] * s[1] * s[2] * 3);
    for (let x = 0; x < 3; x++)
      for (let y = 0; y < 3; y++) for (let z = 0; z < 3; z++) for (let c = 0; c < 3; c++) data[((x * 3 + y) * 3 + z) * 3 + c] = 1000 * c + 100 * x + 10 * y + z;
    const src = await open(
      treeFrom('t', {
        'w_000000.npz': fieldFile({
          dims: [
            { name: 'x', type: 'spatial' },
            { name: 'y', type: 'spatial' },
            { name: 'z', type: 'spatial' },
            { name: 'vector', type: 'channel', items: ['x', 'y', 'z'] },
          ],
          shape: [3, 3, 3, 3],
          data,
          fieldType: 'StaggeredGrid',
          extrapolation: { type: 'symmetric' },
        }),
      }),
    );
    const fr = await src.readFrame(0);
    expect(fr.fields['w/z'].shape).toEqual([3, 2, 2]);
    expect(fr.fields['w/z'].values![0 * 4 + 1 * 2 + 1]).toBe(2000 + 100 + 10 + 0);
    expect(fr.fields.w.shape).toEqual([2, 2, 2]);
    // w at (x=1, y=0, z=1) = mean of z faces 1 and 2
    expect(fr.fields.w.w![1 * 4 + 0 * 2 + 1]).toBe(2000 + 100 + 0 + 1.5);
  });

  it('several scene folders: the first opens, scenes lists all, each opens', async () => {
    const tree = treeFrom('parent', {
      'runs/sim_000010/a_000000.npz': scalar(2, 2),
      'runs/sim_000002/a_000000.npz': scalar(2, 2, 1),
      'runs/sim_000002/description.json': '{"dt": 2}',
      'other.txt': 'x',
    });
    const src = await open(tree);
    expect(src.name).toBe('sim_000002');
    expect(src.frames[0].time).toBe(0);
    expect(src.scenes!.map((s) => s.name)).toEqual(['runs/sim_000002', 'runs/sim_000010']);
    const b = await src.scenes![1].open();
    expect(b.name).toBe('sim_000010');
    expect((await b.readFrame(0)).fields.a.values![0]).toBe(0);
  });

  it('non-PhiFlow trees sniff 0', async () => {
    expect(await sniff(treeFrom('x', { 'a.npz': scalar(2, 2), 'b_0001.npz': scalar(2, 2) }))).toBe(0);
    expect(await sniff(treeFrom('x', { 'a_000001.npz': new Uint8Array(64) }))).toBe(0);
  });
});
