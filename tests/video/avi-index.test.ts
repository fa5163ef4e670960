/**
 * AVI frame table (src/video/avi-index.ts) against native ffprobe's packet list: the fixture AVIs,
 * generated FFV1 AVIs (600 frames, drop chunks, keyframe interval), a generated OpenDML AVI of
 * just over 1 GB (RIFF AVIX segment, indx/ix00), cut-off copies of them, and hand-built OpenDML
 * structures (non-key bit, drops, absolute idx1 offsets).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/formats/types';
import { bytesSourceFile } from '../../src/io/slice-file';
import { sourceTreeFromPath } from '../../src/io/node';
import { readAviIndex, readAviVideoIndex, type AviVideoIndex } from '../../src/video/avi-index';
import { describeFixtures, fixture } from '../fixtures';
import { buildAvi } from './build-avi';
import { cutFile, ffmpeg, ffprobePackets, HAS_FFMPEG, HAS_FFPROBE, NO_FFMPEG, NO_FFPROBE, tempDir, type ProbePacket } from './native';

const nodeFile = async (p: string): Promise<SourceFile> => (await sourceTreeFromPath(p)).files[0];

/** The index equals ffprobe's packets: count, pts, size, keyframe flag, time base. */
function expectSameAsFfprobe(idx: AviVideoIndex, probe: { timeBase: string; packets: ProbePacket[] }, opts: { keys?: boolean } = {}) {
  const pk = probe.packets.filter((p) => p.size > 0);
  expect(`${idx.timeBase[0]}/${idx.timeBase[1]}`).toBe(probe.timeBase);
  expect(idx.pts.length).toBe(pk.length);
  expect(idx.pts).toEqual(pk.map((p) => p.pts));
  expect(idx.sizes).toEqual(pk.map((p) => p.size));
  if (opts.keys !== false) expect(idx.keys).toEqual(pk.map((p) => p.key));
}

describeFixtures('AVI index of the fixture movies = ffprobe -show_packets', (dir) => {
  const avis = [
    ...readdirSync(join(dir, 'pypde'))
      .filter((f) => f.endsWith('.avi'))
      .map((f) => join('pypde', f)),
    ...readdirSync(join(dir, 'imgstore')).flatMap((d) =>
      statSync(join(dir, 'imgstore', d)).isDirectory()
        ? readdirSync(join(dir, 'imgstore', d))
            .filter((f) => f.endsWith('.avi'))
            .map((f) => join('imgstore', d, f))
        : [],
    ),
  ];
  it('finds the 10 py-pde and 5 imgstore AVIs', () => {
    expect(avis.filter((a) => a.startsWith('pypde')).length).toBe(10);
    expect(avis.filter((a) => a.startsWith('imgstore')).length).toBe(5);
  });
  for (const rel of avis) {
    it(`${rel}: idx1 table, 1/25 s, declared length`, async () => {
      const idx = (await readAviVideoIndex(await nodeFile(fixture(rel))))!;
      expect(idx.source).toBe('idx1');
      expect(idx.drops).toBe(0);
      expect(idx.truncated).toBe(false);
      expect(idx.timeBase).toEqual([1, 25]);
      const n = rel.endsWith('000002.avi') || rel.endsWith('SYNTHETIC/000001.avi') ? 10 : 20;
      expect(idx.pts).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(idx.declaredLength).toBe(n);
      expect(idx.fourcc).toBe(rel.startsWith('pypde') ? 'FFV1' : 'MJPG');
      if (rel.startsWith('imgstore')) expect(idx.keys.every(Boolean)).toBe(true);
      if (HAS_FFPROBE) expectSameAsFfprobe(idx, ffprobePackets(fixture(rel)));
    });
  }
  it('py-pde FFV1: keyframes every 12 frames (frames 0 and 12), width x height from strf', async () => {
    const idx = (await readAviVideoIndex(await nodeFile(fixture('pypde', 'scalar2d_8bit.avi'))))!;
    expect(idx.keys.map((k, i) => (k ? i : -1)).filter((i) => i >= 0)).toEqual([0, 12]);
    expect([idx.width, idx.height]).toEqual([32, 24]);
    const polar = (await readAviVideoIndex(await nodeFile(fixture('pypde', 'polar_vector_16bit.avi'))))!;
    expect([polar.width, polar.height]).toEqual([40, 1]);
  });
  it('a cut-off fixture (idx1 lost): the movi walk finds the complete frames only, ffprobe agrees but for the partial last one', async () => {
    const full = await nodeFile(fixture('pypde', 'scalar2d_16bit.avi'));
    const idx = (await readAviVideoIndex(cutFile(full, 15000)))!;
    const whole = (await readAviVideoIndex(full))!;
    expect(idx.source).toBe('scan');
    expect(idx.truncated).toBe(true);
    const complete = whole.offsets.filter((o, i) => o + whole.sizes[i] <= 15000).length;
    expect(complete).toBe(8);
    expect(idx.offsets).toEqual(whole.offsets.slice(0, complete));
    expect(idx.pts).toEqual(whole.pts.slice(0, complete));
    expect(idx.declaredLength).toBe(20);
    // without an index the keyframes are unknown for FFV1: only the first is claimed
    expect(idx.keys.filter(Boolean).length).toBe(1);
  });
});

describe.skipIf(!HAS_FFMPEG || !HAS_FFPROBE)(
  `generated FFV1 / rawvideo AVIs = ffprobe${HAS_FFMPEG && HAS_FFPROBE ? '' : ` (${NO_FFMPEG}; ${NO_FFPROBE})`}`,
  () => {
    const tmp = tempDir('framescope-avi-');
    afterAll(() => tmp.remove());

    it('FFV1, 600 frames, keyframe every 50, 30000/1001 fps', async () => {
      const p = tmp.path('ffv1_600.avi');
      ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=30000/1001', '-frames:v', '600', '-c:v', 'ffv1', '-g', '50', p]);
      const idx = (await readAviVideoIndex(await nodeFile(p)))!;
      expect(idx.pts.length).toBe(600);
      expect(idx.timeBase).toEqual([1001, 30000]);
      expect(idx.keys.filter(Boolean).length).toBe(12);
      expectSameAsFfprobe(idx, ffprobePackets(p));
    });

    it('drop chunks (frames missing from a passthrough stream) advance the time but are no frames', async () => {
      const p = tmp.path('drops.avi');
      ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=64x48:rate=25',
        '-frames:v',
        '400',
        '-vf',
        "select='not(between(n\\,5\\,7))*not(eq(n\\,300))'",
        '-fps_mode',
        'passthrough',
        '-c:v',
        'ffv1',
        '-g',
        '30',
        p,
      ]);
      const idx = (await readAviVideoIndex(await nodeFile(p)))!;
      const probe = ffprobePackets(p);
      expect(idx.drops).toBe(4);
      expect(idx.pts.length).toBe(400);
      expect(idx.pts.slice(3, 7)).toEqual([3, 4, 8, 9]);
      expect(idx.declaredLength).toBe(404);
      expect(probe.nbFrames).toBe(404);
      expectSameAsFfprobe(idx, probe);
      // the imgstore view repeats the frame before a drop
      const legacy = (await readAviIndex(await nodeFile(p)))!;
      expect(legacy.offsets.length).toBe(404);
      expect(legacy.offsets.slice(4, 9)).toEqual([idx.offsets[4], idx.offsets[4], idx.offsets[4], idx.offsets[4], idx.offsets[5]]);
    });

    it('cut at several points: complete frames only, same pts as the whole file', async () => {
      const p = tmp.path('cut.avi');
      ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=25', '-frames:v', '300', '-c:v', 'ffv1', '-g', '30', p]);
      const full = await nodeFile(p);
      const whole = (await readAviVideoIndex(full))!;
      for (const at of [whole.offsets[0] + 10, whole.offsets[150] + 3, whole.offsets[299] + whole.sizes[299], full.size - 100]) {
        const idx = (await readAviVideoIndex(cutFile(full, at)))!;
        const complete = whole.offsets.filter((o, i) => o + whole.sizes[i] <= at).length;
        expect(idx.pts).toEqual(whole.pts.slice(0, complete));
        expect(idx.offsets).toEqual(whole.offsets.slice(0, complete));
      }
    });

    describe('OpenDML: a generated AVI just over 1 GB (RIFF AVIX, indx super index, ix00)', () => {
      let path = '';
      let probe: ReturnType<typeof ffprobePackets>;
      beforeAll(() => {
        path = tmp.path('odml.avi');
        // 1920x1080 bgr24 rawvideo: 6.2 MB a frame, 184 time slots, frames 5-7 and 178 dropped → 2 segments
        ffmpeg([
          '-f',
          'lavfi',
          '-i',
          'testsrc2=size=1920x1080:rate=25',
          '-frames:v',
          '180',
          '-vf',
          "select='not(between(n\\,5\\,7))*not(eq(n\\,178))'",
          '-fps_mode',
          'passthrough',
          '-c:v',
          'rawvideo',
          '-pix_fmt',
          'bgr24',
          path,
        ]);
        probe = ffprobePackets(path);
      }, 60_000);

      it('the table comes from the OpenDML index and equals ffprobe (180 frames, 4 drops, both segments)', async () => {
        const file = await nodeFile(path);
        expect(file.size).toBeGreaterThan(2 ** 30);
        const idx = (await readAviVideoIndex(file))!;
        expect(idx.source).toBe('odml');
        expect(idx.pts.length).toBe(180);
        expect(idx.drops).toBe(4);
        expect(idx.declaredLength).toBe(184);
        expect(idx.offsets[idx.offsets.length - 1]).toBeGreaterThan(2 ** 30);
        expectSameAsFfprobe(idx, probe);
      });

      it('cut inside the AVIX segment (its ix00 lost): first segment from ix00, the rest by walking', async () => {
        const file = await nodeFile(path);
        const whole = (await readAviVideoIndex(file))!;
        const at = 1_100_000_000;
        const idx = (await readAviVideoIndex(cutFile(file, at)))!;
        expect(idx.source).toBe('odml+scan');
        expect(idx.truncated).toBe(true);
        const complete = whole.offsets.filter((o, i) => o + whole.sizes[i] <= at).length;
        expect(complete).toBe(176);
        expect(idx.pts).toEqual(whole.pts.slice(0, complete));
        expect(idx.keys.slice(0, complete).every(Boolean)).toBe(true); // rawvideo: intra-only
      });

      it('cut inside the first segment (every index lost): a walk of the movi list', async () => {
        const file = await nodeFile(path);
        const whole = (await readAviVideoIndex(file))!;
        const at = 1_000_000_000;
        const idx = (await readAviVideoIndex(cutFile(file, at)))!;
        expect(idx.source).toBe('scan');
        const complete = whole.offsets.filter((o, i) => o + whole.sizes[i] <= at).length;
        expect(idx.pts).toEqual(whole.pts.slice(0, complete));
        expect(idx.drops).toBe(3);
      });
    });
  },
);

describe('hand-built AVIs', () => {
  const frames = [
    { size: 100, key: true },
    { size: 50, key: false },
    { size: 0 },
    { size: 60, key: false },
    { size: 101, key: true },
    { size: 40, key: false },
    { size: 0 },
    { size: 0 },
    { size: 77, key: false },
  ];

  it('OpenDML in two RIFF segments: non-key bit, drops, pts, offsets', async () => {
    const a = buildAvi({ frames, segments: [5, 4], odml: true, scale: 2, rate: 50 });
    const idx = (await readAviVideoIndex(bytesSourceFile('h.avi', a.bytes)))!;
    expect(idx.source).toBe('odml');
    expect(idx.timeBase).toEqual([1, 25]);
    expect(idx.pts).toEqual([0, 1, 3, 4, 5, 8]);
    expect(idx.keys).toEqual([true, false, false, true, false, false]);
    expect(idx.sizes).toEqual([100, 50, 60, 101, 40, 77]);
    const data = [0, 1, 3, 4, 5, 8].map((i) => a.dataOffsets[i]);
    expect(idx.offsets).toEqual(data);
    // every payload byte is the frame number
    idx.offsets.forEach((o, k) => expect(a.bytes[o]).toBe([0, 1, 3, 4, 5, 8][k]));
    expect(idx.drops).toBe(3);
    expect(idx.declaredLength).toBe(9);
  });

  it('OpenDML, second segment cut before its ix00: walked, frame kinds unknown there', async () => {
    const a = buildAvi({ frames, segments: [5, 4], odml: true });
    const cut = a.ixPos[1] - 1;
    const idx = (await readAviVideoIndex(bytesSourceFile('h.avi', a.bytes.subarray(0, cut))))!;
    expect(idx.source).toBe('odml+scan');
    expect(idx.pts).toEqual([0, 1, 3, 4, 5, 8]);
    expect(idx.keys).toEqual([true, false, false, true, false, false]);
  });

  it('idx1 only, offsets relative to movi or absolute; no keyframe flag at all → the first frame is key', async () => {
    for (const idx1Absolute of [false, true]) {
      const a = buildAvi({ frames: frames.map((f) => ({ size: f.size, key: false })), idx1: true, idx1Absolute });
      const idx = (await readAviVideoIndex(bytesSourceFile('h.avi', a.bytes)))!;
      expect(idx.source).toBe('idx1');
      expect(idx.pts).toEqual([0, 1, 3, 4, 5, 8]);
      expect(idx.keys).toEqual([true, false, false, false, false, false]);
      expect(idx.offsets).toEqual([0, 1, 3, 4, 5, 8].map((i) => a.dataOffsets[i]));
    }
  });

  it('no index at all: the movi walk; MJPEG is intra-only so every frame is key', async () => {
    const a = buildAvi({ frames, idx1: false, fourcc: 'MJPG' });
    const idx = (await readAviVideoIndex(bytesSourceFile('h.avi', a.bytes)))!;
    expect(idx.source).toBe('scan');
    expect(idx.pts).toEqual([0, 1, 3, 4, 5, 8]);
    expect(idx.keys.every(Boolean)).toBe(true);
  });

  it('not an AVI, or an AVI without a video stream → null', async () => {
    expect(await readAviVideoIndex(bytesSourceFile('x.mkv', new Uint8Array(64)))).toBeNull();
    const a = buildAvi({ frames: [{ size: 4 }] });
    const b = a.bytes.slice();
    const at = new TextDecoder('latin1').decode(b).indexOf('vids');
    b.set([0x61, 0x75, 0x64, 0x73], at); // 'auds'
    expect(await readAviVideoIndex(bytesSourceFile('x.avi', b))).toBeNull();
  });
});
