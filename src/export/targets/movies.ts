/**
 * The rendered movie targets `mp4`, `webm`, `gif`: frames as the viewer shows them
 * (render-options.ts) encoded by rendered-movie.ts.
 */
import { ExportError } from '../../core/errors';
import { autoNum, choice, nameOpt, num, type OptionsOf } from '../options';
import { RENDER_LEGACY, RENDER_SCHEMA, renderCheck } from '../render-options';
import { defineTarget } from '../target';

/**
 * Frame timing. The default rate is the viewer's default playback rate (10 fps, src/state/view.ts);
 * the export dialog passes the viewer's current rate. `frameDurationMs`, when given, wins.
 */
export const TIMING_SCHEMA = {
  fps: num('Frame rate (frames per second)', 10, { min: 0.01, max: 1000, group: 'timing', help: 'the dialog starts from the viewer’s playback rate' }),
  frameDurationMs: autoNum('Frame duration (ms per frame)', 'from the frame rate', {
    group: 'timing',
    help: 'exactly: 20 ms per frame = 50 fps; overrides the frame rate',
    applies: () => false,
  }),
} as const;
export type TimingOptions = OptionsOf<typeof TIMING_SCHEMA>;

export interface MovieTiming {
  /** frames per second written to the file */
  fps: number;
  /** duration of one frame in ms as stored */
  frameMs: number;
  /** GIF: delay in centiseconds */
  gifDelayCs?: number;
  note: string;
}

/** The frame timing a movie target writes for its options (exact except GIF's centiseconds). */
export function movieTiming(target: string, t: TimingOptions): MovieTiming {
  const wantFps = t.frameDurationMs !== null ? 1000 / t.frameDurationMs : t.fps;
  if (!(wantFps > 0) || !Number.isFinite(wantFps)) throw new ExportError(target, `frame duration ${t.frameDurationMs} ms / ${t.fps} fps is not a usable rate`);
  const wantMs = 1000 / wantFps;
  if (target === 'gif') {
    const cs = Math.max(1, Math.round(wantMs / 10));
    const ms = cs * 10;
    const exact = Math.abs(ms - wantMs) < 1e-9;
    const slow = cs < 2 ? ' — many viewers show delays under 2 cs at 100 ms' : '';
    return {
      fps: 100 / cs,
      frameMs: ms,
      gifDelayCs: cs,
      note: `GIF delay ${cs} cs = ${ms} ms per frame${exact ? '' : ` (requested ${+wantMs.toFixed(3)} ms, rounded to whole centiseconds)`}${slow}`,
    };
  }
  return { fps: wantFps, frameMs: wantMs, note: `${+wantMs.toFixed(6)} ms per frame = ${+wantFps.toFixed(6)} fps` };
}

export function timingCheck(o: TimingOptions): string | null {
  if (o.frameDurationMs !== null && !(o.frameDurationMs > 0 && o.frameDurationMs <= 1e6))
    return `frame duration must be a positive number of milliseconds (got ${o.frameDurationMs})`;
  return null;
}

const both = <O extends TimingOptions & OptionsOf<typeof RENDER_SCHEMA>>(o: O) => timingCheck(o) ?? renderCheck(o);

export const mp4 = defineTarget({
  id: 'mp4',
  label: 'MP4 movie (rendered)',
  needsBrowser: true,
  produces: '.mp4',
  rendered: () => true,
  schema: {
    codec: choice('Codec', ['h264', 'mpeg4'], 'h264', { group: 'file', labels: { h264: 'H.264', mpeg4: 'MPEG-4 part 2 (mpeg4, -q:v)' } }),
    encoder: choice('H.264 encoder', ['auto', 'webcodecs', 'x264'], 'auto', {
      group: 'file',
      applies: (o) => o.codec === 'h264',
      help: 'auto = WebCodecs where the browser encodes H.264, else x264 in ffmpeg.wasm',
    }),
    quality: num('mpeg4 quantiser -q:v (1 best … 31)', 2, { min: 1, max: 31, integer: true, group: 'file', applies: (o) => o.codec === 'mpeg4' }),
    bitrateKbps: num('Bit rate (kbit/s, 0 = auto)', 0, { min: 0, group: 'file', applies: (o) => o.codec === 'h264' }),
    ...TIMING_SCHEMA,
    ...RENDER_SCHEMA,
    name: nameOpt(),
  },
  check: both,
  legacy: RENDER_LEGACY,
});

export const webm = defineTarget({
  id: 'webm',
  label: 'WebM movie (VP8, rendered)',
  needsBrowser: true,
  produces: '.webm',
  rendered: () => true,
  schema: {
    bitrateKbps: num('Bit rate (kbit/s, 0 = auto)', 0, { min: 0, group: 'file' }),
    ...TIMING_SCHEMA,
    ...RENDER_SCHEMA,
    name: nameOpt(),
  },
  check: both,
  legacy: RENDER_LEGACY,
});

export const gif = defineTarget({
  id: 'gif',
  label: 'Animated GIF (rendered)',
  needsBrowser: true,
  produces: '.gif',
  help: 'GIF delays are whole centiseconds: the frame duration is rounded to 10 ms and the result reported',
  rendered: () => true,
  schema: { ...TIMING_SCHEMA, ...RENDER_SCHEMA, name: nameOpt() },
  check: both,
  legacy: RENDER_LEGACY,
});
