/** Small synthetic DaVis buffers for tests (built here byte by byte from the format note). */
import { zlibSync } from 'fflate';

export interface SynthOptions {
  pack?: number;
  format?: number;
  nx: number;
  ny: number;
  nz?: number;
  nf?: number;
  scalarN?: number;
  vgrid?: number;
  /** encoded data section (after the header) */
  data: Uint8Array;
  /** attribute items: [type, payload] */
  items?: [number, Uint8Array][];
  /** extra sections after the attributes: tail index -> bytes */
  sections?: Record<number, Uint8Array>;
  end?: boolean;
}

export const latin1Bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
export const text = (s: string): Uint8Array => latin1Bytes(s);
export const attr = (k: string, v: string): [number, Uint8Array] => [6, text(`${k}=${v}`)];
export const scaleItem = (type: number, s: string): [number, Uint8Array] => [type, text(s)];

export function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const i32 = (...v: number[]) => new Uint8Array(Int32Array.from(v).buffer);
export const u16 = (...v: number[]) => new Uint8Array(Uint16Array.from(v).buffer);
export const f32 = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

export function im7(o: SynthOptions): Uint8Array {
  const h = new DataView(new ArrayBuffer(256));
  h.setInt16(2, o.pack ?? 0, true);
  h.setInt16(4, o.format ?? -4, true);
  h.setInt32(8, o.nx, true);
  h.setInt32(12, o.ny, true);
  h.setInt32(16, o.nz ?? 1, true);
  h.setInt32(20, o.nf ?? 1, true);
  h.setInt16(24, o.scalarN ?? 0, true);
  h.setInt16(26, o.vgrid ?? 1, true);
  const secs = o.sections ?? {};
  const hasTail = Object.keys(secs).length > 0;
  h.setInt16(28, hasTail ? 1 : 0, true);
  const parts: Uint8Array[] = [new Uint8Array(h.buffer), o.data];
  let pos = 256 + o.data.length;
  const attrStart = pos;
  for (const [t, p] of o.items ?? []) {
    parts.push(i32(t, p.length), p);
    pos += 8 + p.length;
  }
  if (o.end !== false) {
    parts.push(i32(0, 0));
    pos += 8;
  }
  if (hasTail) {
    const tail = new DataView(new ArrayBuffer(256));
    tail.setBigUint64(0, BigInt(attrStart), true);
    for (const [k, b] of Object.entries(secs)) {
      tail.setBigUint64(8 * Number(k), BigInt(pos), true);
      parts.push(b);
      pos += b.length;
    }
    parts.push(new Uint8Array(tail.buffer));
  }
  return concat(parts);
}

export const zlibData = (raw: Uint8Array) => {
  const z = zlibSync(raw);
  return concat([i32(z.length), z]);
};
