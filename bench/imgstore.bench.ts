/**
 * imgstore random-seek latency in Chromium: ms per uncached random frame for generated stores
 * opened through openDataset from Blobs (as a dropped folder would be), and sequential reading:
 * 10,000 frames of 1024×1024 (1 megapixel) in mjpeg/avi and avc1/mp4 (libx264, keyint 250,
 * B-frames: the layout imgstore/OpenCV writes) in 5 chunks of 2000, and 3000 frames of 640×480 in
 * mjpeg/avi, avc1/mp4 and h264/mkv in 3 chunks of 1000. Budget (DESIGN.md): ≤ 150 ms per uncached
 * random 1-megapixel frame; issue #10: at 640×480, MJPEG random frames no slower than
 * imgstore/OpenCV and ≥ 60 fps sequential, H.264 random frames in half OpenCV's time.
 *
 * Beside each store, the references on the same chunk files and the same frames: native ffmpeg's
 * seek + decode of one frame (a process per frame, as a script would call it) and, where Debian's
 * python3 has OpenCV, imgstore's own way of reading (cv2.VideoCapture kept open per chunk,
 * CAP_PROP_POS_FRAMES seek + read; sequential reads after one seek).
 * `IMGSTORE_BENCH_ONLY=640 npm run bench -- imgstore` runs the 640×480 stores alone.
 *
 * The stores are generated once with native ffmpeg (testsrc2) plus our own index npz writer into
 * bench/out/imgstore/ (gitignored); skipped with a message when native ffmpeg is absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context';
import { encodeNpy } from '../src/codecs/npy';
import { encodeNpz } from '../src/codecs/npz';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, 'out', 'imgstore');
const SEEKS = 25;

interface Store {
  name: string;
  format: string;
  ext: string;
  args: string[];
  W: number;
  H: number;
  frames: number;
  chunk: number;
}

const x264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '250', '-bf', '2', '-pix_fmt', 'yuv420p'];
const mjpeg = ['-c:v', 'mjpeg', '-q:v', '6', '-pix_fmt', 'yuvj420p'];
const MP = { W: 1024, H: 1024, frames: 10000, chunk: 2000 };
const VGA = { W: 640, H: 480, frames: 3000, chunk: 1000 };
const STORES: Store[] = [
  { name: 'mjpeg_avi', format: 'mjpeg/avi', ext: '.avi', args: mjpeg, ...MP },
  { name: 'avc1_mp4', format: 'avc1/mp4', ext: '.mp4', args: x264, ...MP },
  { name: 'mjpeg_avi_640', format: 'mjpeg/avi', ext: '.avi', args: mjpeg, ...VGA },
  { name: 'avc1_mp4_640', format: 'avc1/mp4', ext: '.mp4', args: x264, ...VGA },
  { name: 'h264_mkv_640', format: 'h264/mkv', ext: '.mkv', args: x264, ...VGA },
];

/** The random frames every reader is timed on (the same for ours and the references). */
function randomFrames(frames: number): number[] {
  let seed = 4242;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  return Array.from({ length: SEEKS }, () => Math.floor(rnd() * frames));
}

const chunkFile = (dir: string, s: Store, i: number) => join(dir, String(Math.floor(i / s.chunk)).padStart(6, '0') + s.ext);

/** Native ffmpeg: seek to the frame's time in its chunk and decode one frame to RGB (process start included). */
function nativeSeeks(ffmpeg: string, dir: string, s: Store, idx: number[]): number[] {
  return idx.map((i) => {
    const t = performance.now();
    execFileSync(
      ffmpeg,
      ['-v', 'error', '-ss', ((i % s.chunk) / 25).toFixed(3), '-i', chunkFile(dir, s, i), '-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'null', '-'],
      { stdio: 'ignore' },
    );
    return performance.now() - t;
  });
}

/** imgstore's reading through OpenCV (Debian's python3-opencv): null when it is not installed. */
function openCv(dir: string, s: Store, idx: number[]): { times: number[]; seqFps: number } | null {
  const script = `
import sys, time, json, cv2
chunk, ext, d = ${s.chunk}, ${JSON.stringify(s.ext)}, ${JSON.stringify(dir)}
caps = {}
def cap(c):
    if c not in caps:
        caps[c] = cv2.VideoCapture('%s/%06d%s' % (d, c, ext))
    return caps[c]
def read(i):
    v = cap(i // chunk)
    v.set(cv2.CAP_PROP_POS_FRAMES, i % chunk)
    ok, img = v.read()
    assert ok and img.shape[0] == ${s.H}, i
idx = ${JSON.stringify(idx)}
for c in sorted(set(i // chunk for i in idx)): cap(c).read()
times = []
for i in idx:
    t = time.perf_counter(); read(i); times.append((time.perf_counter() - t) * 1000)
mid = ${Math.floor(s.frames / 2)}
read(mid)
v = cap(mid // chunk)
t = time.perf_counter()
for k in range(120): ok, img = v.read(); assert ok
print(json.dumps({'times': times, 'seqFps': 120 / (time.perf_counter() - t)}))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    if (!/No module named|ENOENT/.test(`${r.stderr}${r.error ?? ''}`))
      console.log(`  OpenCV reference failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const quantile = (a: number[], q: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * q))];

function generate(ffmpeg: string, s: Store): string {
  const dir = join(OUT, s.name);
  const done = join(dir, 'metadata.yaml');
  if (existsSync(done)) return dir;
  mkdirSync(dir, { recursive: true });
  const t0 = 1710498030.5;
  for (let c = 0; c * s.chunk < s.frames; c++) {
    const n = Math.min(s.chunk, s.frames - c * s.chunk);
    const name = String(c).padStart(6, '0');
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=${s.W}x${s.H}:r=25`,
      '-ss',
      String((c * s.chunk) / 25),
      '-frames:v',
      String(n),
      ...s.args,
      join(dir, name + s.ext),
    ]);
    const fn = new Float64Array(n);
    const ft = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = c * s.chunk + i;
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
    `__store:\n  chunksize: ${s.chunk}\n  class: VideoImgStore\n  encoding: null\n  extension: ${s.ext}\n  format: ${s.format}\n  imgdtype: uint8\n  imgshape:\n  - ${s.H}\n  - ${s.W}\n  - 3\n  timezone_local: UTC\n  version: 2\n`,
  );
  return dir;
}

export default async function bench(ctx: BenchContext): Promise<void> {
  if (!ctx.nativeFfmpeg) {
    console.log('  skipped: native ffmpeg not found (needed to generate the 10,000-frame stores)');
    return;
  }
  const only = process.env.IMGSTORE_BENCH_ONLY;
  for (const s of STORES.filter((x) => !only || x.name.endsWith(`_${only}`))) {
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
        async ({ files, base, idx, frames, H }) => {
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
          const times: number[] = [];
          const wrong: number[] = [];
          for (const i of idx) {
            t = performance.now();
            const f = await src.readFrame(i);
            times.push(performance.now() - t);
            if (f.info.index !== i || f.fields.image.shape[0] !== H) wrong.push(i);
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
        { files, base, idx: randomFrames(s.frames), frames: s.frames, H: s.H },
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
    const med = quantile(r.times, 0.5);
    const p95 = quantile(r.times, 0.95);
    const mean = r.times.reduce((a, b) => a + b, 0) / r.times.length;
    const size = `${s.W}×${s.H}, ${s.frames} frames in ${s.frames / s.chunk} chunks`;
    if (r.wrong.length || r.count !== s.frames) console.log(`  WARNING: ${r.count} frames, wrong reads at ${r.wrong.join(', ')}`);
    ctx.report(`${s.name} open (${size})`, r.openMs, 'ms');
    ctx.report(`${s.name} first frame`, r.firstMs, 'ms', 'includes ffmpeg/decoder start');
    ctx.report(`${s.name} random frame median`, med, 'ms', `${SEEKS} uncached random seeks${s.W === 1024 ? '; budget 150 ms' : ''}`);
    ctx.report(`${s.name} random frame p95`, p95, 'ms');
    ctx.report(`${s.name} random frame mean`, mean, 'ms');
    ctx.report(`${s.name} sequential readFrame, one at a time`, r.seqFps, 'fps', '120 frames from the middle');
    ctx.report(`${s.name} sequential readFrame, two at a time`, r.pairFps, 'fps', 'as two pool workers read an MJPEG store');
    const idx = randomFrames(s.frames);
    const nat = nativeSeeks(ctx.nativeFfmpeg, dir, s, idx.slice(0, 10));
    ctx.report(`${s.name} native ffmpeg seek + decode of one frame, median`, quantile(nat, 0.5), 'ms', '10 of the same frames, process start included');
    const cv = openCv(dir, s, idx);
    if (cv) {
      ctx.report(`${s.name} imgstore/OpenCV random frame median`, quantile(cv.times, 0.5), 'ms', `p95 ${quantile(cv.times, 0.95).toFixed(1)} ms; same frames`);
      ctx.report(`${s.name} imgstore/OpenCV sequential`, cv.seqFps, 'fps', '120 frames from the middle');
      ctx.report(`${s.name} random frame median, framescope / OpenCV`, med / quantile(cv.times, 0.5), '×');
    } else console.log('  no OpenCV in /usr/bin/python3 (apt-get install python3-opencv): the imgstore/OpenCV reference is skipped');
  }
}
