/**
 * H.264 restart-point rules (src/video/h264-restart.ts) on x264 files made by native ffmpeg: IDR
 * pictures and open-GOP recovery points are restart points, plain I-frames and P-frames flagged as
 * sync are not, and the chosen start for every frame is never shown after it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeSourceFile } from '../../src/io/node';
import { readVideoTrack } from '../../src/video/mp4-index';
import { avcLengthSize, h264Restart, H264RestartPoints, nalUnits } from '../../src/video/h264-restart';
import { decodeOrderTypes, encodeH264, rewriteStss } from './h264-files';
import { HAS_FFMPEG, NO_FFMPEG, tempDir } from './native';

describe.skipIf(!HAS_FFMPEG)('H.264 restart points', () => {
  if (!HAS_FFMPEG) console.warn(NO_FFMPEG);
  const tmp = tempDir('fs-h264r-');

  async function track(path: string) {
    const size = readFileSync(path).length;
    const file = nodeSourceFile('x.mp4', path, size);
    const t = (await readVideoTrack(file))!;
    const ls = avcLengthSize(t.description);
    const bytes = readFileSync(path);
    const au = (k: number) => bytes.subarray(t.samples[k].offset, t.samples[k].offset + t.samples[k].size);
    return { t, ls, au, file };
  }

  it('open GOP: IDR first, recovery points at the other I-frames, nothing else', async () => {
    const p = tmp.path('og.mp4');
    encodeH264(p, 60, 'open-gop=1:keyint=20:min-keyint=20:scenecut=0:b-adapt=0:bframes=3');
    const { t, ls, au } = await track(p);
    expect(ls).toBe(4);
    const types = decodeOrderTypes(p);
    const kinds = t.samples.map((_, k) => h264Restart(au(k), ls).kind);
    expect(kinds[0]).toBe('idr');
    types.forEach((ty, k) => {
      if (k > 0) expect(kinds[k], `sample ${k} (${ty.type})`).toBe(ty.type === 'I' ? 'recovery' : 'none');
    });
    expect(kinds.filter((k) => k === 'recovery').length).toBe(2);
    // leading B-frames: decoded after an I-frame but shown before it
    const s = t.samples;
    const iAt = kinds.indexOf('recovery');
    expect(s.slice(iAt + 1, iAt + 4).some((x) => x.cts < s[iAt].cts)).toBe(true);
    // a leading picture must start at the previous restart point, a later one at the I-frame
    const pts = new H264RestartPoints(s, async (k) => au(k), ls);
    for (let k = iAt + 1; k < Math.min(s.length, iAt + 6); k++) {
      const start = await pts.startFor(k);
      expect(s[start].cts).toBeLessThanOrEqual(s[k].cts);
      expect(start, `sample ${k}`).toBe(s[k].cts < s[iAt].cts ? 0 : iAt);
    }
  });

  it('sync-flagged plain I-frames and P-frames are not restart points', async () => {
    const p = tmp.path('fs.mp4');
    encodeH264(p, 60, 'keyint=1000:min-keyint=1000:scenecut=40:bframes=2:ref=6', { cut: 14 });
    const types = decodeOrderTypes(p);
    const flagged = types.map((x, k) => (k === 0 || x.type === 'I' || (x.type === 'P' && k % 9 === 0) ? k : -1)).filter((k) => k >= 0);
    expect(types.filter((x) => x.type === 'I').length).toBeGreaterThan(1);
    rewriteStss(p, flagged);
    const { t, ls, au } = await track(p);
    expect(t.samples.filter((x) => x.sync).length).toBe(flagged.length);
    const pts = new H264RestartPoints(t.samples, async (k) => au(k), ls);
    for (const k of flagged) expect(await pts.kind(k), `sample ${k}`).toBe(k === 0 ? 'idr' : 'none');
    for (let k = 0; k < t.samples.length; k += 7) expect(await pts.startFor(k)).toBe(0);
  });

  it('splits Annex B and length-prefixed access units alike', () => {
    const nal = (b: number[]) => b;
    const annexB = new Uint8Array([0, 0, 0, 1, ...nal([0x06, 6, 1, 0xc4, 0x80]), 0, 0, 1, ...nal([0x01, 0x88, 0x84])]);
    expect(nalUnits(annexB).map((u) => u[0] & 31)).toEqual([6, 1]);
    // recovery_frame_cnt = 0 (ue '1'), exact_match 1, broken_link 0
    expect(h264Restart(annexB)).toMatchObject({ kind: 'recovery', recovery: { frames: 0, exact: true, brokenLink: false } });
    const prefixed = new Uint8Array([0, 0, 0, 2, 0x65, 0x88]);
    expect(h264Restart(prefixed, 4).kind).toBe('idr');
    expect(h264Restart(new Uint8Array([0, 0, 0, 2, 0x41, 0x9a]), 4).kind).toBe('none');
  });
});
