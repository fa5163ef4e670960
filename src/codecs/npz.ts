/**
 * NumPy `.npz` (ZIP of .npy members) reader and writer.
 *
 * Reading works from the end of the file with random-access reads (SourceFile.read = Blob.slice in
 * the browser): the End Of Central Directory record is searched only in the last 64 KiB + 22 bytes,
 * a ZIP64 EOCD (locator + record) is honoured, and every member's sizes and offset come from the
 * central directory (numpy's local headers may hold 0xFFFFFFFF placeholders with a ZIP64 extra
 * field). Members may be stored (method 0) or deflated (method 8, inflated with fflate). The
 * uncompressed size declared in the directory is the decompression limit: output never grows past
 * it (and never past `maxMemberBytes`), and its length and CRC-32 are checked.
 *
 * A member's bytes are read in one request spanning [local header, next member's local header) (or
 * the central directory for the last one); bytes already in the tail read at open time are reused,
 * so a small file costs a single read.
 */
import { crc32 } from './crc32';
import { Inflate, zipSync, type Zippable } from 'fflate';
import { CodecError } from '../core/errors';
import { DEFAULT_MAX_RATIO, inflateBounded } from './inflate-bounded';
import { FormatError } from '../core/errors';
import type { SourceFile } from '../core/types';
import { decodeNpy, readNpyHeader, type NpyArray, type NpyHeader } from './npy';

export interface NpzEntry {
  /** member name without '.npy' */
  name: string;
  /** name as stored in the zip */
  fileName: string;
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localOffset: number;
  flags: number;
}

export interface NpzFile {
  path: string;
  /** member names in zip order, '.npy' stripped */
  names: string[];
  entries: NpzEntry[];
  /** Decode one member. */
  read(name: string): Promise<NpyArray>;
  /** Raw (decompressed, CRC-checked) bytes of one member. */
  readBytes(name: string): Promise<Uint8Array>;
  /** Decode several members with one contiguous read (all members when `names` is omitted). */
  readMany(names?: string[]): Promise<Record<string, NpyArray>>;
  /**
   * Only the .npy header of a member (dtype, shape), reading and inflating just its first bytes
   * (a few KiB at most, whatever the member's size).
   */
  readHeader(name: string): Promise<NpyHeader>;
}

export interface NpzOptions {
  /** Largest uncompressed member accepted (default 1 GiB). */
  maxMemberBytes?: number;
  /** Maximum number of central-directory entries (default 65536). */
  maxEntries?: number;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

const SIG_EOCD = 0x06054b50;
const SIG_Z64_LOC = 0x07064b50;
const SIG_Z64_EOCD = 0x06064b50;
const SIG_CD = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

/** Open an .npz (or any zip of .npy members) lazily. */
export async function openNpz(file: SourceFile, opts: NpzOptions = {}): Promise<NpzFile> {
  const path = file.path;
  const maxMember = opts.maxMemberBytes ?? 1 << 30;
  const maxEntries = opts.maxEntries ?? 65536;
  const fail = (why: string, at?: number): never => {
    throw new FormatError('npz', path, why, at);
  };
  const size = file.size;
  if (size < 22) fail(`truncated: the file ends at byte ${size}, smaller than a ZIP end record (22 bytes)`, 0);
  const tailStart = Math.max(0, size - (65535 + 22));
  const tail = await file.read(tailStart, size);
  if (tail.length !== size - tailStart) fail('short read of the file tail', tailStart);
  const tdv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let p = tail.length - 22; p >= 0; p--) {
    if (tdv.getUint32(p, true) === SIG_EOCD && p + 22 + tdv.getUint16(p + 20, true) <= tail.length) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0)
    fail(
      `the file ends at byte ${fmtInt(size)} without a ZIP end record in its last 64 KiB: an .npz keeps its directory at the end, so the file is truncated (or not a zip/npz)`,
      size,
    );
  let count = tdv.getUint16(eocd + 10, true);
  let cdSize = tdv.getUint32(eocd + 12, true);
  let cdOffset = tdv.getUint32(eocd + 16, true);
  const eocdAbs = tailStart + eocd;
  // ZIP64: a locator sits just before the EOCD
  if (eocd >= 20 && tdv.getUint32(eocd - 20, true) === SIG_Z64_LOC) {
    const recOff = Number(tdv.getBigUint64(eocd - 20 + 8, true));
    if (recOff + 56 > eocdAbs) fail('ZIP64 end record offset out of range', eocdAbs - 20);
    const rec = await readAt(recOff, 56);
    const rdv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
    if (rdv.getUint32(0, true) !== SIG_Z64_EOCD) fail('bad ZIP64 end record signature', recOff);
    count = Number(rdv.getBigUint64(32, true));
    cdSize = Number(rdv.getBigUint64(40, true));
    cdOffset = Number(rdv.getBigUint64(48, true));
  }
  if (count > maxEntries) fail(`too many zip entries (${count} > ${maxEntries})`, eocdAbs);
  if (cdOffset + cdSize > eocdAbs || cdSize < 46 * count)
    fail(
      `the ZIP end record at byte ${fmtInt(eocdAbs)} puts the central directory (${count} entries) at bytes ${fmtInt(cdOffset)}..${fmtInt(cdOffset + cdSize)}, which ${cdOffset + cdSize > eocdAbs ? 'does not fit before it (the start of the file is missing or the record is damaged)' : 'is too small for its entries'}`,
      eocdAbs,
    );
  const cd = await readAt(cdOffset, cdSize);
  const cdv = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const entries: NpzEntry[] = [];
  const seenNames = new Map<string, number>();
  let p = 0;
  for (let k = 0; k < count; k++) {
    const at = cdOffset + p;
    if (p + 46 > cd.length) fail('truncated central directory entry', at);
    if (cdv.getUint32(p, true) !== SIG_CD) fail('bad central directory entry signature', at);
    const flags = cdv.getUint16(p + 8, true);
    const method = cdv.getUint16(p + 10, true);
    const crc = cdv.getUint32(p + 16, true);
    let csize = cdv.getUint32(p + 20, true);
    let usize = cdv.getUint32(p + 24, true);
    const nlen = cdv.getUint16(p + 28, true);
    const xlen = cdv.getUint16(p + 30, true);
    const clen = cdv.getUint16(p + 32, true);
    let loff = cdv.getUint32(p + 42, true);
    if (p + 46 + nlen + xlen + clen > cd.length) fail('truncated central directory entry', at);
    const nameBytes = cd.subarray(p + 46, p + 46 + nlen);
    const fileName = flags & 0x800 ? new TextDecoder().decode(nameBytes) : String.fromCharCode(...nameBytes);
    // ZIP64 extended information extra field
    let x = p + 46 + nlen;
    const xend = x + xlen;
    while (x + 4 <= xend) {
      const id = cdv.getUint16(x, true);
      const len = cdv.getUint16(x + 2, true);
      if (x + 4 + len > xend) break;
      if (id === 0x0001) {
        let q = x + 4;
        const next = () => {
          if (q + 8 > x + 4 + len) fail('short ZIP64 extra field', cdOffset + q);
          const v = Number(cdv.getBigUint64(q, true));
          q += 8;
          return v;
        };
        if (usize === 0xffffffff) usize = next();
        if (csize === 0xffffffff) csize = next();
        if (loff === 0xffffffff) loff = next();
      }
      x += 4 + len;
    }
    if (flags & 1) fail(`member ${fileName} is encrypted`, at);
    if (method !== 0 && method !== 8) fail(`member ${fileName} uses unsupported compression method ${method} (expected 0 or 8)`, at);
    if (method === 0 && csize !== usize) fail(`stored member ${fileName}: sizes differ (${csize} vs ${usize})`, at);
    if (loff + 30 + csize > cdOffset) fail(`member ${fileName} [${loff}, +${csize}) runs into the central directory`, at);
    const name = fileName.endsWith('.npy') ? fileName.slice(0, -4) : fileName;
    const dup = seenNames.get(name);
    if (dup !== undefined)
      fail(
        `two members named ${entries[dup].fileName === fileName ? `'${fileName}'` : `'${entries[dup].fileName}' and '${fileName}'`} (entries ${dup + 1} and ${k + 1} of the central directory): which one is meant is ambiguous`,
        at,
      );
    seenNames.set(name, entries.length);
    entries.push({ name, fileName, method, compressedSize: csize, size: usize, crc32: crc, localOffset: loff, flags });
    p += 46 + nlen + xlen + clen;
  }
  // region of each member: [localOffset, next local offset or the central directory)
  const sorted = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  const regionEnd = new Map<NpzEntry, number>();
  sorted.forEach((e, k) => regionEnd.set(e, k + 1 < sorted.length ? sorted[k + 1].localOffset : cdOffset));
  const byName = new Map(entries.map((e) => [e.name, e]));

  async function readAt(start: number, len: number): Promise<Uint8Array> {
    if (start >= tailStart && start + len <= size) return tail.subarray(start - tailStart, start - tailStart + len);
    const b = await file.read(start, start + len);
    if (b.length !== len) fail(`short read: ${b.length} of ${len} bytes`, start);
    return b;
  }

  const entryOf = (name: string): NpzEntry => {
    const e = byName.get(name) ?? byName.get(name.replace(/\.npy$/, ''));
    if (!e) return fail(`no member '${name}' (members: ${entries.map((m) => m.name).join(', ')})`);
    return e;
  };

  /** Decompress one member from a buffer that starts at absolute offset `base`. */
  const extract = async (e: NpzEntry, buf: Uint8Array, base: number): Promise<Uint8Array> => {
    const lo = e.localOffset - base;
    const ldv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (lo + 30 > buf.length) fail(`truncated local header of ${e.fileName}`, e.localOffset);
    if (ldv.getUint32(lo, true) !== SIG_LOCAL) fail(`bad local header signature for ${e.fileName}`, e.localOffset);
    const lmethod = ldv.getUint16(lo + 8, true);
    if (lmethod !== e.method) fail(`local header of ${e.fileName} says method ${lmethod}, directory says ${e.method}`, e.localOffset + 8);
    const dataStart = lo + 30 + ldv.getUint16(lo + 26, true) + ldv.getUint16(lo + 28, true);
    if (dataStart + e.compressedSize > buf.length) fail(`data of ${e.fileName} runs past its region (corrupt local header?)`, e.localOffset);
    const comp = buf.subarray(dataStart, dataStart + e.compressedSize);
    if (e.size > maxMember) fail(`member ${e.fileName} is ${e.size} bytes uncompressed, above the limit of ${maxMember}`, e.localOffset);
    let out: Uint8Array;
    if (e.method === 0) out = comp.slice();
    else {
      // deflate compresses at most ~1032:1; a declared size beyond that is damage (or a bomb)
      if (e.size > DEFAULT_MAX_RATIO * e.compressedSize + 1024)
        fail(
          `member ${e.fileName} declares ${fmtInt(e.size)} bytes from ${fmtInt(e.compressedSize)} compressed bytes, a ratio deflate cannot reach (damaged directory, or a decompression bomb)`,
          e.localOffset,
        );
      try {
        out = await inflateRaw(comp, e.size);
      } catch (err) {
        const at = err instanceof CodecError ? base + dataStart + Math.min(err.offset, e.compressedSize) : base + dataStart;
        return fail(`member ${e.fileName}: ${(err as Error).message}`, at);
      }
      if (out.length !== e.size) fail(`member ${e.fileName} inflated to ${out.length} bytes, directory says ${e.size}`, base + dataStart);
    }
    const c = crc32(out);
    if (c !== e.crc32) fail(`CRC-32 mismatch in ${e.fileName} (0x${c.toString(16)} != 0x${e.crc32.toString(16)})`, base + dataStart);
    return out;
  };

  const decode = (e: NpzEntry, raw: Uint8Array) => decodeNpy(raw, `${path}/${e.fileName}`, { owned: true });

  const regionLen = (e: NpzEntry) => Math.min(regionEnd.get(e)! - e.localOffset, 30 + 2 * 65535 + e.compressedSize);

  /** Inflate just enough of a deflated member to hold `want` bytes (fewer when the member is smaller). */
  const inflateHead = (e: NpzEntry, comp: Uint8Array, want: number, at: number): Uint8Array => {
    const chunks: Uint8Array[] = [];
    let got = 0;
    const inf = new Inflate((chunk) => {
      chunks.push(chunk.slice());
      got += chunk.length;
    });
    try {
      for (let k = 0; k < comp.length && got < want; k += 512) inf.push(comp.subarray(k, Math.min(comp.length, k + 512)), false);
    } catch (err) {
      return fail(`corrupt deflate data in ${e.fileName}: ${(err as Error).message}`, at);
    }
    const out = new Uint8Array(Math.min(got, e.size));
    let o = 0;
    for (const c of chunks) {
      if (o >= out.length) break;
      out.set(c.subarray(0, out.length - o), o);
      o += c.length;
    }
    return out;
  };

  const npz: NpzFile = {
    path,
    names: entries.map((e) => e.name),
    entries,
    async readBytes(name) {
      const e = entryOf(name);
      const buf = await readAt(e.localOffset, regionLen(e));
      return await extract(e, buf, e.localOffset);
    },
    async read(name) {
      const e = entryOf(name);
      return decode(e, await npz.readBytes(name)); // readBytes returns a fresh buffer
    },
    async readHeader(name) {
      const e = entryOf(name);
      const probe = Math.min(regionLen(e), 30 + 2048 + 8192);
      const buf = await readAt(e.localOffset, probe);
      const ldv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      if (buf.length < 30 || ldv.getUint32(0, true) !== SIG_LOCAL) fail(`bad local header signature for ${e.fileName}`, e.localOffset);
      const dataStart = 30 + ldv.getUint16(26, true) + ldv.getUint16(28, true);
      const avail = buf.subarray(Math.min(dataStart, buf.length), Math.min(buf.length, dataStart + e.compressedSize));
      const mpath = `${path}/${e.fileName}`;
      for (const want of [4096, 65536 + 16]) {
        const head = e.method === 0 ? avail : inflateHead(e, avail, want, e.localOffset + dataStart);
        try {
          return readNpyHeader(head, mpath);
        } catch (err) {
          // header longer than what the probe read: fall back to the whole member
          if (head.length >= e.size || !(err instanceof FormatError) || !/truncated/.test(err.reason)) throw err;
          if (avail.length < e.compressedSize) break;
        }
      }
      return readNpyHeader(await npz.readBytes(name), mpath);
    },
    async readMany(names) {
      const es = (names ?? entries.map((e) => e.name)).map(entryOf);
      const out: Record<string, NpyArray> = {};
      if (!es.length) return out;
      const start = Math.min(...es.map((e) => e.localOffset));
      const end = Math.max(...es.map((e) => e.localOffset + regionLen(e)));
      const buf = await readAt(start, end - start);
      for (const e of es) out[e.name] = decode(e, await extract(e, buf, start));
      return out;
    },
  };
  return npz;
}

// ---------------------------------------------------------------------------------------------
// inflate

/**
 * Inflate a raw deflate stream into at most `size` bytes (the directory's size: output beyond it is
 * an error, found after at most one small slice of excess; see inflate-bounded.ts).
 */
export async function inflateRaw(comp: Uint8Array, size: number): Promise<Uint8Array> {
  return inflateBounded(comp, 'deflate-raw', { maxOut: size, expected: size });
}

// ---------------------------------------------------------------------------------------------
// writer

/**
 * Build an .npz like numpy.savez (compress: false, members stored) or numpy.savez_compressed
 * (compress: true, deflate). `members` maps names (without '.npy') to complete .npy file bytes.
 * Plain ZIP (no ZIP64): total size must stay below 4 GiB.
 */
export function encodeNpz(members: Record<string, Uint8Array>, opts: { compress: boolean } = { compress: true }): Uint8Array {
  const z: Zippable = {};
  for (const [name, bytes] of Object.entries(members)) {
    const fn = name.endsWith('.npy') ? name : `${name}.npy`;
    z[fn] = [bytes, { level: opts.compress ? 6 : 0 }];
  }
  // fixed timestamp (1980-01-01, the DOS epoch numpy also uses) for reproducible output
  const out = zipSync(z, { mtime: new Date(1980, 0, 1, 0, 0, 0) });
  if (out.length >= 0xffffffff) throw new Error('encodeNpz: result exceeds 4 GiB (ZIP64 not supported by the writer)');
  return out;
}

export { crc32 };
