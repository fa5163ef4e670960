import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openNpz } from '../../src/codecs/npz';
import { exportDataset } from '../../src/export/index';
import { openDataset } from '../../src/formats/index';
import { bytesSourceFile } from '../../src/io/slice-file';
import { describeFixtures, treeOf } from '../fixtures';
import { hasNumpy, python, writeFiles } from './helpers';
import { syntheticSource } from './synthetic';

describe('npz export (synthetic source)', () => {
  it('stacks raw values, masks, coordinates, frame numbers and times', async () => {
    const src = syntheticSource({ frames: 4, nx: 7, ny: 5, times: [0.5, null, 1.0, 1.25], numbers: [10, 11, 15, 20] });
    const progress: number[] = [];
    const files = await exportDataset(
      src,
      { target: 'npz', frames: [3, 0, 2], fields: ['c', 'vel', 'img', 'rgb', 'line'] },
      { onProgress: (d) => progress.push(d) },
    );
    expect(progress).toEqual([1, 2, 3]);
    expect(files.map((f) => f.path)).toEqual(['synth.npz']);
    const npz = await openNpz(bytesSourceFile('synth.npz', files[0].bytes));
    expect(npz.names.sort()).toEqual(
      [
        'c',
        'c_mask',
        'c_x',
        'c_y',
        'vel',
        'vel_mask',
        'vel_x',
        'vel_y',
        'img',
        'img_x',
        'img_y',
        'rgb',
        'line',
        'line_x',
        'frame_number',
        'frame_time',
        'frame_index',
        'info',
      ].sort(),
    );
    const a = await npz.readMany();
    expect(a.c.dtype).toBe('<f4');
    expect(a.c.shape).toEqual([3, 5, 7]);
    expect(a.vel.shape).toEqual([3, 5, 7, 2]);
    expect(a.img.dtype).toBe('<u2');
    expect(a.rgb.shape).toEqual([3, 5, 7, 3]);
    expect(a.rgb.dtype).toBe('|u1');
    expect(a.line.shape).toEqual([3, 7]);
    expect(a.line.dtype).toBe('<f8');
    expect(a.c_mask.dtype).toBe('|b1');
    expect(Array.from(a.frame_number.data as BigInt64Array, Number)).toEqual([20, 10, 15]);
    expect(Array.from(a.frame_index.data as BigInt64Array, Number)).toEqual([3, 0, 2]);
    expect(Array.from(a.frame_time.data as Float64Array)).toEqual([1.25, 0.5, 1.0]);
    // exact values, frame by frame, in export order
    const order = [3, 0, 2];
    for (let k = 0; k < 3; k++) {
      const fr = await src.readFrame(order[k]);
      const n = 35;
      const c = (a.c.data as Float32Array).subarray(k * n, (k + 1) * n);
      expect(Array.from(c)).toEqual(Array.from(fr.fields.c.values!));
      const m = (a.c_mask.data as Uint8Array).subarray(k * n, (k + 1) * n);
      expect(Array.from(m)).toEqual(Array.from(fr.fields.c.mask!));
      const vel = a.vel.data as Float32Array;
      for (let i = 0; i < n; i++) {
        expect(vel[(k * n + i) * 2]).toBe(fr.fields.vel.u![i]);
        expect(vel[(k * n + i) * 2 + 1]).toBe(fr.fields.vel.v![i]);
      }
      expect(Array.from((a.img.data as Uint16Array).subarray(k * n, (k + 1) * n))).toEqual(Array.from(fr.fields.img.values!));
      expect(Array.from((a.rgb.data as Uint8Array).subarray(k * n * 3, (k + 1) * n * 3))).toEqual(Array.from(fr.fields.rgb.values!));
    }
    // cell-centre coordinates from the scales
    expect(Array.from(a.c_x.data as Float64Array)).toEqual([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5]);
    expect(Array.from(a.c_y.data as Float64Array)).toEqual([1, 1.5, 2, 2.5, 3]);
    const info = JSON.parse((a.info.data as string[])[0]);
    expect(info.fields.c).toEqual({ kind: 'scalar', unit: 'kg/m^3', masked: true });
    expect(info.fields.vel.components).toEqual(['u', 'v']);
    // the null time became NaN: frame index 1 was not exported, so all three are finite here
  });

  it('writes NaN for frames without a time; 3D fields keep (frames, nz, ny, nx)', async () => {
    const src = syntheticSource({ frames: 2, times: [null, 2], vol: true });
    const files = await exportDataset(src, { target: 'npz', fields: ['vol'], options: { compressed: true, coords: false } });
    const npz = await openNpz(bytesSourceFile('x.npz', files[0].bytes));
    expect(npz.entries.every((e) => e.method === 8)).toBe(true);
    const a = await npz.readMany();
    expect(a.vol.shape).toEqual([2, 3, 5, 7]);
    expect(Number.isNaN((a.frame_time.data as Float64Array)[0])).toBe(true);
    expect(npz.names).not.toContain('vol_x');
  });

  it('refuses unknown fields and fields that change shape', async () => {
    const src = syntheticSource({ frames: 2 });
    await expect(exportDataset(src, { target: 'npz', fields: ['nope'] })).rejects.toThrow(/not in this dataset/);
    const orig = src.readFrame.bind(src);
    src.readFrame = async (i) => {
      const f = await orig(i);
      if (i === 1) f.fields.c = { ...f.fields.c, shape: [7, 5] };
      return f;
    };
    await expect(exportDataset(src, { target: 'npz', fields: ['c'] })).rejects.toThrow(/changes from scalar 5×7 to scalar 7×5/);
  });

  it('stops between frames when aborted', async () => {
    const src = syntheticSource({ frames: 6 });
    const ac = new AbortController();
    const run = exportDataset(src, { target: 'npz' }, { signal: ac.signal, onProgress: (d) => d === 2 && ac.abort() });
    await expect(run).rejects.toThrow(/abort|cancel/i);
    expect(src.reads.length).toBe(2);
  });

  it('numpy loads the archive (np.load, no pickle) with the same numbers', async () => {
    if (!hasNumpy()) return;
    const src = syntheticSource({ frames: 3 });
    const files = await exportDataset(src, { target: 'npz' });
    const dir = writeFiles(files);
    const r = python(
      `import numpy as np, json, sys
z = np.load(sys.argv[1])
m = np.ma.masked_array(z['c'], mask=z['c_mask'])
print(json.dumps({'keys': sorted(z.files), 'c': list(z['c'].shape), 'vel': list(z['vel'].shape), 'dtype': str(z['c'].dtype),
  'mask_dtype': str(z['c_mask'].dtype), 'masked': int(m.mask.sum()), 'mean': float(m.mean()), 'fn': z['frame_number'].tolist(),
  'ft': z['frame_time'].tolist(), 'info': json.loads(str(z['info']))['source']}))`,
      join(dir, 'synth.npz'),
    ) as Record<string, unknown>;
    expect(r.c).toEqual([3, 5, 7]);
    expect(r.vel).toEqual([3, 5, 7, 2]);
    expect(r.dtype).toBe('float32');
    expect(r.mask_dtype).toBe('bool');
    expect(r.fn).toEqual([1, 2, 3]);
    expect(r.ft).toEqual([0.5, 0.75, 1]);
    expect(r.info).toEqual({ format: 'synthetic', name: 'synth.dat' });
    // masked mean computed by numpy equals ours
    let sum = 0;
    let cnt = 0;
    for (let i = 0; i < 3; i++) {
      const f = await src.readFrame(i);
      f.fields.c.values!.forEach((v, j) => {
        if (!f.fields.c.mask![j]) {
          sum += v;
          cnt++;
        }
      });
    }
    expect(r.masked).toBe(3 * 35 - cnt);
    expect(r.mean as number).toBeCloseTo(sum / cnt, 5);
  });
});

describeFixtures('npz export of real datasets', (dir) => {
  it('DaVis PIV series (urban_canopy): vectors, masks, times as the reader gives them', async () => {
    const src = await openDataset(await treeOf('davis', 'pivpy', 'pivpy', 'data', 'urban_canopy'));
    const files = await exportDataset(src, { target: 'npz', fields: ['frame0', 'frame0/TS:Peak ratio'] });
    const a = await (await openNpz(bytesSourceFile('a.npz', files[0].bytes))).readMany();
    expect(a.frame0.shape).toEqual([5, 135, 160, 2]);
    expect(Array.from(a.frame_number.data as BigInt64Array, Number)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(a.frame_time.data as Float64Array)).toEqual(src.frames.map((f) => f.time));
    // oracle (INDEX.md, lvpyio style, B00001): 16680 valid vectors, mean u -1.518233 m/s, mean v 0.352748 m/s
    const m = a.frame0_mask.data as Uint8Array;
    const v = a.frame0.data as Float32Array;
    let valid = 0;
    let su = 0;
    let sv = 0;
    for (let i = 0; i < 135 * 160; i++) {
      if (m[i]) continue;
      valid++;
      su += v[2 * i];
      sv += v[2 * i + 1];
    }
    expect(valid).toBe(16680);
    expect(su / valid).toBeCloseTo(-1.518233, 5);
    expect(sv / valid).toBeCloseTo(0.352748, 5);
    // x coordinates: first vector centre -76.450151 mm
    expect((a.frame0_x.data as Float64Array)[0]).toBeCloseTo(-76.450151, 5);
    expect(dir).toBeTruthy();
  });
});
