/**
 * PIV text formats. Real data: excerpts of alexlib/pivpy's sample files (BSD-3, see data/SOURCES.md);
 * the facts asserted are pivpy's own test assertions (x[0] = 0.31248, u[0,0] = 0, Δt = 2000 µs,
 * frame numbers 2 and 5003 from names, 5-column OpenPIV gives x y u v) and sums computed from the
 * excerpts with numpy. PIVlab and Tecplot files are generated from their documented layouts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index';
import { FormatError, openDataset } from '../../src/formats/index';
import type { FieldData, SourceTree } from '../../src/formats/types';
import { numbersFromNames } from '../../src/formats/pivtext/open';
import { sourceTreeFromPath } from '../../src/io/node';
import { bytesSourceFile } from '../../src/io/slice-file';

const DATA = join(__dirname, 'data');
const textTree = (name: string, files: Record<string, string>): SourceTree => ({
  name,
  files: Object.entries(files).map(([p, t]) => bytesSourceFile(p, new TextEncoder().encode(t))),
});
const sumValid = (a: ArrayLike<number>, mask: Uint8Array) => Array.from(a).reduce((s, x, i) => (mask[i] ? s : s + x), 0);
const at = (f: FieldData, xs: number, ys: number) => ys * f.shape[1] + xs;

describe('TSI Insight .vec (Tecplot dialect, CHC flags)', () => {
  it('reads a folder of Insight files as a time series with units, CHC mask and aux data', async () => {
    const src = await openDataset(await sourceTreeFromPath(join(DATA, 'insight')));
    expect(src.format).toBe('pivtext');
    expect(src.metadata.dialect).toBe('tsi-vec');
    expect(src.frames.map((f) => f.number)).toEqual([1, 2]);
    expect(src.frames.every((f) => f.time === null)).toBe(true);
    expect(src.metadata.MicrosecondsPerDeltaT).toBe(2000);
    expect(src.metadata.LengthUnit).toBe('mm');
    const vel = src.fields.find((f) => f.name === 'velocity')!;
    expect(vel).toMatchObject({ kind: 'vector', shape: [3, 63], unit: 'm/s' });
    expect(src.fields.map((f) => f.name)).toContain('CHC');
    const fr = await src.readFrame(0);
    const v = fr.fields.velocity;
    expect(v.scales!.x.offset).toBeCloseTo(0.31248, 6);
    expect(v.scales!.x.slope).toBeCloseTo(0.31248, 5);
    expect(v.scales!.x.unit).toBe('mm');
    // rows run upward: row 0 is the lowest y (-0.93744), the file's first line is the last row
    expect(v.scales!.y.offset).toBeCloseTo(-0.93744, 6);
    expect(v.u![at(v, 0, 2)]).toBe(0);
    expect(v.u![at(v, 13, 2)]).toBeCloseTo(0.009765, 6);
    expect(v.v![at(v, 13, 2)]).toBeCloseTo(-0.000033, 6);
    expect(v.mask!.reduce((a, b) => a + b, 0)).toBe(65);
    expect(sumValid(v.u!, v.mask!)).toBeCloseTo(-0.729163, 5);
  });

  it('a single file takes its number from the name (pivpy: Run000002 → 2)', async () => {
    const src = await openDataset(await sourceTreeFromPath(join(DATA, 'insight', 'Run000002.T000.D000.P000.H001.L.vec')));
    expect(src.frames.map((f) => f.number)).toEqual([2]);
    expect(numbersFromNames(['day2a005003.T000.D000.P003.H001.L.vec'])).toEqual([5003]);
    expect(numbersFromNames(['a/exp1_001_b.txt'])).toEqual([1]);
  });

  it('a ZONE whose I×J disagrees with the data is a FormatError naming the file', async () => {
    const { readFileSync } = await import('node:fs');
    const t = readFileSync(join(DATA, 'insight', 'Run000001.T000.D000.P000.H001.L.vec'), 'utf8').replace('J=3', 'J=4');
    await expect(openDataset(textTree('x', { 'Run000001.vec': t }))).rejects.toThrow(
      /Run000001\.vec: ZONE declares 252 points \(I=63, J=4\), the data holds 189/,
    );
  });
});

describe('DaVis text export (#DaVis … 2D-vector, decimal commas)', () => {
  it('reads B00001.txt/B00002.txt as two frames with positions and units from the header', async () => {
    const src = await openDataset(await sourceTreeFromPath(join(DATA, 'davis-txt')));
    expect(src.metadata).toMatchObject({ dialect: 'davis-txt', davisVersion: '8.1.6', gridSpacing: 32 });
    expect(src.frames.map((f) => f.number)).toEqual([1, 2]);
    const fr = await src.readFrame(0);
    const v = fr.fields.velocity;
    expect(v.shape).toEqual([3, 64]);
    expect(v.scales!.x).toMatchObject({ unit: 'mm' });
    expect(v.scales!.x.offset).toBeCloseTo(-14.9635, 6);
    expect(v.scales!.x.slope).toBeCloseTo(0.62105, 3);
    expect(src.fields[0].unit).toBe('m/s');
    expect(v.scales!.y.offset).toBeCloseTo(11.9165, 6);
    // the first data line (x 8,63653 y 13,1586 → row 2) of the excerpt's first valid vectors
    const i = at(v, Math.round((8.63653 + 14.9635) / 0.62105), 2);
    expect(v.u![i]).toBeCloseTo(-1.17893, 5);
    expect(v.v![i]).toBeCloseTo(-0.522322, 5);
    expect(v.u!.reduce((a, b) => a + b, 0)).toBeCloseTo(-139.094545, 3);
  });

  it('a line that is not numbers is a FormatError with its line number', async () => {
    const t = '#DaVis 8.1.2 2D-vector 8 2 1 "" "mm" "" "mm" "velocity" "m/s"\n1,0\t2,0\t3,0\t4,0\noops\n';
    await expect(openDataset(textTree('d', { 'B00001.txt': t }))).rejects.toThrow(/B00001\.txt: line 3: expected 4 numbers/);
  });
});

describe('OpenPIV text', () => {
  it('old 5-column output (x y u v s2n) reads as velocity plus a s2n scalar', async () => {
    const src = await openDataset(await sourceTreeFromPath(join(DATA, 'openpiv', 'exp1_001_b.txt')));
    expect(src.metadata.dialect).toBe('openpiv');
    expect(src.frames[0].number).toBe(1);
    expect(src.fields.map((f) => f.name)).toEqual(['velocity', 's2n']);
    const fr = await src.readFrame(0);
    expect(fr.fields.velocity.shape).toEqual([2, 30]);
    expect(fr.fields.velocity.scales!.x).toMatchObject({ slope: 16, offset: 16 });
    expect(fr.fields.velocity.u![0]).toBeCloseTo(-0.266, 6);
    const s2n = fr.fields.s2n.values as Float64Array;
    expect(s2n.reduce((a, b) => a + b, 0) / 60).toBeCloseTo(57.42007, 5);
    expect(fr.fields.velocity.mask!.every((m) => m === 0)).toBe(true);
  });

  it('`# x y u v flags mask` output: invalid where flags or mask are set', async () => {
    const src = await openDataset(await sourceTreeFromPath(join(DATA, 'openpiv', 'interTest.txt')));
    const fr = await src.readFrame(0);
    const v = fr.fields.velocity;
    expect(v.shape).toEqual([3, 40]);
    expect(v.mask!.reduce((a, b) => a + b, 0)).toBe(66);
    for (let i = 0; i < v.u!.length; i++) if (Number.isNaN(v.u![i])) expect(v.mask![i]).toBe(1);
  });
});

describe('PIVlab ASCII export', () => {
  const file = (frame: number, sep: string) =>
    [
      'PIVlab by W.Th. & E.J.S., ASCII chart output - 01-Dec-2026',
      `FRAME: ${frame}, filenames: A_${frame}.tif & B_${frame}.tif, conversion factor xy (px -> m): 0.0001, conversion factor uv (px/frame -> m/s): 0.05`,
      ['x [m]', 'y [m]', 'u [m/s]', 'v [m/s]', 'Vector type [-]', 'vorticity [1/s]'].join(sep),
      ...[0, 1].flatMap((j) =>
        [0, 1, 2].map((i) => {
          const bad = i === 1 && j === 0;
          const masked = i === 2 && j === 1;
          const u = bad || masked ? 'NaN' : String(0.1 * i + frame);
          return [0.0016 * (i + 1), 0.0016 * (j + 1), u, bad || masked ? 'NaN' : String(-0.2 * j), masked ? 0 : bad ? 1 : 2, 0.5 * i].join(sep);
        }),
      ),
    ].join('\n') + '\n';
  it('reads header info, units, NaN and Vector type 0 as masked, extra columns as scalars', async () => {
    const src = await openDataset(textTree('pl', { 'PIVlab_0007.txt': file(7, ',') }));
    expect(src.metadata).toMatchObject({ dialect: 'pivlab', conversionFactorXY: 0.0001, conversionFactorUV: 0.05 });
    expect(src.frames[0].number).toBe(7);
    expect(src.fields.map((f) => [f.name, f.unit])).toEqual([
      ['velocity', 'm/s'],
      ['Vector type', ''],
      ['vorticity', '1/s'],
    ]);
    const fr = await src.readFrame(0);
    const v = fr.fields.velocity;
    expect(v.shape).toEqual([2, 3]);
    expect(v.scales!.x.unit).toBe('m');
    expect(Array.from(v.mask!)).toEqual([0, 1, 0, 0, 0, 1]);
    expect(v.u![0]).toBeCloseTo(7, 6);
    expect(v.u![2]).toBeCloseTo(7.2, 6);
    expect(Array.from(fr.fields.vorticity.values as Float64Array)).toEqual([0, 0.5, 1, 0, 0.5, 1]);
  });
  it('tab-delimited files in a folder are a time series numbered by name', async () => {
    const src = await openDataset(
      textTree('pl', { 'PIVlab_0002.txt': file(2, '\t'), 'PIVlab_0001.txt': file(1, '\t'), 'readme.txt': 'notes about the run\n' }),
    );
    expect(src.frames.map((f) => f.number)).toEqual([1, 2]);
    expect((await src.readFrame(1)).fields.velocity.u![0]).toBeCloseTo(2, 6);
    expect(src.metadata.ignoredFiles).toEqual(['readme.txt']);
  });
  it('a PIVlab file without its column header is a FormatError', async () => {
    const t = 'PIVlab by W.Th. & E.J.S., ASCII chart output - x\nFRAME: 1, filenames: a & b\n1,2,3,4\n';
    await expect(openDataset(textTree('pl', { 'p.txt': t }))).rejects.toThrow(/p\.txt: line 3: expected a header like/);
  });
});

describe('Tecplot ASCII .dat', () => {
  it('POINT zones with a valid flag, units from the variable names', async () => {
    const rows = [];
    for (let j = 0; j < 2; j++) for (let i = 0; i < 3; i++) rows.push(`${i * 0.5} ${j * 0.25} ${i + j} ${-i} ${i === 2 && j === 1 ? 0 : 1}`);
    const t = `TITLE = "test"\nVARIABLES = "X [mm]", "Y [mm]", "U [m/s]", "V [m/s]", "valid"\nZONE T="frame", I=3, J=2, F=POINT\n${rows.join('\n')}\n`;
    const src = await openDataset(textTree('t', { 'flow.dat': t }));
    expect(src.metadata).toMatchObject({ dialect: 'tecplot', title: 'test' });
    const v = (await src.readFrame(0)).fields.velocity;
    expect(v.shape).toEqual([2, 3]);
    expect(v.scales!.x).toMatchObject({ slope: 0.5, offset: 0, unit: 'mm' });
    expect(src.fields[0].unit).toBe('m/s');
    expect(Array.from(v.u!)).toEqual([0, 1, 2, 1, 2, 3]);
    expect(Array.from(v.mask!)).toEqual([0, 0, 0, 0, 0, 1]);
  });
  it('BLOCK zones (all X, then all Y, …)', async () => {
    const X = [0, 1, 0, 1];
    const Y = [0, 0, 1, 1];
    const U = [1, 2, 3, 4];
    const V = [5, 6, 7, 8];
    const t = `VARIABLES = "X" "Y" "U" "V"\nZONE I=2, J=2, DATAPACKING=BLOCK\n${[X, Y, U, V].map((a) => a.join(' ')).join('\n')}\n`;
    const v = (await (await openDataset(textTree('t', { 'b.dat': t }))).readFrame(0)).fields.velocity;
    expect(Array.from(v.u!)).toEqual(U);
    expect(Array.from(v.v!)).toEqual(V);
  });
  it('scattered points that form no grid are refused, naming the file', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${Math.sin(i) * 10} ${Math.cos(i * 1.7) * 10} 1 1`).join('\n');
    const t = `VARIABLES = "X", "Y", "U", "V"\nZONE I=50, F=POINT\n${rows}\n`;
    await expect(openDataset(textTree('t', { 's.dat': t }))).rejects.toThrow(FormatError);
    await expect(openDataset(textTree('t', { 's.dat': t }))).rejects.toThrow(/s\.dat: 50 vectors at 50 distinct x .*not a grid/);
  });
});

describe('PIV text → zarr → framescope', () => {
  it('the TSI series converts and opens back with the same vectors and masks', async () => {
    const src = await openDataset(await sourceTreeFromPath(join(DATA, 'insight')));
    const files = await exportDataset(src, { target: 'zarr', fields: ['velocity'] });
    const back = await openDataset({ name: files[0].path, files: [bytesSourceFile(files[0].path, files[0].bytes)] });
    expect(back.frames.map((f) => f.number)).toEqual([1, 2]);
    const a = (await src.readFrame(1)).fields.velocity;
    const b = (await back.readFrame(1)).fields.velocity;
    expect(Array.from(b.mask!)).toEqual(Array.from(a.mask!));
    expect(Array.from(b.u!)).toEqual(Array.from(a.u!));
    expect(b.scales!.x.unit).toBe('mm');
  });
});
