/**
 * Video pipeline figures (Chromium, ffmpeg.wasm single-thread core; native = Debian's ffmpeg):
 * core load, FFV1 decode fps (wasm exec, VideoFile pipeline, native, ratio), uncached random-frame
 * latency in 10,000-frame ~1 MP MJPEG/AVI, MJPEG/MKV, H.264/MKV and H.264/MP4 recordings (ffmpeg.wasm and
 * WebCodecs), open time of the AVI/MKV ones split into container index, header-only ffprobe and
 * the full packet scan the index replaces,
 * FFV1 encode fps (wasm vs native) and H.264 encode fps (WebCodecs VideoEncoder, libx264 in wasm).
 * Inputs are generated once into bench/out/ (gitignored) with native ffmpeg.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './context';
import { generate, median, OUT, pageEvaluator } from './inputs';
import { writePypdeMovie } from '../tests/video/pypde-movie';

function timeNative(ffmpeg: string, args: string[]): number {
  const t0 = performance.now();
  execFileSync(ffmpeg, ['-v', 'error', '-y', ...args], { stdio: 'ignore', maxBuffer: 1 << 30 });
  return performance.now() - t0;
}

export default async function videoBench(ctx: BenchContext): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const native = ctx.nativeFfmpeg;
  const evaluate = await pageEvaluator(ctx);

  // 1. core load (fresh page)
  const loadMs = await evaluate(async () => {
    const L = (await import('/src/video/ffmpeg-loader.ts' as string)) as typeof import('../src/video/ffmpeg-loader');
    const t0 = performance.now();
    await L.preloadFfmpeg();
    return performance.now() - t0;
  }, null);
  ctx.report('ffmpeg core load (ST, from localhost)', loadMs, 'ms', 'budget ≤ 1000 ms');

  if (!native) {
    console.log('  no native ffmpeg: the generated-input figures are skipped');
    return;
  }

  // VIDEO_BENCH_ONLY=ffv1: the py-pde FFV1 figures (section 2b) alone
  if (process.env.VIDEO_BENCH_ONLY === 'ffv1') return ffv1MovieBench(ctx, native, evaluate);
  // VIDEO_BENCH_ONLY=scrub: the scrubbing figures alone
  await scrubBench(ctx, native, evaluate);
  if (process.env.VIDEO_BENCH_ONLY === 'scrub') return;
  await gopBench(ctx, native, evaluate);
  // VIDEO_BENCH_ONLY=gop npm run bench -- video: the GOP-cache figures alone (a run of a few minutes)
  if (process.env.VIDEO_BENCH_ONLY === 'gop') return;

  // 2. FFV1 decode, 512×512 gray16le × 300
  const ffv1 = generate(native, 'video_ffv1_512_gray16.mkv', [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=512x512:rate=30',
    '-frames:v',
    '300',
    '-pix_fmt',
    'gray16le',
    '-c:v',
    'ffv1',
  ]);
  const nativeDec = Math.min(...[0, 1].map(() => timeNative(native, ['-i', ffv1, '-f', 'rawvideo', '-pix_fmt', 'gray16le', '/dev/null'])));
  const dec = await evaluate(async (size: number) => {
    const L = (await import('/src/video/ffmpeg-loader.ts' as string)) as typeof import('../src/video/ffmpeg-loader');
    const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
    const { sourceTreeFromUrls } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
    const bytes = new Uint8Array(await (await fetch('/bench/out/video_ffv1_512_gray16.mkv')).arrayBuffer());
    const execMs: number[] = [];
    await L.runExclusive(async ({ ff }) => {
      await ff.writeFile('/bench-ffv1.mkv', bytes.slice());
      for (let k = 0; k < 2; k++) {
        const t0 = performance.now();
        await ff.exec(['-i', '/bench-ffv1.mkv', '-f', 'rawvideo', '-pix_fmt', 'gray16le', '/dev/null']);
        execMs.push(performance.now() - t0);
      }
      await ff.deleteFile('/bench-ffv1.mkv');
    });
    const tree = sourceTreeFromUrls('b', [{ path: 'video_ffv1_512_gray16.mkv', url: '/bench/out/video_ffv1_512_gray16.mkv', size }]);
    const vf = await V.openVideo(tree.files[0]);
    const t0 = performance.now();
    for (let i = 0; i < vf.info.frameCount; i++) await vf.readFrame(i);
    const pipeMs = performance.now() - t0;
    const t1 = performance.now();
    for (let k = 0; k < 50; k++) await vf.readFrame(299 - k);
    const cachedMs = (performance.now() - t1) / 50;
    vf.close();
    return { execMs: Math.min(...execMs), pipeMs, frames: vf.info.frameCount, cachedMs };
  }, statSync(ffv1).size);
  const wasmFps = dec.frames / (dec.execMs / 1000);
  const nativeFps = 300 / (nativeDec / 1000);
  ctx.report('FFV1 512² gray16 decode, ffmpeg.wasm exec', wasmFps, 'fps', `${dec.execMs.toFixed(0)} ms / 300 frames`);
  ctx.report('FFV1 512² gray16 decode, native ffmpeg', nativeFps, 'fps', `${nativeDec.toFixed(0)} ms incl. process start`);
  ctx.report('FFV1 decode wasm/native time ratio', dec.execMs / nativeDec, '×', 'budget ≤ 2×');
  ctx.report('FFV1 512² sequential readFrame (VideoFile, batches)', dec.frames / (dec.pipeMs / 1000), 'fps', 'budget ≥ 30 fps playback');
  ctx.report('cached readFrame', dec.cachedMs, 'ms', '512² gray16');

  await ffv1MovieBench(ctx, native, evaluate);

  // 3. random seeks in 10,000-frame ~1 MP recordings
  const N = 10000;
  const mjpeg = generate(native, 'video_mjpeg_1024_10k.avi', [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1024x1024:rate=30',
    '-frames:v',
    String(N),
    '-c:v',
    'mjpeg',
    '-q:v',
    '8',
    '-pix_fmt',
    'yuvj420p',
  ]);
  const avc = generate(native, 'video_avc1_1024_10k.mp4', [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1024x1024:rate=30',
    '-frames:v',
    String(N),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '50',
    '-pix_fmt',
    'yuv420p',
  ]);
  // the same frames in Matroska (remuxed): MJPEG (every frame a keyframe and a cue point) and H.264
  const mjpegMkv = generate(native, 'video_mjpeg_1024_10k.mkv', ['-i', mjpeg, '-c', 'copy']);
  const avcMkv = generate(native, 'video_avc1_1024_10k.mkv', ['-i', avc, '-c', 'copy']);
  for (const [file, decoders] of [
    [mjpeg, ['ffmpeg', 'browser-jpeg']],
    [mjpegMkv, ['ffmpeg']],
    [avcMkv, ['ffmpeg', 'webcodecs']],
    [avc, ['ffmpeg', 'webcodecs']],
  ] as const) {
    for (const decoder of decoders) {
      const name = file.split('/').pop() as string;
      const r = await evaluate(
        async ({ name, decoder, N }: { name: string; decoder: 'ffmpeg' | 'webcodecs' | 'browser-jpeg'; N: number }) => {
          const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
          const L = (await import('/src/video/ffmpeg-loader.ts' as string)) as typeof import('../src/video/ffmpeg-loader');
          const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
          const blob = await (await fetch('/bench/out/' + name)).blob();
          // a fresh ffmpeg.wasm instance per recording (loaded before the clock starts): after three
          // or four of these 1-MP sessions one instance traps with "memory access out of bounds"
          L.resetFfmpeg();
          await L.preloadFfmpeg();
          const t0 = performance.now();
          let vf;
          try {
            vf = await V.openVideoFile(blobSourceFile(name, blob), { decoder });
          } catch (e) {
            return { error: String((e as Error).message ?? e) };
          }
          const openMs = performance.now() - t0;
          // deterministic pseudo-random, far-apart frames (never cached)
          let x = 987654321;
          const idx: number[] = [];
          for (let k = 0; k < 24; k++) {
            x = (x * 1103515245 + 12345) >>> 0;
            idx.push(x % N);
          }
          const ms: number[] = [];
          for (const i of idx) {
            const t = performance.now();
            await vf.readFrame(i, { pixFmt: 'rgb24' });
            ms.push(performance.now() - t);
          }
          const t1 = performance.now();
          for (let k = 1; k <= 60; k++) await vf.readFrame((idx[0] + k) % N, { pixFmt: 'rgb24' });
          const stepFps = 60 / ((performance.now() - t1) / 1000);
          vf.close();
          return { openMs, ms, stepFps, frames: vf.info.frameCount };
        },
        { name, decoder, N },
      );
      if ('error' in r) {
        ctx.report(`${name} random frame (${decoder})`, NaN, 'ms', `unavailable: ${r.error}`);
        continue;
      }
      ctx.report(`${name} open (${decoder})`, r.openMs, 'ms', `${r.frames} frames, ${(statSync(file).size / 1e6).toFixed(0)} MB`);
      ctx.report(
        `${name} uncached random frame → rgb24 (${decoder})`,
        median(r.ms),
        'ms',
        `median of 24; mean ${(r.ms.reduce((a, b) => a + b, 0) / r.ms.length).toFixed(0)} ms; budget ≤ 150 ms`,
      );
      ctx.report(`${name} stepping after a seek (${decoder})`, r.stepFps, 'fps', 'next 60 frames → rgb24');
    }
  }
  // 3b. what opening an AVI/MKV costs: the container index (Blob-slice reads) vs the full ffprobe packet scan it replaces
  for (const file of [mjpeg, mjpegMkv, avcMkv]) {
    const name = file.split('/').pop() as string;
    const r = await evaluate(
      async ({ name }: { name: string }) => {
        const L = (await import('/src/video/ffmpeg-loader.ts' as string)) as typeof import('../src/video/ffmpeg-loader');
        const P = (await import('/src/video/probe.ts' as string)) as typeof import('../src/video/probe');
        const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
        const blob = await (await fetch('/bench/out/' + name)).blob();
        const file = blobSourceFile(name, blob);
        L.resetFfmpeg();
        await L.preloadFfmpeg();
        let t0 = performance.now();
        const idx = await P.indexPackets(file);
        const indexMs = performance.now() - t0;
        return L.runExclusive(async ({ ff }) => {
          await L.addResource(ff, { path: '/bench-open', name, blob });
          t0 = performance.now();
          const head = await P.probe(ff, `/bench-open/${name}`, idx.known ?? undefined);
          const headerMs = performance.now() - t0;
          t0 = performance.now();
          const scan = await P.probe(ff, `/bench-open/${name}`);
          const scanMs = performance.now() - t0;
          await L.removeResource(ff, '/bench-open');
          const same = head.pts.length === scan.pts.length && head.pts.every((p, i) => p === scan.pts[i]);
          return { indexMs, headerMs, scanMs, frames: head.info.frameCount, same, source: idx.known?.source ?? 'none', warnings: idx.warnings };
        });
      },
      { name },
    );
    const note = `${r.frames} frames from ${r.source}${r.same ? ', = packet scan' : ', DIFFERS from the packet scan'}${r.warnings.length ? '; ' + r.warnings.join('; ') : ''}`;
    ctx.report(`${name} open: container index (Blob slices)`, r.indexMs, 'ms', note);
    ctx.report(`${name} open: ffprobe headers only`, r.headerMs, 'ms', 'with the index table');
    ctx.report(`${name} open: ffprobe full packet scan (the old path)`, r.scanMs, 'ms', `${(statSync(file).size / 1e6).toFixed(0)} MB read`);
  }

  const nativeSeek = median(
    [1234, 5678, 9012].map((i) =>
      timeNative(native, ['-ss', String(i / 30), '-i', mjpeg, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '/dev/null']),
    ),
  );
  ctx.report('native ffmpeg one random frame mjpeg/avi', nativeSeek, 'ms', 'incl. process start');

  // 4. encode: FFV1 gray16 512² × 300 (same raw frames for wasm and native), H.264
  const W = 512;
  const H = 512;
  const F = 300;
  const rawPath = join(OUT, 'video_enc_512_gray16.raw');
  if (!existsSync(rawPath)) {
    const all = Buffer.alloc(W * H * 2 * F);
    for (let i = 0; i < F; i++)
      for (let p = 0; p < W * H; p++) all.writeUInt16LE(((p % W) * 97 + Math.floor(p / W) * 31 + i * 411) & 0xffff, (i * W * H + p) * 2);
    writeFileSync(rawPath, all);
  }
  const nativeEnc = timeNative(native, [
    '-f',
    'rawvideo',
    '-pixel_format',
    'gray16le',
    '-video_size',
    `${W}x${H}`,
    '-framerate',
    '25',
    '-i',
    rawPath,
    '-c:v',
    'ffv1',
    join(OUT, 'video_enc_native.mkv'),
  ]);
  const nativeX264 = timeNative(native, [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${W}x${H}:rate=30`,
    '-frames:v',
    String(F),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    join(OUT, 'video_enc_native.mp4'),
  ]);
  rmSync(join(OUT, 'video_enc_native.mkv'), { force: true });
  rmSync(join(OUT, 'video_enc_native.mp4'), { force: true });
  const enc = await evaluate(
    async ({ W, H, F }: { W: number; H: number; F: number }) => {
      const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
      const all = new Uint8Array(await (await fetch('/bench/out/video_enc_512_gray16.raw')).arrayBuffer());
      const fb = W * H * 2;
      let t0 = performance.now();
      const ffv1 = await V.encodeVideo({
        width: W,
        height: H,
        inputPixFmt: 'gray16le',
        frameCount: F,
        frame: (i) => all.subarray(i * fb, (i + 1) * fb),
        outputName: 'o.mkv',
        codecArgs: ['-c:v', 'ffv1'],
        fps: 25,
      });
      const ffv1Ms = performance.now() - t0;
      // 8-bit RGBA frames for the lossy encoders
      const rgba = (i: number) => {
        const a = new Uint8Array(W * H * 4);
        for (let p = 0; p < W * H; p++) {
          a[p * 4] = (p % W) + i;
          a[p * 4 + 1] = Math.floor(p / W) - i;
          a[p * 4 + 2] = (p * 7 + i * 3) & 255;
          a[p * 4 + 3] = 255;
        }
        return a;
      };
      const frames = Array.from({ length: F }, (_, i) => rgba(i));
      t0 = performance.now();
      const x264 = await V.encodeVideo({
        width: W,
        height: H,
        inputPixFmt: 'rgba',
        frameCount: F,
        frame: (i) => frames[i],
        outputName: 'o.mp4',
        codecArgs: ['-c:v', 'libx264', '-preset', 'ultrafast'],
        outputPixFmt: 'yuv420p',
        fps: 25,
      });
      const x264Ms = performance.now() - t0;
      let wcMs = NaN;
      let wcBytes = 0;
      let wcNote = '';
      if (typeof VideoEncoder !== 'undefined') {
        const config = { codec: 'avc1.42001f', width: W, height: H, bitrate: 2_000_000, framerate: 25 };
        const sup = await VideoEncoder.isConfigSupported(config);
        if (sup.supported) {
          const enc = new VideoEncoder({ output: (c) => void (wcBytes += c.byteLength), error: (e) => (wcNote = String(e)) });
          enc.configure(config);
          t0 = performance.now();
          for (let i = 0; i < F; i++) {
            const vfr = new VideoFrame(frames[i], { format: 'RGBA', codedWidth: W, codedHeight: H, timestamp: i * 40000 });
            enc.encode(vfr, { keyFrame: i % 60 === 0 });
            vfr.close();
          }
          await enc.flush();
          wcMs = performance.now() - t0;
          enc.close();
        } else wcNote = 'avc1 encoding not supported';
      } else wcNote = 'no VideoEncoder';
      return { ffv1Ms, ffv1Bytes: ffv1.length, x264Ms, x264Bytes: x264.length, wcMs, wcBytes, wcNote };
    },
    { W, H, F },
  );
  ctx.report('FFV1 512² gray16 encode, ffmpeg.wasm (encodeVideo)', F / (enc.ffv1Ms / 1000), 'fps', `${(enc.ffv1Bytes / 1e6).toFixed(1)} MB`);
  ctx.report('FFV1 512² gray16 encode, native ffmpeg', F / (nativeEnc / 1000), 'fps', 'incl. process start');
  ctx.report('FFV1 encode wasm/native time ratio', enc.ffv1Ms / nativeEnc, '×', 'budget ≤ 2×');
  ctx.report('H.264 512² encode, libx264 ultrafast in wasm', F / (enc.x264Ms / 1000), 'fps', 'rgba → yuv420p, incl. conversion');
  ctx.report('H.264 512² encode, native libx264 ultrafast', F / (nativeX264 / 1000), 'fps', 'testsrc2, incl. process start');
  ctx.report(
    'H.264 512² encode, WebCodecs VideoEncoder',
    F / (enc.wcMs / 1000),
    'fps',
    enc.wcNote || `${(enc.wcBytes / 1e6).toFixed(1)} MB, 2 Mbit/s, software`,
  );
}

const p95 = (a: number[]) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.ceil(a.length * 0.95) - 1)];

/**
 * GOP-aware random access through WebCodecs (src/video/gop-cache.ts): a 640×480 H.264 recording with a
 * keyframe every 250 (3000 frames, B-frames, as imgstore/OpenCV write avc1), in MP4 and remuxed to
 * MKV: random frame median and p95, stepping forward after a seek, stepping back within the decoded
 * GOP and across into the previous one; the same with a one-frame cache (no GOP cache) for
 * comparison, and native ffmpeg's seek + decode of one frame.
 */
async function gopBench(ctx: BenchContext, native: string, evaluate: <A, R>(fn: (a: A) => Promise<R>, arg: A) => Promise<R>): Promise<void> {
  const N = 3000;
  const mp4 = generate(native, 'video_avc1_640_kf250.mp4', [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x480:rate=30',
    '-frames:v',
    String(N),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-x264-params',
    'keyint=250:min-keyint=250:scenecut=0:bframes=3',
    '-pix_fmt',
    'yuv420p',
  ]);
  const mkv = generate(native, 'video_avc1_640_kf250.mkv', ['-i', mp4, '-c', 'copy']);
  for (const [file, cacheBytes, label] of [
    [mp4, undefined, 'GOP cache'],
    [mkv, undefined, 'GOP cache'],
    [mp4, 640 * 480 * 1.5, 'one-frame cache'],
  ] as const) {
    const name = file.split('/').pop() as string;
    const r = await evaluate(
      async ({ name, N, cacheBytes }: { name: string; N: number; cacheBytes?: number }) => {
        if (typeof VideoDecoder === 'undefined') return { error: 'no WebCodecs' };
        const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
        const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
        const blob = await (await fetch('/bench/out/' + name)).blob();
        const vf = await V.openVideoFile(blobSourceFile(name, blob), { decoder: 'webcodecs', cacheBytes });
        const time = async (i: number) => {
          const t = performance.now();
          await vf.readFrame(i, { pixFmt: 'rgb24' });
          return performance.now() - t;
        };
        let x = 13579;
        const random: number[] = [];
        for (let k = 0; k < 30; k++) {
          x = (x * 1103515245 + 12345) >>> 0;
          random.push(await time(x % N));
        }
        // stepping forward after a seek into the middle of a GOP
        await time(1130);
        const fwd: number[] = [];
        for (let k = 1; k <= 60; k++) fwd.push(await time(1130 + k));
        // stepping back within the GOP just decoded (1190 → 1130), then across into the previous GOP
        const backIn: number[] = [];
        for (let k = 1; k <= 60; k++) backIn.push(await time(1190 - k));
        await time(2005);
        const backAcross: number[] = [];
        for (let k = 1; k <= 60; k++) backAcross.push(await time(2005 - k));
        const stats = { ...(vf as unknown as { stats: Record<string, unknown> }).stats };
        vf.close();
        return { random, fwd, backIn, backAcross, stats };
      },
      { name, N, cacheBytes },
    );
    if ('error' in r) {
      ctx.report(`${name} random frame (WebCodecs)`, NaN, 'ms', `unavailable: ${r.error}`);
      continue;
    }
    const what = `${name}, 640×480 keyframe every 250, ${label}`;
    ctx.report(`${what}: random frame → rgb24, median`, median(r.random), 'ms', `p95 ${p95(r.random).toFixed(0)} ms of 30`);
    ctx.report(`${what}: step forward`, median(r.fwd), 'ms', `median of 60; max ${Math.max(...r.fwd).toFixed(0)} ms`);
    ctx.report(`${what}: step back within the decoded GOP`, median(r.backIn), 'ms', `median of 60; max ${Math.max(...r.backIn).toFixed(0)} ms`);
    ctx.report(
      `${what}: step back across into the previous GOP`,
      median(r.backAcross),
      'ms',
      `median of 60; max ${Math.max(...r.backAcross).toFixed(0)} ms (the first step behind the keyframe decodes that GOP)`,
    );
    console.log(`  stats: ${JSON.stringify(r.stats)}`);
  }
  const nativeSeek = median(
    [400, 1130, 2600].map((i) => timeNative(native, ['-ss', String(i / 30), '-i', mp4, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '/dev/null'])),
  );
  ctx.report('native ffmpeg one random frame, avc1 640×480 keyframe every 250', nativeSeek, 'ms', 'incl. process start');
}

/**
 * Scrubbing a long-GOP H.264 recording (issue #10): 640×480 and 1 MP, a keyframe every 250, MP4 and
 * MKV. A drag through the file visits 20 positions in 20 different GOPs; at each one the app asks
 * for a nearby picture (readNearby: the GOP's keyframe decoded alone by the preview decoder, or a
 * frame already decoded) and the exact frame at once. Reported: time to the first picture and to
 * the exact frame; then, paused on a frame, the background decode (warm) and the steps forward
 * after it; and native ffmpeg's seek + decode of one frame of the same file.
 */
async function scrubBench(ctx: BenchContext, native: string, evaluate: <A, R>(fn: (a: A) => Promise<R>, arg: A) => Promise<R>): Promise<void> {
  const N = 3000;
  const make = (size: string, name: string, preset: string) =>
    generate(native, name, [
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${size}:rate=30`,
      '-frames:v',
      String(N),
      '-c:v',
      'libx264',
      '-preset',
      preset,
      '-x264-params',
      'keyint=250:min-keyint=250:scenecut=0',
      '-pix_fmt',
      'yuv420p',
    ]);
  const files = [
    [make('640x480', 'video_avc1_640_kf250.mp4', 'veryfast'), '640×480'],
    [make('1024x1024', 'video_avc1_1024_kf250.mp4', 'ultrafast'), '1 MP'],
  ] as const;
  const all: [string, string][] = [];
  for (const [f, what] of files) {
    all.push([f, what]);
    all.push([generate(native, f.split('/').pop()!.replace('.mp4', '.mkv'), ['-i', f, '-c', 'copy']), what]);
  }
  for (const [file, what] of all) {
    const name = file.split('/').pop() as string;
    const r = await evaluate(
      async ({ name, N }: { name: string; N: number }) => {
        if (typeof VideoDecoder === 'undefined') return { error: 'no WebCodecs' };
        const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
        const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
        const blob = await (await fetch('/bench/out/' + name)).blob();
        const vf = await V.openVideoFile(blobSourceFile(name, blob), { decoder: 'webcodecs' });
        if (!vf.readNearby || !vf.warm) return { error: 'no readNearby/warm on this path' };
        const first: number[] = [];
        const exact: number[] = [];
        const dist: number[] = [];
        for (let k = 0; k < 20; k++) {
          const i = Math.min(N - 1, Math.round(((k + 0.5) / 20) * N) + 37 * (k % 3));
          const t0 = performance.now();
          const near = vf.readNearby(i, { pixFmt: 'rgb24' }).then((x) => {
            first.push(performance.now() - t0);
            dist.push(x ? i - x.index : NaN);
          });
          await vf.readFrame(i, { pixFmt: 'rgb24' });
          exact.push(performance.now() - t0);
          await near;
        }
        // paused on a frame: the background decode, then 20 steps forward
        const p = 1620;
        await vf.readFrame(p, { pixFmt: 'rgb24' });
        let t0 = performance.now();
        await vf.warm(p);
        const warmMs = performance.now() - t0;
        const steps: number[] = [];
        for (let k = 1; k <= 20; k++) {
          t0 = performance.now();
          await vf.readFrame(p + k, { pixFmt: 'rgb24' });
          steps.push(performance.now() - t0);
        }
        const stats = { ...(vf as unknown as { stats: Record<string, unknown> }).stats };
        vf.close();
        return { first, exact, dist, warmMs, steps, stats };
      },
      { name, N },
    );
    if ('error' in r) {
      ctx.report(`${name} scrubbing (WebCodecs)`, NaN, 'ms', `unavailable: ${r.error}`);
      continue;
    }
    const label = `${name} (${what}, keyframe every 250)`;
    ctx.report(
      `${label}: scrubbing, first picture (readNearby)`,
      median(r.first),
      'ms',
      `median of 20 jumps; p95 ${p95(r.first).toFixed(0)} ms; budget ≤ 50 ms`,
    );
    ctx.report(`${label}: scrubbing, exact frame`, median(r.exact), 'ms', `median of 20 jumps; p95 ${p95(r.exact).toFixed(0)} ms`);
    ctx.report(`${label}: the first picture's distance from the wanted frame`, median(r.dist), 'frames', 'median');
    ctx.report(`${label}: paused, background decode (warm)`, r.warmMs, 'ms', `${r.stats.warmed} frames decoded ahead`);
    ctx.report(`${label}: steps forward after warm`, median(r.steps), 'ms', `median of 20; max ${Math.max(...r.steps).toFixed(0)} ms`);
    const nativeSeek = median(
      [400, 1130, 2600].map((i) =>
        timeNative(native, ['-ss', String(i / 30), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '/dev/null']),
      ),
    );
    ctx.report(`${label}: native ffmpeg one random frame`, nativeSeek, 'ms', 'seek + decode, incl. process start');
  }
}

/** 2b. a py-pde MovieStorage movie (FFV1 defaults: keyframe every 12, noisy 16-bit field) through
 * openDataset + readFrame: open → first frame, and sequential reading with the parallel read-ahead
 * (two ffmpeg.wasm instances) against native ffmpeg -threads 1 in the same run */
async function ffv1MovieBench(ctx: BenchContext, native: string, evaluate: <A, R>(fn: (a: A) => Promise<R>, arg: A) => Promise<R>): Promise<void> {
  const movie = join(OUT, 'pypde_ffv1_512_gray16_120.avi');
  if (!existsSync(movie)) {
    console.log('  generating bench/out/pypde_ffv1_512_gray16_120.avi …');
    writePypdeMovie(movie, 512, 512, 120);
  }
  const nat1 = () => timeNative(native, ['-threads', '1', '-i', movie, '-f', 'rawvideo', '-pix_fmt', 'gray16le', '/dev/null']);
  const nativeBefore = nat1();
  const py = await evaluate(async () => {
    const L = (await import('/src/video/ffmpeg-loader.ts' as string)) as typeof import('../src/video/ffmpeg-loader');
    const F = (await import('/src/formats/index.ts' as string)) as typeof import('../src/formats/index');
    const V = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
    const { blobSourceFile } = (await import('/src/io/slice-file.ts' as string)) as typeof import('../src/io/slice-file');
    const name = 'pypde_ffv1_512_gray16_120.avi';
    const blob = await (await fetch('/bench/out/' + name)).blob();
    // core load excluded (DESIGN: started as soon as a video format is detected)
    await Promise.all([L.lane(0).get(), L.lane(1).get()]);
    const runs: { firstMs: number; seqMs: number }[] = [];
    for (let rep = 0; rep < 2; rep++) {
      const t0 = performance.now();
      const src = await F.openDataset({ name: 'm', files: [blobSourceFile(name, blob)] });
      await src.readFrame(0);
      const firstMs = performance.now() - t0;
      const t1 = performance.now();
      for (let i = 1; i < src.frames.length; i++) await src.readFrame(i);
      runs.push({ firstMs, seqMs: performance.now() - t1 });
      src.close();
    }
    // the serial path (one instance, 48-frame runs) on the same file
    const vf = await V.openVideoFile(blobSourceFile(name, blob), { parallel: false });
    const t2 = performance.now();
    for (let i = 0; i < vf.info.frameCount; i++) await vf.readFrame(i);
    const serialMs = performance.now() - t2;
    vf.close();
    return { runs, serialMs, frames: 120 };
  }, null);
  const nativeAfter = nat1();
  const nativeMs = Math.min(nativeBefore, nativeAfter);
  const best = py.runs.reduce((a, b) => (b.seqMs < a.seqMs ? b : a));
  ctx.report(
    'py-pde FFV1 512²×120 gray16: open → first frame (openDataset + readFrame)',
    Math.min(...py.runs.map((r) => r.firstMs)),
    'ms',
    'budget ≤ 300 ms; core load excluded',
  );
  ctx.report(
    'py-pde FFV1 sequential readFrame, parallel ranges (2 instances)',
    119 / (best.seqMs / 1000),
    'fps',
    `${best.seqMs.toFixed(0)} ms for frames 1…119`,
  );
  ctx.report('py-pde FFV1 sequential, serial path (1 instance)', 120 / (py.serialMs / 1000), 'fps', `${py.serialMs.toFixed(0)} ms`);
  ctx.report(
    'py-pde FFV1 native ffmpeg -threads 1',
    120 / (nativeMs / 1000),
    'fps',
    `${nativeBefore.toFixed(0)} / ${nativeAfter.toFixed(0)} ms before / after`,
  );
  ctx.report('py-pde FFV1 sequential: framescope / native speed', nativeMs / best.seqMs, '×', 'goal ≥ 1.5× on 2 cores');
}
