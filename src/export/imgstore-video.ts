/**
 * Browser-only: one VideoImgStore chunk (imgstore.ts) — the frames of the chunk as 3-channel 8-bit
 * video at imgstore's fixed 25 fps container clock, width and height cropped to even as imgstore's
 * writer does: `mjpeg/avi` by ffmpeg.wasm's mjpeg encoder (-q:v, full-range yuvj420p), `avc1/mp4` by
 * WebCodecs H.264 + mp4box.js where available, else libx264 (crf 17) in ffmpeg.wasm; yuv420p.
 *
 * Pixels: RGB fields as they are; 8-bit scalar images as gray (R = G = B); other scalar data is
 * mapped linearly from its min/max over the chunk's frames to 0…255 (the note says so).
 */
import type { FieldInfo, FrameSource } from '../core/types';
import { encodeVideo } from '../video/index';
import { encodeH264Mp4, webCodecsH264Config } from './h264-mp4';
import { ExportError, validRange } from './job';

export interface ChunkResult {
  bytes: Uint8Array;
  width: number;
  height: number;
  note?: string;
}

export async function encodeImgstoreVideoChunk(
  source: FrameSource,
  field: FieldInfo,
  frames: number[],
  format: 'mjpeg/avi' | 'avc1/mp4',
  /** mjpeg quantiser -q:v */
  quality: number,
  ctl: { signal?: AbortSignal; onProgress?(done: number, total: number): void },
): Promise<ChunkResult> {
  const first = await source.readFrame(frames[0], { signal: ctl.signal });
  const d0 = first.fields[field.name];
  if (!d0) throw new ExportError('imgstore', `field “${field.name}” is missing in frame ${first.info.number}`);
  const [h0, w0] = d0.shape;
  const width = w0 - (w0 % 2);
  const height = h0 - (h0 % 2);
  if (width < 2 || height < 2) throw new ExportError('imgstore', `image ${w0}×${h0} is too small for a video store`);
  // value mapping for non-8-bit scalar data
  let map: [number, number] | null = null;
  if (d0.kind === 'scalar' && !(d0.values instanceof Uint8Array)) {
    const r: [number, number] = [Infinity, -Infinity];
    for (const i of frames) {
      const f = i === frames[0] ? first : await source.readFrame(i, { signal: ctl.signal });
      const d = f.fields[field.name];
      if (d) validRange([d.values as ArrayLike<number>], d.mask, r);
    }
    map = r[0] <= r[1] ? r : [0, 255];
  }
  const rgba = async (k: number): Promise<Uint8Array> => {
    const f = k === 0 ? first : await source.readFrame(frames[k], { signal: ctl.signal });
    const d = f.fields[field.name];
    if (!d || d.shape[0] !== h0 || d.shape[1] !== w0)
      throw new ExportError('imgstore', `field “${field.name}” is missing or changes size in frame ${f.info.number}`);
    const out = new Uint8Array(width * height * 4);
    const v = d.values as ArrayLike<number>;
    const span = map ? map[1] - map[0] || 1 : 1;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const s = y * w0 + x;
        const o = (y * width + x) * 4;
        out[o + 3] = 255;
        if (d.mask?.[s]) continue;
        if (d.kind === 'rgb') {
          out[o] = v[3 * s];
          out[o + 1] = v[3 * s + 1];
          out[o + 2] = v[3 * s + 2];
        } else {
          const g = map ? Math.round(((v[s] - map[0]) / span) * 255) : v[s];
          out[o] = out[o + 1] = out[o + 2] = g < 0 ? 0 : g > 255 ? 255 : g;
        }
      }
    return out;
  };
  const notes: string[] = [];
  if (map) notes.push(`values ${map[0]}…${map[1]} mapped to 0…255`);
  if (width !== w0 || height !== h0) notes.push(`cropped to even ${width}×${height}`);
  let bytes: Uint8Array;
  if (format === 'avc1/mp4') {
    const bitrate = Math.max(1e6, width * height * 25 * 0.5);
    const config = await webCodecsH264Config(width, height, 25, bitrate);
    if (config) {
      bytes = (
        await encodeH264Mp4({ width, height, count: frames.length, frame: rgba }, { fps: 25, bitrate, config, signal: ctl.signal, onProgress: ctl.onProgress })
      ).bytes;
      notes.push(`H.264 ${config.codec} (WebCodecs), lossy`);
    } else {
      bytes = await encodeVideo({
        width,
        height,
        inputPixFmt: 'rgba',
        frameCount: frames.length,
        frame: rgba,
        outputName: 'chunk.mp4',
        codecArgs: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '17'],
        outputPixFmt: 'yuv420p',
        fps: 25,
        signal: ctl.signal,
        onProgress: ctl.onProgress,
      });
      notes.push('H.264 (x264), lossy');
    }
  } else {
    const q = quality;
    bytes = await encodeVideo({
      width,
      height,
      inputPixFmt: 'rgba',
      frameCount: frames.length,
      frame: rgba,
      outputName: 'chunk.avi',
      codecArgs: ['-c:v', 'mjpeg', '-q:v', String(q)],
      outputPixFmt: 'yuvj420p',
      fps: 25,
      signal: ctl.signal,
      onProgress: ctl.onProgress,
    });
    notes.push(`MJPEG -q:v ${q}, lossy`);
  }
  return { bytes, width, height, note: notes.join('; ') };
}
