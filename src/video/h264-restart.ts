/**
 * Which H.264 access units are clean restart points (H.264 §8.2.1, §D.2.7; ISO/IEC 14496-15).
 *
 * A container's sync flag (MP4 `stss`, Matroska SimpleBlock key flag, AVI AVIIF_KEYFRAME) is the
 * muxer's claim, and muxers flag plain I-frames too. Decoding from a picture is only guaranteed to
 * give what sequential decoding gives, for that picture and every later one in output order, when
 * - it is an IDR picture (nal_unit_type 5: the decoded picture buffer is emptied), or
 * - it carries a recovery-point SEI (payload type 6) with recovery_frame_cnt = 0 and
 *   exact_match_flag = 1 (open GOP: its leading pictures, decoded after it but shown before it, may
 *   refer to the previous GOP and are not covered), or
 * - it is the first picture of the stream (sequential decoding starts there by definition).
 * A recovery point with recovery_frame_cnt > 0 (gradual decoder refresh) is not used: finding the
 * picture it refers to needs the slice headers' frame_num; decoding starts at an earlier restart
 * point instead. Everything else flagged "sync" is not a restart point.
 */

export type RestartKind = 'idr' | 'recovery' | 'none';

export interface RestartInfo {
  kind: RestartKind;
  /** the access unit holds a coded slice (a picture) at all */
  picture: boolean;
  /** recovery-point SEI fields, when present */
  recovery?: { frames: number; exact: boolean; brokenLink: boolean };
}

/** NAL unit payloads of one access unit: Annex B (start codes) or length-prefixed (1, 2 or 4 bytes). */
export function nalUnits(au: Uint8Array, lengthSize?: number): Uint8Array[] {
  const annexB = au.length >= 4 && au[0] === 0 && au[1] === 0 && (au[2] === 1 || (au[2] === 0 && au[3] === 1));
  if (!lengthSize && annexB) return annexBUnits(au);
  const sizes = lengthSize ? [lengthSize] : [4, 2, 1];
  for (const n of sizes) {
    const out = prefixedUnits(au, n);
    if (out) return out;
  }
  return annexB ? annexBUnits(au) : [];
}

function prefixedUnits(au: Uint8Array, n: number): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < au.length) {
    if (p + n > au.length) return null;
    let len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + au[p + k];
    p += n;
    if (len === 0 || p + len > au.length) return null;
    out.push(au.subarray(p, p + len));
    p += len;
    if (out.length > 10_000) return null;
  }
  return out;
}

function annexBUnits(au: Uint8Array): Uint8Array[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < au.length; i++) {
    if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  const out: Uint8Array[] = [];
  for (let k = 0; k < starts.length; k++) {
    let end = k + 1 < starts.length ? starts[k + 1] - 3 : au.length;
    while (end > starts[k] && au[end - 1] === 0) end--; // trailing zero of a 4-byte start code
    if (end > starts[k]) out.push(au.subarray(starts[k], end));
  }
  return out;
}

/** RBSP of a NAL unit payload (emulation-prevention bytes removed), header byte skipped. */
function rbsp(nal: Uint8Array): Uint8Array {
  const out = new Uint8Array(nal.length);
  let o = 0;
  let zeros = 0;
  for (let i = 1; i < nal.length; i++) {
    const b = nal[i];
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out[o++] = b;
  }
  return out.subarray(0, o);
}

class Bits {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}
  bit(): number {
    const byte = this.pos >> 3;
    if (byte >= this.b.length) throw new RangeError('end of SEI payload');
    const v = (this.b[byte] >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return v;
  }
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) if (++zeros > 31) throw new RangeError('bad Exp-Golomb code');
    let v = 0;
    for (let k = 0; k < zeros; k++) v = v * 2 + this.bit();
    return 2 ** zeros - 1 + v;
  }
}

/** The recovery-point message of an SEI NAL unit, if it holds one. */
function recoveryPoint(nal: Uint8Array): RestartInfo['recovery'] | null {
  const b = rbsp(nal);
  let p = 0;
  while (p < b.length && !(b.length - p === 1 && b[p] === 0x80)) {
    let type = 0;
    while (p < b.length && b[p] === 0xff) type += b[p++];
    if (p >= b.length) return null;
    type += b[p++];
    let size = 0;
    while (p < b.length && b[p] === 0xff) size += b[p++];
    if (p >= b.length) return null;
    size += b[p++];
    if (p + size > b.length) return null;
    if (type === 6) {
      try {
        const r = new Bits(b.subarray(p, p + size));
        const frames = r.ue();
        const exact = r.bit() === 1;
        const brokenLink = r.bit() === 1;
        return { frames, exact, brokenLink };
      } catch {
        return null;
      }
    }
    p += size;
  }
  return null;
}

/** Classify one H.264 access unit (sample / block / chunk bytes). */
export function h264Restart(au: Uint8Array, lengthSize?: number): RestartInfo {
  let recovery: RestartInfo['recovery'] | undefined;
  for (const nal of nalUnits(au, lengthSize)) {
    const type = nal[0] & 0x1f;
    if (type === 5) return { kind: 'idr', picture: true, ...(recovery ? { recovery } : {}) };
    if (type === 6 && !recovery) recovery = recoveryPoint(nal) ?? undefined;
    if (type === 1 || type === 2) {
      const clean = recovery && recovery.frames === 0 && recovery.exact && !recovery.brokenLink;
      return { kind: clean ? 'recovery' : 'none', picture: true, ...(recovery ? { recovery } : {}) };
    }
  }
  return { kind: 'none', picture: false, ...(recovery ? { recovery } : {}) };
}

/** avcC (AVCDecoderConfigurationRecord) → NAL length size in bytes, or undefined. */
export function avcLengthSize(avcC: Uint8Array | null | undefined): number | undefined {
  if (!avcC || avcC.length < 7 || avcC[0] !== 1) return undefined;
  return (avcC[4] & 3) + 1;
}

/** How many leading bytes of an access unit to read to classify it (SEI and first slice header). */
export const RESTART_PREFIX_BYTES = 64 << 10;

/**
 * Restart points of one H.264 track, classified lazily (one read of a sample's first bytes, at
 * most once per sample). `samples` are in decode order.
 */
export class H264RestartPoints {
  private readonly kinds = new Map<number, RestartKind>();
  constructor(
    private readonly samples: { sync: boolean; cts: number }[],
    private readonly readPrefix: (k: number, maxBytes: number) => Promise<Uint8Array>,
    private readonly lengthSize?: number,
  ) {}

  /** kind of decode-order sample k (the first sample always counts as a restart point) */
  async kind(k: number): Promise<RestartKind> {
    let v = this.kinds.get(k);
    if (v === undefined) {
      let info = h264Restart(await this.readPrefix(k, RESTART_PREFIX_BYTES), this.lengthSize);
      if (!info.picture) info = h264Restart(await this.readPrefix(k, Infinity), this.lengthSize);
      v = info.kind;
      this.kinds.set(k, v);
    }
    return v;
  }

  /**
   * The decode-order sample to start decoding at so that sample `target` (decode order) comes out as
   * sequential decoding gives it: the latest clean restart point at or before it in decode order
   * that is not shown after it. `from` bounds the search below (default 0).
   */
  async startFor(target: number): Promise<number> {
    const cts = this.samples[target].cts;
    for (let s = target; s > 0; s--) {
      const x = this.samples[s];
      if (!x.sync || x.cts > cts) continue;
      if ((await this.kind(s)) !== 'none') return s;
    }
    return 0;
  }
}
