/**
 * Browser-only: encode raw frames with ffmpeg.wasm. The frames are collected into a Blob (the
 * browser keeps its bytes, outside the wasm heap, paging to disk for large ones) that is mounted
 * read-only with WORKERFS, so one exec reads them lazily and only the compressed output lands in
 * the wasm memory.
 */
import type { EncodeVideoJob } from './types';
import { addResource, AbortError, currentInstance, removeResource, runExclusive, throwIfAborted } from './ffmpeg-loader';
import { rawFrameBytes } from './raw-frames';

export { EncodeError } from '../core/errors';
import { EncodeError } from '../core/errors';

let seq = 0;
const PART_BYTES = 32 << 20;

function numberArg(x: number): string {
  if (!(x > 0) || !Number.isFinite(x)) throw new EncodeError(`fps must be a positive number, got ${x}`);
  return Number.isInteger(x) ? String(x) : String(+x.toPrecision(12));
}

/** Encode a job; progress counts collected frames for the first half and encoded frames for the second. */
export async function encodeWithFfmpeg(job: EncodeVideoJob): Promise<Uint8Array> {
  const { width, height, frameCount, inputPixFmt, signal } = job;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new EncodeError(`bad frame size ${width}x${height}`);
  if (!(Number.isInteger(frameCount) && frameCount > 0)) throw new EncodeError(`bad frame count ${frameCount}`);
  const fps = numberArg(job.fps);
  const fb = rawFrameBytes(inputPixFmt, width, height);
  const progress = (done: number) => job.onProgress?.(Math.min(frameCount, done), frameCount);

  // 1. Collect the raw frames into a Blob, a bounded number of bytes at a time.
  const blobs: Blob[] = [];
  let part: Uint8Array[] = [];
  let partBytes = 0;
  let frameBytes = fb;
  for (let i = 0; i < frameCount; i++) {
    throwIfAborted(signal);
    const f = await job.frame(i);
    if (frameBytes === null) frameBytes = f.byteLength;
    if (f.byteLength !== frameBytes) throw new EncodeError(`frame ${i} has ${f.byteLength} bytes, expected ${frameBytes} (${width}x${height} ${inputPixFmt})`);
    part.push(f.slice());
    partBytes += f.byteLength;
    if (partBytes >= PART_BYTES) {
      blobs.push(new Blob(part as BlobPart[]));
      part = [];
      partBytes = 0;
    }
    progress((i + 1) / 2);
  }
  if (part.length) blobs.push(new Blob(part as BlobPart[]));
  part = [];
  const input = new Blob(blobs);

  // 2. One exec over the mounted Blob.
  const k = ++seq;
  const dir = `/enc${k}`;
  const ext = (/\.[A-Za-z0-9]+$/.exec(job.outputName)?.[0] ?? '.mkv').toLowerCase();
  const out = `/enc${k}-out${ext}`;
  const args = ['-hide_banner', '-loglevel', 'info', '-stats_period', '0.2'];
  args.push('-f', 'rawvideo', '-pixel_format', inputPixFmt, '-video_size', `${width}x${height}`, '-framerate', fps);
  args.push('-i', `${dir}/frames.raw`, '-map', '0:v:0');
  if (job.extraArgs) args.push(...job.extraArgs);
  args.push(...job.codecArgs);
  if (job.outputPixFmt) args.push('-pix_fmt', job.outputPixFmt);
  for (const [key, value] of Object.entries(job.tags ?? {})) args.push('-metadata', `${key}=${value}`);
  args.push(out);

  try {
    return await runExclusive(
      async ({ ff, captureLog }) => {
        const log: string[] = [];
        captureLog((line) => {
          log.push(line);
          if (log.length > 200) log.shift();
          const m = /frame=\s*(\d+)/.exec(line);
          if (m) progress(frameCount / 2 + Number(m[1]) / 2);
        });
        await addResource(ff, { path: dir, name: 'frames.raw', blob: input });
        try {
          const code = await ff.exec(args);
          let bytes: Uint8Array | null = null;
          try {
            bytes = (await ff.readFile(out)) as Uint8Array;
            await ff.deleteFile(out);
          } catch {
            bytes = null;
          }
          if (code !== 0 || !bytes || !bytes.length) {
            const tail = log
              .filter((l) => /error|invalid|unknown|not|fail/i.test(l))
              .slice(-4)
              .join(' | ');
            throw new EncodeError(`ffmpeg encode failed (exit ${code})${tail ? ': ' + tail : ''}`);
          }
          progress(frameCount);
          return bytes;
        } finally {
          await removeResource(ff, dir);
        }
      },
      { signal, killAfterMs: 250 },
    );
  } catch (e) {
    if (e instanceof AbortError) await removeResource(currentInstance(), dir);
    throw e;
  }
}
