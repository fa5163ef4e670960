/**
 * npz / PhiFlow decode figures, in Node and in Chromium:
 * - npz member decode throughput (MB/s of decoded output) on a synthetic 1024×1024 float32 member,
 *   deflated like numpy.savez_compressed (fflate inflate + CRC + npy decode), and stored;
 * - a whole PhiFlow frame (9-member field file, 1024×1024 CenteredGrid) through readFrame;
 * - in Chromium also DecompressionStream('deflate-raw') alone, for comparison with fflate;
 * - time from openDataset to the first readFrame on the fixture scenes (one scene folder, and the
 *   parent of five scenes).
 * Budgets (DESIGN.md): uncached 1-megapixel frame ≤ 150 ms; first frame ≤ 300 ms.
 */
import type { BenchContext } from './context';
import { encodeNpy } from '../src/codecs/npy';
import { encodeNpz, openNpz } from '../src/codecs/npz';
import { openDataset } from '../src/formats/index';
import { open } from '../src/formats/phiflow/open';
import { sourceTreeFromPath } from '../src/io/node';
import { bytesSourceFile } from '../src/io/slice-file';
import { fieldFile } from '../tests/phiflow/synth';

const N = 1024;

/** smooth field with low-order noise (compresses about like simulation output) */
function field(): Float32Array {
  const a = new Float32Array(N * N);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(i / 977) * Math.cos(i / 50321) + ((i * 2654435761) % 13) / 700;
  return a;
}

async function rate(fn: () => unknown | Promise<unknown>, bytes: number): Promise<{ mbs: number; ms: number }> {
  await fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1500 || n < 3) {
    await fn();
    n++;
  }
  const ms = (performance.now() - t0) / n;
  return { mbs: bytes / (ms / 1000) / 1e6, ms };
}

export default async function (ctx: BenchContext): Promise<void> {
  const data = field();
  const out = data.byteLength;
  const npy = encodeNpy({ shape: [N, N], data });
  const zc = encodeNpz({ data: npy }, { compress: true });
  const zs = encodeNpz({ data: npy }, { compress: false });
  const note = `${N}x${N} f4, ${(out / 1e6).toFixed(1)} MB out, deflate ratio ${(npy.length / zc.length).toFixed(2)}`;
  const fc = bytesSourceFile('c.npz', zc);
  const fs = bytesSourceFile('s.npz', zs);
  let r = await rate(async () => (await openNpz(fc)).read('data'), out);
  ctx.report('node: npz deflated member decode', r.mbs, 'MB/s', note);
  r = await rate(async () => (await openNpz(fs)).read('data'), out);
  ctx.report('node: npz stored member decode', r.mbs, 'MB/s', note);

  const ff = fieldFile({
    dims: [
      { name: 'x', type: 'spatial' },
      { name: 'y', type: 'spatial' },
    ],
    shape: [N, N],
    data,
  });
  const scene = await open({ name: 'bench', files: [bytesSourceFile('density_000000.npz', ff)] });
  r = await rate(() => scene.readFrame(0), out);
  ctx.report('node: PhiFlow readFrame, 1024² CenteredGrid', r.ms, 'ms', `${r.mbs.toFixed(0)} MB/s incl. transpose; budget ≤ 150 ms`);

  if (ctx.fixtures) {
    for (const [pass, sub] of [
      ['cold', 'phiflow/scenes_numpy2/sim_000001'],
      ['warm', 'phiflow/scenes/sim_000001'],
      ['warm', 'phiflow/scenes'],
    ]) {
      const t0 = performance.now();
      const src = await openDataset(await sourceTreeFromPath(`${ctx.fixtures}/${sub}`));
      await src.readFrame(0);
      ctx.report(
        `node: openDataset → first readFrame, ${sub} (${pass})`,
        performance.now() - t0,
        'ms',
        `budget ≤ 300 ms${pass === 'cold' ? '; incl. lazy reader import' : ''}`,
      );
    }
  }

  const page = await ctx.page();
  const script = `(async ({ N, fixtures }) => {
    const { encodeNpy } = await import('/src/codecs/npy.ts');
    const { encodeNpz, openNpz } = await import('/src/codecs/npz.ts');
    const { bytesSourceFile } = await import('/src/io/slice-file.ts');
    const { open } = await import('/src/formats/phiflow/open.ts');
    const { fieldFile } = await import('/tests/phiflow/synth.ts');
    const a = new Float32Array(N * N);
    for (let i = 0; i < a.length; i++) a[i] = Math.sin(i / 977) * Math.cos(i / 50321) + ((i * 2654435761) % 13) / 700;
    const npy = encodeNpy({ shape: [N, N], data: a });
    const zc = encodeNpz({ data: npy }, { compress: true });
    const zs = encodeNpz({ data: npy }, { compress: false });
    const rate = async (fn, b) => {
      await fn();
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 1500 || n < 3) { await fn(); n++; }
      const ms = (performance.now() - t0) / n;
      return { mbs: b / (ms / 1000) / 1e6, ms };
    };
    const out = a.byteLength;
    const res = {};
    res.deflated = await rate(async () => (await openNpz(bytesSourceFile('c.npz', zc))).read('data'), out);
    res.stored = await rate(async () => (await openNpz(bytesSourceFile('s.npz', zs))).read('data'), out);
    // DecompressionStream alone on the same raw deflate stream
    const npz = await openNpz(bytesSourceFile('c.npz', zc));
    const e = npz.entries[0];
    const dv = new DataView(zc.buffer);
    const start = e.localOffset + 30 + dv.getUint16(e.localOffset + 26, true) + dv.getUint16(e.localOffset + 28, true);
    const raw = zc.slice(start, start + e.compressedSize);
    res.ds = await rate(async () => new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer()), npy.length);
    const scene = await open({ name: 'bench', files: [bytesSourceFile('density_000000.npz', fieldFile({ dims: [{ name: 'x', type: 'spatial' }, { name: 'y', type: 'spatial' }], shape: [N, N], data: a }))] });
    res.frame = await rate(() => scene.readFrame(0), out);
    res.first = [];
    if (fixtures) {
      const { openDataset } = await import('/src/formats/index.ts');
      const { sourceTreeFromListing } = await import('/src/io/url.ts');
      for (const [pass, sub] of [['cold', 'phiflow/scenes_numpy2/sim_000001'], ['warm', 'phiflow/scenes/sim_000001'], ['warm', 'phiflow/scenes']]) {
        const t0 = performance.now();
        const tree = await sourceTreeFromListing('/__fixtures/list/' + sub, '/__fixtures/file/' + sub);
        const src = await openDataset(tree);
        await src.readFrame(0);
        res.first.push([sub + ' (' + pass + ')', performance.now() - t0]);
      }
    }
    return res;
  })(${JSON.stringify({ N, fixtures: !!ctx.fixtures })})`;
  const res = (await page.evaluate(script)) as Record<string, { mbs: number; ms: number }> & { first: [string, number][] };
  ctx.report('chromium: npz deflated member decode', res.deflated.mbs, 'MB/s', `${note} (DecompressionStream for large members)`);
  ctx.report('chromium: npz stored member decode', res.stored.mbs, 'MB/s', note);
  ctx.report("chromium: DecompressionStream('deflate-raw') alone", res.ds.mbs, 'MB/s', 'same stream, for comparison');
  ctx.report('chromium: PhiFlow readFrame, 1024² CenteredGrid', res.frame.ms, 'ms', `${res.frame.mbs.toFixed(0)} MB/s incl. transpose; budget ≤ 150 ms`);
  for (const [sub, ms] of res.first)
    ctx.report(`chromium: openDataset → first readFrame, ${sub}`, ms, 'ms', 'over HTTP Range reads from the Vite dev server; budget ≤ 300 ms');
}
