import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../src/codecs/png';
import { exportDataset } from '../../src/export/index';
import { openDataset } from '../../src/formats/index';
import type { FieldData } from '../../src/formats/types';
import { describeFixtures, treeOf } from '../fixtures';
import { syntheticSource } from './synthetic';

interface FieldMap {
  kind: string;
  bits: number;
  offset: number;
  scale: number;
  exact: boolean;
  maxError: number;
  masked: boolean;
  components?: string[];
}

function unpack(bytes: Uint8Array) {
  const z = unzipSync(bytes);
  const mapping = JSON.parse(new TextDecoder().decode(z['mapping.json']));
  return { z, mapping };
}

/** Rebuild a field's values (NaN where alpha = 0) from its PNG(s) and mapping. */
function rebuild(z: Record<string, Uint8Array>, name: string, k: number, m: FieldMap, suffix = ''): { values: Float64Array; valid: Uint8Array } {
  const png = decodePng(z[`${name}/${String(k).padStart(6, '0')}${suffix}.png`]);
  const n = png.width * png.height;
  const values = new Float64Array(n);
  const valid = new Uint8Array(n);
  const ch = png.channels;
  for (let i = 0; i < n; i++) {
    const raw = png.data[i * ch];
    const ok = ch === 2 ? png.data[i * 2 + 1] !== 0 : true;
    valid[i] = ok ? 1 : 0;
    values[i] = ok ? m.offset + raw * m.scale : NaN;
  }
  return { values, valid };
}

function check(d: FieldData, comps: ArrayLike<number>[], got: { values: Float64Array; valid: Uint8Array }[], tol: number, label: string) {
  comps.forEach((a, c) => {
    for (let i = 0; i < a.length; i++) {
      const bad = d.mask ? d.mask[i] !== 0 : false;
      expect(got[c].valid[i], `${label} valid ${i}`).toBe(bad ? 0 : 1);
      if (!bad) expect(Math.abs(got[c].values[i] - a[i]), `${label} cell ${i}`).toBeLessThanOrEqual(tol);
    }
  });
}

describe('png-zip raw export', () => {
  it('16-bit PNGs + mapping.json: integers exact, floats within maxError, masks as alpha, vectors per component', async () => {
    const src = syntheticSource({ frames: 3, vol: true });
    const files = await exportDataset(src, { target: 'png-zip', frames: [2, 0], fields: ['c', 'vel', 'img', 'rgb', 'line', 'vol'] });
    expect(files.length).toBe(1);
    expect(files[0].path).toBe('synth.zip');
    const { z, mapping } = unpack(files[0].bytes);
    expect(mapping.frames).toEqual([
      { k: 0, index: 2, number: 3, time: 1 },
      { k: 1, index: 0, number: 1, time: 0.5 },
    ]);
    const m = mapping.fields as Record<string, FieldMap>;
    expect(m.img).toMatchObject({ bits: 16, offset: 0, scale: 1, exact: true, maxError: 0, masked: false });
    expect(m.c.exact).toBe(false);
    expect(m.c.masked).toBe(true);
    expect(m.c.maxError).toBeCloseTo(m.c.scale / 2, 15);
    expect(m.vel.components).toEqual(['u', 'v']);
    expect(Object.keys(z).sort()).toContain('vol/000001_z2.png');
    expect(Object.keys(z).sort()).toContain('vel/000000_v.png');
    for (const [k, idx] of [2, 0].entries()) {
      const f = (await src.readFrame(idx)).fields;
      check(f.img, [f.img.values!], [rebuild(z, 'img', k, m.img)], 0, 'img');
      check(f.c, [f.c.values!], [rebuild(z, 'c', k, m.c)], m.c.maxError * (1 + 1e-9), 'c');
      check(f.vel, [f.vel.u!, f.vel.v!], [rebuild(z, 'vel', k, m.vel, '_u'), rebuild(z, 'vel', k, m.vel, '_v')], m.vel.maxError * (1 + 1e-9), 'vel');
      check(f.line, [f.line.values!], [rebuild(z, 'line', k, m.line)], m.line.maxError * (1 + 1e-9), 'line');
      const rgb = decodePng(z[`rgb/${String(k).padStart(6, '0')}.png`]);
      expect(rgb.channels).toBe(3);
      expect(rgb.bitDepth).toBe(8);
      expect(Array.from(rgb.data)).toEqual(Array.from(f.rgb.values!));
      const plane2 = rebuild(z, 'vol', k, m.vol, '_z2');
      const v = f.vol.values!;
      for (let i = 0; i < 35; i++) expect(Math.abs(plane2.values[i] - v[70 + i])).toBeLessThanOrEqual(m.vol.maxError * (1 + 1e-9));
    }
    expect((files[0] as { note?: string }).note).toMatch(/quantised to 16 bit: c ±/);
  });
});

describeFixtures('png-zip raw export of real datasets', () => {
  it('imgstore gray frames are stored exactly (integer data)', async () => {
    const src = await openDataset(await treeOf('imgstore', 'dir_png_gray'));
    const files = await exportDataset(src, { target: 'png-zip', frames: [0, 1, 2] });
    const { z, mapping } = unpack(files[0].bytes);
    expect(mapping.fields.image).toMatchObject({ exact: true, offset: 0, scale: 1 });
    for (let k = 0; k < 3; k++) {
      const png = decodePng(z[`image/00000${k}.png`]);
      expect(png.bitDepth).toBe(16);
      expect(Array.from(png.data)).toEqual(Array.from((await src.readFrame(k)).fields.image.values!));
    }
  });
  it('DaVis vector field: mask from alpha, u/v within the stated bound', async () => {
    const src = await openDataset(await treeOf('davis', 'pivpy', 'pivpy', 'data', 'PIVMAT_jet'));
    const files = await exportDataset(src, { target: 'png-zip', fields: ['frame0'], frames: [1] });
    const { z, mapping } = unpack(files[0].bytes);
    const m = mapping.fields.frame0 as FieldMap;
    const f = (await src.readFrame(1)).fields.frame0;
    check(f, [f.u!, f.v!], [rebuild(z, 'frame0', 0, m, '_u'), rebuild(z, 'frame0', 0, m, '_v')], m.maxError * (1 + 1e-9), 'jet');
  });
});
