import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { FormatError } from '../../src/formats/errors';
import { readAviIndex } from '../../src/video/avi-index';
import { bytesSourceFile } from '../../src/io/slice-file';
import { describeFixtures, fixture } from '../fixtures';

describeFixtures('MJPEG AVI frame index (imgstore mjpeg/avi chunks)', () => {
  const bytes = readFileSync(fixture('imgstore', 'video_mjpeg_avi_color', '000000.avi'));
  const isJpeg = (b: Uint8Array, off: number, len: number) => b[off] === 0xff && b[off + 1] === 0xd8 && b[off + len - 2] === 0xff && b[off + len - 1] === 0xd9;

  it('idx1 gives one JPEG per indexed frame', async () => {
    const idx = await readAviIndex(bytesSourceFile('000000.avi', bytes));
    expect(idx!.offsets.length).toBe(20);
    idx!.offsets.forEach((o, i) => expect(isJpeg(bytes, o, idx!.sizes[i])).toBe(true));
    // frames are in file order and do not overlap
    for (let i = 1; i < 20; i++) expect(idx!.offsets[i]).toBeGreaterThanOrEqual(idx!.offsets[i - 1] + idx!.sizes[i - 1]);
  });

  it('without idx1 (truncated file) the movi list is walked; a cut-off last frame is not counted', async () => {
    const full = (await readAviIndex(bytesSourceFile('a.avi', bytes)))!;
    const cut = bytes.subarray(0, full.offsets[12] + 100);
    const idx = (await readAviIndex(bytesSourceFile('a.avi', cut)))!;
    expect(idx.offsets).toEqual(full.offsets.slice(0, 12));
    expect(idx.sizes).toEqual(full.sizes.slice(0, 12));
  });

  it('not an AVI → null; AVI without movi → FormatError naming the file', async () => {
    expect(await readAviIndex(bytesSourceFile('x.mp4', new Uint8Array(64)))).toBeNull();
    await expect(readAviIndex(bytesSourceFile('store/000003.avi', bytes.subarray(0, 200)))).rejects.toThrow(FormatError);
    await expect(readAviIndex(bytesSourceFile('store/000003.avi', bytes.subarray(0, 200)))).rejects.toThrow(/store\/000003\.avi/);
  });
});
