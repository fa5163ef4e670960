/**
 * DaVis round trips: every fixture buffer the reader opens → writer (pack raw and zlib) → reader gives the
 * same raw components, masks, typed scalars, scales, attributes and viewer fields; synthetic round trips
 * of framescope FieldData (uint8/uint16/float images, 2C/3C vectors with masks and disabled vectors,
 * multi-frame buffers, volumes) through writeIm7/writeVc7, writeDavisSet and exportDavisSet.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { bytesSourceFile } from '../../src/io/slice-file';
import { readDavisBuffer } from '../../src/formats/davis/read-buffer';
import type { DavisBuffer } from '../../src/formats/davis/model';
import { bufferToWriteInput } from '../../src/formats/davis/write-from-buffer';
import { writeDavisBuffer, writeIm7, writeVc7 } from '../../src/formats/davis/write-buffer';
import type { FieldData, Scale } from '../../src/formats/types';
import { describeFixtures } from '../fixtures';

const read = (path: string, bytes: Uint8Array) => readDavisBuffer(bytesSourceFile(path, bytes));

function sameArray(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined, what: string): void {
  expect(b === undefined, `${what} presence`).toBe(a === undefined);
  if (!a || !b) return;
  expect(b.length, `${what} length`).toBe(a.length);
  let bad = -1;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i]) && !(a[i] === 0 && b[i] === 0)) {
      bad = i;
      break;
    }
  }
  expect(bad, `${what}: first differing index (${bad >= 0 ? `${a[bad]} vs ${b[bad]}` : ''})`).toBe(-1);
}

function closeScale(a: Scale | undefined, b: Scale | undefined, what: string, rel = 1e-12): void {
  expect(!!b, `${what} presence`).toBe(!!a);
  if (!a || !b) return;
  expect(b.unit, `${what} unit`).toBe(a.unit);
  expect(b.description, `${what} description`).toBe(a.description);
  const tol = (x: number) => rel * Math.max(1, Math.abs(x));
  expect(Math.abs(b.slope - a.slope), `${what} slope ${a.slope} vs ${b.slope}`).toBeLessThanOrEqual(tol(a.slope));
  expect(Math.abs(b.offset - a.offset), `${what} offset ${a.offset} vs ${b.offset}`).toBeLessThanOrEqual(tol(a.offset) + tol(a.slope));
}

function sameField(a: FieldData, b: FieldData, what: string, rel = 1e-12): void {
  expect(b.kind, `${what} kind`).toBe(a.kind);
  expect(b.shape, `${what} shape`).toEqual(a.shape);
  sameArray(a.values, b.values, `${what} values`);
  sameArray(a.u, b.u, `${what} u`);
  sameArray(a.v, b.v, `${what} v`);
  sameArray(a.w, b.w, `${what} w`);
  sameArray(a.mask, b.mask, `${what} mask`);
  for (const ax of ['x', 'y', 'z', 'i'] as const) closeScale(a.scales?.[ax], b.scales?.[ax], `${what} scale ${ax}`, rel);
}

/** Attributes the writer adds or re-derives itself. */
const WRITER_KEYS = /^(_framescopeVersion|_SCALE_[XYZIF]|FrameScale[XYZI]\d+)$/;

function expectSameBuffer(a: DavisBuffer, b: DavisBuffer): void {
  for (const k of ['nx', 'ny', 'nz', 'nf', 'scalarN', 'vectorGrid'] as const) expect(b.header[k], `header ${k}`).toBe(a.header[k]);
  expect(b.header.bufferFormat, 'buffer format').toBe(a.header.bufferFormat);
  expect(b.frames.length).toBe(a.frames.length);
  for (const [f, fa] of a.frames.entries()) {
    const fb = b.frames[f];
    expect(fb.kind).toBe(fa.kind);
    expect(
      fb.components.map((c) => c.name),
      `frame ${f} component names`,
    ).toEqual(fa.components.map((c) => c.name));
    for (const [j, ca] of fa.components.entries()) {
      const cb = fb.components[j];
      expect(cb.dtype, `component ${ca.name} dtype`).toBe(ca.dtype);
      expect(cb.shape).toEqual(ca.shape);
      sameArray(ca.data, cb.data, `frame ${f} component ${ca.name}`);
      closeScale(ca.scale, cb.scale, `component ${ca.name} scale`, 0);
    }
    for (const ax of ['x', 'y', 'z', 'i'] as const) closeScale(fa.scales[ax], fb.scales[ax], `frame ${f} scale ${ax}`, 0);
    expect(fb.grid).toEqual(fa.grid);
    expect(fb.choices).toBe(fa.choices);
    expect(fb.time).toBe(fa.time);
    const fattr = (x: Record<string, unknown>) => Object.fromEntries(Object.entries(x).filter(([k]) => !/^FrameScale[XYZI]$/.test(k)));
    expect(fattr(fb.attributes), `frame ${f} attributes`).toEqual(fattr(fa.attributes));
  }
  sameArray(a.mask ?? undefined, b.mask ?? undefined, 'mask');
  expect(b.typedScalars.map((t) => t.name)).toEqual(a.typedScalars.map((t) => t.name));
  for (const [j, ta] of a.typedScalars.entries()) {
    sameArray(ta.data, b.typedScalars[j].data, `typed scalar ${ta.name}`);
    closeScale(ta.scales[4], b.typedScalars[j].scales[4], `typed scalar ${ta.name} scale`, 0);
  }
  expect(Object.keys(b.fields).sort()).toEqual(Object.keys(a.fields).sort());
  for (const [k, fa] of Object.entries(a.fields)) sameField(fa, b.fields[k], `field ${k}`, 0);
  // attributes: the same items and values, apart from what the writer re-derives
  // an old-header file becomes an IM7 file: its header version has no place there
  const keep = (r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => !WRITER_KEYS.test(k) && !(a.header.kind === 'old' && k === '_HEADER_VERSION')));
  expect(keep(b.attributes)).toEqual(keep(a.attributes));
  expect(b.attributes._framescopeVersion).toBe('0.1.0');
  for (const s of ['x', 'y', 'z', 'i', 'f'] as const) if (a.scales[s]) closeScale(a.scales[s], b.scales[s], `IEH scale ${s}`, 0);
}

function davisFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(im7|vc7|imx|img|vec)$/i.test(e)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

describeFixtures('DaVis fixtures: read → write (raw, zlib) → read', (dir) => {
  const root = join(dir, 'davis');
  const files = davisFiles(root);
  it('finds the fixture buffers', () => {
    expect(files.length).toBeGreaterThanOrEqual(17);
  });
  for (const path of files) {
    const rel = relative(root, path);
    it(`${rel}`, async () => {
      const bytes = new Uint8Array(await readFile(path));
      let a: DavisBuffer;
      try {
        a = await read(rel, bytes);
      } catch (e) {
        // only buffers the reader opens are round-tripped; say which ones it refused
        console.warn(`roundtrip: reader refuses ${rel}: ${(e as Error).message}`);
        return;
      }
      const input = bufferToWriteInput(a);
      for (const pack of ['raw', 'zlib'] as const) {
        const out = writeDavisBuffer(input.frames, { ...input.options, pack });
        const b = await read(rel.replace(/\.\w+$/, a.frames[0].kind === 'vector' ? '.vc7' : '.im7'), out);
        expect(b.header.packType).toBe(pack === 'zlib' ? 2 : 0);
        expectSameBuffer(a, b);
        if (pack === 'zlib') expect(b.warnings).toEqual([]);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// synthetic FieldData round trips
// ---------------------------------------------------------------------------------------------------

const mm = (slope: number, offset: number): Scale => ({ slope, offset, unit: 'mm', description: 'position' });
const ms: Scale = { slope: 1, offset: 0, unit: 'm/s', description: 'velocity' };

/** deterministic pseudo-random numbers */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function vectorField(nx: number, ny: number, nz: number, seed: number, threeC: boolean): FieldData {
  const n = nx * ny * nz;
  const r = lcg(seed);
  const u = new Float32Array(n).map(() => r() * 4 - 2);
  const v = new Float32Array(n).map(() => r() * 4 - 2);
  const w = threeC ? new Float32Array(n).map(() => r() - 0.5) : undefined;
  const mask = new Uint8Array(n).map(() => (r() < 0.2 ? 1 : 0));
  // as_masked_array: invalid vectors read back as 0
  for (let k = 0; k < n; k++) if (mask[k]) (u[k] = 0), (v[k] = 0), w && (w[k] = 0);
  const scales: FieldData['scales'] = { x: mm(0.75, -12.5), y: mm(-0.75, 30), i: ms };
  if (nz > 1) scales.z = mm(1.5, -3);
  return { kind: 'vector', shape: nz > 1 ? [nz, ny, nx] : [ny, nx], u, v, w, mask, scales };
}

describe('synthetic round trips: FieldData → writeIm7 / writeVc7 → reader', () => {
  for (const pack of ['raw', 'zlib'] as const) {
    it(`uint8, uint16 and float images, masks, scales, two frames, volume (${pack})`, async () => {
      const nx = 7;
      const ny = 5;
      const r = lcg(3);
      const u8: FieldData = {
        kind: 'scalar',
        shape: [ny, nx],
        values: new Uint8Array(nx * ny).map(() => Math.floor(r() * 256)),
        scales: { x: mm(0.1, 0), y: mm(-0.1, 2), i: { slope: 1, offset: 0, unit: 'counts', description: '' } },
      };
      for (const imageFormat of ['uint8', 'uint16'] as const) {
        const b = await read('u8.im7', writeIm7([u8], { pack, imageFormat }));
        expect(b.header.bufferFormat).toBe(imageFormat === 'uint8' ? -2 : -4);
        sameField(u8, b.fields.frame0, `uint8 as ${imageFormat}`);
      }
      // uint16 counts with an intensity scale: stored as counts, read back as the same physical values
      const counts = new Uint16Array(nx * ny).map(() => Math.floor(r() * 65536));
      const iScale: Scale = { slope: 0.25, offset: -100, unit: 'photons', description: 'intensity' };
      const phys: FieldData = {
        kind: 'scalar',
        shape: [ny, nx],
        values: Float32Array.from(counts, (c) => iScale.offset + c * iScale.slope),
        scales: { x: mm(0.1, 0), y: mm(0.1, 0), i: iScale },
      };
      const pb = await read('c.im7', writeIm7([phys], { pack }));
      expect(pb.header.bufferFormat).toBe(-4);
      sameArray(counts, pb.frames[0].components[0].data, 'stored counts');
      sameField(phys, pb.fields.frame0, 'uint16 with I scale');
      // float, masked, two frames with their own times, a 3-plane volume
      const nz = 3;
      const n = nx * ny * nz;
      const fl = (seed: number): FieldData => {
        const q = lcg(seed);
        return {
          kind: 'scalar',
          shape: [nz, ny, nx],
          values: new Float32Array(n).map(() => q() * 1e3 - 500),
          mask: new Uint8Array(n).map(() => (q() < 0.3 ? 1 : 0)),
          scales: { x: mm(0.5, -1), y: mm(-0.5, 1), z: mm(2, 10), i: { slope: 1, offset: 0, unit: 'K', description: 'temperature' } },
        };
      };
      const f0 = fl(1);
      const f1 = fl(2);
      const vb = await read(
        'vol.im7',
        writeIm7(
          [
            { ...f0, time: 0.5 },
            { ...f1, time: 0.75 },
          ],
          { pack },
        ),
      );
      expect(vb.header).toMatchObject({ nx, ny, nz, nf: 2, bufferFormat: -3 });
      sameField(f0, vb.fields.frame0, 'volume frame 0', 1e-12);
      sameField(f1, vb.fields.frame1, 'volume frame 1', 1e-12);
      expect(vb.frames[0].time).toBeCloseTo(0.5, 12);
      expect(vb.frames[1].time).toBeCloseTo(0.75, 12);
    });

    it(`2C and 3C vectors with masks, y flipped, grid 16, volume (${pack})`, async () => {
      const f2 = vectorField(9, 6, 1, 11, false);
      const b2 = await read('v2.vc7', writeVc7([{ ...f2, time: 0.001 }], { pack, grid: 16 }));
      expect(b2.header).toMatchObject({ bufferFormat: 2, vectorGrid: 16 });
      sameField(f2, b2.fields.frame0, '2C', 1e-12);
      expect(b2.frames[0].time).toBeCloseTo(0.001, 12);
      const f3 = vectorField(5, 4, 3, 12, true);
      const b3 = await read('v3.vc7', writeVc7([f3, vectorField(5, 4, 3, 13, true)], { pack, grid: 8 }));
      expect(b3.header).toMatchObject({ bufferFormat: 4, nz: 3, nf: 2, vectorGrid: 8 });
      sameField(f3, b3.fields.frame0, '3C volume', 1e-12);
      sameField(vectorField(5, 4, 3, 13, true), b3.fields.frame1, '3C volume frame 1', 1e-12);
      // the component fields carry the DaVis view: MASK 1 = valid, ENABLED all 1
      sameArray(
        Float32Array.from(f3.mask!, (m) => 1 - m),
        b3.fields['frame0/MASK'].values,
        'MASK component',
      );
    });
  }

  it('disabled vectors: choice header (extended formats) and isValid (simple format) give ENABLED', async () => {
    const nx = 4;
    const u = new Float32Array([1, 2, 3, 4]);
    const v = new Float32Array([5, 6, 7, 8]);
    const base = { nx, ny: 1, u, v, scales: { x: mm(1, 0), y: mm(1, 0), i: ms }, valid: new Uint8Array([1, 1, 1, 0]) };
    const ext = await read(
      'e.vc7',
      writeDavisBuffer(
        [
          {
            ...base,
            enabled: new Uint8Array([1, 0, 1, 1]),
            activeChoice: [0, 0, 3, 4],
            extraChoices: [
              { u, v },
              { u, v },
              { u: new Float32Array(4).fill(9), v },
            ],
          },
        ],
        { pack: 'zlib' },
      ),
    );
    expect(ext.header.bufferFormat).toBe(1);
    const c = (name: string) => ext.fields[`frame0/${name}`].values!;
    expect(Array.from(c('ENABLED'))).toEqual([1, 0, 1, 1]);
    expect(Array.from(c('ACTIVE_CHOICE'))).toEqual([0, 0, 3, 4]);
    expect(Array.from(ext.fields.frame0.mask!)).toEqual([0, 1, 0, 1]);
    expect(Array.from(ext.fields.frame0.u!)).toEqual([1, 0, 9, 0]);
    const simple = await read(
      's.vc7',
      writeDavisBuffer(
        [
          {
            ...base,
            typedScalars: [{ name: 'isValid', data: new Uint16Array([1, 0, 1, 1]), scale: { slope: 1, offset: 0, unit: '', description: 'isValid' } }],
          },
        ],
        { pack: 'raw' },
      ),
    );
    expect(simple.header.bufferFormat).toBe(2);
    expect(Array.from(simple.fields['frame0/ENABLED'].values!)).toEqual([1, 0, 1, 1]);
    expect(Array.from(simple.fields.frame0.mask!)).toEqual([0, 1, 0, 1]);
    expect(Object.keys(simple.fields)).not.toContain('frame0/TS:isValid');
  });

  it('typed scalars and extra scalar planes come back as TS: components in their own scale', async () => {
    const one = new Float32Array([1, 2, 3]);
    const unc: Scale = { slope: 0.5, offset: 0, unit: 'm/s', description: 'Uncertainty V' };
    const b = await read(
      't.vc7',
      writeDavisBuffer(
        [
          {
            nx: 3,
            ny: 1,
            u: one,
            v: one,
            typedScalars: [{ name: 'Uncertainty V', data: new Float32Array([0.1, 0.2, 0.3]), scale: unc }],
            scalars: [
              { name: 'Number of vectors', data: new Float32Array([27, 50, 73]), scale: { slope: 1, offset: 0, unit: 'n', description: 'number of vectors' } },
            ],
          },
        ],
        { pack: 'zlib' },
      ),
    );
    expect(b.header.scalarN).toBe(1);
    expect(b.frames[0].components.map((x) => x.name)).toEqual(['U0', 'V0', 'ACTIVE_CHOICE', 'ENABLED', 'TS:Number of vectors', 'TS:Uncertainty V']);
    sameArray(
      Float32Array.from([0.1, 0.2, 0.3], (x) => Math.fround(x) * 0.5),
      b.fields['frame0/TS:Uncertainty V'].values,
      'TS physical',
    );
    expect(b.fields['frame0/TS:Uncertainty V'].scales!.i).toEqual(unc);
    sameArray([27, 50, 73], b.fields['frame0/TS:Number of vectors'].values, 'scalar plane');
  });

  it('uint16 quantisation of a float image stays within half a step', async () => {
    const values = new Float32Array(100).map((_, k) => Math.sin(k / 7) * 3.3);
    const f: FieldData = { kind: 'scalar', shape: [10, 10], values };
    const b = await read('q.im7', writeIm7([f], { pack: 'zlib', field: { imageFormat: 'uint16' } }));
    expect(b.header.bufferFormat).toBe(-4);
    const step = b.frames[0].scales.i.slope;
    expect(step).toBeCloseTo(6.6 / 65535, 4);
    const got = b.fields.frame0.values!;
    let worst = 0;
    for (let k = 0; k < 100; k++) worst = Math.max(worst, Math.abs(got[k] - values[k]));
    expect(worst).toBeLessThanOrEqual(step / 2 + 1e-6);
  });
});
