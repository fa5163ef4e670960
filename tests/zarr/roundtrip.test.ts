import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { exportDataset } from '../../src/export/index';
import { FormatError, openDataset } from '../../src/formats/index';
import type { FrameSource } from '../../src/formats/types';
import { bytesSourceFile } from '../../src/io/slice-file';
import { describeFixtures, treeOf } from '../fixtures';
import { expectSameField } from '../export/helpers';
import { syntheticSource } from '../export/synthetic';

const zipTree = (f: { path: string; bytes: Uint8Array }) => ({ name: f.path, files: [bytesSourceFile(f.path, f.bytes)] });

/** The same frames, fields (values, masks, shapes), times, numbers, units and metadata. */
async function expectSameSource(a: FrameSource, b: FrameSource, fields: string[], frames: number[]) {
  expect(b.format).toBe('zarr');
  expect(b.metadata).toEqual(
    JSON.parse(
      JSON.stringify(a.metadata, (_k, v) =>
        typeof v === 'bigint'
          ? Number(v)
          : ArrayBuffer.isView(v)
            ? Array.from(v as unknown as ArrayLike<number>, Number)
            : typeof v === 'number' && !Number.isFinite(v)
              ? String(v)
              : v,
      ),
    ),
  );
  expect(b.frames.map((f) => [f.number, f.time])).toEqual(frames.map((i) => [a.frames[i].number, a.frames[i].time]));
  for (const name of fields) {
    const fa = a.fields.find((f) => f.name === name)!;
    const fb = b.fields.find((f) => f.name === name);
    expect(fb, name).toBeDefined();
    expect(fb!.kind).toBe(fa.kind);
    expect(fb!.unit).toBe(fa.unit);
  }
  for (let k = 0; k < frames.length; k++) {
    const fa = await a.readFrame(frames[k]);
    const fb = await b.readFrame(k);
    for (const name of fields) {
      expectSameField(fa.fields[name], fb.fields[name], 0, `${name} frame ${k}`);
      const ma = fa.fields[name].mask;
      if (ma?.some((x) => x)) expect(Array.from(fb.fields[name].mask!)).toEqual(Array.from(ma));
      const sa = fa.fields[name].scales;
      if (sa && fa.fields[name].kind !== 'rgb') {
        expect(fb.fields[name].scales!.x.slope).toBeCloseTo(sa.x.slope, 12);
        expect(fb.fields[name].scales!.x.offset).toBeCloseTo(sa.x.offset, 12);
        expect(fb.fields[name].scales!.x.unit).toBe(sa.x.unit);
      }
    }
  }
}

describe('zarr export → framescope', () => {
  it('opens the zip back with the same values, masks, times, numbers and metadata', async () => {
    const src = syntheticSource({ frames: 4, times: [0.5, null, 1, 1.25], numbers: [3, 4, 8, 9], vol: true, flipY: true });
    const files = await exportDataset(src, { target: 'zarr', frames: [2, 0, 3] });
    expect(files[0].path).toBe('synth.zarr.zip');
    const back = await openDataset(zipTree(files[0]));
    expect(back.fields.map((f) => f.name).sort()).toEqual(['c', 'img', 'line', 'rgb', 'vel', 'vol']);
    await expectSameSource(src, back, ['c', 'vel', 'img', 'rgb', 'line', 'vol'], [2, 0, 3]);
    expect(back.timeUnit).toBe('s');
    expect(back.nearestIndex(1.2)).toBe(2);
    // the y scale runs downward as the source's does
    const fr = await back.readFrame(0);
    expect(fr.fields.c.scales!.y.slope).toBe(-0.5);
    expect(fr.fields.img.scales!.x.unit).toBe('px');
  });

  it('opens the same store as an unzipped folder', async () => {
    const src = syntheticSource({ frames: 2 });
    const files = await exportDataset(src, { target: 'zarr', fields: ['vel'] });
    const members = unzipSync(files[0].bytes);
    const tree = { name: 'synth.zarr', files: Object.entries(members).map(([p, b]) => bytesSourceFile(`synth.zarr/${p}`, b)) };
    const back = await openDataset(tree);
    await expectSameSource(src, back, ['vel'], [0, 1]);
  });

  it('reports a damaged store with a FormatError naming the file', async () => {
    const src = syntheticSource({ frames: 2 });
    const files = await exportDataset(src, { target: 'zarr', fields: ['c'] });
    const members = unzipSync(files[0].bytes);
    const tree = (m: Record<string, Uint8Array>) => ({ name: 's.zarr', files: Object.entries(m).map(([p, b]) => bytesSourceFile(p, b)) });
    const bad = { ...members, '.zmetadata': new TextEncoder().encode('{not json') };
    await expect(openDataset(tree(bad))).rejects.toThrow(/\.zmetadata: is not valid JSON/);
    const noChunk = { ...members };
    delete noChunk['c/1.0.0'];
    noChunk['c/1.0.0'] = new Uint8Array([1, 2, 3]);
    const s = await openDataset(tree(noChunk));
    const err = await s.readFrame(1).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toMatch(/c: frame 1: cannot read its chunk/);
  });
});

const FIXTURES: [string, string[]][] = [
  ['DaVis vector set (urban canopy, typed scalars, masks)', ['davis', 'pivpy', 'pivpy', 'data', 'urban_canopy']],
  ['DaVis 3D-3C volume', ['davis', 'neuromech', 'analyzepiv', 'readimx_v2.0_win64', 'TestImages', '3D-3C.VC7']],
  ['PhiFlow scene (staggered velocity)', ['phiflow', 'scenes', 'sim_000000']],
  ['imgstore npy colour directory store', ['imgstore', 'dir_npy_color']],
  ['imgstore png gray directory store', ['imgstore', 'dir_png_gray']],
];

describeFixtures('fixtures → zarr → framescope, fixtures → hdf5 → h5wasm', () => {
  for (const [label, parts] of FIXTURES) {
    it(label, async () => {
      const src = await openDataset(await treeOf(...parts));
      const fields = src.fields.map((f) => f.name).slice(0, 16);
      const frames = src.frames.slice(0, 3).map((f) => f.index);
      const files = await exportDataset(src, { target: 'zarr', frames, fields });
      const back = await openDataset(zipTree(files[0]));
      await expectSameSource(src, back, fields, frames);
      const nc = await exportDataset(src, { target: 'hdf5', frames, fields });
      await expectHdf5Matches(src, nc[0].bytes, fields, frames);
    });
  }
});

async function expectHdf5Matches(src: FrameSource, bytes: Uint8Array, fields: string[], frames: number[]) {
  const h5wasm = (await import('h5wasm')).default;
  const { FS } = await h5wasm.ready;
  const p = `/rt-${Math.random().toString(36).slice(2)}.nc`;
  FS.writeFile(p, bytes);
  const f = new h5wasm.File(p, 'r');
  try {
    const byField = new Map<string, Record<string, import('h5wasm').Dataset>>();
    for (const k of f.keys()) {
      const d = f.get(k) as import('h5wasm').Dataset;
      const field = d.attrs.framescope_field?.value as string | undefined;
      if (field === undefined) continue;
      const part = d.attrs.framescope_part.value as string;
      byField.set(field, { ...(byField.get(field) ?? {}), [part]: d });
    }
    const t = Array.from((f.get('time') as import('h5wasm').Dataset).value as Float64Array);
    const hasTime = frames.some((i) => src.frames[i].time !== null);
    expect(t).toEqual(frames.map((i) => (hasTime ? (src.frames[i].time ?? NaN) : src.frames[i].number)));
    for (let k = 0; k < frames.length; k++) {
      const fr = await src.readFrame(frames[k]);
      for (const name of fields) {
        const parts = byField.get(name)!;
        expect(parts, name).toBeDefined();
        const d = fr.fields[name];
        const get = (part: string) => Array.from(parts[part].slice([[k, k + 1]]) as ArrayLike<number>);
        if (d.kind === 'vector') {
          expect(get('u')).toEqual(Array.from(d.u!));
          expect(get('v')).toEqual(Array.from(d.v!));
          if (d.w) expect(get('w')).toEqual(Array.from(d.w));
        } else expect(get('values')).toEqual(Array.from(d.values as ArrayLike<number>));
        if (d.mask?.some((x) => x)) expect(get('mask')).toEqual(Array.from(d.mask));
      }
    }
  } finally {
    f.close();
    FS.unlink(p);
  }
}
