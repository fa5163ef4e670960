import type { Scale } from '../types';
import { type ByteReader, trimNul, fmtInt } from './bytes';
import type { DavisHeader } from './model';

export const HEADER_SIZE = 256;

/** true when int16@0 marks an old (DaVis <= 6) header: imagetype 18..23 */
export const isOldHeaderType = (t: number): boolean => t >= 18 && t <= 23;

/** Parse the 256-byte header of either generation (dispatch by int16@0, as LaVision's reader does). */
export function parseHeader(r: ByteReader): DavisHeader {
  if (r.size < HEADER_SIZE) r.fail(`the file ends at byte ${fmtInt(r.size)}, too short for a DaVis header (256 bytes): truncated, or not a DaVis file`, r.size);
  const t = r.i16(0);
  return isOldHeaderType(t) ? parseOldHeader(r, t) : parseIm7Header(r);
}

function checkDims(r: ByteReader, h: DavisHeader): DavisHeader {
  const { nx, ny, nz, nf } = h;
  for (const [k, v, at] of [
    ['sizeX', nx, 8],
    ['sizeY', ny, 12],
    ['sizeZ', nz, 16],
    ['sizeF', nf, 20],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 1 << 24) r.fail(`header ${k} = ${v}, expected 1..16777216`, h.kind === 'im7' ? at : 10);
  }
  if (h.scalarN < 0 || h.scalarN > 256) r.fail(`header scalarN = ${h.scalarN}, expected 0..256`, 24);
  // the decoded data must be bounded by something sensible relative to the file (even packed data
  // compresses by less than ~1000x here); protects allocations against garbage headers
  const cells = nx * ny * nz * nf * (1 + h.scalarN);
  if (cells > Math.max(1 << 20, r.size * 2048)) {
    r.fail(`header sizes ${nx}x${ny}x${nz}x${nf} are implausibly large for a ${r.size}-byte file`, 8);
  }
  return h;
}

function parseIm7Header(r: ByteReader): DavisHeader {
  const h: DavisHeader = {
    kind: 'im7',
    version: r.i16(0),
    packType: r.i16(2),
    bufferFormat: r.i16(4),
    isSparse: r.i16(6),
    nx: r.i32(8),
    ny: r.i32(12),
    nz: r.i32(16),
    nf: r.i32(20),
    scalarN: r.i16(24),
    vectorGrid: r.i16(26),
    extraFlags: r.i16(28),
  };
  if (h.vectorGrid < 1) h.vectorGrid = 1;
  return checkDims(r, h);
}

function cstr(r: ByteReader, at: number, n: number): string {
  const s = r.latin1(at, at + n);
  const z = s.indexOf('\0');
  return (z < 0 ? s : s.slice(0, z)).trim();
}

function headerScale(r: ByteReader, at: number): Scale {
  const slope = r.f32(at);
  const offset = r.f32(at + 4);
  return {
    slope: Number.isFinite(slope) && slope !== 0 ? slope : 1,
    offset: Number.isFinite(offset) ? offset : 0,
    unit: cstr(r, at + 19, 11),
    description: cstr(r, at + 8, 11),
  };
}

/** DaVis <= 6 image_header (IMG / IMX / VEC). Explicit offsets (Windows packing). */
function parseOldHeader(r: ByteReader, imageType: number): DavisHeader {
  if (imageType === 21 || imageType === 22) {
    r.fail(`old-header imagetype ${imageType} (${imageType === 21 ? 'SPARSE_WORD' : 'SPARSE_FLOAT'}) is a sparse image; its layout is not documented`, 0);
  }
  const version = r.bytes[33];
  let rows = r.i16(10);
  let cols = r.i16(12);
  if (rows === -1) rows = r.i32(228);
  if (cols === -1) cols = r.i32(232);
  const subType = r.i16(14);
  const yDim = r.i16(16);
  const fDim = r.i16(18);
  const vgrid = r.i16(20);
  const modern = version >= 54 && version < 100;
  let nf = modern && fDim > 0 ? fDim : 1;
  let nz = version >= 55 && version < 100 ? r.i32(236) : 1;
  if (!(nz >= 1)) nz = 1;
  let ny = rows;
  let nx = cols;
  if (version >= 100 && version < 210) {
    nx = 384;
    ny = 286;
  }
  const isVec = imageType === 20 && subType > 0;
  if (isVec && version < 55) {
    // rows counted every component (and frames); y_dim is the real row count
    if (yDim > 0) ny = yDim;
    nf = 1;
  } else if ((version < 55 || version >= 100) && nf > 1) {
    ny = Math.floor(rows / nf);
  }
  let bufferFormat: number;
  if (isVec) {
    if (subType > 6) r.fail(`old-header image_sub_type ${subType}, expected a vector format 1..6`, 14);
    bufferFormat = subType;
  } else if (imageType === 20) bufferFormat = -3;
  else if (imageType === 23) bufferFormat = -2;
  else bufferFormat = -4;
  const h: DavisHeader = {
    kind: 'old',
    version,
    packType: imageType === 19 ? 1 : 0,
    bufferFormat,
    isSparse: 0,
    nx,
    ny,
    nz,
    nf,
    scalarN: 0,
    vectorGrid: vgrid > 0 ? vgrid : 1,
    extraFlags: 0,
    imageType,
    headerScales: { x: headerScale(r, 54), y: headerScale(r, 86), i: headerScale(r, 118) },
    comments: [cstr(r, 148, 40), cstr(r, 188, 40)],
    date: trimNul(cstr(r, 34, 9)),
    time: trimNul(cstr(r, 43, 9)),
  };
  return checkDims(r, h);
}

/** The 32 uint64 tail offsets (extraFlags bit 0), validated against the file size. */
/** What the entries of the offset tail point at (davis.md §2.5). */
const TAIL_SECTIONS: Record<number, string> = {
  0: 'the attribute section',
  2: 'the mask',
  3: 'the typed scalars',
  4: 'the mask (section 4)',
  5: 'the packed mask',
};

export function parseTail(r: ByteReader, h: DavisHeader): number[] | null {
  if (h.kind !== 'im7' || !(h.extraFlags & 1)) return null;
  const at = r.size - 256;
  if (at < HEADER_SIZE)
    r.fail(`the file ends at byte ${fmtInt(r.size)}: too short for the 256-byte header and the 256-byte offset tail its header announces (truncated)`, r.size);
  const tail: number[] = [];
  for (let i = 0; i < 32; i++) {
    const v = r.u64(at + 8 * i);
    if (v !== 0 && (v < HEADER_SIZE || v > at)) {
      const what = TAIL_SECTIONS[i] ?? `section ${i}`;
      const where = Number.isFinite(v) ? `byte ${fmtInt(v)}` : 'an offset beyond 2^53 (not an offset at all)';
      r.fail(
        v > at
          ? `the file ends at byte ${fmtInt(r.size)}, but the offset tail in its last 256 bytes puts ${what} at ${where}: the file is truncated (its real tail is gone) or the tail is damaged`
          : `the offset tail puts ${what} at byte ${fmtInt(v)}, inside the 256-byte header (a damaged tail)`,
        at + 8 * i,
      );
    }
    tail.push(v);
  }
  // every writer (DaVis, lvpyio, ours) records where the attributes start: an all-zero tail is not one
  if (tail.every((v) => v === 0))
    r.fail(
      `the file ends at byte ${fmtInt(r.size)}; its last 256 bytes should be the offset tail its header announces (where the attributes, mask and typed scalars start) but are all zero: the file is truncated`,
      at,
    );
  return tail;
}
