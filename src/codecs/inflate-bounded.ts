/**
 * Deflate / zlib decompression with hard limits (the zip-bomb guard every codec uses).
 *
 * The input is fed to the decompressor in small slices and the output is counted after each one,
 * so a stream stops as soon as it passes the size its container declares (`maxOut`) or the
 * compression-ratio limit: memory stays near the output size and a 4 GB-of-zeros stream declared
 * small fails after at most one slice's worth of excess output, in milliseconds. One-shot inflates
 * into a fixed buffer are never used: fflate's keeps decoding past the end of the buffer (writes
 * dropped, time unbounded), and one giant chunk into `DecompressionStream` queues all of its output.
 *
 * The platform's `DecompressionStream` (native zlib) is used for large inputs in browsers; fflate's
 * streaming `Inflate`/`Unzlib` elsewhere (and always by the synchronous variant).
 */
import { Inflate, Unzlib } from 'fflate';
import { CodecError } from '../core/errors';

export type DeflateFormat = 'deflate-raw' | 'deflate';

export interface InflateLimits {
  /** Hard output limit in bytes: more output is an error (the declared size, or a format's maximum). */
  maxOut: number;
  /**
   * Size the container declares, when it declares one: preallocates the output and is checked
   * against the ratio limit before anything is inflated. Pass it as `maxOut` too when a longer
   * stream is an error (npz members); some formats tolerate a little more (DaVis buffers).
   */
  expected?: number;
  /**
   * Largest accepted ratio of output to compressed input (default 1100). A deflate stream cannot
   * exceed about 1032:1, so a declared size beyond the ratio is refused before inflating.
   */
  maxRatio?: number;
}

/** Deflate's theoretical ceiling is ~1032:1; anything above (plus slack for tiny inputs) is not a real stream. */
export const DEFAULT_MAX_RATIO = 1100;
const RATIO_SLACK = 1024;
/** Deflate's largest real ratio: a slice of k compressed bytes yields at most ~1032·k bytes. */
const DEFLATE_MAX_RATIO = 1032;
/**
 * Compressed bytes fed per step: as much as the remaining output budget allows at deflate's largest
 * ratio, between 16 KiB and 256 KiB. One step thus produces at most max(budget, ~16 MiB) of output
 * beyond what was counted: memory stays within about twice the declared size (plus 16 MiB), and a
 * bomb declared small fails after ~16 MiB of output (about 0.1 s).
 */
function sliceFor(limit: number, produced: number): number {
  return Math.max(16 * 1024, Math.min(256 * 1024, Math.floor((limit - produced) / DEFLATE_MAX_RATIO)));
}
/** Inputs at least this large use DecompressionStream where it is native and fast (browsers). */
const STREAM_MIN = 64 * 1024;

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The output limit in force: `maxOut`, tightened by the ratio limit for this input length. */
export function outputLimit(compressedBytes: number, l: InflateLimits): number {
  const ratio = l.maxRatio ?? DEFAULT_MAX_RATIO;
  return Math.min(l.maxOut, ratio * compressedBytes + RATIO_SLACK);
}

function checkDeclared(comp: Uint8Array, l: InflateLimits): void {
  if (l.expected === undefined) return;
  if (l.expected > l.maxOut) throw new CodecError(`declares ${fmtInt(l.expected)} bytes of inflated data, above the limit of ${fmtInt(l.maxOut)} bytes`, 0);
  const ratio = l.maxRatio ?? DEFAULT_MAX_RATIO;
  if (l.expected > ratio * comp.length + RATIO_SLACK)
    throw new CodecError(
      `declares ${fmtInt(l.expected)} bytes from ${fmtInt(comp.length)} compressed bytes, a ratio above ${ratio}:1 that deflate cannot reach (damaged size, or a decompression bomb)`,
      0,
    );
}

/** Collects output into a buffer that never grows past `limit`. */
class Sink {
  out: Uint8Array;
  n = 0;
  constructor(
    readonly limit: number,
    initial: number,
    private readonly what: () => string,
  ) {
    this.out = new Uint8Array(Math.max(16, Math.min(limit, initial)));
  }
  add(chunk: Uint8Array): void {
    const need = this.n + chunk.length;
    if (need > this.limit) throw new CodecError(this.what(), 0);
    if (need > this.out.length) {
      const nb = new Uint8Array(Math.min(this.limit, Math.max(need, this.out.length * 2)));
      nb.set(this.out.subarray(0, this.n));
      this.out = nb;
    }
    this.out.set(chunk, this.n);
    this.n = need;
  }
  result(): Uint8Array {
    return this.n === this.out.length ? this.out : this.out.subarray(0, this.n);
  }
}

function overflowMessage(limit: number, l: InflateLimits, consumed: number, total: number): string {
  const declared = l.expected !== undefined && limit === l.expected;
  const bound = declared ? `past the ${fmtInt(limit)} bytes its header declares` : `to more than the allowed ${fmtInt(limit)} bytes`;
  return `inflates ${bound} (stopped after ${fmtInt(consumed)} of ${fmtInt(total)} compressed bytes: damaged data or a decompression bomb)`;
}

/**
 * Inflate synchronously with fflate's streaming decoder, slice by slice. Throws CodecError (offset =
 * compressed bytes consumed) on corrupt or truncated data and on output past the limits.
 */
export function inflateBoundedSync(comp: Uint8Array, format: DeflateFormat, l: InflateLimits): Uint8Array {
  checkDeclared(comp, l);
  const limit = outputLimit(comp.length, l);
  let consumed = 0;
  const sink = new Sink(limit, l.expected ?? Math.min(limit, comp.length * 4), () => overflowMessage(limit, l, consumed, comp.length));
  let ended = false;
  const ondata = (chunk: Uint8Array, final: boolean) => {
    if (chunk.length) sink.add(chunk);
    if (final) ended = true;
  };
  const dec = format === 'deflate' ? new Unzlib(ondata) : new Inflate(ondata);
  try {
    for (let k = 0; k < comp.length && !ended; ) {
      const end = Math.min(comp.length, k + sliceFor(limit, sink.n));
      consumed = end;
      dec.push(comp.subarray(k, end), end === comp.length);
      k = end;
    }
    if (!comp.length) dec.push(comp, true);
  } catch (e) {
    if (e instanceof CodecError) throw Object.assign(e, { offset: consumed });
    const msg = (e as Error)?.message ?? String(e);
    if (/unexpected EOF/i.test(msg))
      throw new CodecError(`the compressed data ends early: truncated after ${fmtInt(comp.length)} bytes (${fmtInt(sink.n)} bytes inflated)`, comp.length);
    throw new CodecError(`corrupt ${format === 'deflate' ? 'zlib' : 'deflate'} data (${msg})`, consumed);
  }
  if (!ended)
    throw new CodecError(`the compressed data ends early: truncated after ${fmtInt(comp.length)} bytes (${fmtInt(sink.n)} bytes inflated)`, comp.length);
  return sink.result();
}

/** true where DecompressionStream is native and faster than fflate (browsers; Node's web stream is slower). */
const preferStream = typeof DecompressionStream === 'function' && !(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;

/**
 * Inflate with the same limits; large inputs in browsers go through DecompressionStream fed in
 * slices with backpressure (the next slice is written only when the previous one's output has been
 * read), so at most a slice or two of output is queued beyond what was counted.
 */
export async function inflateBounded(comp: Uint8Array, format: DeflateFormat, l: InflateLimits): Promise<Uint8Array> {
  if (preferStream && comp.length >= STREAM_MIN) {
    let ds: DecompressionStream | null = null;
    try {
      ds = new DecompressionStream(format as CompressionFormat);
    } catch {
      ds = null; // format unsupported here
    }
    if (ds) return inflateWithStream(ds, comp, format, l);
  }
  return inflateBoundedSync(comp, format, l);
}

async function inflateWithStream(ds: DecompressionStream, comp: Uint8Array, format: DeflateFormat, l: InflateLimits): Promise<Uint8Array> {
  checkDeclared(comp, l);
  const limit = outputLimit(comp.length, l);
  let consumed = 0;
  const sink = new Sink(limit, l.expected ?? Math.min(limit, comp.length * 4), () => overflowMessage(limit, l, consumed, comp.length));
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let stop = false;
  const writing = (async () => {
    for (let k = 0; k < comp.length && !stop; ) {
      await writer.ready;
      if (stop) return;
      // at most 64 KiB per write: the stream queues one write's whole output before it is read
      const end = Math.min(comp.length, k + Math.min(64 * 1024, sliceFor(limit, sink.n)));
      consumed = end;
      writer.write(comp.subarray(k, end) as Uint8Array<ArrayBuffer>).catch(() => undefined);
      k = end;
    }
    if (!stop) await writer.close();
  })().catch(() => undefined);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      sink.add(value);
    }
  } catch (e) {
    stop = true;
    await reader.cancel().catch(() => undefined);
    await writer.abort().catch(() => undefined);
    if (e instanceof CodecError) throw Object.assign(e, { offset: consumed });
    const msg = (e as Error)?.message ?? String(e);
    if (/truncat|unexpected end|incomplete/i.test(msg))
      throw new CodecError(`the compressed data ends early: truncated after ${fmtInt(comp.length)} bytes (${fmtInt(sink.n)} bytes inflated)`, comp.length);
    throw new CodecError(`corrupt ${format === 'deflate' ? 'zlib' : 'deflate'} data (${msg})`, consumed);
  }
  await writing;
  return sink.result();
}
