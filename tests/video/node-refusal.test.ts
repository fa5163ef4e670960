/**
 * Under Node the video-backed readers import cleanly and refuse in words: a plain video and a
 * py-pde movie give a FormatError saying the format needs a browser at openDataset; an imgstore
 * with video chunks opens (metadata and frame table are pure TS) and each frame read says the same.
 */
import { describe, expect, it } from 'vitest';
import { openDataset, FormatError } from '../../src/formats/index';
import { sourceTreeFromPath } from '../../src/io/node';
import { fixturesDir, FIXTURES_MISSING_MESSAGE } from '../fixtures-path';
import { join } from 'node:path';
import { encodeH264 } from './h264-files';
import { HAS_FFMPEG, tempDir } from './native';

const FIX = fixturesDir();

async function refusal(p: Promise<unknown>): Promise<FormatError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(FormatError);
  return e as FormatError;
}

describe('video readers under Node', () => {
  it.skipIf(!HAS_FFMPEG)('a plain MP4: FormatError "needs a browser" from openDataset', async () => {
    const tmp = tempDir('fs-node-');
    encodeH264(tmp.path('clip.mp4'), 10, 'keyint=5');
    const e = await refusal(openDataset(await sourceTreeFromPath(tmp.path('clip.mp4'))));
    expect(e.format).toBe('video');
    expect(e.path).toBe('clip.mp4');
    expect(e.reason).toMatch(/needs a browser/);
    tmp.remove();
  });

  it.skipIf(!FIX)('a py-pde movie: FormatError "needs a browser" from openDataset', async () => {
    if (!FIX) return console.warn(FIXTURES_MISSING_MESSAGE);
    const e = await refusal(openDataset(await sourceTreeFromPath(join(FIX, 'pypde', 'scalar2d_8bit.avi'))));
    expect(e.format).toBe('pypde');
    expect(e.path).toBe('scalar2d_8bit.avi');
    expect(e.reason).toMatch(/needs a browser/);
  });

  for (const store of ['video_mjpeg_avi_color', 'video_avc1_mp4_gray', 'video_h264_mkv_color']) {
    it.skipIf(!FIX)(`imgstore ${store}: opens, each frame a FormatError "needs a browser" naming the chunk`, async () => {
      const s = await openDataset(await sourceTreeFromPath(join(FIX!, 'imgstore', store)));
      expect(s.frames.length).toBeGreaterThan(0);
      const e = await refusal(s.readFrame(0));
      expect(e.format).toBe('imgstore');
      expect(e.path).toMatch(/000000\.(avi|mp4|mkv)$/);
      expect(e.reason).toMatch(/needs a browser/);
      s.close();
    });
  }
});
