/**
 * Where imgstore itself fails (formats/imgstore.md §9, §13) the reader degrades gracefully:
 * empty/truncated trailing chunks, missing middle chunks, stray files and folders, unfinished
 * extra-data JSON, missing indexes, the legacy YAML index.
 */
import { readFileSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { ExtraTable } from '../../src/formats/imgstore/extra-data';
import { open } from '../../src/formats/imgstore/open';
import { describeFixtures } from '../fixtures';
import { barcodeOf, expectedOf, extraRecords } from './oracle';
import { cleanupCopies, copyStore, treeAt, truncateFile } from './damage';

describeFixtures('imgstore robustness', () => {
  afterAll(cleanupCopies);

  it('empty trailing chunk (exact multiple of chunksize) is skipped silently', async () => {
    const s = await open(await treeAt(copyStore('dir_png_gray')));
    expect(s.frames.length).toBe(40);
    expect(s.metadata.empty_chunks).toEqual([2]);
    expect(s.metadata.chunks).toEqual([0, 1]);
    expect(s.warnings).toEqual([]);
  });

  it('missing middle chunk (DirectoryImgStore): later chunks still read, gap reported', async () => {
    const d = copyStore('dir_npy_color');
    rmSync(join(d, '000001'), { recursive: true });
    const s = await open(await treeAt(d));
    const ex = expectedOf('dir_npy_color');
    const want = [...ex.chunk_frame_numbers['0'], ...ex.chunk_frame_numbers['2']];
    expect(s.frames.map((f) => f.number)).toEqual(want);
    expect(s.warnings.join('\n')).toMatch(/missing chunk\(s\) 000001/);
    const f = await s.readFrame(25);
    expect(f.info.number).toBe(want[25]);
    expect(barcodeOf(f.fields.image)).toBe(want[25]);
    expect(f.attributes.chunk).toBe(2);
    expect(f.attributes.row).toBe(5);
    // nearest time inside the hole → the closer neighbour
    expect(s.frames[s.nearestIndex(1710498031.4)].number).toBe(1021);
    expect(s.frames[s.nearestIndex(1710498032.0)].number).toBe(1043);
    // the extra data of the missing chunk is gone too, the rest is there
    expect((s.metadata.extra_data as ExtraTable).rowCount).toBe(4);
  });

  it('missing middle chunk (VideoImgStore): index from the other npz files', async () => {
    const d = copyStore('video_mjpeg_avi_color');
    for (const f of ['000001.avi', '000001.npz', '000001.extra.json']) unlinkSync(join(d, f));
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(30);
    expect(s.frames[20].number).toBe(1043);
    expect(s.warnings.join('\n')).toMatch(/missing chunk\(s\) 000001/);
  });

  it('video chunk missing but its index present: frames listed, warning names the video', async () => {
    const d = copyStore('video_avc1_mp4_gray');
    unlinkSync(join(d, '000000.mp4'));
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(50);
    expect(s.warnings.join('\n')).toMatch(/000000\.mp4 is missing/);
  });

  it('stray folders and files are ignored (imgstore fails on them) and reported', async () => {
    const d = copyStore('dir_png_gray');
    mkdirSync(join(d, 'analysis'));
    writeFileSync(join(d, 'analysis', 'notes.txt'), 'hello');
    writeFileSync(join(d, 'README.txt'), 'hello');
    writeFileSync(join(d, '000000', 'thumbs.db'), 'x');
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(40);
    expect(s.warnings.join('\n')).toMatch(/non-chunk folder.*analysis/);

    const v = copyStore('video_mjpeg_avi_color');
    writeFileSync(join(v, 'export.avi'), 'x');
    const sv = await open(await treeAt(v));
    expect(sv.frames.length).toBe(50);
    expect(sv.warnings.join('\n')).toMatch(/export\.avi/);
  });

  it('extra-data JSON with bare NaN and without its closing bracket (unfinished recording)', async () => {
    const d = copyStore('dir_npy_color');
    const p = join(d, '000002/index.extra.json');
    const text = readFileSync(p, 'utf8');
    expect(text.trimEnd().endsWith(']')).toBe(true);
    writeFileSync(p, text.trimEnd().slice(0, -1));
    // chunk 0 has bare NaN tokens already (a record added before the first frame)
    expect(readFileSync(join(d, '000000/index.extra.json'), 'utf8')).toMatch(/NaN/);
    const s = await open(await treeAt(d));
    const t = s.metadata.extra_data as ExtraTable;
    expect(extraRecords(t)).toEqual(expectedOf('dir_npy_color').get_extra_data.records);
    expect(s.warnings.join('\n')).toMatch(/000002\/index\.extra\.json: closing \] missing/);
  });

  it('extra-data JSON cut inside a record keeps the complete records', async () => {
    const d = copyStore('video_h264_mkv_color');
    const p = join(d, '000001.extra.json');
    const text = readFileSync(p, 'utf8');
    writeFileSync(p, text.slice(0, text.indexOf('"temperature": 28.25') + 10));
    const s = await open(await treeAt(d));
    const t = s.metadata.extra_data as ExtraTable;
    expect(t.rowCount).toBe(5); // 2 from chunk 0 + 3 complete ones from chunk 1
    expect(s.warnings.join('\n')).toMatch(/000001\.extra\.json: file ends inside a record/);
  });

  it('last chunk without index (crash while writing) and .lock → skipped and reported', async () => {
    const d = copyStore('dir_npy_color');
    unlinkSync(join(d, '000002/index.npz'));
    writeFileSync(join(d, '.lock'), '');
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(40);
    const w = s.warnings.join('\n');
    expect(w).toMatch(/\.lock present/);
    expect(w).toMatch(/chunk 000002\/: no index file \(index\.npz\), 10 image\(s\) skipped/);
  });

  it('legacy YAML chunk index is read when there is no npz', async () => {
    const d = copyStore('video_mjpeg_avi_color');
    const ex = expectedOf('video_mjpeg_avi_color');
    unlinkSync(join(d, '000000.npz'));
    const fn = ex.chunk_frame_numbers['0'] as number[];
    const ft = ex.frame_metadata.frame_time.slice(0, 20) as number[];
    writeFileSync(join(d, '000000.yaml'), `frame_number: [${fn.join(', ')}]\nframe_time:\n${ft.map((t) => `- ${t}`).join('\n')}\n`);
    const s = await open(await treeAt(d));
    expect(s.frames.map((f) => f.time)).toEqual(ex.frame_metadata.frame_time);
    expect(s.frames.map((f) => f.number)).toEqual(ex.frame_metadata.frame_number);
  });

  it('metadata extension disagreeing with the chunk files: uses what is there, with a warning', async () => {
    const d = copyStore('video_mjpeg_avi_color');
    const y = readFileSync(join(d, 'metadata.yaml'), 'utf8').replace('extension: .avi', 'extension: .mp4');
    writeFileSync(join(d, 'metadata.yaml'), y);
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(50);
    expect(s.warnings.join('\n')).toMatch(/'\.avi' chunks/);
  });

  it('a store dropped inside a parent folder is found one level down', async () => {
    const d = copyStore('dir_png_gray');
    const parent = join(d, '..');
    const s = await open(await treeAt(parent));
    expect(s.frames.length).toBe(40);
    expect(s.name).toBe('dir_png_gray');
    const f = await s.readFrame(0);
    expect(f.attributes.file).toBe('dir_png_gray/000000/000000.png');
  });

  it('a damaged trailing chunk (truncated index.npz) opens with a warning that says what is missing', async () => {
    const d = copyStore('dir_png_gray');
    const idx = join(d, '000001/index.npz');
    const size = readFileSync(idx).length;
    truncateFile(idx, size - 100);
    const s = await open(await treeAt(d));
    expect(s.frames.length).toBe(20);
    expect(s.warnings.join('\n')).toMatch(
      new RegExp(
        `^chunk 000001/: index unreadable, chunk skipped: 000001/index\\.npz @\\d+: the file ends at byte ${(size - 100).toLocaleString('en-US')} without a ZIP end record`,
        'm',
      ),
    );
    expect((await s.readFrame(19)).info.index).toBe(19);
  });

  it('a damaged image in the trailing chunk: the store opens, that frame fails in words and is listed in the warnings', async () => {
    const d = copyStore('dir_npy_color');
    truncateFile(join(d, '000001/000003.npy'), 2000);
    const s = await open(await treeAt(d));
    const i = s.indexOfNumber(s.table.numbers[0]) + 20 + 3; // chunk 1, row 3 (chunksize 20)
    const err = await s.readFrame(i).catch((e) => e);
    expect(err.name).toBe('FormatError');
    expect(err.reason).toMatch(
      /^shape \(\d+, \d+, 3\) of \|u1 needs \d+ bytes, only 1872 present: the array data ends at byte 2,000 but needs bytes up to [\d,]+ \(the file is truncated/,
    );
    expect(
      s.warnings.some((w) => w.startsWith('chunk 000001/: frame file 000003.npy is damaged (shape') && w.includes('the array data ends at byte 2,000')),
    ).toBe(true);
    expect((await s.readFrame(i + 1)).fields.image.shape.length).toBe(3);
  });
});
