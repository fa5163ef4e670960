/**
 * PhiFlow 2.0-style grids (issue 15, defect 6), generated at test time: dims stored y first,
 * `bounds_item_names` a pickled None or absent, no `dim_item_names`, the legacy `mixed`
 * extrapolation with (lower, upper) tuples. PhiFlow 3 reads these by dim name (and pairs vector
 * entries with the spatial dims in storage order); so must we. scripts/interop/phiflow.py checks the
 * same kind of files against PhiFlow itself (tests/phiflow/interop.test.ts, PHIFLOW_PATH).
 */
import { describe, expect, it } from 'vitest';
import { encodeNpz } from '../../src/codecs/npz';
import { tuple } from '../../src/codecs/pickle';
import { open } from '../../src/formats/phiflow/open';
import { legacyFieldMembers, treeFrom } from './synth';

const int32 = (v: number) => ({ __ndarray__: true as const, dtype: '<i4', shape: [], fortranOrder: false, data: Int32Array.of(v) });
const LEGACY_MIXED = {
  type: 'mixed',
  dims: { x: tuple({ type: 'boundary' }, { type: 'boundary' }), y: tuple({ type: 'constant', value: int32(0) }, { type: 'constant', value: int32(0) }) },
};

/** C order over (y, x[, c]) */
function yx(ny: number, nx: number, f: (y: number, x: number, c: number) => number, nc = 0): Float32Array {
  const a = new Float32Array(ny * nx * Math.max(1, nc));
  let o = 0;
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) for (let c = 0; c < Math.max(1, nc); c++) a[o++] = f(y, x, c);
  return a;
}

const NX = 3;
const NY = 4;

function density(bounds: 'none' | 'absent') {
  return encodeNpz(
    legacyFieldMembers({
      dims: [
        { name: 'y', type: 'spatial' },
        { name: 'x', type: 'spatial' },
      ],
      shape: [NY, NX],
      data: yx(NY, NX, (y, x) => 10 * x + y),
      lower: [0, 0],
      upper: [200, 100], // y, x (storage order)
      boundsItemNames: bounds,
      itemNames: bounds === 'none',
      extrapolation: LEGACY_MIXED,
    }),
    { compress: true },
  );
}

/** entry 0 of the vector dim is the y component (storage order), 1 the x component */
function velocity(extrapolation: unknown) {
  return encodeNpz(
    legacyFieldMembers({
      dims: [
        { name: 'y', type: 'spatial' },
        { name: 'x', type: 'spatial' },
        { name: 'vector', type: 'channel' },
      ],
      fieldType: 'StaggeredGrid',
      shape: [NY + 1, NX + 1, 2],
      data: yx(NY + 1, NX + 1, (y, x, c) => (c === 0 ? 1000 + 10 * x + y : -(10 * x + y)), 2),
      lower: [0, 0],
      upper: [200, 100],
      boundsDtype: '<i8',
      boundsItemNames: 'absent',
      extrapolation,
    }),
    { compress: true },
  );
}

function grid(ny: number, nx: number, f: (y: number, x: number) => number, y0 = 0): number[] {
  const out: number[] = [];
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out.push(f(y + y0, x));
  return out;
}

describe('PhiFlow 2.0 grids', () => {
  it('CenteredGrid stored (y, x) with bounds_item_names = pickled None: x is x, bounds by storage order', async () => {
    for (const bounds of ['none', 'absent'] as const) {
      const src = await open(treeFrom('s', { 'sim_000000/dens_001000.npz': density(bounds) }));
      expect(src.warnings).toEqual([]);
      expect(src.fields).toEqual([{ name: 'dens', kind: 'scalar', shape: [NY, NX], unit: '' }]);
      const d = (await src.readFrame(0)).fields.dens;
      expect(Array.from(d.values!)).toEqual(grid(NY, NX, (y, x) => 10 * x + y));
      expect(d.scales!.x).toEqual({ slope: 100 / NX, offset: 50 / NX, unit: '', description: 'x' });
      expect(d.scales!.y).toEqual({ slope: 200 / NY, offset: 25, unit: '', description: 'y' });
      const meta = (src.metadata.fields as Record<string, Record<string, unknown>>).dens;
      expect(meta.bounds).toEqual({ lower: [0, 0], upper: [100, 200], names: ['x', 'y'] });
      expect(meta.dim_names).toEqual(['y', 'x']);
      expect(meta.extrapolation).toEqual({
        type: 'mixed',
        dims: {
          x: [{ type: 'boundary' }, { type: 'boundary' }],
          y: [
            { type: 'constant', value: 0 },
            { type: 'constant', value: 0 },
          ],
        },
      });
    }
  });

  it('StaggeredGrid stored (y, x, vector) without item names: entry 0 is the y component; faces by the extrapolation', async () => {
    const src = await open(treeFrom('s', { 'velo_001000.npz': velocity({ type: 'boundary' }) }));
    expect(src.fields).toEqual([
      { name: 'velo', kind: 'vector', shape: [NY, NX], unit: '' },
      { name: 'velo/x', kind: 'scalar', shape: [NY, NX + 1], unit: '' },
      { name: 'velo/y', kind: 'scalar', shape: [NY + 1, NX], unit: '' },
    ]);
    const f = (await src.readFrame(0)).fields;
    expect(Array.from(f['velo/x'].values!)).toEqual(grid(NY, NX + 1, (y, x) => -(10 * x + y)));
    expect(Array.from(f['velo/y'].values!)).toEqual(grid(NY + 1, NX, (y, x) => 1000 + 10 * x + y));
    expect(f['velo/x'].scales!.x.offset).toBe(0); // faces at x = lo + i·Δ
    expect(f['velo/x'].scales!.x.slope).toBeCloseTo(100 / NX, 12);
    expect(f['velo/y'].scales!.y).toEqual({ slope: 50, offset: 0, unit: '', description: 'y' });
    // cell-centred: mean of the two faces
    expect(Array.from(f.velo.u!)).toEqual(grid(NY, NX, (y, x) => -(10 * x + 5 + y)));
    expect(Array.from(f.velo.v!)).toEqual(grid(NY, NX, (y, x) => 1000 + 10 * x + y + 0.5));
  });

  it('StaggeredGrid with the legacy mixed (lower, upper) extrapolation: constant y faces are padding', async () => {
    const src = await open(treeFrom('s', { 'velo_000000.npz': velocity(LEGACY_MIXED) }));
    expect(src.fields.map((f) => [f.name, f.shape])).toEqual([
      ['velo', [NY, NX]],
      ['velo/x', [NY, NX + 1]],
      ['velo/y', [NY - 1, NX]],
    ]);
    const f = (await src.readFrame(0)).fields;
    expect(Array.from(f['velo/y'].values!)).toEqual(grid(NY - 1, NX, (y, x) => 1000 + 10 * x + y, 1));
    expect(f['velo/y'].scales!.y.offset).toBe(50); // first stored face is i = 1
    // boundary faces of the constant side stand for 0
    const v = Array.from(f.velo.v!);
    expect(v.slice(0, NX)).toEqual(grid(1, NX, (_, x) => (0 + 1000 + 10 * x + 1) / 2));
  });

  it('collection dims (PhiFlow 2.0 name of instance dims) are expanded like batch dims', async () => {
    const data = new Float32Array(2 * NX * NY).map((_, k) => k);
    const tree = treeFrom('s', {
      'p_000000.npz': encodeNpz(
        legacyFieldMembers({
          dims: [
            { name: 'points', type: 'collection' },
            { name: 'y', type: 'spatial' },
            { name: 'x', type: 'spatial' },
          ],
          shape: [2, NY, NX],
          data,
          boundsItemNames: 'none',
        }),
        { compress: true },
      ),
    });
    const src = await open(tree);
    expect(src.fields.map((f) => f.name)).toEqual(['p[points=0]', 'p[points=1]']);
    expect(Array.from((await src.readFrame(0)).fields['p[points=1]'].values!)).toEqual(Array.from(data.subarray(NX * NY)));
  });
});
