/** A minimal ZIP writer for hostile test archives: members with any method, sizes and names (duplicates allowed). */
export interface RawMember {
  name: string;
  /** the member's stored bytes (already compressed for method 8) */
  data: Uint8Array;
  method: 0 | 8;
  /** uncompressed size written into the headers (may lie) */
  size: number;
  crc?: number;
}

export function rawZip(members: RawMember[]): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let off = 0;
  for (const m of members) {
    const name = enc.encode(m.name);
    const lh = new Uint8Array(30 + name.length);
    const l = new DataView(lh.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true);
    l.setUint16(8, m.method, true);
    l.setUint32(14, m.crc ?? 0, true);
    l.setUint32(18, m.data.length, true);
    l.setUint32(22, m.size, true);
    l.setUint16(26, name.length, true);
    lh.set(name, 30);
    const ch = new Uint8Array(46 + name.length);
    const c = new DataView(ch.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(10, m.method, true);
    c.setUint32(16, m.crc ?? 0, true);
    c.setUint32(20, m.data.length, true);
    c.setUint32(24, m.size, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, off, true);
    ch.set(name, 46);
    locals.push(lh, m.data);
    centrals.push(ch);
    off += lh.length + m.data.length;
  }
  const cdSize = centrals.reduce((a, b) => a + b.length, 0);
  const eocd = new Uint8Array(22);
  const e = new DataView(eocd.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, members.length, true);
  e.setUint16(10, members.length, true);
  e.setUint32(12, cdSize, true);
  e.setUint32(16, off, true);
  const parts = [...locals, ...centrals, eocd];
  const out = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
