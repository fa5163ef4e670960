/**
 * imgstore bad input: unrecoverable damage → FormatError naming the file (and offset where it
 * means something); recoverable damage → the store opens and `warnings` names the bad part.
 */
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/formats/errors';
import { open } from '../../src/formats/imgstore/open';
import { sniff } from '../../src/formats/imgstore/sniff';
import { bytesSourceFile } from '../../src/io/slice-file';
import { describeFixtures } from '../fixtures';
import { cleanupCopies, copyStore, flipBytes, treeAt, truncateFile } from './damage';

async function formatError(p: Promise<unknown>): Promise<FormatError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError, nothing was thrown');
}

const yamlTree = (text: string) => ({ name: 'store', files: [bytesSourceFile('metadata.yaml', new TextEncoder().encode(text))] });

describe('imgstore metadata.yaml errors', () => {
  it('no metadata.yaml: not sniffed, open names the tree', async () => {
    const tree = { name: 'somefolder', files: [bytesSourceFile('000000.npz', new Uint8Array(30))] };
    expect(await sniff(tree)).toBe(0);
    const e = await formatError(open(tree));
    expect(e.path).toBe('somefolder');
    expect(e.reason).toMatch(/metadata\.yaml/);
  });

  it('garbled YAML → FormatError naming metadata.yaml', async () => {
    const e = await formatError(open(yamlTree('__store:\n  class: [DirectoryImgStore\n  format: "png\n')));
    expect(e.path).toBe('metadata.yaml');
    expect(e.reason).toMatch(/YAML/);
  });

  it('YAML without a __store block → not sniffed; open says what was expected', async () => {
    const t = yamlTree('genotype: wt\nanimal: 3\n');
    expect(await sniff(t)).toBe(0);
    const e = await formatError(open(t));
    expect(e.reason).toMatch(/__store/);
  });

  it('unknown class and unsupported version are rejected', async () => {
    const base = (cls: string, ver: number) => `__store:\n  class: ${cls}\n  format: png\n  version: ${ver}\n  chunksize: 20\n  imgshape: [48, 64]\n`;
    expect((await formatError(open(yamlTree(base('FancyImgStore', 2))))).reason).toMatch(/unknown store class 'FancyImgStore'/);
    expect((await formatError(open(yamlTree(base('DirectoryImgStore', 3))))).reason).toMatch(/version 3/);
  });

  it('a store with no chunks at all opens empty (imgstore: frame_count 0, NaN frame_min)', async () => {
    const s = await open(yamlTree('__store:\n  class: DirectoryImgStore\n  format: png\n  version: 2\n  chunksize: 20\n  imgshape: [48, 64]\n'));
    expect(s.frames).toEqual([]);
    expect(s.metadata.frame_min).toBeNaN();
    expect(s.nearestIndex(5)).toBe(-1);
  });
});

describeFixtures('imgstore damaged stores', () => {
  afterAll(cleanupCopies);

  it('truncated index npz of the only non-empty chunk set → FormatError naming the npz', async () => {
    const d = copyStore('dir_png_gray');
    truncateFile(join(d, '000000/index.npz'), 1000);
    truncateFile(join(d, '000001/index.npz'), 10);
    rmSync(join(d, '000002'), { recursive: true });
    const e = await formatError(open(await treeAt(d)));
    expect(e.path).toMatch(/^00000[01]\/index\.npz$/);
    expect(e.format).toBe('npz');
  });

  it('one truncated index npz among several → opens, chunk skipped with a warning naming the file', async () => {
    const d = copyStore('dir_npy_color');
    truncateFile(join(d, '000001/index.npz'), 500);
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(30);
    expect(s.frames[20].number).toBe(1043);
    expect(s.warnings.join('\n')).toMatch(/000001\/index\.npz/);
    expect(s.warnings.join('\n')).toMatch(/chunk skipped/);
  });

  it('index npz without frame_time → warning naming the member', async () => {
    const d = copyStore('video_mjpeg_avi_color');
    // replace chunk 2's index by a zip whose members are not frame_number/frame_time
    const { encodeNpz } = await import('../../src/codecs/npz');
    const { encodeNpy } = await import('../../src/codecs/npy');
    writeFileSync(join(d, '000002.npz'), encodeNpz({ frame_number: encodeNpy({ data: new Float64Array([1, 2]), shape: [2] }) }, { compress: false }));
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(40);
    expect(s.warnings.join('\n')).toMatch(/000002\.npz.*frame_time/);
  });

  it('corrupted npz (central directory garbage) → warning with file and offset', async () => {
    const d = copyStore('dir_npy_color');
    const p = join(d, '000002/index.npz');
    const size = readFileSync(p).length;
    flipBytes(p, size - 22, 22);
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(40);
    expect(s.warnings.some((w) => w.includes('000002/index.npz'))).toBe(true);
  });

  it('truncated / corrupted image files → FormatError naming the frame file on read; other frames fine', async () => {
    const d = copyStore('dir_png_gray');
    truncateFile(join(d, '000000/000003.png'), 100);
    flipBytes(join(d, '000000/000004.png'), 60, 40);
    writeFileSync(join(d, '000000/000005.png'), new Uint8Array(0));
    const s = await open(await treeAt(d));
    // the store opens with a warning for what can be seen without decoding (an empty frame file)
    expect(s.warnings).toEqual(['chunk 000000/: 1 image file(s) are empty (000005.png): those frames cannot be shown']);
    const e3 = await formatError(s.readFrame(3));
    expect(e3.path).toBe('000000/000003.png');
    expect(e3.offset).toBeTypeOf('number');
    const e4 = await formatError(s.readFrame(4));
    expect(e4.path).toBe('000000/000004.png');
    expect(e4.reason).toMatch(/CRC|zlib|filter/);
    const e5 = await formatError(s.readFrame(5));
    expect(e5.path).toBe('000000/000005.png');
    expect((await s.readFrame(6)).info.number).toBe(1006);
    // each damaged frame found while reading is added to the live warning list, in words
    expect(s.warnings.slice(1, 3)).toEqual([
      `chunk 000000/: frame file 000003.png is damaged (${e3.reason}); that frame cannot be shown`,
      `chunk 000000/: frame file 000004.png is damaged (${e4.reason}); that frame cannot be shown`,
    ]);
    expect(e3.reason).toMatch(/^the file ends at byte 100 but chunk IDAT needs [\d,]+ bytes from byte 33 \(to byte [\d,]+\): the file is truncated$/);
  });

  it('corrupted npy frame → FormatError naming the file', async () => {
    const d = copyStore('dir_npy_color');
    truncateFile(join(d, '000001/000002.npy'), 200);
    const s = await open(await treeAt(d));
    const e = await formatError(s.readFrame(22));
    expect(e.path).toBe('000001/000002.npy');
  });

  it('missing image files: warning at open, FormatError naming the missing file on read', async () => {
    const d = copyStore('dir_png_gray');
    for (let r = 15; r < 20; r++) unlinkSync(join(d, `000001/0000${r}.png`));
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(40);
    expect(s.warnings.join('\n')).toMatch(/000001\/: 5 of 20 indexed image file\(s\) missing/);
    const e = await formatError(s.readFrame(36));
    expect(e.path).toBe('000001/000016.png');
    expect((await s.readFrame(34)).info.number).toBe(1036);
  });

  it('broken extra-data files → the store opens; the file is named in a warning', async () => {
    const d = copyStore('video_mjpeg_avi_motif_style_extra_SYNTHETIC');
    truncateFile(join(d, '000000.extra_data.h5'), 700);
    writeFileSync(join(d, '000001.extra_data.json'), '{"not": "an array"');
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(30);
    const w = s.warnings.join('\n');
    expect(w).toMatch(/000000\.extra_data\.h5/);
    expect(w).toMatch(/000001\.extra_data\.json/);
    expect(s.metadata.extra_data).toBeNull();
  });

  it('metadata.yaml that is not UTF-8 → FormatError', async () => {
    const d = copyStore('dir_png_gray');
    writeFileSync(join(d, 'metadata.yaml'), new Uint8Array([0x5f, 0x5f, 0x73, 0xff, 0xfe, 0x00]));
    const e = await formatError(open(await treeAt(d)));
    expect(e.path).toBe('metadata.yaml');
  });
});
