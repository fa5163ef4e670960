/**
 * imgstore random-seek latency in Chromium: ms per uncached random frame for a generated
 * 10,000-frame, 1024×1024 (1 megapixel) store in mjpeg/avi and in avc1/mp4 (libx264, keyint 250,
 * B-frames: the layout imgstore/OpenCV writes), 5 chunks of 2000 frames each, opened through
 * openDataset from Blobs (as a dropped folder would be). Budget (DESIGN.md): ≤ 150 ms per uncached
 * random 1-megapixel frame.
 *
 * The stores are generated once with native ffmpeg (testsrc2) plus our own index npz writer into
 * bench/out/imgstore/ (gitignored); skipped with a message when native ffmpeg is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context';
import { encodeNpy } from '../src/codecs/npy';
import { encodeNpz } from '../src/codecs/npz';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, 'out', 'imgstore');
const W = 1024;
const H = 1024;
const FRAMES = 10000;
const CHUNK = 2000;
const SEEKS = 25;

const STORES = [
  { name: 'mjpeg_avi', format: 'mjpeg/avi', ext: '.avi', args: ['-c:v', 'mjpeg', '-q:v', '6', '-pix_fmt', 'yuvj420p'] },
  { name: 'avc1_mp4', format: 'avc1/mp4', ext: '.mp4', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '250', '-bf', '2', '-pix_fmt', 'yuv420p'] },
];

function generate(ffmpeg: string, s: (typeof STORES)[number]): string {
  const dir = join(OUT, s.name);
  const done = join(dir, 'metadata.yaml');
  if (existsSync(done)) return dir;
  mkdirSync(dir, { recursive: true });
  const t0 = 1710498030.5;
  for (let c = 0; c * CHUNK < FRAMES; c++) {
    const n = Math.min(CHUNK, FRAMES - c * CHUNK);
    const name = String(c).padStart(6, '0');
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=${W}x${H}:r=25`,
      '-ss',
      String((c * CHUNK) / 25),
      '-frames:v',
      String(n),
      ...s.args,
      join(dir, name + s.ext),
    ]);
    const fn = new Float64Array(n);
    const ft = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = c * CHUNK + i;
      fn[i] = 5000 + k + Math.floor(k / 997); // a dropped frame every 997
      ft[i] = t0 + fn[i] * 0.04;
    }
    writeFileSync(
      join(dir, name + '.npz'),
      encodeNpz(
        { frame_number: encodeNpy({ data: BigInt64Array.from(fn, (v) => BigInt(v)), shape: [n] }), frame_time: encodeNpy({ data: ft, shape: [n] }) },
        { compress: false },
      ),
    );
  }
  writeFileSync(
    done,
    `__store:\n  chunksize: ${CHUNK}\n  class: VideoImgStore\n  encoding: null\n  extension: ${s.ext}\n  format: ${s.format}\n  imgdtype: uint8\n  imgshape:\n  - ${H}\n  - ${W}\n  - 3\n  timezone_local: UTC\n  version: 2\n`,
  );
  return dir;
}

export default async function bench(ctx: BenchContext): Promise<void> {
  if (!ctx.nativeFfmpeg) {
    console.log('  skipped: native ffmpeg not found (needed to generate the 10,000-frame stores)');
    return;
  }
  for (const s of STORES) {
    const t = performance.now();
    const dir = generate(ctx.nativeFfmpeg, s);
    const files = readdirSync(dir).map((f) => ({ path: f, size: statSync(join(dir, f)).size }));
    const total = files.reduce((a, f) => a + f.size, 0);
    console.log(`  ${s.name}: store ready (${(total / 1e6).toFixed(0)} MB, ${((performance.now() - t) / 1000).toFixed(1)} s)`);
    const page = await ctx.page();
    // tsx/esbuild (keepNames) wraps functions in __name(); the page has no such helper
    await page.evaluate('globalThis.__name = (f) => f');
    const base = `/bench/out/imgstore/${s.name}/`;
    const run = () =>
      page.evaluate(
        async ({ files, base, seeks, frames }) => {
          const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
          const { openDataset } = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
          // a dropped folder: Files (Blobs) in memory, read with Blob.slice
          const tree = {
            name: 'store',
            files: await Promise.all(files.map(async (f) => blobSourceFile(f.path, await (await fetch(base + f.path)).blob()))),
          };
          let t = performance.now();
          const src = await openDataset(tree);
          const openMs = performance.now() - t;
          t = performance.now();
          await src.readFrame(0);
          const firstMs = performance.now() - t;
          let seed = 4242;
          const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
          const times: number[] = [];
          const wrong: number[] = [];
          for (let k = 0; k < seeks; k++) {
            const i = Math.floor(rnd() * frames);
            t = performance.now();
            const f = await src.readFrame(i);
            times.push(performance.now() - t);
            if (f.info.index !== i || f.fields.image.shape[0] !== 1024) wrong.push(i);
          }
          // sequential reading (playback) from the middle: one read at a time, then two at a time (as
          // the pool's two dataset workers read an MJPEG or image store)
          const from = Math.floor(frames / 2);
          await src.readFrame(from);
          t = performance.now();
          for (let i = from + 1; i <= from + 120; i++) await src.readFrame(i);
          const seqFps = 120 / ((performance.now() - t) / 1000);
          const from2 = Math.floor(frames / 3);
          await src.readFrame(from2);
          t = performance.now();
          for (let i = from2 + 1; i <= from2 + 120; i += 2) await Promise.all([src.readFrame(i), src.readFrame(i + 1)]);
          const pairFps = 120 / ((performance.now() - t) / 1000);
          src.close();
          return { openMs, firstMs, times, wrong, count: src.frames.length, seqFps, pairFps };
        },
        { files, base, seeks: SEEKS, frames: FRAMES },
      );
    let r: Awaited<ReturnType<typeof run>> | null = null;
    for (let attempt = 0; attempt < 4 && !r; attempt++) {
      try {
        r = await run();
      } catch (e) {
        // Vite's dependency optimiser reloads the page the first time it meets new imports: retry
        if (!/Execution context was destroyed|interrupted by another navigation/.test(String(e)) || attempt === 3) throw e;
        await new Promise((ok) => setTimeout(ok, 3000));
        await page.waitForLoadState('load');
        await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
        await page.evaluate('globalThis.__name = (f) => f');
      }
    }
    if (!r) return;
    await page.close();
    const sorted = [...r.times].sort((a, b) => a - b);
    const med = sorted[sorted.length >> 1];
    const p90 = sorted[Math.floor(sorted.length * 0.9)];
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    if (r.wrong.length || r.count !== FRAMES) console.log(`  WARNING: ${r.count} frames, wrong reads at ${r.wrong.join(', ')}`);
    ctx.report(`${s.name} open (10k frames, 5 chunks)`, r.openMs, 'ms');
    ctx.report(`${s.name} first frame`, r.firstMs, 'ms', 'includes ffmpeg/decoder start');
    ctx.report(`${s.name} random frame median`, med, 'ms', `${SEEKS} uncached random seeks, 1024x1024; budget 150 ms`);
    ctx.report(`${s.name} random frame p90`, p90, 'ms');
    ctx.report(`${s.name} random frame mean`, mean, 'ms');
    ctx.report(`${s.name} sequential readFrame, one at a time`, r.seqFps, 'fps', '120 frames from the middle');
    ctx.report(`${s.name} sequential readFrame, two at a time`, r.pairFps, 'fps', 'as two pool workers read an MJPEG store');
  }
}
