/**
 * A py-pde MovieStorage movie generated with Debian's ffmpeg the way py-pde writes one (rawvideo
 * gray16le piped in, `-metadata comment=…`, `-pix_fmt gray16le -vcodec ffv1`, ffmpeg's default
 * FFV1 settings: version 1, no slices, a keyframe every 12 frames). The field is a drifting smooth
 * pattern plus simulation-like noise in the low bits (what makes FFV1 decoding cost something).
 * Node only; for the FFV1 tests and the bench.
 */
import { execFileSync } from 'node:child_process';

export function pypdeComment(w: number, h: number, frames: number, dt = 0.1): string {
  const grid = {
    bounds: [
      [0, 1],
      [0, 1],
    ],
    shape: [w, h],
    periodic: [true, true],
    class: 'CartesianGrid',
  };
  const meta = {
    dt,
    t_start: 0,
    field_attributes: { class: '"ScalarField"', grid: JSON.stringify(grid), label: '"c"', dtype: '"<f8"' },
    video_format: 'gray16le',
    version: 1,
    vmin: -1,
    vmax: 1,
    write_times: false,
    frames,
  };
  // py-pde shell-quotes the JSON; ffmpeg stores the argument as given
  return `'${JSON.stringify(meta)}'`;
}

/** Raw gray16le frames (frame-major), deterministic. */
export function pypdeFrames(w: number, h: number, frames: number): Buffer {
  const out = Buffer.alloc(w * h * 2 * frames);
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 4294967296;
  };
  for (let f = 0; f < frames; f++) {
    const t = f * 0.05;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = 0.6 * Math.sin((x / w) * 6.283 * 2 + t) * Math.cos((y / h) * 6.283 * 3 - t * 0.7) + (rnd() - 0.5) * 0.004;
        const q = Math.max(0, Math.min(65535, Math.round(((v + 1) / 2) * 65535)));
        out.writeUInt16LE(q, ((f * h + y) * w + x) * 2);
      }
  }
  return out;
}

/** Write `path` (.avi/.mkv) with native ffmpeg as py-pde's MovieStorage does. */
export function writePypdeMovie(path: string, w: number, h: number, frames: number, extra: string[] = []): void {
  execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pixel_format',
      'gray16le',
      '-s',
      `${w}x${h}`,
      '-i',
      'pipe:',
      '-metadata',
      `comment=${pypdeComment(w, h, frames)}`,
      '-pix_fmt',
      'gray16le',
      '-vcodec',
      'ffv1',
      ...extra,
      path,
    ],
    { input: pypdeFrames(w, h, frames), maxBuffer: 1 << 30, stdio: ['pipe', 'ignore', 'inherit'] },
  );
}

/** Native sequential decode of every frame to gray16le (the reference parallel decoding must equal). */
export function nativeFrames(path: string, pixFmt = 'gray16le'): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-threads', '1', '-i', path, '-f', 'rawvideo', '-pix_fmt', pixFmt, 'pipe:'], { maxBuffer: 1 << 30 });
}
