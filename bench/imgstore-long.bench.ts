/**
 * A long recording (issue #10): a 100,000-frame VideoImgStore (hours at 30 fps) in 100 chunks of
 * 1000 frames, opened through openDataset in Node (the reader's own work: metadata, 100 chunk
 * indexes, the frame table) and in Chromium from Blobs (as a dropped folder); then jumps to
 * random times and frame numbers (the reader's nearest-frame lookups). Budget: open ≤ 1 s, a jump
 * ≤ 150 ms. The chunk videos are one small 1000-frame MJPEG AVI hard-linked 100 times (opening does
 * not decode them); generated once into bench/out/imgstore-long/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context';
import { chunkIndexNpz } from '../src/formats/imgstore/write-store';

const here = dirname(fileURLToPath(import.meta.url));
const DIR = join(here, 'out', 'imgstore-long');
const CHUNKS = 100;
const CHUNK = 1000;
const FRAMES = CHUNKS * CHUNK;
const T0 = 1710498030.5;

function generate(ffmpeg: string): void {
  if (existsSync(join(DIR, 'metadata.yaml'))) return;
  mkdirSync(DIR, { recursive: true });
  const video = join(DIR, 'chunk-template.avi.tmp');
  execFileSync(ffmpeg, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=64x48:r=30',
    '-frames:v',
    String(CHUNK),
    '-c:v',
    'mjpeg',
    '-q:v',
    '8',
    '-f',
    'avi',
    video,
  ]);
  for (let c = 0; c < CHUNKS; c++) {
    const name = String(c).padStart(6, '0');
    linkSync(video, join(DIR, name + '.avi'));
    const numbers: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < CHUNK; i++) {
      const k = c * CHUNK + i;
      numbers.push(k + Math.floor(k / 9973)); // a dropped frame every 9973
      times.push(T0 + numbers[i] / 30);
    }
    writeFileSync(join(DIR, name + '.npz'), chunkIndexNpz(numbers, times));
  }
  writeFileSync(
    join(DIR, 'metadata.yaml'),
    `__store:\n  chunksize: ${CHUNK}\n  class: VideoImgStore\n  encoding: null\n  extension: .avi\n  format: mjpeg/avi\n  imgdtype: uint8\n  imgshape:\n  - 48\n  - 64\n  - 3\n  timezone_local: UTC\n  version: 2\n`,
  );
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

export default async function bench(ctx: BenchContext): Promise<void> {
  if (!ctx.nativeFfmpeg) {
    console.log('  skipped: native ffmpeg not found (needed to generate the chunk videos)');
    return;
  }
  generate(ctx.nativeFfmpeg);
  const { sourceTreeFromPath } = await import('../src/io/node');
  const { openDataset } = await import('../src/formats/index');
  const opens: number[] = [];
  const jumps: number[] = [];
  for (let k = 0; k < 3; k++) {
    const tree = await sourceTreeFromPath(DIR);
    tree.files = tree.files.filter((f) => !f.path.endsWith('.tmp'));
    const t = performance.now();
    const src = await openDataset(tree);
    opens.push(performance.now() - t);
    if (src.frames.length !== FRAMES) console.log(`  WARNING: ${src.frames.length} frames, expected ${FRAMES}`);
    let seed = 99;
    for (let j = 0; j < 20; j++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const time = T0 + (seed / 4294967296) * (FRAMES / 30);
      const t1 = performance.now();
      src.nearestIndex(time);
      jumps.push(performance.now() - t1);
    }
    src.close();
  }
  ctx.report(
    '100,000-frame imgstore (100 chunks) open, Node',
    median(opens),
    'ms',
    `median of 3 (${opens.map((x) => x.toFixed(0)).join(', ')}); budget ≤ 1000 ms`,
  );
  ctx.report('100,000-frame imgstore: jump to a time (nearest frame lookup), Node', median(jumps), 'ms', 'median of 60; budget ≤ 150 ms with the frame');

  const page = await ctx.page();
  await page.evaluate('globalThis.__name = (f) => f');
  const names = readdirSync(DIR).filter((f) => !f.endsWith('.tmp'));
  const sizes = Object.fromEntries(names.map((f) => [f, statSync(join(DIR, f)).size]));
  const r = await page.evaluate(
    async ({ names }) => {
      const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
      const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
      const blobs = await Promise.all(names.map(async (n) => [n, await (await fetch('/bench/out/imgstore-long/' + n)).blob()] as const));
      const opens: number[] = [];
      let frames = 0;
      for (let k = 0; k < 3; k++) {
        const tree = { name: 'imgstore-long', files: blobs.map(([n, b]) => blobSourceFile(n, b)) };
        const t = performance.now();
        const src = await openDataset(tree);
        opens.push(performance.now() - t);
        frames = src.frames.length;
        src.close();
      }
      return { opens, frames };
    },
    { names, sizes },
  );
  ctx.report(
    '100,000-frame imgstore (100 chunks) open, Chromium from Blobs',
    median(r.opens),
    'ms',
    `median of 3 (${r.opens.map((x) => x.toFixed(0)).join(', ')}); ${r.frames} frames; budget ≤ 1000 ms`,
  );
}
