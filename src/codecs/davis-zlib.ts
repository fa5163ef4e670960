import { Unzlib, unzlibSync } from 'fflate';
import { CodecError } from '../core/errors';

/**
 * One zlib (RFC 1950) stream, inflated with a hard output limit (zip-bomb guard).
 * Uses the browser's DecompressionStream('deflate') for large inputs (faster than JS inflate in
 * Chromium), fflate otherwise (also under Node, where fflate beats Node's web stream).
 * Returns exactly the inflated bytes (at most `maxOut`).
 */
const preferStream =
  typeof DecompressionStream === 'function' &&
  !(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;

export async function inflateZlib(data: Uint8Array, maxOut: number, expected?: number): Promise<Uint8Array> {
  if (data.length < 2 || (data[0] & 0x0f) !== 8 || ((data[0] << 8) | data[1]) % 31 !== 0) {
    throw new CodecError('not a zlib stream (bad CMF/FLG header bytes)', 0);
  }
  const hint = Math.min(maxOut, expected ?? Math.min(maxOut, data.length * 4));
  if (preferStream && data.length >= 65536) {
    return inflateWithStream(data, maxOut, hint);
  }
  if (expected !== undefined && expected <= maxOut) {
    // one-shot inflate into a buffer one byte larger than expected: faster than streaming; a full
    // buffer means the stream holds more, which the bounded streaming path then handles
    let r: Uint8Array;
    try {
      r = unzlibSync(data, { out: new Uint8Array(expected + 1) });
    } catch (e) {
      throw new CodecError(`corrupt or truncated zlib stream (${(e as Error).message})`, 0);
    }
    if (r.length <= expected) return r;
  }
  return inflateWithFflate(data, maxOut, hint);
}

function grow(buf: Uint8Array, need: number, maxOut: number): Uint8Array {
  if (need > maxOut) throw new CodecError(`zlib stream inflates to more than the allowed ${maxOut} bytes`, 0);
  const nb = new Uint8Array(Math.min(maxOut, Math.max(need, buf.length * 2)));
  nb.set(buf);
  return nb;
}

function inflateWithFflate(data: Uint8Array, maxOut: number, hint: number): Uint8Array {
  let out: Uint8Array = new Uint8Array(Math.max(hint, 16));
  let n = 0;
  let ended = false;
  const z = new Unzlib((chunk, final) => {
    if (n + chunk.length > out.length) out = grow(out, n + chunk.length, maxOut);
    out.set(chunk, n);
    n += chunk.length;
    if (final) ended = true;
  });
  try {
    z.push(data, true);
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError(`corrupt zlib stream (${(e as Error).message})`, 0);
  }
  if (!ended) throw new CodecError('zlib stream is truncated', data.length);
  return out.subarray(0, n);
}

async function inflateWithStream(data: Uint8Array, maxOut: number, hint: number): Promise<Uint8Array> {
  const ds = new DecompressionStream('deflate');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  const writing = writer.write(data as Uint8Array<ArrayBuffer>).then(() => writer.close()).catch(() => undefined);
  let out: Uint8Array = new Uint8Array(Math.max(hint, 16));
  let n = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (n + value.length > out.length) {
        try {
          out = grow(out, n + value.length, maxOut);
        } catch (e) {
          await reader.cancel().catch(() => undefined);
          throw e;
        }
      }
      out.set(value, n);
      n += value.length;
    }
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError(`corrupt or truncated zlib stream (${(e as Error).message})`, 0);
  }
  await writing;
  return out.subarray(0, n);
}
