/**
 * decode.ts's reused run output files (pure parts): how many frames a run wrote is read from
 * ffmpeg's final report, and the file sizes runs share.
 */
import { describe, expect, it } from 'vitest';
import { encodedFrames, outputFrames } from '../../src/video/decode';

describe('run output files', () => {
  it('takes the frame count from the final report only, the last one in a line of several', () => {
    expect(encodedFrames('frame=   12 fps=0.0 q=-0.0 Lsize=    6144kB time=00:00:00.40 bitrate=125829.1kbits/s speed=1.2x')).toBe(12);
    // periodic reports end in a carriage return and can share one log line with the final one
    expect(
      encodedFrames(
        'frame=    5 fps=4.9 q=-0.0 size=    2560kB time=00:00:00.16 bitrate=N/A speed=0.16x\rframe=   48 fps=30 q=-0.0 Lsize=   24576kB time=00:00:01.60 bitrate=N/A speed=1x',
      ),
    ).toBe(48);
    expect(encodedFrames('frame=    5 fps=4.9 q=-0.0 size=    2560kB time=00:00:00.16 bitrate=N/A speed=0.16x')).toBeNull();
    expect(encodedFrames('frame=    0 fps=0.0 q=0.0 Lsize=       0kB time=N/A bitrate=N/A speed=N/A')).toBe(0);
    expect(encodedFrames('[Parsed_showinfo_1 @ 0x1] n:   0 pts:      0 pts_time:0')).toBeNull();
  });

  it('rounds run lengths up to four sizes per octave: at most a fifth of a file is another run’s', () => {
    expect([1, 2, 7, 8, 9, 10, 11, 12, 13, 17, 23, 24, 25, 33, 48].map(outputFrames)).toEqual([1, 2, 7, 8, 10, 10, 12, 12, 14, 20, 24, 24, 28, 40, 48]);
    for (let n = 1; n <= 1000; n++) {
      const c = outputFrames(n);
      expect(c).toBeGreaterThanOrEqual(n);
      expect(n / c).toBeGreaterThan(0.79);
    }
  });
});
