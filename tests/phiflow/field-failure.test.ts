/**
 * A field that fails leaves the others readable (issue 15, defect 6): a field whose first file
 * cannot be described is dropped with a warning at open and never read again; a field whose file
 * fails in one frame is reported in `frame.attributes.field_errors` (by every viewer field name of
 * it) while the rest of the frame is returned; only when every field of a frame fails does the
 * frame fail.
 */
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/codecs/npy';
import { encodeNpz } from '../../src/codecs/npz';
import { exportDataset } from '../../src/export/index';
import { ExportError, FormatError } from '../../src/core/errors';
import { open } from '../../src/formats/phiflow/open';
import { fieldFile, fieldMembers, treeFrom } from './synth';

const dens = (off: number) =>
  fieldFile({
    dims: [
      { name: 'x', type: 'spatial' },
      { name: 'y', type: 'spatial' },
    ],
    shape: [3, 2],
    data: Float32Array.from({ length: 6 }, (_, k) => k + off),
  });

const velo = () =>
  fieldFile({
    dims: [
      { name: 'x', type: 'spatial' },
      { name: 'y', type: 'spatial' },
      { name: 'vector', type: 'channel', items: ['x', 'y'] },
    ],
    fieldType: 'StaggeredGrid',
    shape: [4, 3, 2],
    data: Float32Array.from({ length: 24 }, (_, k) => k),
  });

function pointCloud() {
  const m = fieldMembers({
    dims: [
      { name: 'x', type: 'spatial' },
      { name: 'y', type: 'spatial' },
    ],
    shape: [3, 2],
    data: new Float32Array(6),
  });
  m.field_type = encodeNpy({ shape: [], data: ['PointCloud'] });
  return encodeNpz(m, { compress: true });
}

describe('PhiFlow: one failing field does not take the others down', () => {
  it('a field whose first file is not a grid is dropped with a warning; readFrame never reads it', async () => {
    const src = await open(
      treeFrom('s', {
        'sim_000000/density_000000.npz': dens(0),
        'sim_000000/density_000001.npz': dens(10),
        'sim_000000/points_000000.npz': pointCloud(),
        'sim_000000/points_000001.npz': new Uint8Array([1, 2, 3]),
      }),
    );
    expect(src.fields.map((f) => f.name)).toEqual(['density']);
    expect(src.warnings!.join('\n')).toMatch(/points: .*points_000000\.npz.*unsupported field_type 'PointCloud'/);
    for (const i of [0, 1]) {
      const f = await src.readFrame(i);
      expect(Object.keys(f.fields)).toEqual(['density']);
      expect(f.fields.density.values![0]).toBe(i * 10);
      expect(f.attributes.field_errors).toBeUndefined();
    }
  });

  it('a damaged file in one frame: the rest of that frame is returned, the failure named per viewer field', async () => {
    const src = await open(
      treeFrom('s', {
        'sim_000000/density_000000.npz': dens(0),
        'sim_000000/density_000001.npz': dens(10),
        'sim_000000/velocity_000000.npz': velo(),
        'sim_000000/velocity_000001.npz': velo().subarray(0, 200),
      }),
    );
    expect(src.fields.map((f) => f.name)).toEqual(['density', 'velocity', 'velocity/x', 'velocity/y']);
    const f0 = await src.readFrame(0);
    expect(Object.keys(f0.fields)).toEqual(['density', 'velocity', 'velocity/x', 'velocity/y']);
    const f1 = await src.readFrame(1);
    expect(Object.keys(f1.fields)).toEqual(['density']);
    expect(Array.from(f1.fields.density.values!)).toEqual([10, 12, 14, 11, 13, 15]);
    const errs = f1.attributes.field_errors as Record<string, string>;
    expect(Object.keys(errs)).toEqual(['velocity', 'velocity/x', 'velocity/y']);
    expect(errs['velocity/x']).toMatch(/velocity_000001\.npz/);
    expect((f1.attributes.velocity as { error: string }).error).toBe(errs.velocity);
    // exporting that frame says why instead of writing a scene without the field
    await expect(exportDataset(src, { target: 'phiflow-scene', frames: [1] })).rejects.toThrow(ExportError);
    await expect(exportDataset(src, { target: 'phiflow-scene', frames: [1] })).rejects.toThrow(
      /“velocity” could not be read in frame 1: .*velocity_000001\.npz/,
    );
    // frame 0 exports fine
    const files = await exportDataset(src, { target: 'phiflow-scene', frames: [0] });
    expect(files.map((f) => f.path)).toEqual(['sim_000000/density_000000.npz', 'sim_000000/velocity_000000.npz']);
  });

  it('when every field of a frame fails, the frame fails with the first reason', async () => {
    const src = await open(treeFrom('s', { 'density_000000.npz': dens(0), 'density_000001.npz': dens(0).subarray(0, 100) }));
    await expect(src.readFrame(1)).rejects.toThrow(FormatError);
    await expect(src.readFrame(1)).rejects.toThrow(/density_000001\.npz/);
  });
});
