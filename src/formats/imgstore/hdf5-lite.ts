/**
 * A small read-only HDF5 reader: enough for Motif's `.extra_data.h5` files (formats/imgstore.md
 * §7.2) as h5py writes them, not a general HDF5 implementation.
 *
 * Supported: superblock versions 0–3; object headers v1 and v2 (with continuation blocks); groups
 * stored as symbol tables (v1 B-tree + local heap) or as compact link messages; datasets with
 * compact, contiguous or chunked (v1 B-tree index, deflate and shuffle filters) layout; datatypes
 * fixed-point and floating-point (either byte order), fixed-length strings and compounds of those;
 * simple and scalar dataspaces; attributes (v1–v3) stored in the object header.
 * Not supported (FormatError): dense attribute/link storage (fractal heaps), layout v4 chunk
 * indexes, variable-length data, other filters.
 */
import { unzlibSync } from 'fflate';
import { FormatError } from '../errors';

export type H5Value = number | string | H5Value[] | { [k: string]: H5Value };

export interface H5Type {
  cls: 'int' | 'float' | 'string' | 'compound';
  size: number;
  littleEndian: boolean;
  signed: boolean;
  members?: { name: string; offset: number; type: H5Type }[];
}

export interface H5Dataset {
  name: string;
  shape: number[];
  type: H5Type;
  attrs: Record<string, H5Value>;
  /** decoded values in C order: numbers/strings, or one record per element for compounds */
  read(): H5Value[];
}

export interface H5File {
  rootAttrs: Record<string, H5Value>;
  /** names of the root group's members */
  names: string[];
  dataset(name: string): H5Dataset;
}

const SIG = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_ELEMENTS = 1 << 27;

interface ObjHeader {
  messages: { type: number; data: Uint8Array; at: number }[];
}

export function openH5(bytes: Uint8Array, path: string, format = 'imgstore'): H5File {
  const fail = (reason: string, offset?: number): never => {
    throw new FormatError(format, path, `HDF5: ${reason}`, offset);
  };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // signature at 0, 512, 1024, …
  let sb = -1;
  for (let o = 0; o + 8 <= bytes.length && o <= 1 << 20; o = o ? o * 2 : 512) {
    if (SIG.every((v, i) => bytes[o + i] === v)) {
      sb = o;
      break;
    }
  }
  if (sb < 0) fail('signature \\x89HDF\\r\\n\\x1a\\n not found', 0);
  const need = (o: number, n: number) => {
    if (o < 0 || o + n > bytes.length) fail(`read of ${n} bytes at ${o} runs past the end of the file (truncated?)`, o);
  };
  need(sb, 16);
  const version = bytes[sb + 8];
  let so: number;
  let sl: number;
  let base: number;
  let rootAddr: number;
  let p: number;
  const uint = (o: number, n: number): number => {
    need(o, n);
    if (n === 1) return bytes[o];
    if (n === 2) return dv.getUint16(o, true);
    if (n === 4) return dv.getUint32(o, true);
    if (n === 8) {
      const lo = dv.getUint32(o, true);
      const hi = dv.getUint32(o + 4, true);
      if (hi === 0xffffffff && lo === 0xffffffff) return -1; // undefined address
      return hi * 0x100000000 + lo;
    }
    fail(`unsupported field size ${n}`, o);
    return 0;
  };
  if (version === 0 || version === 1) {
    so = bytes[sb + 13];
    sl = bytes[sb + 14];
    p = sb + 24 + (version === 1 ? 4 : 0);
    base = uint(p, so);
    p += 4 * so; // base, free-space, EOF, driver
    // root group symbol table entry: link name offset, object header address, …
    rootAddr = uint(p + so, so);
  } else if (version === 2 || version === 3) {
    so = bytes[sb + 9];
    sl = bytes[sb + 10];
    p = sb + 12;
    base = uint(p, so);
    rootAddr = uint(p + 3 * so, so);
  } else {
    return fail(`unsupported superblock version ${version}`, sb + 8);
  }
  if (![2, 4, 8].includes(so) || ![2, 4, 8].includes(sl)) fail(`unsupported offset/length sizes ${so}/${sl}`, sb);
  const addr = (a: number) => (a < 0 ? a : a + base);

  const headerCache = new Map<number, ObjHeader>();
  function readHeader(at: number): ObjHeader {
    const cached = headerCache.get(at);
    if (cached) return cached;
    const messages: ObjHeader['messages'] = [];
    const blocks: { start: number; len: number; v2: boolean }[] = [];
    need(at, 16);
    let v2 = false;
    if (bytes[at] === 0x4f && bytes[at + 1] === 0x48 && bytes[at + 2] === 0x44 && bytes[at + 3] === 0x52) {
      v2 = true;
      const flags = bytes[at + 5];
      let q = at + 6;
      if (flags & 0x20) q += 16;
      if (flags & 0x10) q += 4;
      const szBytes = 1 << (flags & 3);
      const len = uint(q, szBytes);
      q += szBytes;
      blocks.push({ start: q, len, v2: true });
    } else {
      if (bytes[at] !== 1) fail(`unknown object header version ${bytes[at]}`, at);
      const len = uint(at + 8, 4);
      blocks.push({ start: at + 16, len, v2: false });
    }
    const flagsV2 = v2 ? bytes[at + 5] : 0;
    for (let b = 0; b < blocks.length && b < 1000; b++) {
      const { start, len, v2: isV2 } = blocks[b];
      need(start, len);
      let q = start;
      const end = start + len - (isV2 ? 4 : 0) - (isV2 && b > 0 ? 0 : 0);
      while (q < end) {
        let type: number;
        let size: number;
        if (isV2) {
          if (q + 4 > end) break;
          type = bytes[q];
          size = uint(q + 1, 2);
          q += 4 + (flagsV2 & 0x04 ? 2 : 0);
        } else {
          if (q + 8 > end) break;
          type = uint(q, 2);
          size = uint(q + 2, 2);
          q += 8;
        }
        need(q, size);
        const data = bytes.subarray(q, q + size);
        if (type === 0x10) {
          const ca = addr(uint(q, so));
          const cl = uint(q + so, sl);
          if (isV2) {
            need(ca, 4);
            blocks.push({ start: ca + 4, len: cl - 4, v2: true });
          } else blocks.push({ start: ca, len: cl, v2: false });
        } else messages.push({ type, data, at: q });
        q += size;
      }
    }
    const h = { messages };
    headerCache.set(at, h);
    return h;
  }

  function parseType(d: Uint8Array, at: number): { type: H5Type; used: number } {
    if (d.length < 8) fail('truncated datatype message', at);
    const cls = d[0] & 0x0f;
    const ver = d[0] >> 4;
    const bf = d[1] | (d[2] << 8) | (d[3] << 16);
    const size = d[4] | (d[5] << 8) | (d[6] << 16) | (d[7] << 24);
    const le = (bf & 1) === 0;
    if (cls === 0) return { type: { cls: 'int', size, littleEndian: le, signed: (bf & 8) !== 0 }, used: 8 + 4 };
    if (cls === 1) return { type: { cls: 'float', size, littleEndian: le, signed: true }, used: 8 + 12 };
    if (cls === 3) return { type: { cls: 'string', size, littleEndian: true, signed: false }, used: 8 };
    if (cls === 6) {
      const n = bf & 0xffff;
      const members: H5Type['members'] = [];
      let q = 8;
      for (let m = 0; m < n; m++) {
        let e = q;
        while (e < d.length && d[e] !== 0) e++;
        if (e >= d.length) fail('truncated compound member name', at + q);
        const name = new TextDecoder().decode(d.subarray(q, e));
        q = ver >= 3 ? e + 1 : q + Math.ceil((e - q + 1) / 8) * 8;
        let off: number;
        if (ver >= 3) {
          const nb = size < 256 ? 1 : size < 65536 ? 2 : size < 1 << 24 ? 3 : 4;
          off = 0;
          for (let k = 0; k < nb; k++) off |= d[q + k] << (8 * k);
          q += nb;
        } else {
          off = d[q] | (d[q + 1] << 8) | (d[q + 2] << 16) | (d[q + 3] << 24);
          q += 4;
          if (ver === 1) q += 28; // dimensionality, reserved, permutation, reserved, dims
        }
        const sub = parseType(d.subarray(q), at + q);
        q += sub.used;
        members.push({ name, offset: off, type: sub.type });
      }
      return { type: { cls: 'compound', size, littleEndian: true, signed: false, members }, used: q };
    }
    return fail(`unsupported datatype class ${cls}`, at);
  }

  function parseSpace(d: Uint8Array, at: number): number[] {
    const ver = d[0];
    const nd = d[1];
    const flags = d[2];
    let q: number;
    if (ver === 1) q = 8;
    else if (ver === 2) {
      if (d[3] === 2) return [0]; // null dataspace
      q = 4;
    } else return fail(`unsupported dataspace version ${ver}`, at);
    const dims: number[] = [];
    for (let k = 0; k < nd; k++) dims.push(uint(at + q + k * sl, sl));
    void flags;
    return dims;
  }

  function decodeValue(t: H5Type, o: number): H5Value {
    if (t.cls === 'int') {
      need(o, t.size);
      if (t.size === 1) return t.signed ? dv.getInt8(o) : dv.getUint8(o);
      if (t.size === 2) return t.signed ? dv.getInt16(o, t.littleEndian) : dv.getUint16(o, t.littleEndian);
      if (t.size === 4) return t.signed ? dv.getInt32(o, t.littleEndian) : dv.getUint32(o, t.littleEndian);
      if (t.size === 8) return Number(t.signed ? dv.getBigInt64(o, t.littleEndian) : dv.getBigUint64(o, t.littleEndian));
      return fail(`unsupported integer size ${t.size}`, o);
    }
    if (t.cls === 'float') {
      need(o, t.size);
      if (t.size === 4) return dv.getFloat32(o, t.littleEndian);
      if (t.size === 8) return dv.getFloat64(o, t.littleEndian);
      return fail(`unsupported float size ${t.size}`, o);
    }
    if (t.cls === 'string') {
      need(o, t.size);
      let e = o;
      while (e < o + t.size && bytes[e] !== 0) e++;
      return new TextDecoder().decode(bytes.subarray(o, e));
    }
    const rec: Record<string, H5Value> = {};
    for (const m of t.members!) rec[m.name] = decodeValue(m.type, o + m.offset);
    return rec;
  }

  function decodeArray(t: H5Type, buf: Uint8Array, count: number): H5Value[] {
    const out: H5Value[] = new Array(count);
    const off = buf.byteOffset - bytes.byteOffset;
    if (buf.buffer === bytes.buffer && off >= 0 && off + buf.length <= bytes.length) {
      for (let i = 0; i < count; i++) out[i] = decodeValue(t, off + i * t.size);
      return out;
    }
    // a decompressed buffer: decode through a temporary reader over it
    const sub = openBufferDecoder(buf);
    for (let i = 0; i < count; i++) out[i] = sub(t, i * t.size);
    return out;
  }

  function openBufferDecoder(buf: Uint8Array): (t: H5Type, o: number) => H5Value {
    const bdv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const dec = (t: H5Type, o: number): H5Value => {
      if (o + t.size > buf.length) fail('chunk data shorter than the dataset needs');
      if (t.cls === 'int') {
        if (t.size === 1) return t.signed ? bdv.getInt8(o) : bdv.getUint8(o);
        if (t.size === 2) return t.signed ? bdv.getInt16(o, t.littleEndian) : bdv.getUint16(o, t.littleEndian);
        if (t.size === 4) return t.signed ? bdv.getInt32(o, t.littleEndian) : bdv.getUint32(o, t.littleEndian);
        return Number(t.signed ? bdv.getBigInt64(o, t.littleEndian) : bdv.getBigUint64(o, t.littleEndian));
      }
      if (t.cls === 'float') return t.size === 4 ? bdv.getFloat32(o, t.littleEndian) : bdv.getFloat64(o, t.littleEndian);
      if (t.cls === 'string') {
        let e = o;
        while (e < o + t.size && buf[e] !== 0) e++;
        return new TextDecoder().decode(buf.subarray(o, e));
      }
      const rec: Record<string, H5Value> = {};
      for (const m of t.members!) rec[m.name] = dec(m.type, o + m.offset);
      return rec;
    };
    return dec;
  }

  function attrsOf(h: ObjHeader): Record<string, H5Value> {
    const out: Record<string, H5Value> = {};
    for (const m of h.messages) {
      if (m.type !== 0x0c) continue;
      const d = m.data;
      const ver = d[0];
      const nameLen = d[2] | (d[3] << 8);
      const typeLen = d[4] | (d[5] << 8);
      const spaceLen = d[6] | (d[7] << 8);
      let q = ver === 3 ? 9 : 8;
      const pad = (n: number) => (ver === 1 ? Math.ceil(n / 8) * 8 : n);
      const name = new TextDecoder().decode(d.subarray(q, q + nameLen - 1));
      q += pad(nameLen);
      const { type } = parseType(d.subarray(q, q + typeLen), m.at + q);
      q += pad(typeLen);
      const dims = parseSpace(d.subarray(q, q + spaceLen), m.at + q);
      q += pad(spaceLen);
      const count = dims.reduce((a, b) => a * b, 1);
      if (count > 1 << 20) continue;
      const vals: H5Value[] = [];
      for (let i = 0; i < count; i++) vals.push(decodeValue(type, m.at + q + i * type.size));
      out[name] = dims.length === 0 ? vals[0] : vals;
    }
    return out;
  }

  function localHeapName(heap: number, off: number): string {
    need(heap, 8 + 2 * sl + so);
    if (String.fromCharCode(...bytes.subarray(heap, heap + 4)) !== 'HEAP') fail('local heap signature expected', heap);
    const dataAddr = addr(uint(heap + 8 + 2 * sl, so));
    let e = dataAddr + off;
    need(e, 1);
    const s = e;
    while (e < bytes.length && bytes[e] !== 0) e++;
    return new TextDecoder().decode(bytes.subarray(s, e));
  }

  function groupMembers(at: number): Map<string, number> {
    const h = readHeader(at);
    const out = new Map<string, number>();
    for (const m of h.messages) {
      if (m.type === 0x11) {
        const bt = addr(uint(m.at, so));
        const heap = addr(uint(m.at + so, so));
        const visit = (node: number, depth: number) => {
          if (depth > 64) fail('group B-tree too deep', node);
          need(node, 8 + 2 * so);
          if (String.fromCharCode(...bytes.subarray(node, node + 4)) !== 'TREE') fail('B-tree signature expected', node);
          const level = bytes[node + 5];
          const used = uint(node + 6, 2);
          let q = node + 8 + 2 * so + sl; // first key
          for (let i = 0; i < used; i++) {
            const child = addr(uint(q, so));
            q += so + sl;
            if (level > 0) visit(child, depth + 1);
            else {
              need(child, 8);
              if (String.fromCharCode(...bytes.subarray(child, child + 4)) !== 'SNOD') fail('symbol table node signature expected', child);
              const n = uint(child + 6, 2);
              for (let k = 0; k < n; k++) {
                const e = child + 8 + k * (2 * so + 24);
                out.set(localHeapName(heap, uint(e, so)), addr(uint(e + so, so)));
              }
            }
          }
        };
        visit(bt, 0);
      } else if (m.type === 0x06) {
        const d = m.data;
        const flags = d[1];
        let q = 2;
        let ltype = 0;
        if (flags & 0x08) ltype = d[q++];
        if (flags & 0x04) q += 8;
        if (flags & 0x10) q++;
        const nb = 1 << (flags & 3);
        let nlen = 0;
        for (let k = 0; k < nb; k++) nlen += d[q + k] * 2 ** (8 * k);
        q += nb;
        const name = new TextDecoder().decode(d.subarray(q, q + nlen));
        q += nlen;
        if (ltype === 0) out.set(name, addr(uint(m.at + q, so)));
      } else if (m.type === 0x02) {
        fail('dense link storage (fractal heap) is not supported', m.at);
      }
    }
    return out;
  }

  function datasetAt(name: string, at: number): H5Dataset {
    const h = readHeader(at);
    const get = (t: number) => h.messages.find((m) => m.type === t);
    const sm = get(0x01);
    const tm = get(0x03);
    const lm = get(0x08);
    if (!sm || !tm || !lm) fail(`'${name}' is not a dataset`, at);
    const shape = parseSpace(sm!.data, sm!.at);
    const { type } = parseType(tm!.data, tm!.at);
    const filters: number[] = [];
    const fm = get(0x0b);
    if (fm) {
      const d = fm.data;
      const ver = d[0];
      const n = d[1];
      let q = ver === 1 ? 8 : 2;
      for (let k = 0; k < n; k++) {
        const id = d[q] | (d[q + 1] << 8);
        if (ver === 1 || id >= 256) {
          const nameLen = d[q + 2] | (d[q + 3] << 8);
          const nvals = d[q + 6] | (d[q + 7] << 8);
          q += 8 + (ver === 1 ? Math.ceil(nameLen / 8) * 8 : nameLen) + 4 * nvals + (ver === 1 && nvals % 2 ? 4 : 0);
        } else {
          const nvals = d[q + 4] | (d[q + 5] << 8);
          q += 6 + 4 * nvals;
        }
        filters.push(id);
      }
      for (const f of filters) if (f !== 1 && f !== 2) fail(`dataset '${name}' uses unsupported filter ${f}`, fm.at);
    }
    const count = shape.reduce((a, b) => a * b, 1);
    if (count > MAX_ELEMENTS) fail(`dataset '${name}' of ${count} elements is too large`, at);
    return {
      name,
      shape,
      type,
      attrs: attrsOf(h),
      read(): H5Value[] {
        const d = lm!.data;
        const ver = d[0];
        const total = count * type.size;
        if (ver !== 3) fail(`data layout version ${ver} is not supported`, lm!.at);
        const cls = d[1];
        if (cls === 0) {
          const size = d[2] | (d[3] << 8);
          if (size < total) fail(`compact data of '${name}' is short`, lm!.at);
          return decodeArray(type, bytes.subarray(lm!.at + 4, lm!.at + 4 + total), count);
        }
        if (cls === 1) {
          const a = addr(uint(lm!.at + 2, so));
          if (a < 0) return new Array(count).fill(0);
          need(a, total);
          return decodeArray(type, bytes.subarray(a, a + total), count);
        }
        if (cls === 2) {
          const nd = d[2];
          const bt = addr(uint(lm!.at + 3, so));
          const cdims: number[] = [];
          for (let k = 0; k < nd; k++) cdims.push(uint(lm!.at + 3 + so + 4 * k, 4));
          const rank = shape.length;
          const chunkElems = cdims.slice(0, rank).reduce((x, y) => x * y, 1);
          const out = new Uint8Array(total);
          const strides = shape.map((_, i) => shape.slice(i + 1).reduce((x, y) => x * y, 1));
          const cstr = cdims.slice(0, rank).map((_, i) => cdims.slice(i + 1, rank).reduce((x, y) => x * y, 1));
          const place = (raw: Uint8Array, origin: number[]) => {
            for (let e = 0; e < chunkElems; e++) {
              let gi = 0;
              let inside = true;
              for (let k = 0; k < rank; k++) {
                const c = Math.floor(e / cstr[k]) % cdims[k];
                const g = origin[k] + c;
                if (g >= shape[k]) {
                  inside = false;
                  break;
                }
                gi += g * strides[k];
              }
              if (inside) out.set(raw.subarray(e * type.size, (e + 1) * type.size), gi * type.size);
            }
          };
          if (bt >= 0) {
            const visit = (node: number, depth: number) => {
              if (depth > 64) fail('chunk B-tree too deep', node);
              need(node, 8 + 2 * so);
              if (String.fromCharCode(...bytes.subarray(node, node + 4)) !== 'TREE') fail('B-tree signature expected', node);
              const level = bytes[node + 5];
              const used = uint(node + 6, 2);
              const keySize = 8 + 8 * (rank + 1);
              let q = node + 8 + 2 * so;
              for (let i = 0; i < used; i++) {
                const csize = uint(q, 4);
                const mask = uint(q + 4, 4);
                const origin: number[] = [];
                for (let k = 0; k < rank; k++) origin.push(uint(q + 8 + 8 * k, 8));
                const child = addr(uint(q + keySize, so));
                q += keySize + so;
                if (level > 0) visit(child, depth + 1);
                else {
                  need(child, csize);
                  let raw = bytes.subarray(child, child + csize);
                  for (let f = filters.length - 1; f >= 0; f--) {
                    if (mask & (1 << f)) continue;
                    if (filters[f] === 1) {
                      try {
                        raw = unzlibSync(raw, { out: new Uint8Array(chunkElems * type.size) });
                      } catch (e) {
                        fail(`corrupt deflate chunk in '${name}': ${(e as Error).message}`, child);
                      }
                    } else if (filters[f] === 2) raw = unshuffle(raw, type.size);
                  }
                  if (raw.length < chunkElems * type.size) fail(`chunk of '${name}' is short`, child);
                  place(raw, origin);
                }
              }
            };
            visit(bt, 0);
          }
          return decodeArray(type, out, count);
        }
        return fail(`unknown layout class ${cls}`, lm!.at);
      },
    };
  }

  const rootHeader = readHeader(addr(rootAddr));
  const members = groupMembers(addr(rootAddr));
  return {
    rootAttrs: attrsOf(rootHeader),
    names: [...members.keys()],
    dataset(name: string): H5Dataset {
      const a = members.get(name);
      if (a === undefined) return fail(`no dataset '${name}' in the root group`);
      return datasetAt(name, a);
    },
  };
}

function unshuffle(b: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return b;
  const n = Math.floor(b.length / size);
  const out = new Uint8Array(b.length);
  for (let k = 0; k < size; k++) for (let i = 0; i < n; i++) out[i * size + k] = b[k * n + i];
  out.set(b.subarray(n * size), n * size);
  return out;
}
