/**
 * The probe's index step (src/video/probe.ts, pure TS parts; ffprobe itself runs in the browser
 * suites): which container gives which frame table, the declared frame count, the warnings when a
 * file falls back to the packet scan, the merge with ffprobe's header-only output, and — with
 * native ffprobe — that the header-only ffprobe command reads a small part of a large file.
 */
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/formats/types';
import { bytesSourceFile } from '../../src/io/slice-file';
import { sourceTreeFromPath } from '../../src/io/node';
import { HEADER_ENTRIES, indexPackets, PACKET_ENTRIES, parseRaw, withKnownPackets, type RawProbe } from '../../src/video/probe';
import { describeFixtures, fixture } from '../fixtures';
import { buildAvi } from './build-avi';
import { buildMkv } from './build-mkv';
import { ffmpeg, ffprobeBytesRead, ffprobePackets, HAS_FFMPEG, HAS_FFPROBE, NO_FFMPEG, NO_FFPROBE, tempDir } from './native';

const nodeFile = async (p: string): Promise<SourceFile> => (await sourceTreeFromPath(p)).files[0];

describeFixtures('indexPackets on the fixtures', () => {
  it('py-pde AVI: idx1 table in 1/25 s, declared 20, no warning', async () => {
    const r = await indexPackets(await nodeFile(fixture('pypde', 'scalar2d_8bit.avi')), 'pypde');
    expect(r.warnings).toEqual([]);
    expect(r.known!.source).toBe('avi idx1');
    expect(r.known!.timeBase).toEqual([1, 25]);
    expect(r.known!.packets.map((p) => p.pts)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(r.known!.packets.filter((p) => p.key).length).toBe(2);
    expect(r.known!.declaredFrameCount).toBe(20);
  });

  it('py-pde MKV: block-header table in 1/1000 s; the declared count is left to ffprobe (DURATION tag)', async () => {
    const r = await indexPackets(await nodeFile(fixture('pypde', 'scalar2d_16bit_mkv.mkv')));
    expect(r.warnings).toEqual([]);
    expect(r.known!.source).toMatch(/^matroska block headers \(2 clusters/);
    expect(r.known!.timeBase).toEqual([1, 1000]);
    expect(r.known!.packets.map((p) => p.pts)).toEqual(Array.from({ length: 20 }, (_, i) => i * 40));
    expect(r.known!.declaredFrameCount).toBeUndefined();
  });

  it('MP4: the mp4box sample table, as before', async () => {
    const r = await indexPackets(await nodeFile(fixture('isf', 'out_fps50.mp4')));
    expect(r.warnings).toEqual([]);
    expect(r.known!.source).toBe('mp4 sample table');
    expect(r.known!.packets.length).toBeGreaterThan(0);
  });

  it('GIF: no index and no warning (ffprobe lists its packets)', async () => {
    expect(await indexPackets(await nodeFile(fixture('isf', 'out_tpf20_pillow.gif')))).toEqual({ known: null, warnings: [] });
  });

  it('a header-only Matroska chunk (imgstore 000002.mkv): no table, a warning naming the file', async () => {
    const r = await indexPackets(await nodeFile(fixture('imgstore', 'video_h264_mkv_color', '000002.mkv')));
    expect(r.known).toBeNull();
    expect(r.warnings[0]).toMatch(/^000002\.mkv: no video block found .* full packet scan/);
  });
});

describe('indexPackets fallbacks and AVI drops', () => {
  it('a damaged OpenDML index → no table, a warning with the reason and byte offset', async () => {
    const a = buildAvi({ frames: [{ size: 10 }, { size: 11 }], segments: [1, 1], odml: true });
    const b = a.bytes.slice();
    b[a.indxPos + 4] = 99;
    const r = await indexPackets(bytesSourceFile('run/damaged.avi', b));
    expect(r.known).toBeNull();
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('run/damaged.avi');
    expect(r.warnings[0]).toContain(`at byte ${a.indxPos + 4}`);
    expect(r.warnings[0]).toMatch(/full packet scan \(reads the whole file\)/);
  });

  it('laced Matroska video → no table, a warning', async () => {
    const m = buildMkv({ clusters: [{ ts: 0, blocks: [{ rel: 0, size: 10, key: true, lacing: 0x02 }] }] });
    const r = await indexPackets(bytesSourceFile('laced.mkv', m.bytes));
    expect(r.known).toBeNull();
    expect(r.warnings[0]).toMatch(/laced/);
  });

  it('AVI drop chunks: declared count = stream length less drops (no false "truncated")', async () => {
    const a = buildAvi({ frames: [{ size: 5 }, { size: 0 }, { size: 6 }, { size: 0 }, { size: 7 }] });
    const r = await indexPackets(bytesSourceFile('d.avi', a.bytes));
    expect(r.known!.packets.map((p) => p.pts)).toEqual([0, 2, 4]);
    expect(r.known!.declaredFrameCount).toBe(3);
    // cut after the second drop chunk (both drops seen, the last frame lost): declared 3 > 2 present
    const cut = await indexPackets(bytesSourceFile('d.avi', a.bytes.subarray(0, a.dataOffsets[4])));
    expect(cut.known!.packets.length).toBe(2);
    expect(cut.known!.declaredFrameCount).toBe(3);
    // cut before the second drop: it is not counted as a drop, so declared 4 > 2 present
    const cut2 = await indexPackets(bytesSourceFile('d.avi', a.bytes.subarray(0, a.dataOffsets[3] - 8)));
    expect(cut2.known!.packets.length).toBe(2);
    expect(cut2.known!.declaredFrameCount).toBe(4);
  });
});

describe('merging the index with ffprobe header output', () => {
  const header = (timeBase: string): RawProbe => ({
    streams: [{ codec_name: 'ffv1', width: 4, height: 2, pix_fmt: 'gray', avg_frame_rate: '25/1', r_frame_rate: '25/1', time_base: timeBase, nb_frames: '7' }],
    format: { format_name: 'avi', start_time: '0.000000', duration: '0.28', tags: { comment: 'x' } },
  });
  const known = { timeBase: [1, 25] as [number, number], packets: [0, 1, 2, 4].map((pts, i) => ({ pts, key: i === 0 })), declaredFrameCount: 4, source: 't' };

  it('same time base: pts as given; declared count from the index; tags kept', () => {
    const m = withKnownPackets(header('1/25'), known)!;
    const r = parseRaw(m.raw, m.declared);
    expect(r.pts).toEqual([0, 1, 2, 4]);
    expect(r.info.times).toEqual([0, 0.04, 0.08, 0.16]);
    expect(r.info.frameCount).toBe(4);
    expect(r.info.declaredFrameCount).toBe(4);
    expect(r.info.tags).toEqual({ comment: 'x' });
    expect(r.keyTimes).toEqual([0]);
    expect(r.intraOnly).toBe(false);
  });

  it('a finer ffprobe time base: pts rescaled exactly; a coarser one: no merge (full scan)', () => {
    const m = withKnownPackets(header('1/50'), known)!;
    expect(parseRaw(m.raw, m.declared).pts).toEqual([0, 2, 4, 8]);
    expect(withKnownPackets(header('2/25'), known)).toBeNull();
    expect(withKnownPackets(header('N/A'), known)).toBeNull();
  });

  it('without an index override the declared count stays ffprobe’s nb_frames', () => {
    const m = withKnownPackets(header('1/25'), { ...known, declaredFrameCount: undefined })!;
    expect(parseRaw(m.raw, m.declared).info.declaredFrameCount).toBe(7);
  });
});

describe.skipIf(!HAS_FFMPEG || !HAS_FFPROBE)(
  `header-only ffprobe reads little of a large file${HAS_FFMPEG && HAS_FFPROBE ? '' : ` (${NO_FFMPEG}; ${NO_FFPROBE})`}`,
  () => {
    const tmp = tempDir('framescope-probe-');
    afterAll(() => tmp.remove());
    beforeAll(() => {
      ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=320x240:rate=25',
        '-frames:v',
        '1500',
        '-c:v',
        'mjpeg',
        '-q:v',
        '2',
        '-metadata',
        'comment={"a": 1}',
        tmp.path('big.avi'),
      ]);
      ffmpeg(['-i', tmp.path('big.avi'), '-c', 'copy', '-metadata', 'comment={"a": 1}', tmp.path('big.mkv')]);
    }, 60_000);
    for (const name of ['big.avi', 'big.mkv']) {
      it(`${name}: the probe's header command reads < 5% of the file, the packet command all of it; the index matches ffprobe`, async () => {
        const p = tmp.path(name);
        const size = statSync(p).size;
        expect(size).toBeGreaterThan(10e6);
        const args = ['-select_streams', 'v:0', '-show_entries', HEADER_ENTRIES, '-of', 'json=c=1'];
        const headerBytes = ffprobeBytesRead(p, args);
        const packetBytes = ffprobeBytesRead(p, ['-select_streams', 'v:0', '-show_entries', HEADER_ENTRIES + PACKET_ENTRIES, '-of', 'json=c=1']);
        expect(headerBytes).toBeLessThan(size * 0.05);
        expect(packetBytes).toBeGreaterThanOrEqual(size * 0.99);
        const r = await indexPackets(await nodeFile(p));
        const pk = ffprobePackets(p).packets;
        expect(r.known!.packets.map((x) => x.pts)).toEqual(pk.map((x) => x.pts));
        expect(r.known!.packets.map((x) => x.key)).toEqual(pk.map((x) => x.key));
      });
    }
  },
);
