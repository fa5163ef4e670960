/**
 * Matroska frame table (src/video/mkv-index.ts) against native ffprobe's packet list: the fixture
 * MKVs, generated FFV1 / H.264 with B-frames / MJPEG / VP8 WebM / live (unknown-size clusters) /
 * VFR movies, cut-off copies, and hand-built files (BlockGroups, an audio track, damaged Cues).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/formats/types';
import { bytesSourceFile } from '../../src/io/slice-file';
import { sourceTreeFromPath } from '../../src/io/node';
import { readMkvVideoIndex, type MkvVideoIndex } from '../../src/video/mkv-index';
import { describeFixtures, fixture } from '../fixtures';
import { buildMkv } from './build-mkv';
import { cutFile, ffmpeg, ffprobePackets, HAS_FFMPEG, HAS_FFPROBE, NO_FFMPEG, NO_FFPROBE, tempDir, type ProbePacket } from './native';

const nodeFile = async (p: string): Promise<SourceFile> => (await sourceTreeFromPath(p)).files[0];

function expectSameAsFfprobe(idx: MkvVideoIndex, probe: { timeBase: string; packets: ProbePacket[] }) {
  const pk = probe.packets.filter((p) => p.size > 0);
  expect(`${idx.timeBase[0]}/${idx.timeBase[1]}`).toBe(probe.timeBase);
  expect(idx.pts.length).toBe(pk.length);
  expect(idx.pts).toEqual(pk.map((p) => p.pts));
  expect(idx.sizes).toEqual(pk.map((p) => p.size));
  expect(idx.keys).toEqual(pk.map((p) => p.key));
}

describeFixtures('Matroska index of the fixture movies = ffprobe -show_packets', () => {
  it('py-pde scalar2d_16bit_mkv.mkv: 20 FFV1 frames, 40 ms apart, keys 0 and 12, two cue-split runs', async () => {
    const p = fixture('pypde', 'scalar2d_16bit_mkv.mkv');
    const idx = (await readMkvVideoIndex(await nodeFile(p)))!;
    expect(idx.codecId).toBe('V_MS/VFW/FOURCC');
    expect([idx.width, idx.height]).toEqual([32, 24]);
    expect(idx.timeBase).toEqual([1, 1000]);
    expect(idx.pts).toEqual(Array.from({ length: 20 }, (_, i) => i * 40));
    expect(idx.keys.map((k, i) => (k ? i : -1)).filter((i) => i >= 0)).toEqual([0, 12]);
    expect(idx.cuePoints).toBe(2);
    expect(idx.clusters).toBe(2);
    expect(idx.durationSeconds).toBeCloseTo(0.8, 9);
    expect(idx.truncated).toBe(false);
    if (HAS_FFPROBE) expectSameAsFfprobe(idx, ffprobePackets(p));
  });

  for (const name of ['000000.mkv', '000001.mkv']) {
    it(`imgstore video_h264_mkv_color/${name}: H.264 with B-frames (pts out of file order)`, async () => {
      const p = fixture('imgstore', 'video_h264_mkv_color', name);
      const idx = (await readMkvVideoIndex(await nodeFile(p)))!;
      expect(idx.codecId).toBe('V_MPEG4/ISO/AVC');
      expect(idx.pts.length).toBe(20);
      expect(idx.pts.some((t, i) => i > 0 && t < idx.pts[i - 1])).toBe(true);
      expect([...idx.pts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 40));
      if (HAS_FFPROBE) expectSameAsFfprobe(idx, ffprobePackets(p));
    });
  }

  it('imgstore 000002.mkv (header only, no cluster): an empty table', async () => {
    const idx = (await readMkvVideoIndex(await nodeFile(fixture('imgstore', 'video_h264_mkv_color', '000002.mkv'))))!;
    expect(idx.pts).toEqual([]);
    expect(idx.clusters).toBe(0);
  });

  it('the py-pde MKV cut at 15000 bytes: 9 complete frames, like ffprobe on the cut file', async () => {
    const idx = (await readMkvVideoIndex(cutFile(await nodeFile(fixture('pypde', 'scalar2d_16bit_mkv.mkv')), 15000)))!;
    expect(idx.truncated).toBe(true);
    expect(idx.pts).toEqual(Array.from({ length: 9 }, (_, i) => i * 40));
  });
});

describe.skipIf(!HAS_FFMPEG || !HAS_FFPROBE)(`generated Matroska / WebM = ffprobe${HAS_FFMPEG && HAS_FFPROBE ? '' : ` (${NO_FFMPEG}; ${NO_FFPROBE})`}`, () => {
  const tmp = tempDir('framescope-mkv-');
  afterAll(() => tmp.remove());
  const src = (rate: string, n: number) => ['-f', 'lavfi', '-i', `testsrc2=size=64x48:rate=${rate}`, '-frames:v', String(n)];
  const cases: [string, string[], (i: MkvVideoIndex) => void][] = [
    ['ffv1_600.mkv', [...src('25', 600), '-c:v', 'ffv1', '-g', '50'], (i) => expect(i.cuePoints).toBe(12)],
    [
      'h264_b.mkv',
      [...src('30000/1001', 300), '-c:v', 'libx264', '-bf', '3', '-g', '30', '-pix_fmt', 'yuv420p'],
      (i) => expect(i.keys.filter(Boolean).length).toBe(10),
    ],
    ['mjpeg.mkv', [...src('25', 200), '-c:v', 'mjpeg'], (i) => expect(i.keys.every(Boolean)).toBe(true)],
    ['vp8.webm', [...src('25', 200), '-c:v', 'libvpx', '-g', '20'], (i) => expect(i.codecId).toBe('V_VP8')],
    ['live.mkv', [...src('25', 200), '-c:v', 'ffv1', '-live', '1', '-f', 'matroska'], (i) => expect(i.cuePoints).toBe(0)],
    [
      'vfr.mkv',
      [...src('25', 100), '-vf', "select='not(between(n\\,5\\,7))'", '-fps_mode', 'passthrough', '-c:v', 'ffv1'],
      (i) => expect(i.pts.slice(4, 6)).toEqual([160, 320]),
    ],
  ];
  for (const [name, args, extra] of cases) {
    it(`${name}: table = ffprobe; the concurrent cue-split walk = the sequential one`, async () => {
      const p = tmp.path(name);
      try {
        ffmpeg([...args, p]);
      } catch (e) {
        if (/libvpx|libx264/.test(args.join(' '))) return void console.warn(`${name}: encoder unavailable in this ffmpeg, case skipped`);
        throw e;
      }
      const file = await nodeFile(p);
      const idx = (await readMkvVideoIndex(file, { minRun: 0 }))!;
      expectSameAsFfprobe(idx, ffprobePackets(p));
      extra(idx);
      if (idx.cuePoints > 1) expect(idx.runs).toBeGreaterThan(1);
      const seq = (await readMkvVideoIndex(file, { concurrency: 1 }))!;
      expect(seq.runs).toBe(1);
      expect(seq.pts).toEqual(idx.pts);
      expect(seq.offsets).toEqual(idx.offsets);
      // cut-off copies: complete blocks only, a prefix of the whole table
      for (const frac of [0.37, 0.81]) {
        const at = Math.floor(file.size * frac);
        const cut = (await readMkvVideoIndex(cutFile(file, at)))!;
        const complete = idx.offsets.filter((o, k) => o + idx.sizes[k] <= at).length;
        expect(cut.truncated).toBe(true);
        expect(cut.pts).toEqual(idx.pts.slice(0, complete));
      }
    });
  }
});

describe('hand-built Matroska', () => {
  it('SimpleBlocks and BlockGroups (key = no ReferenceBlock), an audio track, empty blocks skipped', async () => {
    const m = buildMkv({
      audioTrack: true,
      cues: [0, 2],
      clusters: [
        {
          ts: 0,
          blocks: [
            { rel: 0, size: 30, key: true },
            { track: 2, rel: 0, size: 9 },
            { rel: 40, size: 20, group: true },
            { rel: 80, size: 0 },
          ],
        },
        {
          ts: 120,
          blocks: [
            { rel: 0, size: 25, group: true, key: true },
            { rel: -40, size: 5, key: false },
          ],
        },
        {
          ts: 200,
          blocks: [
            { rel: 0, size: 31, key: true },
            { rel: 40, size: 12, group: true },
          ],
        },
      ],
    });
    const idx = (await readMkvVideoIndex(bytesSourceFile('h.mkv', m.bytes), { minRun: 0 }))!;
    expect(idx.runs).toBe(2);
    expect(idx.pts).toEqual([0, 40, 120, 80, 200, 240]);
    expect(idx.keys).toEqual([true, false, true, false, true, false]);
    expect(idx.sizes).toEqual([30, 20, 25, 5, 31, 12]);
    expect(idx.offsets).toEqual(m.frames.map((f) => f.offset));
    expect(idx.cuePoints).toBe(2);
    expect(idx.clusters).toBe(3);
  });

  it('unknown-size clusters end at the next top-level element', async () => {
    const m = buildMkv({
      clusters: [
        {
          ts: 0,
          unknownSize: true,
          blocks: [
            { rel: 0, size: 10, key: true },
            { rel: 40, size: 11 },
          ],
        },
        { ts: 80, unknownSize: true, blocks: [{ rel: 0, size: 12, key: true }] },
      ],
    });
    const idx = (await readMkvVideoIndex(bytesSourceFile('u.mkv', m.bytes)))!;
    expect(idx.pts).toEqual([0, 40, 80]);
    expect(idx.offsets).toEqual(m.frames.map((f) => f.offset));
  });

  it('TimestampScale 1 µs → time base 1/1000000', async () => {
    const m = buildMkv({
      timestampScale: 1000,
      clusters: [
        {
          ts: 0,
          blocks: [
            { rel: 0, size: 3, key: true },
            { rel: 33, size: 3 },
          ],
        },
      ],
    });
    const idx = (await readMkvVideoIndex(bytesSourceFile('t.mkv', m.bytes)))!;
    expect(idx.timeBase).toEqual([1, 1_000_000]);
    expect(idx.pts).toEqual([0, 33]);
  });

  it('Cues pointing between clusters are ignored: the walk falls back to one sequential pass', async () => {
    const m = buildMkv({
      cues: [1],
      clusters: [
        { ts: 0, blocks: [{ rel: 0, size: 10, key: true }] },
        { ts: 40, blocks: [{ rel: 0, size: 10, key: true }] },
        { ts: 80, blocks: [{ rel: 0, size: 10, key: true }] },
      ],
    });
    const b = m.bytes.slice();
    // CueClusterPosition (last 8 bytes of the Cues element) → 3 bytes into cluster 1
    const cuePosAt = b.length - 8;
    const rel = m.clusterPos[1] - m.segmentStart + 3;
    for (let k = 0; k < 8; k++) b[cuePosAt + k] = Math.floor(rel / 256 ** (7 - k)) & 255;
    const idx = (await readMkvVideoIndex(bytesSourceFile('c.mkv', b), { minRun: 0 }))!;
    expect(idx.pts).toEqual([0, 40, 80]);
    expect(idx.runs).toBe(1); // the two runs did not meet: one sequential walk instead
  });

  it('not Matroska → null; Matroska without a video track → null', async () => {
    expect(await readMkvVideoIndex(bytesSourceFile('x.avi', new Uint8Array(64)))).toBeNull();
    const m = buildMkv({ clusters: [] });
    const b = m.bytes.slice();
    // TrackType 1 → 2 (audio)
    const at = b.findIndex((v, i) => v === 0x83 && b[i + 1] === 0x01 && b[i + 8] === 1 && b[i + 9] === 1);
    expect(at).toBeGreaterThan(0);
    b[at + 9] = 2;
    expect(await readMkvVideoIndex(bytesSourceFile('a.mkv', b))).toBeNull();
  });
});
