/** Damaged PIV text files: FormatErrors naming the file and the line or count that was wrong. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, openDataset } from '../../src/formats/index';
import { open } from '../../src/formats/pivtext/open';
import type { SourceTree } from '../../src/formats/types';
import { bytesSourceFile } from '../../src/io/slice-file';

const DATA = join(__dirname, 'data');
const tree = (files: Record<string, string | Uint8Array>): SourceTree => ({
  name: 't',
  files: Object.entries(files).map(([p, t]) => bytesSourceFile(p, typeof t === 'string' ? new TextEncoder().encode(t) : t)),
});
async function formatError(p: Promise<unknown>): Promise<FormatError> {
  const e = await p.then(
    () => null,
    (x) => x,
  );
  expect(e).toBeInstanceOf(FormatError);
  return e as FormatError;
}

describe('pivtext reader: bad input', () => {
  it('a TSI file cut in the middle of a line', async () => {
    const t = readFileSync(join(DATA, 'insight', 'Run000001.T000.D000.P000.H001.L.vec'), 'utf8');
    const cut = t.slice(0, t.length - 30);
    const e = await formatError(openDataset(tree({ 'Run000001.vec': cut })));
    expect(e.path).toBe('Run000001.vec');
    expect(e.reason).toMatch(/values for 5 variables|ZONE declares 189 points/);
  });

  it('a DaVis header without vectors, and a short row', async () => {
    const h = '#DaVis 8.1.2 2D-vector 8 2 1 "" "mm" "" "mm" "velocity" "m/s"\n';
    expect((await formatError(openDataset(tree({ 'B00001.txt': h })))).reason).toMatch(/no vectors after the #DaVis header/);
    expect((await formatError(openDataset(tree({ 'B00001.txt': `${h}1\t2\t3\n` })))).reason).toMatch(/line 2: expected 4 numbers, got 3/);
  });

  it('an OpenPIV row of the wrong width, and an OpenPIV-like header without u and v', async () => {
    const e = await formatError(open(tree({ 'a.txt': '# x\ty\tu\tv\tflags\tmask\n1 2 3 4 0 0\n1 2 3\n' })));
    expect(e.path).toBe('a.txt');
    expect(e.reason).toMatch(/line 3: expected 6 numbers, got 3/);
    // not sniffed as OpenPIV at all
    expect((await formatError(open(tree({ 'a.txt': '# x y u q\n1 2 3 4\n' })))).reason).toMatch(/no PIV text file/);
  });

  it('a Tecplot file without a ZONE, or without U/V variables', async () => {
    expect((await formatError(open(tree({ 'a.dat': 'TITLE = "t"\nVARIABLES = "X" "Y" "U" "V"\n1 2 3 4\n' })))).reason).toMatch(/without a ZONE record/);
    expect((await formatError(open(tree({ 'a.dat': 'VARIABLES = "X" "Y" "P"\nZONE I=1\n1 2 3\n' })))).reason).toMatch(/need X, Y, U and V/);
  });

  it('binary data and prose are not PIV text', async () => {
    await expect(openDataset(tree({ 'x.vec': new Uint8Array([0x44, 0x41, 0, 1, 2, 3, 250, 251]) }))).rejects.toThrow(/not a recognised dataset/);
    const e = await formatError(open(tree({ 'notes.txt': 'the run went well\nsecond line\n' })));
    expect(e.reason).toMatch(/no PIV text file/);
  });

  it('a later file of a series with other columns fails on its frame, naming it', async () => {
    const a = '# x y u v flags mask\n0 0 1 1 0 0\n1 0 1 1 0 0\n';
    const b = '# x y u v\n0 0 1 1\n1 0 1 1\n';
    const s = await openDataset(tree({ 'f_001.txt': a, 'f_002.txt': b }));
    expect(s.frames.length).toBe(2);
    const e = await formatError(s.readFrame(1));
    expect(e.path).toBe('f_002.txt');
    expect(e.reason).toMatch(/columns \(velocity\) differ from the first file's \(velocity, flags, mask\)/);
  });
});
