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
 * Timing: `frameDurationMs` is the duration of ONE frame in milliseconds (20 ms → 50 fps; ISF's
 * `tpf` bug — fps = 1/tpf — is not reproduced); `fps` > 0 overrides it. GIF delays are whole
 * centiseconds: the delay is round(duration/10) cs (at least 1) for every frame, and the note says
 * what was requested and what the file holds.
 */
import type { FrameSource } from '../core/types';
import { composeFrame } from '../render/compose-frame';
import { encodeVideo } from '../video/index';
import { encodeH264Mp4, webCodecsH264Config } from './h264-mp4';
import { baseName, ExportError, resolveFrames, throwIfAborted, type ExportControl, type ExportedFile, type ExportJob } from './job';
import { planRender } from './render-plan';
import { readOptions } from './targets';

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
export function movieTiming(target: string, frameDurationMs: number, fps: number): MovieTiming {
  const wantFps = fps > 0 ? fps : 1000 / frameDurationMs;
  if (!(wantFps > 0) || !Number.isFinite(wantFps)) throw new ExportError(target, `frame duration ${frameDurationMs} ms / fps ${fps} is not a usable rate`);
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

function autoBitrate(w: number, h: number, fps: number): number {
  // ~0.2 bit per pixel and frame for flat colormapped pictures, within 0.5…40 Mbit/s
  return Math.round(Math.min(40e6, Math.max(5e5, w * h * fps * 0.2)));
}

export async function exportRenderedMovie(source: FrameSource, job: ExportJob, ctl?: ExportControl): Promise<ExportedFile[]> {
  const target = job.target;
  const opts = readOptions(target, job.options);
  const frames = resolveFrames(source, job);
  const timing = movieTiming(target, Number(opts.frameDurationMs), Number(opts.fps));
  const scan = opts.limits === 'global' ? frames.length : 0;
  const total = scan + frames.length;
  const plan = await planRender(source, job, opts, frames, ctl, total);
  throwIfAborted(ctl?.signal);
  // the first frame fixes the size
  const first = composeFrame(await source.readFrame(frames[0], { signal: ctl?.signal }), plan.compose);
  const { width, height } = first;
  const frameRgba = async (k: number): Promise<Uint8Array> => {
    const c = k === 0 ? first : composeFrame(await source.readFrame(frames[k], { signal: ctl?.signal }), plan.compose);
    if (c.width !== width || c.height !== height) throw new ExportError(target, `frame ${frames[k]} renders at ${c.width}×${c.height}, the movie is ${width}×${height} (the field changes size)`);
    return new Uint8Array(c.rgba.buffer, c.rgba.byteOffset, c.rgba.byteLength);
  };
  const progress = (done: number) => ctl?.onProgress?.(scan + Math.min(frames.length, done), total);
  const name = baseName(source, opts.name);
  const notes = [timing.note];
  let bytes: Uint8Array;
  let ext: string;

  if (target === 'mp4' && opts.codec === 'h264') {
    ext = 'mp4';
    const bitrate = Number(opts.bitrateKbps) > 0 ? Number(opts.bitrateKbps) * 1000 : autoBitrate(width, height, timing.fps);
    const config = opts.encoder === 'x264' ? null : await webCodecsH264Config(width, height, timing.fps, bitrate);
    if (opts.encoder === 'webcodecs' && !config) throw new ExportError(target, 'this browser has no WebCodecs H.264 encoder for this size; choose encoder x264');
    if (config) {
      const r = await encodeH264Mp4({ width, height, count: frames.length, frame: frameRgba }, { fps: timing.fps, bitrate, config, signal: ctl?.signal, onProgress: progress });
      bytes = r.bytes;
      notes.push(`H.264 (${r.codec}) by WebCodecs, ${Math.round(bitrate / 1000)} kbit/s, lossy`);
    } else {
      bytes = await encodeVideo({
        width, height, inputPixFmt: 'rgba', frameCount: frames.length, frame: frameRgba, outputName: `${name}.mp4`,
        codecArgs: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-movflags', '+faststart'],
        outputPixFmt: 'yuv420p', fps: timing.fps, onProgress: progress, signal: ctl?.signal,
      });
      notes.push('H.264 by x264 (ffmpeg.wasm), crf 18, lossy');
    }
  } else if (target === 'mp4') {
    ext = 'mp4';
    const q = Math.round(Number(opts.quality));
    bytes = await encodeVideo({
      width, height, inputPixFmt: 'rgba', frameCount: frames.length, frame: frameRgba, outputName: `${name}.mp4`,
      codecArgs: ['-c:v', 'mpeg4', '-q:v', String(q)], outputPixFmt: 'yuv420p', fps: timing.fps, onProgress: progress, signal: ctl?.signal,
    });
    notes.push(`MPEG-4 part 2, -q:v ${q}, lossy`);
  } else if (target === 'webm') {
    ext = 'webm';
    const kbps = Number(opts.bitrateKbps) > 0 ? Number(opts.bitrateKbps) : Math.round(autoBitrate(width, height, timing.fps) / 1000);
    bytes = await encodeVideo({
      width, height, inputPixFmt: 'rgba', frameCount: frames.length, frame: frameRgba, outputName: `${name}.webm`,
      codecArgs: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${kbps}k`, '-auto-alt-ref', '0'],
      outputPixFmt: 'yuv420p', fps: timing.fps, onProgress: progress, signal: ctl?.signal,
    });
    notes.push(`VP8, ${kbps} kbit/s, lossy`);
  } else if (target === 'gif') {
    ext = 'gif';
    bytes = await encodeVideo({
      width, height, inputPixFmt: 'rgba', frameCount: frames.length, frame: frameRgba, outputName: `${name}.gif`,
      extraArgs: ['-vf', 'split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=bayer:bayer_scale=3'],
      codecArgs: ['-c:v', 'gif', '-loop', '0'], fps: timing.fps, onProgress: progress, signal: ctl?.signal,
    });
    notes.push('256-colour palette (palettegen/paletteuse), lossy');
  } else {
    throw new ExportError(target, 'not a rendered movie target');
  }
  notes.push(`${frames.length} frames, ${width}×${height}`);
  return [{ path: `${name}.${ext}`, bytes, note: notes.join('; ') }];
}
