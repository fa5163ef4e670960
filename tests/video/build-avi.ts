/**
 * Hand-built AVI files for the index parser tests: RIFF 'AVI ' (+ 'AVIX' segments), one video
 * stream, an AVI 1.0 idx1 and/or OpenDML indexes (indx super index → ix00 standard index at the
 * end of each segment's movi list). Frame payloads are filled with the frame number.
 */
export interface AviFrameSpec {
  /** payload bytes; 0 = a drop chunk */
  size: number;
  key?: boolean;
}

export interface AviSpec {
  frames: AviFrameSpec[];
  /** frames per RIFF segment (default: all in the first) */
  segments?: number[];
  idx1?: boolean;
  /** idx1 offsets absolute instead of relative to the 'movi' fourcc */
  idx1Absolute?: boolean;
  odml?: boolean;
  scale?: number;
  rate?: number;
  fourcc?: string;
  width?: number;
  height?: number;
}

export interface BuiltAvi {
  bytes: Uint8Array;
  /** data offset of every frame chunk (drops included), in order */
  dataOffsets: number[];
  /** payload position of the indx chunk (OpenDML) */
  indxPos: number;
  /** positions of the ix00 chunks (headers) */
  ixPos: number[];
  /** payload position of idx1 */
  idx1Pos: number;
  /** position of each segment's 'movi' fourcc */
  moviPos: number[];
}

class W {
  b: number[] = [];
  get pos(): number {
    return this.b.length;
  }
  u8(v: number) {
    this.b.push(v & 255);
  }
  u16(v: number) {
    this.u8(v);
    this.u8(v >>> 8);
  }
  u32(v: number) {
    for (let k = 0; k < 4; k++) this.u8(Math.floor(v / 2 ** (8 * k)));
  }
  u64(v: number) {
    this.u32(v % 2 ** 32);
    this.u32(Math.floor(v / 2 ** 32));
  }
  cc(s: string) {
    for (let k = 0; k < 4; k++) this.u8(s.charCodeAt(k));
  }
  fill(n: number, v = 0) {
    for (let k = 0; k < n; k++) this.u8(v);
  }
  set32(at: number, v: number) {
    for (let k = 0; k < 4; k++) this.b[at + k] = Math.floor(v / 2 ** (8 * k)) & 255;
  }
  set64(at: number, v: number) {
    this.set32(at, v % 2 ** 32);
    this.set32(at + 4, Math.floor(v / 2 ** 32));
  }
  /** open a chunk/list: returns the size field position */
  open(id: string, listType?: string): number {
    this.cc(id);
    const at = this.pos;
    this.u32(0);
    if (listType) this.cc(listType);
    return at;
  }
  close(sizeAt: number) {
    const len = this.pos - sizeAt - 4;
    this.set32(sizeAt, len);
    if (len & 1) this.u8(0);
  }
}

export function buildAvi(spec: AviSpec): BuiltAvi {
  const w = new W();
  const segs = spec.segments ?? [spec.frames.length];
  const out: BuiltAvi = { bytes: new Uint8Array(0), dataOffsets: [], indxPos: -1, ixPos: [], idx1Pos: -1, moviPos: [] };
  const width = spec.width ?? 16;
  const height = spec.height ?? 8;
  let superEntriesAt = -1;
  const riff0 = w.open('RIFF', 'AVI ');
  const hdrl = w.open('LIST', 'hdrl');
  const avih = w.open('avih');
  w.u32(40000);
  w.fill(8);
  w.u32(0x910);
  w.u32(segs[0]);
  w.u32(0);
  w.u32(1);
  w.u32(0);
  w.u32(width);
  w.u32(height);
  w.fill(16);
  w.close(avih);
  const strl = w.open('LIST', 'strl');
  const strh = w.open('strh');
  w.cc('vids');
  w.cc(spec.fourcc ?? 'FFV1');
  w.u32(0);
  w.u16(0);
  w.u16(0);
  w.u32(0);
  w.u32(spec.scale ?? 1);
  w.u32(spec.rate ?? 25);
  w.u32(0);
  w.u32(spec.frames.length);
  w.u32(0);
  w.u32(0xffffffff);
  w.u32(0);
  w.fill(8);
  w.close(strh);
  const strf = w.open('strf');
  w.u32(40);
  w.u32(width);
  w.u32(height);
  w.u16(1);
  w.u16(24);
  w.cc(spec.fourcc ?? 'FFV1');
  w.fill(20);
  w.close(strf);
  if (spec.odml) {
    const indx = w.open('indx');
    out.indxPos = w.pos;
    w.u16(4);
    w.u8(0);
    w.u8(0);
    w.u32(segs.length);
    w.cc('00dc');
    w.fill(12);
    superEntriesAt = w.pos;
    w.fill(16 * segs.length);
    w.close(indx);
  }
  w.close(strl);
  w.close(hdrl);

  let f = 0;
  const idx1: { off: number; size: number; key: boolean }[] = [];
  let riff = riff0;
  for (let s = 0; s < segs.length; s++) {
    if (s > 0) riff = w.open('RIFF', 'AVIX');
    const movi = w.open('LIST', 'movi');
    const moviPos = movi + 4;
    out.moviPos.push(moviPos);
    const entries: { data: number; size: number; key: boolean }[] = [];
    for (let k = 0; k < segs[s]; k++, f++) {
      const fr = spec.frames[f];
      const at = w.open('00dc');
      out.dataOffsets.push(w.pos);
      entries.push({ data: w.pos, size: fr.size, key: fr.key ?? true });
      if (s === 0) idx1.push({ off: spec.idx1Absolute ? at - 4 : at - 4 - moviPos, size: fr.size, key: fr.key ?? true });
      w.fill(fr.size, f);
      w.close(at);
    }
    if (spec.odml) {
      out.ixPos.push(w.pos);
      const ix = w.open('ix00');
      w.u16(2);
      w.u8(0);
      w.u8(1);
      w.u32(entries.length);
      w.cc('00dc');
      w.u64(moviPos);
      w.u32(0);
      for (const e of entries) {
        w.u32(e.data - moviPos);
        w.u32(e.size + (e.key ? 0 : 0x80000000));
      }
      const ixStart = ix - 4;
      w.close(ix);
      w.set64(superEntriesAt + s * 16, ixStart);
      w.set32(superEntriesAt + s * 16 + 8, w.pos - ixStart);
      w.set32(superEntriesAt + s * 16 + 12, segs[s]);
    }
    w.close(movi);
    if (s === 0 && spec.idx1 !== false) {
      const ix1 = w.open('idx1');
      out.idx1Pos = w.pos;
      for (const e of idx1) {
        w.cc('00dc');
        w.u32(e.key ? 0x10 : 0);
        w.u32(e.off);
        w.u32(e.size);
      }
      w.close(ix1);
    }
    w.close(riff);
  }
  out.bytes = Uint8Array.from(w.b);
  return out;
}
