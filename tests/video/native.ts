/**
 * Test helpers: native ffprobe/ffmpeg (Debian's, for oracles and generated inputs only), a temp
 * dir for generated movies, and a cut-off view of a SourceFile (a truncated file without copying).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceFile } from '../../src/formats/types';

function has(bin: string): boolean {
  try {
    execFileSync(bin, ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const HAS_FFPROBE = has('ffprobe');
export const HAS_FFMPEG = has('ffmpeg');
export const NO_FFPROBE = 'native ffprobe not found: comparisons with ffprobe skipped';
export const NO_FFMPEG = 'native ffmpeg not found: generated-movie tests skipped';

export interface ProbePacket {
  pts: number;
  size: number;
  key: boolean;
}

/** Every packet of the first video stream as native ffprobe lists it (file order), and the stream facts. */
export function ffprobePackets(path: string): { timeBase: string; nbFrames: number | null; packets: ProbePacket[] } {
  const run = (args: string[]) => execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', ...args, path], { maxBuffer: 1 << 28 }).toString();
  const st = JSON.parse(run(['-show_entries', 'stream=time_base,nb_frames', '-of', 'json'])) as { streams: { time_base: string; nb_frames?: string }[] };
  const packets = run(['-show_entries', 'packet=pts,size,flags', '-of', 'csv=p=0'])
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [pts, size, flags] = l.split(',');
      return { pts: Number(pts), size: Number(size), key: flags.startsWith('K') };
    });
  const nb = Number(st.streams[0].nb_frames);
  return { timeBase: st.streams[0].time_base, nbFrames: Number.isFinite(nb) ? nb : null, packets };
}

/** Bytes native ffprobe reads with `args` (the sum of its AVIOContext statistics at -v debug). */
export function ffprobeBytesRead(path: string, args: string[]): number {
  const r = spawnSync('ffprobe', ['-v', 'debug', ...args, path], { maxBuffer: 1 << 28, encoding: 'utf8' });
  const hits = [...String(r.stderr).matchAll(/Statistics: (\d+) bytes read/g)].map((m) => Number(m[1]));
  if (!hits.length) throw new Error(`ffprobe printed no read statistics for ${path}`);
  return hits.reduce((x, y) => x + y, 0);
}

export function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function tempDir(prefix: string): { dir: string; path(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The first `size` bytes of `file`, as a truncated file would be. */
export function cutFile(file: SourceFile, size: number): SourceFile {
  return { path: file.path, size, read: (s = 0, e = size) => file.read(Math.min(s, size), Math.min(e, size)) };
}
