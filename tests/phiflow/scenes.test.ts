import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openNpz } from '../../src/codecs/npz';
import { openDataset } from '../../src/formats/index';
import { sniff } from '../../src/formats/phiflow/sniff';
import type { FieldData, FrameSource, Scale } from '../../src/formats/types';
import { describeFixtures, treeOf } from '../fixtures';

interface Stats {
  shape: number[];
  min: number;
  max: number;
  mean: number;
  sum: number;
}
interface OracleField {
  npz: {
    dim_names: { value: string[] };
    extrapolation: { value: unknown };
    lower: { value: number[] };
    upper: { value: number[] };
    data: { shape: number[]; first_values_c_order: number[] };
  };
  read_back: {
    type: string;
    resolution: Record<string, number>;
    bounds_lower: number[];
    bounds_upper: number[];
    values_dims?: string[];
    min?: number;
    max?: number;
    mean?: number;
    staggered_components?: Record<string, { dims: string[]; shape: number[]; min: number; max: number; mean: number }>;
  };
}
interface OracleScene {
  properties: Record<string, unknown>;
  fieldnames: string[];
  frames: number[];
  complete_frames: number[];
  files: string[];
  src_files: string[];
  fields: Record<string, Record<string, OracleField> & { all_frames_data_stats: Record<string, Stats> }>;
}

function stats(arrays: ArrayLike<number>[]) {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const a of arrays)
    for (let k = 0; k < a.length; k++) {
      const v = a[k];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      n++;
    }
  return { min, max, sum, mean: sum / n, n };
}

const coord = (s: Scale, i: number) => s.offset + i * s.slope;

/** the oracle's property form of description.json (tensors shown readable, __tensors__ dropped) */
function readableProps(p: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  const tensors = (p.__tensors__ as string[] | undefined) ?? [];
  for (const [k, v] of Object.entries(p)) {
    if (k === '__tensors__') continue;
    if (tensors.includes(k)) {
      const t = v as { item_names: string[][]; data: number[] };
      out[k] = Object.fromEntries(t.item_names[0].map((n, i) => [n, t.data[i]]));
    } else out[k] = v;
  }
  return out;
}

describeFixtures('PhiFlow scenes against ORACLE.json', (dir) => {
  for (const scenesDir of ['scenes', 'scenes_numpy2']) {
    const oracle = JSON.parse(readFileSync(join(dir, 'phiflow', scenesDir, 'ORACLE.json'), 'utf8')) as {
      scenes: Record<string, OracleScene>;
      batched_read: { values: number[][] };
    };

    it(`${scenesDir}: sniffed as phiflow, opens as the first scene and lists all five`, async () => {
      const tree = await treeOf('phiflow', scenesDir);
      expect(await sniff(tree)).toBeGreaterThanOrEqual(0.9);
      const src = await openDataset(tree);
      expect(src.format).toBe('phiflow');
      expect(src.name).toBe('sim_000000');
      expect(src.scenes!.map((s) => s.name)).toEqual(Object.keys(oracle.scenes));
      // a folder that is itself a scene opens as that scene, without a scene list
      const one = await openDataset(await treeOf('phiflow', scenesDir, 'sim_000001'));
      expect(one.name).toBe('sim_000001');
      expect(one.scenes).toBeUndefined();
    });

    for (const [sceneName, sc] of Object.entries(oracle.scenes)) {
      it(`${scenesDir}/${sceneName}: fields, frames, properties, metadata, every frame's values`, async () => {
        const tree = await treeOf('phiflow', scenesDir);
        const root = await openDataset(tree);
        const src: FrameSource = await root.scenes!.find((s) => s.name === sceneName)!.open();
        expect(src.name).toBe(sceneName);
        const meta = src.metadata as { properties: unknown; phi_version: unknown; fields: Record<string, Record<string, unknown>>; complete_frames: number };
        expect(Object.keys(meta.fields).sort()).toEqual(sc.fieldnames);
        expect(src.frames.map((f) => f.number)).toEqual(sc.frames);
        expect(meta.complete_frames).toBe(sc.complete_frames.length);
        expect(meta.properties).toEqual(readableProps(sc.properties));
        expect(meta.phi_version).toBe('3.4.0');
        const dt = sc.properties.dt as number;
        expect(src.frames.map((f) => f.time)).toEqual(sc.frames.map((n) => n * dt));
        expect(src.timeUnit).toBeNull();
        expect(src.documents!.map((d) => d.name)).toEqual(expect.arrayContaining(sc.src_files.map((f) => `${sceneName}/src/${f}`)));
        expect(src.documents!.find((d) => d.name.endsWith('context.json'))!.text).toContain('"phi_version"');

        for (const [field, of] of Object.entries(sc.fields)) {
          const fm = meta.fields[field];
          const f0 = of['0'];
          expect(fm.field_type).toBe(f0.read_back.type);
          expect(fm.dim_names).toEqual(f0.npz.dim_names.value);
          expect(fm.extrapolation).toEqual(f0.npz.extrapolation.value);
          expect(fm.resolution).toEqual(f0.read_back.resolution);
          expect((fm.bounds as { lower: number[] }).lower).toEqual(f0.read_back.bounds_lower);
          expect((fm.bounds as { upper: number[] }).upper).toEqual(f0.read_back.bounds_upper);
          expect(fm.frames).toBe(10);
        }

        for (const frame of src.frames) {
          const fr = await src.readFrame(frame.index);
          expect(fr.info).toEqual(frame);
          for (const [field, of] of Object.entries(sc.fields)) {
            const st = of.all_frames_data_stats[String(frame.number)];
            const type = of['0'].read_back.type;
            const res = of['0'].read_back.resolution;
            const spatial = Object.keys(res);
            const cellShape = spatial.map((n) => res[n]).reverse();
            expect((fr.attributes[field] as { file: string }).file).toBe(`${sceneName}/${field}_${String(frame.number).padStart(6, '0')}.npz`);
            if (type === 'CenteredGrid') {
              // every raw value appears exactly once in the outputs: same min/max/sum
              const names = Object.keys(fr.fields).filter((n) => n === field || n.startsWith(field + '['));
              const arrays = names.flatMap((n) => {
                const fd = fr.fields[n];
                expect(fd.shape).toEqual(cellShape);
                return fd.kind === 'vector' ? [fd.u!, fd.v!] : [fd.values!];
              });
              const s = stats(arrays);
              expect(s.n).toBe(st.shape.reduce((a, b) => a * b, 1));
              expect(s.min).toBe(st.min);
              expect(s.max).toBe(st.max);
              expect(s.sum).toBeCloseTo(st.sum, 4);
            } else {
              const vec = fr.fields[field];
              expect(vec.kind).toBe('vector');
              expect(vec.shape).toEqual(cellShape);
              const ofr = of[String(frame.number)];
              if (ofr) {
                for (const [comp, c] of Object.entries(ofr.read_back.staggered_components!)) {
                  const fd = fr.fields[`${field}/${comp}`];
                  expect(c.dims).toEqual(spatial);
                  expect(fd.shape).toEqual(c.shape.slice().reverse());
                  const s = stats([fd.values!]);
                  expect(s.min).toBe(c.min);
                  expect(s.max).toBe(c.max);
                  expect(Math.abs(s.mean - c.mean)).toBeLessThan(1e-6 * Math.max(1, Math.abs(c.mean)));
                }
              }
            }
            // exact first cells of the raw C-order data: raw[x=0][y=0..] (and vector entries)
            const ofr = of[String(frame.number)];
            if (ofr && type === 'CenteredGrid') {
              const dims = ofr.npz.dim_names.value;
              const first = ofr.npz.data.first_values_c_order;
              const rawShape = ofr.npz.data.shape;
              for (let k = 0; k < first.length; k++) {
                // unravel k in C order over rawShape
                const idx: Record<string, number> = {};
                let r = k;
                for (let d = dims.length - 1; d >= 0; d--) {
                  idx[dims[d]] = r % rawShape[d];
                  r = Math.floor(r / rawShape[d]);
                }
                let name = field;
                const extra = dims.filter((d) => !spatial.includes(d) && d !== 'vector');
                if (extra.length) name = `${field}[${extra.map((d) => `${d}=${idx[d]}`).join(',')}]`;
                const fd = fr.fields[name];
                const nx = res[spatial[0]];
                const ny = spatial[1] ? res[spatial[1]] : 1;
                const flat = (idx[spatial[2]] ?? 0) * nx * ny + (idx[spatial[1]] ?? 0) * nx + idx[spatial[0]];
                const arr = dims.includes('vector') ? (idx.vector === 0 ? fd.u! : fd.v!) : fd.values!;
                expect(arr[flat], `${field} raw[${k}]`).toBe(Math.fround(first[k]));
              }
            }
          }
        }
      });
    }

    it(`${scenesDir}: batched scenes sim_000002..4 expose member as name[member=i] (oracle batched read)`, async () => {
      const tree = await treeOf('phiflow', scenesDir);
      const root = await openDataset(tree);
      const got: number[][] = [];
      for (const s of ['sim_000002', 'sim_000003', 'sim_000004']) {
        const src = await root.scenes!.find((x) => x.name === s)!.open();
        expect(src.fields.map((f) => f.name)).toEqual(['density[member=0]', 'density[member=1]']);
        const fr = await src.readFrame(src.frames.findIndex((f) => f.number === 3));
        got.push([fr.fields['density[member=0]'].values![0], fr.fields['density[member=1]'].values![0]]);
        expect((src.metadata.properties as { seed: number }).seed).toBe(Number(s.slice(-1)) - 2);
      }
      // PhiFlow's batched read goes through float math and differs from the stored float32 by ≤ 1 ulp;
      // the exact stored values are checked against first_values_c_order above.
      got.forEach((pair, s) => pair.forEach((v, m) => expect(Math.abs(v - oracle.batched_read.values[s][m])).toBeLessThan(2e-7 * 2 ** s)));
    });
  }

  it("sim_000000: values at the scales' coordinates follow the analytic formulas (centred, faces, 1-D, 3-D)", async () => {
    const src = await openDataset(await treeOf('phiflow', 'scenes', 'sim_000000'));
    const check = (fd: FieldData, fn: (x: number, y: number, z: number) => number, tol = 2e-6, vals = fd.values!) => {
      const [nx, ny, nz] = fd.shape.slice().reverse().concat([1, 1]);
      let worst = 0;
      for (let iz = 0; iz < nz; iz++)
        for (let iy = 0; iy < ny; iy++)
          for (let ix = 0; ix < nx; ix++) {
            const x = coord(fd.scales!.x, ix);
            const y = fd.shape.length > 1 ? coord(fd.scales!.y, iy) : 0;
            const z = fd.scales!.z ? coord(fd.scales!.z, iz) : 0;
            worst = Math.max(worst, Math.abs(vals[(iz * ny + iy) * nx + ix] - fn(x, y, z)));
          }
      expect(worst).toBeLessThan(tol);
    };
    for (const index of [0, 7]) {
      const fr = await src.readFrame(index);
      const t = 0.1 * fr.info.number;
      const dens = (x: number, y: number) => Math.sin(Math.PI * x + 3 * t) * Math.cos((Math.PI * y) / 1.5);
      const ux = (x: number, y: number) => Math.sin((Math.PI * y) / 1.5 + t) + x;
      const vy = (x: number) => Math.cos(Math.PI * x) * (1 + t);
      check(fr.fields.density, dens);
      check(fr.fields.density_mixed, dens);
      check(fr.fields.centered_vector, ux, 4e-6, fr.fields.centered_vector.u!);
      check(fr.fields.centered_vector, (x) => vy(x), 4e-6, fr.fields.centered_vector.v!);
      for (const v of ['velocity', 'velocity_periodic', 'velocity_zgrad']) {
        check(fr.fields[`${v}/x`], ux, 4e-6);
        check(fr.fields[`${v}/y`], (x) => vy(x), 4e-6);
      }
      check(fr.fields.profile1d, (x) => Math.exp(-((x - 0.5 - t) ** 2) / 0.05));
      check(fr.fields.density3d, (x, y, z) => x + 10 * y + 100 * z + t, 2e-5);
      expect(fr.fields.profile1d.shape).toEqual([40]);
      expect(fr.fields.profile1d.scales!.x).toEqual({ slope: 0.1, offset: -0.95, unit: '', description: 'x' });
      expect(fr.fields.density3d.shape).toEqual([4, 5, 6]);
      expect(fr.fields.density3d.scales!.z!.offset).toBeCloseTo(0.125, 12);
      // face positions: velocity/x starts at face 1 (lower face is padding), zgrad at face 0
      expect(fr.fields['velocity/x'].scales!.x.offset).toBeCloseTo(0.0625, 12);
      expect(fr.fields['velocity_zgrad/x'].scales!.x.offset).toBe(0);
      expect(fr.fields['velocity_zgrad/y'].scales!.y.offset).toBe(0);
      expect(fr.fields['velocity/y'].scales!.x.offset).toBeCloseTo(0.03125, 12);
    }
  });

  it('sim_000000: cell-centred staggered vectors follow the documented boundary rule (derived from the raw file)', async () => {
    for (const scenesDir of ['scenes', 'scenes_numpy2']) {
      const tree = await treeOf('phiflow', scenesDir, 'sim_000000');
      const src = await openDataset(tree);
      const fr = await src.readFrame(3);
      for (const v of ['velocity', 'velocity_periodic', 'velocity_zgrad']) {
        const npz = await openNpz(tree.files.find((f) => f.path === `${v}_000003.npz`)!);
        const raw = (await npz.read('data')).data as Float32Array; // [33][25][2]
        const R = (ix: number, iy: number, c: number) => raw[(ix * 25 + iy) * 2 + c];
        const fd = fr.fields[v];
        let worst = 0;
        for (let iy = 0; iy < 24; iy++)
          for (let ix = 0; ix < 32; ix++) {
            let lx = R(ix, iy, 0);
            let hx = R(ix + 1, iy, 0);
            let ly = R(ix, iy, 1);
            let hy = R(ix, iy + 1, 1);
            if (v === 'velocity') {
              // constant 0: boundary faces take the constant value
              if (ix === 0) lx = 0;
              if (ix === 31) hx = 0;
              if (iy === 0) ly = 0;
              if (iy === 23) hy = 0;
            } else if (v === 'velocity_periodic') {
              // periodic: the upper face wraps to face 0
              if (ix === 31) hx = R(0, iy, 0);
              if (iy === 23) hy = R(ix, 0, 1);
            }
            worst = Math.max(worst, Math.abs(fd.u![iy * 32 + ix] - Math.fround((lx + hx) / 2)), Math.abs(fd.v![iy * 32 + ix] - Math.fround((ly + hy) / 2)));
          }
        expect(worst, `${scenesDir} ${v}`).toBeLessThan(1e-6);
      }
      // spot values: constant-0 boundary halves the first interior face
      const x1 = fr.fields['velocity/x'].values![0];
      expect(fr.fields.velocity.u![0]).toBeCloseTo(x1 / 2, 6);
    }
  });

  it('sim_000001: log curves as series, info.log as a document', async () => {
    const src = await openDataset(await treeOf('phiflow', 'scenes_numpy2', 'sim_000001'));
    const dir2 = join(dir, 'phiflow', 'scenes_numpy2', 'sim_000001');
    const names = src.series!.map((s) => s.name).sort();
    expect(names).toEqual(['max_speed', 'mean_density']);
    const md = src.series!.find((s) => s.name === 'mean_density')!;
    expect(md.xKind).toBe('number');
    expect(md.x).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const want = readFileSync(join(dir2, 'log_mean_density.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => Number(l.split(' ')[1]));
    expect(md.y).toEqual([want]);
    // the logged mean density is the mean of the density field of that frame
    const fr = await src.readFrame(5);
    expect(stats([fr.fields.density.values!]).mean).toBeCloseTo(md.y[0][5], 6);
    const info = src.documents!.find((d) => d.name.endsWith('info.log'))!;
    expect(info.text).toContain('frame 0 written (INFO)');
  });

  it('readFrame honours an aborted signal; nearestIndex uses time = number * dt', async () => {
    const src = await openDataset(await treeOf('phiflow', 'scenes', 'sim_000000'));
    const ac = new AbortController();
    ac.abort();
    const err = await src.readFrame(0, { signal: ac.signal }).catch((e) => e);
    expect(err.name).toBe('AbortError');
    expect(src.nearestIndex(0.47)).toBe(5);
    expect(src.nearestIndex(-3)).toBe(0);
    await expect(src.readFrame(10)).rejects.toThrow(RangeError);
  });
});
