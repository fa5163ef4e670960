/**
 * Demuxer comparison (Chromium, from a Blob): framescope's own MP4 (mp4box.js sample table) and
 * Matroska (block-header scan with Cues) demuxers against mediabunny's (Input + BlobSource +
 * EncodedPacketSink, metadata-only packets). Per H.264 file: median time to open and list every
 * video packet (size, presentation time, key flag; byte offset on our side only, mediabunny does
 * not expose it), bytes read from the Blob, whether both tables agree, and open → first decoded
 * frame through WebCodecs. Inputs: a 3000-frame 640×480 keyint-250 B-frame pair, and the
 * 10,000-frame 1-MP pair of video.bench.ts (same names and arguments) with DEMUX_BENCH_BIG=1 or
 * when already in bench/out/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './context';
import { generate, median, OUT, pageEvaluator } from './inputs';

const REPS = 5;

export default async function demuxBench(ctx: BenchContext): Promise<void> {
  const native = ctx.nativeFfmpeg;
  if (!native) {
    console.log('  no native ffmpeg: no inputs, skipped');
    return;
  }
  mkdirSync(OUT, { recursive: true });
  const small = generate(native, 'demux_640_3k.mp4', [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x480:rate=30',
    '-frames:v',
    '3000',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-x264-params',
    'keyint=250:min-keyint=250:scenecut=0:bframes=3',
    '-pix_fmt',
    'yuv420p',
  ]);
  const files = [small, generate(native, 'demux_640_3k.mkv', ['-i', small, '-c', 'copy'])];
  const bigMp4 = join(OUT, 'video_avc1_1024_10k.mp4');
  if (process.env.DEMUX_BENCH_BIG === '1' || existsSync(bigMp4)) {
    const big = generate(native, 'video_avc1_1024_10k.mp4', [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1024x1024:rate=30',
      '-frames:v',
      '10000',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '50',
      '-pix_fmt',
      'yuv420p',
    ]);
    files.push(big, generate(native, 'video_avc1_1024_10k.mkv', ['-i', big, '-c', 'copy']));
  }

  const evaluate = await pageEvaluator(ctx);
  // load the page module (and let Vite optimise mediabunny) before any clock runs
  await evaluate(async () => {
    await import('/bench/demux-page.ts' as string);
  }, null);

  for (const path of files) {
    const name = path.split('/').pop() as string;
    const r = await evaluate(
      async ({ name, reps }: { name: string; reps: number }) => {
        const D = (await import('/bench/demux-page.ts' as string)) as typeof import('./demux-page');
        const blob = await (await fetch('/bench/out/' + name)).blob();
        // one warm-up run of each (module code compiled, lazy mp4box import loaded), then alternate
        await D.oursTable(name, blob);
        await D.bunnyTable(blob, 'iterator');
        await D.bunnyTable(blob, 'next');
        const ours: number[] = [];
        const iter: number[] = [];
        const next: number[] = [];
        let last: { ours: import('./demux-page').TableRun; iter: import('./demux-page').TableRun; next: import('./demux-page').TableRun } | null = null;
        for (let k = 0; k < reps; k++) {
          const a = await D.oursTable(name, blob);
          const b = await D.bunnyTable(blob, 'iterator');
          const c = await D.bunnyTable(blob, 'next');
          ours.push(a.ms);
          iter.push(b.ms);
          next.push(c.ms);
          last = { ours: a, iter: b, next: c };
        }
        if (!last) throw new Error('no runs');
        const eq = D.compare(last.ours.packets, last.iter.packets);
        const eqNext = D.compare(last.iter.packets, last.next.packets);
        const keys = last.ours.packets.filter((p) => p.key).length;
        // first frame: fresh opens, two each, the better kept
        let oursFirst = Number.POSITIVE_INFINITY;
        let bunnyFirst = Number.POSITIVE_INFINITY;
        let firstErr = '';
        let frameBytes: [number, number] = [0, 0];
        if (typeof VideoDecoder !== 'undefined') {
          try {
            for (let k = 0; k < 2; k++) {
              const a = await D.oursFirstFrame(name, blob);
              const b = await D.bunnyFirstFrame(blob);
              oursFirst = Math.min(oursFirst, a.ms);
              bunnyFirst = Math.min(bunnyFirst, b.ms);
              frameBytes = [a.bytes, b.bytes];
            }
          } catch (e) {
            firstErr = String((e as Error).message ?? e);
          }
        } else firstErr = 'no WebCodecs';
        return {
          size: blob.size,
          ours,
          iter,
          next,
          oursIO: [last.ours.reads, last.ours.bytes],
          iterIO: [last.iter.reads, last.iter.bytes],
          nextIO: [last.next.reads, last.next.bytes],
          eq,
          eqNext,
          keys,
          oursFirst,
          bunnyFirst,
          frameBytes,
          firstErr,
        };
      },
      { name, reps: REPS },
    );
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(2)} MiB`;
    const runs = (a: number[]) => a.map((x) => x.toFixed(1)).join(' / ');
    const label = `${name} (${mb(r.size)}, ${r.eq.count[0]} packets, ${r.keys} key)`;
    ctx.report(`${label}: open + packet table, ours`, median(r.ours), 'ms', `median of ${REPS}: ${runs(r.ours)}`);
    ctx.report(`${label}: open + packet table, mediabunny packets()`, median(r.iter), 'ms', `median of ${REPS}: ${runs(r.iter)}`);
    ctx.report(`${label}: open + packet table, mediabunny getNextPacket`, median(r.next), 'ms', `median of ${REPS}: ${runs(r.next)}`);
    ctx.report(`${label}: bytes read, ours`, r.oursIO[1], 'B', `${r.oursIO[0]} reads`);
    ctx.report(`${label}: bytes read, mediabunny packets()`, r.iterIO[1], 'B', `${r.iterIO[0]} source reads`);
    ctx.report(`${label}: bytes read, mediabunny getNextPacket`, r.nextIO[1], 'B', `${r.nextIO[0]} source reads`);
    ctx.report(
      `${label}: tables equal (ours vs mediabunny)`,
      r.eq.equal ? 1 : 0,
      'bool',
      `counts ${r.eq.count.join('/')}, max |Δt| ${r.eq.maxDt.toExponential(2)} s${r.eq.diffs.length ? '; ' + r.eq.diffs.join('; ') : ''}`,
    );
    if (!r.eqNext.equal) ctx.report(`${label}: mediabunny packets() vs getNextPacket equal`, 0, 'bool', r.eqNext.diffs.join('; '));
    if (r.firstErr) console.log(`  first frame: ${r.firstErr}`);
    else {
      ctx.report(`${label}: open → first decoded frame, ours`, r.oursFirst, 'ms', `best of 2; ${r.frameBytes[0]} B I420`);
      ctx.report(`${label}: open → first decoded frame, mediabunny`, r.bunnyFirst, 'ms', `best of 2; ${r.frameBytes[1]} B`);
    }
  }
}
