/**
 * videoError (src/video/index.ts): whatever the video layer or ffmpeg.wasm throws becomes a
 * FormatError in words naming the file (and frame); AbortErrors and range errors pass through.
 */
import { describe, expect, it } from 'vitest';
import { videoError } from '../../src/video/index';
import { DecodeError, FormatError, ProbeError } from '../../src/core/errors';
import { abortError } from '../../src/core/abort';

describe('videoError', () => {
  it('turns the non-Error values ffmpeg.wasm rejects with into FormatErrors with words', () => {
    for (const thrown of [{}, { message: 'Aborted()' }, 'exit 1', 42, null, undefined, { code: 7, type: 'exit' }]) {
      const e = videoError('pypde', 'movie.avi', null, thrown);
      expect(e).toBeInstanceOf(FormatError);
      const f = e as FormatError;
      expect(f.format).toBe('pypde');
      expect(f.path).toBe('movie.avi');
      expect(f.reason).toMatch(/^ffmpeg\.wasm could not read the file \(.+\)$/);
      expect(f.message).not.toMatch(/\[object Object\]/);
    }
  });

  it('names the frame and keeps the message of probe and decode errors', () => {
    const d = videoError('video', 'a.mp4', 12, new DecodeError('no picture')) as FormatError;
    expect(d).toBeInstanceOf(FormatError);
    expect(d.reason).toBe('frame 12: no picture');
    const p = videoError('video', 'a.mp4', null, new ProbeError('no video stream')) as FormatError;
    expect(p.reason).toBe('no video stream');
    const t = videoError('video', 'a.mp4', 3, new TypeError('x is not a function')) as FormatError;
    expect(t.reason).toBe('frame 3: could not be decoded (TypeError: x is not a function)');
  });

  it('passes FormatErrors, AbortErrors and RangeErrors through', () => {
    const f = new FormatError('video', 'a.mp4', 'bad');
    expect(videoError('video', 'b.mp4', 1, f)).toBe(f);
    expect(videoError('video', 'a.mp4', 1, abortError()).name).toBe('AbortError');
    expect(videoError('video', 'a.mp4', 1, new RangeError('frame 9 out of range'))).toBeInstanceOf(RangeError);
  });
});
