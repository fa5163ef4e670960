/**
 * exportDavisSet round trips: a FrameSource (synthetic in-memory, or a DaVis fixture opened with
 * openDataset) → DaVis set files → openDataset on those files → the same frames (numbers, times) and the
 * same field values, masks and scales. Also the built-in piv-vortex sample against its generator's facts.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index';
import { openDataset } from '../../src/formats/index';
import type { FieldData, FieldInfo, Frame, FrameInfo, FrameSource, Scale, SourceTree } from '../../src/formats/types';
import { bytesSourceFile } from '../../src/io/slice-file';
import { sourceTreeFromPath } from '../../src/io/node';
import { describeFixtures } from '../fixtures';

const treeOfFiles = (name: string, files: { path: string; bytes: Uint8Array }[]): SourceTree => ({
  name,
  files: files.map((f) => bytesSourceFile(f.path, f.bytes)),
});

function sameArray(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined, what: string): void {
  expect(b === undefined, `${what} presence`).toBe(a === undefined);
  if (!a || !b) return;
  expect(b.length, `${what} length`).toBe(a.length);
  let bad = -1;
  for (let i = 0; i < a.length; i++)
    if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) {
      bad = i;
      break;
    }
  expect(bad, `${what}: first difference ${bad >= 0 ? `${a[bad]} vs ${b[bad]}` : ''}`).toBe(-1);
}

function closeScale(a: Scale | undefined, b: Scale | undefined, what: string): void {
  expect(!!b, `${what} presence`).toBe(!!a);
  if (!a || !b) return;
  expect(b.unit, `${what} unit`).toBe(a.unit);
  expect(b.slope).toBeCloseTo(a.slope, 10);
  expect(b.offset).toBeCloseTo(a.offset, 10);
}

/** Values, masks and axis scales equal; the value scale keeps its unit (the writer may store with slope 1). */
function sameField(a: FieldData, b: FieldData, what: string): void {
  expect(b.kind, `${what} kind`).toBe(a.kind);
  expect(b.shape, `${what} shape`).toEqual(a.shape);
  sameArray(a.values, b.values, `${what} values`);
  sameArray(a.u, b.u, `${what} u`);
  sameArray(a.v, b.v, `${what} v`);
  sameArray(a.w, b.w, `${what} w`);
  sameArray(a.mask, b.mask, `${what} mask`);
  for (const ax of ['x', 'y', 'z'] as const) closeScale(a.scales?.[ax], b.scales?.[ax], `${what} scale ${ax}`);
  expect(b.scales?.i?.unit ?? '', `${what} unit`).toBe(a.scales?.i?.unit ?? '');
}

function memorySource(frames: Frame[], fields: FieldInfo[], timeUnit: string | null): FrameSource {
  return {
    format: 'memory',
    name: 'synth.dat',
    frames: frames.map((f) => f.info),
    fields,
    metadata: {},
    timeUnit,
    readFrame: async (i) => frames[i],
    nearestIndex: () => 0,
    close: () => {},
  };
}

const mm = (slope: number, offset: number): Scale => ({ slope, offset, unit: 'mm', description: '' });

function synthetic(): FrameSource {
  const nx = 6;
  const ny = 4;
  const n = nx * ny;
  const frames: Frame[] = [];
  for (let k = 0; k < 3; k++) {
    const info: FrameInfo = { index: k, number: k, time: k * 0.5 };
    const density: FieldData = {
      kind: 'scalar',
      shape: [ny, nx],
      values: new Float32Array(n).map((_, i) => Math.sin(i + k) * 10),
      mask: new Uint8Array(n).map((_, i) => (i % 7 === k ? 1 : 0)),
      scales: { x: mm(0.5, 1), y: mm(0.5, -1), i: { slope: 1, offset: 0, unit: 'kg/m3', description: 'density' } },
    };
    const velocity: FieldData = {
      kind: 'vector',
      shape: [ny, nx],
      u: new Float32Array(n).map((_, i) => (i % 5 === 0 ? 0 : i * 0.1 + k)),
      v: new Float32Array(n).map((_, i) => (i % 5 === 0 ? 0 : -i * 0.2)),
      mask: new Uint8Array(n).map((_, i) => (i % 5 === 0 ? 1 : 0)),
      scales: { x: mm(2, 0), y: mm(-2, 50) },
    };
    const image: FieldData = { kind: 'rgb', shape: [ny, nx, 3], values: new Uint8Array(n * 3) };
    frames.push({ info, fields: { density, velocity, image }, attributes: { note: 'x' } });
  }
  const fields: FieldInfo[] = [
    { name: 'density', kind: 'scalar', shape: [ny, nx], unit: 'kg/m3' },
    { name: 'velocity', kind: 'vector', shape: [ny, nx], unit: 'm/s' },
    { name: 'image', kind: 'rgb', shape: [ny, nx, 3], unit: '' },
  ];
  return memorySource(frames, fields, 's');
}

describe('exportDavisSet from a synthetic source', () => {
  it('writes one set per field, renumbers frames 0.. to B00001.., keeps times, values, masks and scales', async () => {
    const src = synthetic();
    const progress: [number, number][] = [];
    const files = await exportDataset(
      src,
      { target: 'davis-set', frames: [0, 1, 2], options: { setTime: '2024-01-01T00:00:00Z' } },
      { onProgress: (d, t) => progress.push([d, t]) },
    );
    expect(files.map((f) => f.path)).toEqual([
      'synth-density.set',
      'synth-density/B00001.im7',
      'synth-density/B00002.im7',
      'synth-density/B00003.im7',
      'synth-velocity.set',
      'synth-velocity/B00001.vc7',
      'synth-velocity/B00002.vc7',
      'synth-velocity/B00003.vc7',
    ]);
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(Buffer.from(files[0].bytes).toString('latin1')).toContain('SetType = 256;');
    expect(Buffer.from(files[4].bytes).toString('latin1')).toContain('SetType = 512;');
    for (const [field, first] of [
      ['density', 0],
      ['velocity', 4],
    ] as const) {
      const back = await openDataset(treeOfFiles(field, files.slice(first, first + 4)));
      expect(back.format).toBe('davis');
      expect(back.frames.map((f) => f.number)).toEqual([1, 2, 3]);
      back.frames.forEach((f, k) => expect(f.time).toBeCloseTo(k * 0.5, 12));
      for (let k = 0; k < 3; k++) {
        const a = await src.readFrame(k);
        const b = await back.readFrame(k);
        const want = a.fields[field];
        const got = b.fields.frame0;
        sameField(
          { ...want, scales: { ...want.scales!, i: want.scales?.i ?? { slope: 1, offset: 0, unit: 'm/s', description: '' } } },
          got,
          `${field} frame ${k}`,
        );
        expect(b.attributes.SourceFrameNumber0 ?? b.attributes.SourceFrameNumber).toBe(String(k));
        expect(b.attributes.SourceFormat).toBe('memory');
      }
    }
  });

  it('refuses rgb fields, honours the abort signal, keeps the source numbering when it is a run from 1', async () => {
    const src = synthetic();
    await expect(exportDataset(src, { target: 'davis-set', frames: [0], fields: ['image'] })).rejects.toThrow(/rgb/);
    const ac = new AbortController();
    ac.abort();
    await expect(exportDataset(src, { target: 'davis-set', frames: [0, 1] }, { signal: ac.signal })).rejects.toThrow();
    const numbered: FrameSource = { ...src, frames: src.frames.map((f, i) => ({ ...f, number: 10 + 5 * i })) };
    const files = await exportDataset(numbered, {
      target: 'davis-set',
      frames: [0, 1, 2],
      fields: ['velocity'],
      options: { pack: 'raw', grid: 16, name: 'run' },
    });
    expect(files.map((f) => f.path)).toEqual(['run.set', 'run/B00010.vc7', 'run/B00015.vc7', 'run/B00020.vc7']);
    expect(Buffer.from(files[0].bytes).toString('latin1')).toMatch(/SetStart = 10;\nSetInc = 5;/);
    const back = await openDataset(treeOfFiles('run', files));
    expect(back.frames.map((f) => f.number)).toEqual([10, 15, 20]);
    const b = await back.readFrame(1);
    expect(b.fields.frame0.u![1]).toBeCloseTo(1.1, 6);
  });

  it('uint16 export quantises a float field and says so on the .set entry', async () => {
    const files = await exportDataset(synthetic(), { target: 'davis-set', frames: [0], fields: ['density'], options: { imageFormat: 'uint16' } });
    expect((files[0] as { note?: string }).note).toMatch(/quantised to 16 bits/);
    const back = await openDataset(treeOfFiles('q', files));
    const got = (await back.readFrame(0)).fields.frame0.values!;
    const want = (await synthetic().readFrame(0)).fields.density.values!;
    const step = 20 / 65535;
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(step);
  });
});

describeFixtures('exportDavisSet from DaVis fixtures (openDataset → export → openDataset)', (dir) => {
  const cases: [string, string, number[]][] = [
    ['urban canopy (fmt 3, typed scalars, mask)', 'davis/pivpy/pivpy/data/urban_canopy', [0, 2, 4]],
    ['lvpyio DaVis 10.2 set (fmt 2, isValid, mask)', 'davis/lvpyio-example-scripts/data', [0]],
    ['3D-3C volume vectors', 'davis/neuromech/analyzepiv/readimx_v2.0_win64/TestImages/3D-3C.VC7', [0]],
    ['3D-PIV-SinglePlane (fmt 6, packed mask)', 'davis/neuromech/analyzepiv/readimx_v2.0_win64/TestImages/3D-PIV-SinglePlane.vc7', [0]],
    ['1camera.im7 (2 image frames, IMX)', 'davis/readim/ReadIM/sample_files/1camera.im7', [0]],
    ['Combinatorial (scalarN plane)', 'davis/Combinatorial-Vortex-Detection-Algorithm/B00001.vc7', [0]],
  ];
  for (const [label, rel, frames] of cases) {
    it(label, async () => {
      let tree = await sourceTreeFromPath(join(dir, rel));
      if (rel.endsWith('/data')) tree = { ...tree, files: tree.files.filter((f) => f.path.startsWith('PIV_Velocity_Field_with_Uncertainty')) };
      const src = await openDataset(tree);
      const files = await exportDataset(src, { target: 'davis-set', frames, options: { name: 'out' } });
      expect(files[0].path).toBe('out.set');
      const back = await openDataset(treeOfFiles('out', files));
      expect(back.frames.length).toBe(frames.length);
      expect(back.fields.map((f) => f.name)).toEqual(src.fields.map((f) => f.name));
      for (const [k, i] of frames.entries()) {
        expect(back.frames[k].number).toBe(src.frames[i].number);
        if (src.frames[i].time === null) expect(back.frames[k].time).toBeNull();
        else expect(back.frames[k].time).toBeCloseTo(src.frames[i].time!, 9);
        const a = await src.readFrame(i);
        const b = await back.readFrame(k);
        expect(Object.keys(b.fields)).toEqual(Object.keys(a.fields));
        for (const name of Object.keys(a.fields)) sameField(a.fields[name], b.fields[name], name);
      }
    });
  }
});

describe('built-in sample public/samples/piv-vortex', () => {
  const root = resolve(__dirname, '../../public/samples');
  it('is a DaVis vector set of 12 masked 48×36 frames 1 ms apart with disabled vectors and TS:Uncertainty V', async () => {
    expect(existsSync(join(root, 'piv-vortex.json'))).toBe(true);
    const listing = (await import(join(root, 'piv-vortex.json'), { with: { type: 'json' } })).default as {
      name: string;
      files: { path: string; size: number }[];
    };
    expect(listing.name).toBe('piv-vortex');
    expect(listing.files.length).toBe(13);
    const total = listing.files.reduce((s, f) => s + f.size, 0);
    expect(total).toBeLessThan(300 * 1024);
    const tree = await sourceTreeFromPath(join(root, 'piv-vortex'));
    expect(tree.files.map((f) => [f.path, f.size])).toEqual(listing.files.map((f) => [f.path, f.size]));
    const src = await openDataset(tree);
    expect(src.format).toBe('davis');
    expect(src.frames.length).toBe(12);
    src.frames.forEach((f, k) => {
      expect(f.number).toBe(k + 1);
      expect(f.time).toBeCloseTo(0.1 + k * 1e-3, 9);
    });
    expect(src.fields.map((f) => f.name)).toEqual([
      'frame0',
      'frame0/U0',
      'frame0/V0',
      'frame0/ACTIVE_CHOICE',
      'frame0/ENABLED',
      'frame0/MASK',
      'frame0/TS:Uncertainty V',
    ]);
    const fr = await src.readFrame(0);
    const f = fr.fields.frame0;
    expect(f.shape).toEqual([36, 48]);
    expect(f.scales!.x).toMatchObject({ slope: 2, offset: 1, unit: 'mm' });
    expect(f.scales!.y).toMatchObject({ slope: -2, offset: 71, unit: 'mm' });
    const masked = Array.from(fr.fields['frame0/MASK'].values!).filter((x) => x === 0).length;
    const disabled = Array.from(fr.fields['frame0/ENABLED'].values!).filter((x, i) => x === 0 && fr.fields['frame0/MASK'].values![i] === 1).length;
    expect(masked).toBeGreaterThan(40); // the obstacle
    expect(disabled).toBeGreaterThanOrEqual(1);
    expect(Array.from(f.mask!).filter(Boolean).length).toBe(masked + disabled);
    let vmax = 0;
    for (let i = 0; i < f.mask!.length; i++) if (!f.mask![i]) vmax = Math.max(vmax, Math.hypot(f.u![i], f.v![i]));
    expect(vmax).toBeGreaterThan(4);
    expect(vmax).toBeLessThan(12);
    expect(fr.fields['frame0/TS:Uncertainty V'].scales!.i!.unit).toBe('m/s');
  });
});
