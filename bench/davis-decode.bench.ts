/**
 * DaVis decode throughput (MB/s of decoded output) in Node and in Chromium:
 * - IMX codec (pack_type 1) on a synthetic 2048x1024 particle image (2 frames of 1024 rows)
 * - zlib buffers (pack_type 2): the inflate codec alone and the whole buffer decode
 *   (readDavisBuffer path: header, inflate, attributes, physical Float32 field)
 * Budget (DESIGN.md): >= 100 MB/s in Chromium.
 */
import { zlibSync } from 'fflate';
import type { BenchContext } from './context';
import { decodeImx } from '../src/codecs/imx-pack';
import { inflateZlib } from '../src/codecs/davis-zlib';
import { decodeDavisBuffer } from '../src/formats/davis/read-buffer';

const NX = 2048;
const NY = 1024;

/** particle-like image: dark noisy background with sparse bright Gaussian spots */
function particleImage(nx: number, ny: number): Uint16Array {
  const img = new Uint16Array(nx * ny);
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  for (let i = 0; i < img.length; i++) img[i] = 20 + Math.floor(rnd() * 8);
  for (let p = 0; p < (nx * ny) / 60; p++) {
    const cx = rnd() * nx;
    const cy = rnd() * ny;
    const a = 200 + rnd() * 3000;
    for (let y = Math.max(0, Math.floor(cy - 2)); y < Math.min(ny, cy + 3); y++) {
      for (let x = Math.max(0, Math.floor(cx - 2)); x < Math.min(nx, cx + 3); x++) {
        const v = img[y * nx + x] + a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 1.5);
        img[y * nx + x] = Math.min(65535, v);
      }
    }
  }
  return img;
}

/** IMX encoder for the benchmark input: nibble runs (>= 7 small deltas), byte deltas, absolute words */
function encodeImx(w: Uint16Array): Uint8Array {
  const out = new Uint8Array(w.length * 3 + 16);
  let o = 0;
  out[o++] = 1;
  out[o++] = 1;
  out[o++] = 0;
  let last = 0;
  let i = 0;
  while (i < w.length) {
    let run = 0;
    let l = last;
    while (i + run < w.length && run < 255) {
      const d = w[i + run] - l;
      if (d < -7 || d > 7) break;
      l = w[i + run];
      run++;
    }
    if (run >= 7) {
      const k = run % 2 ? run : run - 1;
      out[o++] = 0x81;
      for (let j = 0; j < k; j += 2) {
        const d0 = w[i + j] - last;
        last = w[i + j];
        if (j + 1 < k) {
          const d1 = w[i + j + 1] - last;
          last = w[i + j + 1];
          out[o++] = ((d0 & 15) << 4) | (d1 & 15);
        } else out[o++] = ((d0 & 15) << 4) | 8;
      }
      i += k;
      continue;
    }
    const d = w[i] - last;
    if (d >= -126 && d <= 126) out[o++] = d & 0xff;
    else {
      out[o++] = 0x80;
      out[o++] = w[i] & 0xff;
      out[o++] = w[i] >> 8;
    }
    last = w[i++];
  }
  return out.slice(0, o);
}

/** a pack-2 buffer (2 frames): header + int32 L + zlib stream of the raw data section + END item */
function zlibBuffer(raw: Uint8Array, format: number, nx: number, ny: number): Uint8Array {
  const z = zlibSync(raw, { level: 6 });
  const out = new Uint8Array(256 + 4 + z.length + 8);
  const dv = new DataView(out.buffer);
  dv.setInt16(2, 2, true);
  dv.setInt16(4, format, true);
  dv.setInt32(8, nx, true);
  dv.setInt32(12, ny, true);
  dv.setInt32(16, 1, true);
  dv.setInt32(20, 2, true);
  dv.setInt16(26, 1, true);
  dv.setInt32(256, z.length, true);
  out.set(z, 260);
  return out;
}

/** two frames of a smooth float field with low-order noise (compresses poorly, like real PIV floats) */
function floatField(nx: number, ny: number): Uint8Array {
  const raw = new Float32Array(nx * ny * 2);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.sin(i / 977) * 100 + Math.floor((i * 2654435761) % 13) / 7;
  return new Uint8Array(raw.buffer);
}

async function rate(fn: () => unknown | Promise<unknown>, bytes: number): Promise<number> {
  await fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1500 || n < 3) {
    await fn();
    n++;
  }
  return (bytes * n) / ((performance.now() - t0) / 1000) / 1e6;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

export default async function (ctx: BenchContext): Promise<void> {
  const img = particleImage(NX, NY);
  const imx = encodeImx(img);
  const check = decodeImx(imx, 0, img.length).data;
  for (let i = 0; i < img.length; i++) if (check[i] !== img[i]) throw new Error(`IMX bench encoder mismatch at ${i}`);
  const imgs = new Uint16Array(img.length * 2);
  imgs.set(img);
  imgs.set(img.subarray(0, img.length - 7), 7);
  const inputs = [
    { label: 'u16 particle image', buf: zlibBuffer(new Uint8Array(imgs.buffer), -4, NX, NY), out: imgs.length * 2 },
    { label: 'f32 field', buf: zlibBuffer(floatField(NX, NY / 2), -3, NX, NY / 2), out: NX * (NY / 2) * 2 * 4 },
  ];
  const outImx = img.length * 2;
  const note = `${NX}x${NY} u16 output from ${(imx.length / 1e6).toFixed(2)} MB of IMX`;

  ctx.report('node: IMX decode (pack 1)', await rate(() => decodeImx(imx, 0, img.length), outImx), 'MB/s', note);
  for (const z of inputs) {
    const stream = z.buf.subarray(260, z.buf.length - 8);
    const n2 = `${z.label}, ${(z.out / 1e6).toFixed(1)} MB out, ratio ${(z.out / stream.length).toFixed(2)}`;
    ctx.report(`node: zlib inflate (pack 2), ${z.label}`, await rate(() => inflateZlib(stream, z.out, z.out), z.out), 'MB/s', n2);
    ctx.report(
      `node: whole pack-2 buffer decode, ${z.label}`,
      await rate(() => decodeDavisBuffer('b.im7', z.buf), z.out),
      'MB/s',
      'incl. physical Float32 fields',
    );
  }

  const page = await ctx.page();
  // a plain-JS string (bundler helpers never leak into the page)
  const script = `(async ({ imxB64, bufs, count }) => {
    const bytes = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    const imx = bytes(imxB64);
    const { decodeImx } = await import('/src/codecs/imx-pack.ts');
    const { inflateZlib } = await import('/src/codecs/davis-zlib.ts');
    const { decodeDavisBuffer } = await import('/src/formats/davis/read-buffer.ts');
    const rate = async (fn, b) => {
      await fn();
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 1500 || n < 3) { await fn(); n++; }
      return (b * n) / ((performance.now() - t0) / 1000) / 1e6;
    };
    const out = new Uint16Array(count);
    const res = { imx: await rate(() => decodeImx(imx, 0, count, out), count * 2), zlib: [], buffer: [] };
    for (const z of bufs) {
      const buf = bytes(z.b64);
      const stream = buf.subarray(260, buf.length - 8);
      res.zlib.push(await rate(() => inflateZlib(stream, z.out, z.out), z.out));
      res.buffer.push(await rate(() => decodeDavisBuffer('b.im7', buf), z.out));
    }
    return res;
  })(${JSON.stringify({ imxB64: b64(imx), bufs: inputs.map((z) => ({ b64: b64(z.buf), out: z.out })), count: img.length })})`;
  const res = (await page.evaluate(script)) as { imx: number; zlib: number[]; buffer: number[] };
  ctx.report('chromium: IMX decode (pack 1)', res.imx, 'MB/s', `${note}; budget >= 100`);
  inputs.forEach((z, i) => {
    ctx.report(`chromium: zlib inflate (pack 2), ${z.label}`, res.zlib[i], 'MB/s', 'DecompressionStream; budget >= 100');
    ctx.report(`chromium: whole pack-2 buffer decode, ${z.label}`, res.buffer[i], 'MB/s', 'incl. physical Float32 fields');
  });
}
