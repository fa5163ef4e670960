/**
 * `mp4`, `webm`, `gif` targets (browser): the frames as the viewer shows them
 * (src/render/compose-frame.ts) encoded to
 * - mp4 / h264: WebCodecs VideoEncoder + mp4box.js where the browser encodes H.264, else libx264 in
 *   ffmpeg.wasm (option `encoder` forces one);
 * - mp4 / mpeg4: ffmpeg.wasm `mpeg4` with a fixed quantiser `-q:v` 1…31 (in-silico-framework's
 *   `write_video`, but with the frame duration meaning what it says);
 * - webm: VP8 (libvpx, realtime) in ffmpeg.wasm (VP9 crashes ffmpeg.wasm, see the notes);
 * - gif: ffmpeg.wasm palettegen/paletteuse, infinite loop.
 *
 * Timing: `fps` frames per second (the dialog starts from the viewer's playback rate), or
 * `frameDurationMs`, the duration of ONE frame in milliseconds, which wins when given (20 ms →
 * 50 fps; ISF's `tpf` bug — fps = 1/tpf — is not reproduced). GIF delays are whole
 * centiseconds: the delay is round(duration/10) cs (at least 1) for every frame, and the note says
 * what was requested and what the file holds.
 */
import type { FrameSource } from '../core/types';
import { composeFrame } from '../render/compose-frame';
import { encodeVideo } from '../video/index';
import { encodeH264Mp4, webCodecsH264Config } from './h264-mp4';
import { baseName, ExportError, throwIfAborted, type ExportControl, type ExportedFile } from './job';
import type { RenderOptions } from './render-options';
import { planRender } from './render-plan';
import type { ResolvedJob } from './target';
import { movieTiming, type TimingOptions } from './targets/movies';

/** The options of the three movie targets (mp4 has codec/encoder/quality, mp4 and webm a bit rate). */
export type MovieOptions = RenderOptions &
  TimingOptions & { name: string; codec?: 'h264' | 'mpeg4'; encoder?: 'auto' | 'webcodecs' | 'x264'; quality?: number; bitrateKbps?: number };

function autoBitrate(w: number, h: number, fps: number): number {
  // ~0.2 bit per pixel and frame for flat colormapped pictures, within 0.5…40 Mbit/s
  return Math.round(Math.min(40e6, Math.max(5e5, w * h * fps * 0.2)));
}

export async function exportRenderedMovie(source: FrameSource, job: ResolvedJob<MovieOptions>, ctl?: ExportControl): Promise<ExportedFile[]> {
  const target = job.target;
  const opts = job.options;
  const frames = job.frames;
  const timing = movieTiming(target, opts);
  const plan = await planRender(source, job, opts, ctl);
  throwIfAborted(ctl?.signal);
  // the first frame fixes the size
  const first = composeFrame(await source.readFrame(frames[0], { signal: ctl?.signal }), plan.compose);
  const { width, height } = first;
  const frameRgba = async (k: number): Promise<Uint8Array> => {
    const c = k === 0 ? first : composeFrame(await source.readFrame(frames[k], { signal: ctl?.signal }), plan.compose);
    if (c.width !== width || c.height !== height)
      throw new ExportError(target, `frame ${frames[k]} renders at ${c.width}×${c.height}, the movie is ${width}×${height} (the field changes size)`);
    return new Uint8Array(c.rgba.buffer, c.rgba.byteOffset, c.rgba.byteLength);
  };
  const name = baseName(source, opts.name);
  const { bytes, ext, notes: encNotes } = await encodeRenderedFrames(target, opts, name, { width, height, count: frames.length, frame: frameRgba }, ctl);
  const notes = [timing.note, ...encNotes];
  notes.push(`${frames.length} frames, ${width}×${height}`);
  if (plan.limits)
    notes.push(`colour limits ${plan.limits[0]} … ${plan.limits[1]}${opts.limits === 'manual' ? ' (manual)' : ` (${opts.limits} over the exported frames)`}`);
  else notes.push(`colour limits ${opts.limits} per frame`);
  return [{ path: `${name}.${ext}`, bytes, note: notes.join('; ') }];
}

/** A sequence of RGBA frames (all of one size) as the movie target asks: the encoders of mp4, webm and gif. */
export async function encodeRenderedFrames(
  target: string,
  opts: MovieOptions,
  name: string,
  src: { width: number; height: number; count: number; frame(k: number): Promise<Uint8Array> },
  ctl?: ExportControl,
): Promise<{ bytes: Uint8Array; ext: string; notes: string[] }> {
  const { width, height } = src;
  const timing = movieTiming(target, opts);
  const progress = (done: number) => ctl?.onProgress?.(Math.min(src.count, done), src.count, 'write');
  const notes: string[] = [];
  let bytes: Uint8Array;
  let ext: string;

  if (target === 'mp4' && opts.codec === 'h264') {
    ext = 'mp4';
    const bitrate = opts.bitrateKbps ? opts.bitrateKbps * 1000 : autoBitrate(width, height, timing.fps);
    const config = opts.encoder === 'x264' ? null : await webCodecsH264Config(width, height, timing.fps, bitrate);
    if (opts.encoder === 'webcodecs' && !config)
      throw new ExportError(target, 'this browser has no WebCodecs H.264 encoder for this size; choose encoder x264');
    if (config) {
      const r = await encodeH264Mp4(
        { width, height, count: src.count, frame: src.frame },
        { fps: timing.fps, bitrate, config, signal: ctl?.signal, onProgress: progress },
      );
      bytes = r.bytes;
      notes.push(`H.264 (${r.codec}) by WebCodecs, ${Math.round(bitrate / 1000)} kbit/s, lossy`);
    } else {
      bytes = await encodeVideo({
        width,
        height,
        inputPixFmt: 'rgba',
        frameCount: src.count,
        frame: src.frame,
        outputName: `${name}.mp4`,
        codecArgs: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-movflags', '+faststart'],
        outputPixFmt: 'yuv420p',
        fps: timing.fps,
        onProgress: progress,
        signal: ctl?.signal,
      });
      notes.push('H.264 by x264 (ffmpeg.wasm), crf 18, lossy');
    }
  } else if (target === 'mp4') {
    ext = 'mp4';
    const q = opts.quality ?? 2;
    bytes = await encodeVideo({
      width,
      height,
      inputPixFmt: 'rgba',
      frameCount: src.count,
      frame: src.frame,
      outputName: `${name}.mp4`,
      codecArgs: ['-c:v', 'mpeg4', '-q:v', String(q)],
      outputPixFmt: 'yuv420p',
      fps: timing.fps,
      onProgress: progress,
      signal: ctl?.signal,
    });
    notes.push(`MPEG-4 part 2, -q:v ${q}, lossy`);
  } else if (target === 'webm') {
    ext = 'webm';
    const kbps = opts.bitrateKbps ? opts.bitrateKbps : Math.round(autoBitrate(width, height, timing.fps) / 1000);
    bytes = await encodeVideo({
      width,
      height,
      inputPixFmt: 'rgba',
      frameCount: src.count,
      frame: src.frame,
      outputName: `${name}.webm`,
      codecArgs: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${kbps}k`, '-auto-alt-ref', '0'],
      outputPixFmt: 'yuv420p',
      fps: timing.fps,
      onProgress: progress,
      signal: ctl?.signal,
    });
    notes.push(`VP8, ${kbps} kbit/s, lossy`);
  } else if (target === 'gif') {
    ext = 'gif';
    bytes = await encodeVideo({
      width,
      height,
      inputPixFmt: 'rgba',
      frameCount: src.count,
      frame: src.frame,
      outputName: `${name}.gif`,
      extraArgs: ['-vf', 'split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=bayer:bayer_scale=3'],
      codecArgs: ['-c:v', 'gif', '-loop', '0'],
      fps: timing.fps,
      onProgress: progress,
      signal: ctl?.signal,
    });
    notes.push('256-colour palette (palettegen/paletteuse), lossy');
  } else {
    throw new ExportError(target, 'not a rendered movie target');
  }
  return { bytes, ext, notes };
}
