/**
 * Browser-only: H.264 in MP4 with WebCodecs `VideoEncoder` (hardware or the browser's software
 * encoder) muxed by mp4box.js (fragmented MP4: one moof+mdat per frame, total duration in the
 * movie header). Frame timing is exact: the time scale is chosen so that every frame lasts a whole
 * number of ticks (20 ms → 1000 ticks/s, 20 each; 30000/1001 fps → 30000 ticks/s, 1001 each).
 */
import { createFile } from 'mp4box';
import { throwIfAborted } from './job';

export interface RgbaFrameSource {
  width: number;
  height: number;
  count: number;
  /** RGBA bytes of frame i (width·height·4) */
  frame(i: number): Promise<Uint8Array | Uint8ClampedArray>;
}

/** Best rational p/q ≈ x with q ≤ maxQ (continued fractions). */
export function rational(x: number, maxQ = 1001): [number, number] {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`not a positive rate: ${x}`);
  let [p0, q0, p1, q1] = [0, 1, 1, 0];
  let v = x;
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(v);
    const p2 = a * p1 + p0;
    const q2 = a * q1 + q0;
    if (q2 > maxQ) break;
    [p0, q0, p1, q1] = [p1, q1, p2, q2];
    const f = v - a;
    if (f < 1e-12 || Math.abs(p1 / q1 - x) <= 1e-12 * x) break;
    v = 1 / f;
  }
  return [p1, q1];
}

/** Time scale (ticks/s) and ticks per frame for a frame rate. */
export function mp4Timing(fps: number): { timescale: number; ticks: number } {
  const [p, q] = rational(fps);
  const m = Math.max(1, Math.ceil(1000 / p));
  return { timescale: p * m, ticks: q * m };
}

const CODECS = ['avc1.640028', 'avc1.4d0028', 'avc1.42e028', 'avc1.640033', 'avc1.42e033', 'avc1.42001f'];

/** A codec string the browser's VideoEncoder accepts for this size, or null (then use x264 in ffmpeg.wasm). */
export async function webCodecsH264Config(width: number, height: number, fps: number, bitrate: number): Promise<VideoEncoderConfig | null> {
  if (typeof VideoEncoder === 'undefined' || typeof VideoFrame === 'undefined') return null;
  for (const codec of CODECS) {
    const config: VideoEncoderConfig = { codec, width, height, bitrate, framerate: fps, avc: { format: 'avc' }, latencyMode: 'quality' };
    try {
      const r = await VideoEncoder.isConfigSupported(config);
      if (r.supported) return r.config ?? config;
    } catch {
      // try the next profile/level
    }
  }
  return null;
}

export interface H264Result {
  bytes: Uint8Array;
  codec: string;
  timescale: number;
  ticks: number;
}

export async function encodeH264Mp4(
  src: RgbaFrameSource,
  opts: { fps: number; bitrate: number; config?: VideoEncoderConfig; signal?: AbortSignal; onProgress?(done: number, total: number): void },
): Promise<H264Result> {
  const { width, height, count } = src;
  if (width % 2 || height % 2) throw new RangeError(`H.264 needs even sizes (got ${width}×${height})`);
  const config = opts.config ?? (await webCodecsH264Config(width, height, opts.fps, opts.bitrate));
  if (!config) throw new Error('this browser has no WebCodecs H.264 encoder for this size');
  const { timescale, ticks } = mp4Timing(opts.fps);
  const usPerFrame = (1e6 * ticks) / timescale;
  const chunks: { data: Uint8Array; key: boolean }[] = [];
  let description: ArrayBuffer | null = null;
  let failure: Error | null = null;
  const encoder = new VideoEncoder({
    output: (chunk, meta) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      chunks.push({ data, key: chunk.type === 'key' });
      const d = meta?.decoderConfig?.description;
      if (d && !description)
        description =
          d instanceof ArrayBuffer
            ? d.slice(0)
            : new Uint8Array((d as ArrayBufferView).buffer, (d as ArrayBufferView).byteOffset, (d as ArrayBufferView).byteLength).slice().buffer;
    },
    error: (e) => {
      failure = e instanceof Error ? e : new Error(String(e));
    },
  });
  encoder.configure(config);
  const gop = Math.max(1, Math.round(opts.fps * 2));
  try {
    for (let i = 0; i < count; i++) {
      throwIfAborted(opts.signal);
      if (failure) throw failure;
      const rgba = await src.frame(i);
      if (rgba.byteLength !== width * height * 4) throw new RangeError(`frame ${i} has ${rgba.byteLength} bytes, expected ${width}×${height}×4`);
      const vf = new VideoFrame(rgba, {
        format: 'RGBA',
        codedWidth: width,
        codedHeight: height,
        timestamp: Math.round(i * usPerFrame),
        duration: Math.round(usPerFrame),
      });
      encoder.encode(vf, { keyFrame: i % gop === 0 });
      vf.close();
      // keep the encoder queue short (bounded memory)
      while (encoder.encodeQueueSize > 8) await new Promise((r) => setTimeout(r, 1));
      opts.onProgress?.(i + 1, count);
    }
    await encoder.flush();
  } finally {
    if (encoder.state !== 'closed') encoder.close();
  }
  if (failure) throw failure;
  if (!description) throw new Error('the H.264 encoder gave no decoder configuration (avcC)');
  if (chunks.length !== count) throw new Error(`the H.264 encoder returned ${chunks.length} frames for ${count}`);
  const file = createFile();
  const total = count * ticks;
  const track = file.addTrack({
    timescale,
    width,
    height,
    duration: total,
    media_duration: total,
    avcDecoderConfigRecord: description,
    brands: ['isom', 'iso2', 'avc1', 'mp41'],
  });
  chunks.forEach((c, i) => {
    file.addSample(track, c.data as Uint8Array<ArrayBuffer>, { duration: ticks, dts: i * ticks, cts: i * ticks, is_sync: c.key });
  });
  const stream = file.getBuffer();
  const bytes = new Uint8Array(stream.buffer, 0, stream.byteLength).slice();
  return { bytes, codec: config.codec, timescale, ticks };
}
