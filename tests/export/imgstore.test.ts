import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportDataset } from '../../src/export/index';
import { openDataset } from '../../src/formats/index';
import type { FrameSource } from '../../src/formats/types';
import { describeFixtures, treeOf } from '../fixtures';
import { expectSameField, hasNumpy, python, treeFromFiles, writeFiles } from './helpers';
import { syntheticSource } from './synthetic';

async function reopen(files: { path: string; bytes: Uint8Array }[], store: string): Promise<FrameSource> {
  const src = await openDataset(treeFromFiles(files, store, store));
  expect(src.format).toBe('imgstore');
  return src;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('imgstore export (synthetic)', () => {
  it('npy store of a uint16 image: chunks of chunksize, index npz, metadata, same pixels', async () => {
    const src = syntheticSource({ frames: 5, numbers: [100, 101, 105, 106, 200], times: [1.5, 1.6, 2.0, 2.1, null] });
    const files = await exportDataset(src, {
      target: 'imgstore',
      fields: ['img'],
      options: { chunksize: 2, metadata: { genotype: 'wt', on: 'yes' }, fps: 10 },
    });
    expect(files.map((f) => f.path)).toEqual([
      'synth/metadata.yaml',
      'synth/000000/000000.npy',
      'synth/000000/000001.npy',
      'synth/000000/index.npz',
      'synth/000001/000000.npy',
      'synth/000001/000001.npy',
      'synth/000001/index.npz',
      'synth/000002/000000.npy',
      'synth/000002/index.npz',
    ]);
    const md = parse(text(files[0].bytes), { version: '1.1' });
    expect(md.__store).toMatchObject({
      chunksize: 2,
      class: 'DirectoryImgStore',
      encoding: null,
      format: 'npy',
      imgdtype: 'uint16',
      imgshape: [5, 7],
      version: 2,
    });
    expect(md.__store.uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(md.__store.created_utc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(md.genotype).toBe('wt');
    expect(md.on).toBe('yes'); // quoted, so YAML 1.1 does not turn it into true
    const back = await reopen(files, 'synth');
    expect(back.frames.map((f) => f.number)).toEqual([100, 101, 105, 106, 200]);
    // the frame without a time gets index / fps
    expect(back.frames.map((f) => f.time)).toEqual([1.5, 1.6, 2.0, 2.1, 0.4]);
    for (let i = 0; i < 5; i++) expectSameField((await src.readFrame(i)).fields.img, (await back.readFrame(i)).fields.image, 0, `frame ${i}`);
  });

  it('png store: 16-bit gray is lossless; non-integer data is refused with a hint', async () => {
    const src = syntheticSource({ frames: 3 });
    const files = await exportDataset(src, { target: 'imgstore', fields: ['img'], options: { format: 'png', name: 'pngs' } });
    expect(files.filter((f) => f.path.endsWith('.png')).length).toBe(3);
    const back = await reopen(files, 'pngs');
    for (let i = 0; i < 3; i++) expectSameField((await src.readFrame(i)).fields.img, (await back.readFrame(i)).fields.image, 0, `frame ${i}`);
    await expect(exportDataset(src, { target: 'imgstore', fields: ['c'], options: { format: 'png' } })).rejects.toThrow(/use the npy format/);
  });

  it('colour npy stores hold BGR arrays (imgstore convention) and read back as the same RGB', async () => {
    const src = syntheticSource({ frames: 2 });
    const files = await exportDataset(src, { target: 'imgstore', fields: ['rgb'] });
    const back = await reopen(files, 'synth');
    const a = (await src.readFrame(1)).fields.rgb;
    const b = (await back.readFrame(1)).fields.image;
    // the synthetic rgb has a mask-free field: identical
    expectSameField(a, b, 0, 'rgb');
    if (!hasNumpy()) return;
    const dir = writeFiles(files);
    const r = python(
      `import numpy as np, json, sys
a = np.load(sys.argv[1] + '/synth/000000/000001.npy')
print(json.dumps({'shape': list(a.shape), 'dtype': str(a.dtype), 'px': a[2, 3].tolist()}))`,
      dir,
    ) as { shape: number[]; dtype: string; px: number[] };
    expect(r.shape).toEqual([5, 7, 3]);
    expect(r.dtype).toBe('uint8');
    const i = 2 * 7 + 3;
    expect(r.px).toEqual([a.values![3 * i + 2], a.values![3 * i + 1], a.values![3 * i]]); // B, G, R
  });

  it('metadata.yaml and index.npz load in PyYAML and numpy as imgstore reads them', async () => {
    if (!hasNumpy()) return;
    const src = syntheticSource({ frames: 3, numbers: [7, 8, 9] });
    const files = await exportDataset(src, { target: 'imgstore', fields: ['img'], options: { metadata: { experiment: 'x', nested: { k: 1 } } } });
    const dir = writeFiles(files);
    let yamlOk = true;
    try {
      python('import yaml, json; print(json.dumps(1))');
    } catch {
      yamlOk = false;
    }
    if (!yamlOk) {
      console.warn('PyYAML not available: metadata.yaml check skipped');
      return;
    }
    const r = python(
      `import numpy as np, json, sys, yaml
md = yaml.load(open(sys.argv[1] + '/synth/metadata.yaml'), Loader=yaml.SafeLoader)
z = np.load(sys.argv[1] + '/synth/000000/index.npz')
print(json.dumps({'store': md['__store'], 'user': {k: v for k, v in md.items() if k != '__store'},
  'fn': z['frame_number'].tolist(), 'fn_dtype': str(z['frame_number'].dtype), 'ft': z['frame_time'].tolist(), 'ft_dtype': str(z['frame_time'].dtype)}))`,
      dir,
    ) as Record<string, Record<string, unknown> | unknown[] | string>;
    expect(r.store).toMatchObject({ class: 'DirectoryImgStore', version: 2, imgshape: [5, 7], imgdtype: 'uint16', chunksize: 200, format: 'npy' });
    expect(r.user).toMatchObject({ experiment: 'x', nested: { k: 1 } });
    expect(r.fn).toEqual([7, 8, 9]);
    expect(r.fn_dtype).toBe('int64');
    expect(r.ft).toEqual([0.5, 0.75, 1]);
    expect(r.ft_dtype).toBe('float64');
  });
});

describeFixtures('imgstore export of real datasets', () => {
  it('imgstore dir_npy_color → npy store → our reader: same images, numbers, times, user metadata', async () => {
    const src = await openDataset(await treeOf('imgstore', 'dir_npy_color'));
    const files = await exportDataset(src, {
      target: 'imgstore',
      options: { chunksize: 20, metadata: (src.metadata as { user: Record<string, unknown> }).user },
    });
    const back = await reopen(files, 'dir_npy_color');
    expect(back.frames.length).toBe(50);
    expect(back.frames.map((f) => f.number)).toEqual(src.frames.map((f) => f.number));
    expect(back.frames.map((f) => f.time)).toEqual(src.frames.map((f) => f.time));
    for (const i of [0, 19, 20, 49]) expectSameField((await src.readFrame(i)).fields.image, (await back.readFrame(i)).fields.image, 0, `frame ${i}`);
    const user = (back.metadata as { user: Record<string, unknown> }).user;
    expect(user).toMatchObject({ animal_id: 7, camera_serial: '21990447', notes: 'µm scale test ✓', tags: ['alpha', 'beta'], nested: { flag: true, k: 1 } });
  });

  it('imgstore dir_png_gray → png store → our reader: bit-identical gray images', async () => {
    const src = await openDataset(await treeOf('imgstore', 'dir_png_gray'));
    const files = await exportDataset(src, { target: 'imgstore', frames: [0, 5, 39], options: { format: 'png' } });
    const back = await reopen(files, 'dir_png_gray');
    expect(back.frames.map((f) => f.number)).toEqual([0, 5, 39].map((i) => src.frames[i].number));
    for (const [k, i] of [0, 5, 39].entries()) expectSameField((await src.readFrame(i)).fields.image, (await back.readFrame(k)).fields.image, 0, `frame ${i}`);
    const md = parse(text(files[0].bytes), { version: '1.1' });
    expect(md.__store.imgdtype).toBe('uint8');
    expect(md.__store.imgshape).toEqual([48, 64]);
  });
});
