/**
 * DaVis IM7/VC7 writer (davis.md §2 and the writer checklist §5).
 *
 * Layout written: 256-byte Image_Header_7, data section (pack 0 raw or pack 2 = int32 length + one zlib
 * stream of the whole section), attribute section (IEH scale items, buffer attributes, the framescope
 * marker `_framescopeVersion`, per-frame `FrameScale{X,Y,Z,I}<f>` and suffixed frame attributes,
 * COMMENT/TIME/DATE when given, END), then — only when there is a mask or typed scalars — the raw mask
 * (offset[2], 1 = valid), the raw typed scalars (offset[3]) and the 256-byte offset tail with extraFlags = 1.
 *
 * Inputs are RAW stored values (what DaVis keeps on disk); `write-field.ts` converts framescope
 * FieldData (physical values, numpy masks) into these frames.
 */
import { zlibSync } from 'fflate';
import type { FieldData, Scale } from '../types';
import {
  AttributeWriter,
  attributeEntries,
  FRAMESCOPE_VERSION,
  isDerivedScaleKey,
  ITEM,
  lineScaleText,
  WRITER_VERSION_KEY,
  type DavisAttributes,
} from './write-attributes';
import { ByteSink, leBytes } from './write-bytes';
import { encodeTypedScalars, type TypedScalarRecord } from './write-typed-scalars';
import { imageFrameFromField, vectorFrameFromField, type FieldToImageOptions, type FieldToVectorOptions } from './write-field';

export type { DavisScales, DavisImageFrame, DavisVectorFrame, DavisWriteFrame } from './write-frames';
import type { DavisImageFrame, DavisScales, DavisVectorFrame, DavisWriteFrame } from './write-frames';

export type ImageStorage = 'uint8' | 'uint16' | 'float32';
/** 'simple' = format 2/4; 'extended' = with choice header (1/6, or 3/5 with a peak ratio); or a format code. */
export type VectorStorage = 'auto' | 'simple' | 'extended' | 1 | 2 | 3 | 4 | 5 | 6;

export interface DavisWriteOptions {
  pack: 'raw' | 'zlib';
  /** buffer attributes, written in order */
  attributes?: DavisAttributes;
  /** IEH scale items (SCALE_X/Y/Z/I); default: frame 0's scales */
  scales?: DavisScales;
  /** image element type; default from the data type (Uint8Array → uint16 WORD, most compatible; Float* → float32) */
  imageFormat?: ImageStorage;
  /** vector buffer format; 'auto' = simple unless choices, a choice, disabled vectors or a peak ratio need the header */
  vectorFormat?: VectorStorage;
  /** vector_grid in pixels (vectors; images always 1); default 1 */
  grid?: number;
  /** volume vector fields: z grid step (attribute GridZ); default `grid` */
  gridZ?: number;
  /** SCALE_F item (the frame axis, usually `1 0 frame`); not written when absent */
  frameAxisScale?: Scale;
  /** optional COMMENT, TIME (e.g. `16:08:58.206`) and DATE (`18.05.10`) items */
  comment?: string;
  timeText?: string;
  dateText?: string;
  /** zlib level 0..9 (default 6) */
  level?: number;
  /** write the offset tail even without mask/typed scalars (default: only when needed) */
  tail?: boolean;
}

const DEFAULT_XY: Scale = { slope: 1, offset: 0, unit: 'pixel', description: '' };
const DEFAULT_I_IMAGE: Scale = { slope: 1, offset: 0, unit: 'counts', description: '' };
const FRAME_SCALE: Scale = { slope: 1, offset: 0, unit: 'pixel', description: '' };
const MAX_BYTES = 0x7fff0000;

function isVectorFrame(f: DavisWriteFrame): f is DavisVectorFrame {
  return f.kind === 'vector' || (f.kind === undefined && 'u' in f);
}

function fullScales(s: DavisScales | undefined, vector: boolean): Required<DavisScales> {
  return {
    x: s?.x ?? DEFAULT_XY,
    y: s?.y ?? DEFAULT_XY,
    z: s?.z ?? DEFAULT_XY,
    i: s?.i ?? (vector ? { slope: 1, offset: 0, unit: 'pixel', description: 'displacement' } : DEFAULT_I_IMAGE),
  };
}

function checkLen(what: string, a: ArrayLike<number> | undefined, n: number): void {
  if (a && a.length !== n) throw new RangeError(`DaVis writer: ${what} holds ${a.length} values, expected ${n}`);
}

/** Component count C per frame for a vector format (davis.md table 2.3). */
export function vectorComponents(fmt: number): number {
  switch (fmt) {
    case 1:
      return 9;
    case 2:
      return 2;
    case 3:
      return 10;
    case 4:
      return 3;
    case 5:
      return 14;
    case 6:
      return 13;
    default:
      throw new RangeError(`DaVis writer: not a vector format: ${fmt}`);
  }
}

function pickVectorFormat(frames: DavisVectorFrame[], want: VectorStorage | undefined): number {
  const is3d = frames.some((f) => f.w);
  if (is3d && frames.some((f) => !f.w)) throw new RangeError('DaVis writer: all frames of a buffer need w, or none');
  if (typeof want === 'number') {
    if ([4, 5, 6].includes(want) !== is3d) throw new RangeError(`DaVis writer: vector format ${want} does not fit ${is3d ? '3C' : '2C'} data`);
    return want;
  }
  const peak = frames.some((f) => f.peakRatio);
  const needsHeader =
    peak ||
    frames.some((f) => f.extraChoices?.length) ||
    frames.some((f) => f.activeChoice && Array.prototype.some.call(f.activeChoice, (c: number) => c !== 0)) ||
    frames.some((f) => f.enabled?.some((e) => e === 0));
  const extended = want === 'extended' || ((want ?? 'auto') === 'auto' && needsHeader);
  if (!extended) {
    if (needsHeader && want === 'simple') {
      throw new RangeError('DaVis writer: simple vector format cannot hold disabled vectors, choices or a peak ratio');
    }
    return is3d ? 4 : 2;
  }
  return is3d ? (peak ? 5 : 6) : peak ? 3 : 1;
}

function imageStorageOf(frames: DavisImageFrame[], want: ImageStorage | undefined): { fmt: number; storage: ImageStorage } {
  const storage: ImageStorage = want ?? (frames[0].data instanceof Float32Array || frames[0].data instanceof Float64Array ? 'float32' : 'uint16');
  const fmt = storage === 'uint8' ? -2 : storage === 'uint16' ? -4 : -3;
  return { fmt, storage };
}

/** Converts raw pixels to the stored element type, refusing values the type cannot hold. */
function imageBlock(data: DavisImageFrame['data'], storage: ImageStorage, f: number): Uint8Array | Uint16Array | Float32Array {
  if (storage === 'float32') return data instanceof Float32Array ? data : Float32Array.from(data);
  const max = storage === 'uint8' ? 255 : 65535;
  if ((storage === 'uint8' && data instanceof Uint8Array) || (storage === 'uint16' && data instanceof Uint16Array)) return data;
  const out = storage === 'uint8' ? new Uint8Array(data.length) : new Uint16Array(data.length);
  for (let k = 0; k < data.length; k++) {
    const x = data[k];
    if (!(x >= 0 && x <= max && Number.isInteger(x))) {
      throw new RangeError(`DaVis writer: frame ${f} pixel ${k} = ${x} does not fit ${storage}; write float32 or rescale`);
    }
    out[k] = x;
  }
  return out;
}

/** The choice header value (davis.md §4.2): 0 disabled, 1..4 peak slot + 1, 5 post-processed (slot 3). */
function headerBlock(fr: DavisVectorFrame, n: number): Float32Array {
  const h = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    if (fr.enabled && fr.enabled[k] === 0) continue;
    const c = fr.activeChoice ? fr.activeChoice[k] : 0;
    if (!(c >= 0 && c <= 5 && Number.isInteger(c))) throw new RangeError(`DaVis writer: ACTIVE_CHOICE ${c} at cell ${k} is not 0..5`);
    h[k] = c >= 4 ? 5 : c + 1;
  }
  return h;
}

function vectorBlocks(fr: DavisVectorFrame, fmt: number, n: number): Float32Array[] {
  const zeros = new Float32Array(n);
  const comps = fmt === 4 || fmt >= 5 ? 3 : 2;
  const slot = (s: number): Float32Array[] => {
    const src = s === 0 ? fr : fr.extraChoices?.[s - 1];
    const out = [src?.u ?? zeros, src?.v ?? zeros];
    if (comps === 3) out.push(src?.w ?? zeros);
    for (const a of out) checkLen(`choice ${s} component`, a, n);
    return out;
  };
  if (fmt === 2 || fmt === 4) return slot(0);
  if (fr.extraChoices && fr.extraChoices.length > 3) throw new RangeError('DaVis writer: at most 3 extra choices');
  const blocks = [headerBlock(fr, n), ...slot(0), ...slot(1), ...slot(2), ...slot(3)];
  if (fmt === 3 || fmt === 5) blocks.push(fr.peakRatio ?? zeros);
  checkLen('peak ratio', fr.peakRatio, n);
  return blocks;
}

function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Time as DaVis writes `AcqTimeSeries<f>`: microseconds with 3 decimals (ns resolution). */
export function formatAcqTime(seconds: number): string {
  return `${(seconds * 1e6).toFixed(3)} µs`;
}

/**
 * Writes one DaVis buffer (one `.im7` or `.vc7` file) holding `frames` (all the same kind and shape).
 */
export function writeDavisBuffer(frames: DavisWriteFrame[], opts: DavisWriteOptions): Uint8Array {
  if (frames.length === 0) throw new RangeError('DaVis writer: a buffer needs at least one frame');
  const vector = isVectorFrame(frames[0]);
  if (frames.some((f) => isVectorFrame(f) !== vector)) throw new RangeError('DaVis writer: cannot mix image and vector frames in one buffer');
  const { nx, ny } = frames[0];
  const nz = frames[0].nz ?? 1;
  const nf = frames.length;
  for (const [f, fr] of frames.entries()) {
    if (fr.nx !== nx || fr.ny !== ny || (fr.nz ?? 1) !== nz) throw new RangeError(`DaVis writer: frame ${f} shape differs from frame 0`);
  }
  if (![nx, ny, nz].every((d) => Number.isInteger(d) && d >= 1 && d < 0x7fffffff)) {
    throw new RangeError(`DaVis writer: bad size ${nx}×${ny}×${nz}`);
  }
  const n = nx * ny * nz;

  // ---- component blocks per frame ------------------------------------------------------------
  let fmt: number;
  let elem = 4;
  const blocksPerFrame: (Uint8Array | Uint16Array | Float32Array)[][] = [];
  if (vector) {
    const vf = frames as DavisVectorFrame[];
    fmt = pickVectorFormat(vf, opts.vectorFormat);
    for (const fr of vf) blocksPerFrame.push(vectorBlocks(fr, fmt, n));
  } else {
    const im = frames as DavisImageFrame[];
    const pick = imageStorageOf(im, opts.imageFormat);
    fmt = pick.fmt;
    elem = pick.storage === 'uint8' ? 1 : pick.storage === 'uint16' ? 2 : 4;
    for (const [f, fr] of im.entries()) {
      checkLen(`frame ${f} image`, fr.data, n);
      blocksPerFrame.push([imageBlock(fr.data, pick.storage, f)]);
    }
  }
  const scalarN = frames[0].scalars?.length ?? 0;
  if (scalarN > 0 && !vector) throw new RangeError('DaVis writer: extra scalar planes (scalarN) are only written for vector buffers');
  for (const [f, fr] of frames.entries()) {
    const s = fr.scalars ?? [];
    if (s.length !== scalarN) throw new RangeError(`DaVis writer: frame ${f} has ${s.length} scalar planes, frame 0 has ${scalarN}`);
    for (const p of s) {
      checkLen(`scalar plane ${p.name}`, p.data, n);
      blocksPerFrame[f].push(p.data);
    }
  }
  const dataBytes = nf * blocksPerFrame[0].length * n * elem;
  if (dataBytes > MAX_BYTES) throw new RangeError(`DaVis writer: data section of ${dataBytes} bytes is too large for one buffer`);
  const raw = new Uint8Array(dataBytes);
  {
    let at = 0;
    for (const blocks of blocksPerFrame) {
      for (const b of blocks) {
        raw.set(leBytes(b), at);
        at += b.byteLength;
      }
    }
  }
  let dataSection: Uint8Array;
  if (opts.pack === 'zlib') {
    const z = zlibSync(raw, { level: (opts.level ?? 6) as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 });
    dataSection = new Uint8Array(4 + z.length);
    new DataView(dataSection.buffer).setInt32(0, z.length, true);
    dataSection.set(z, 4);
  } else {
    dataSection = raw;
  }

  // ---- attribute section ----------------------------------------------------------------------
  const bufScales = fullScales(opts.scales ?? frames[0].scales, vector);
  const aw = new AttributeWriter();
  aw.scale(ITEM.SCALE_X, bufScales.x);
  aw.scale(ITEM.SCALE_Y, bufScales.y);
  aw.scale(ITEM.SCALE_Z, bufScales.z);
  aw.scale(ITEM.SCALE_I, bufScales.i);
  if (opts.frameAxisScale) aw.scale(ITEM.SCALE_F, opts.frameAxisScale);
  const volumeGrid = vector && nz > 1 ? { xy: Math.max(1, Math.round(opts.grid ?? 1)), z: Math.max(1, Math.round(opts.gridZ ?? opts.grid ?? 1)) } : null;
  for (const [k, v] of attributeEntries(opts.attributes)) {
    if (isDerivedScaleKey(k) || k === WRITER_VERSION_KEY) continue;
    if (volumeGrid && /^Grid[XYZ]$/.test(k)) continue;
    if (scalarN > 0 && /^Component(Name|Scale)\d+$/.test(k)) continue;
    aw.attribute(k, v);
  }
  aw.attribute(WRITER_VERSION_KEY, FRAMESCOPE_VERSION);
  if (volumeGrid) {
    // volume vector fields carry their grid per axis (3D-3C.VC7: GridX/Y/Z); readers take z positions from GridZ
    aw.attribute('GridX', volumeGrid.xy);
    aw.attribute('GridY', volumeGrid.xy);
    aw.attribute('GridZ', volumeGrid.z);
  }
  for (const [k, p] of (frames[0].scalars ?? []).entries()) {
    aw.attribute(`ComponentName${k}`, p.name);
    aw.attribute(`ComponentScale${k}`, lineScaleText(p.scale));
  }
  const times = frames.map((f) => f.time);
  if (times.every((t) => t !== undefined && Number.isFinite(t) && Math.abs(t) < 2 ** 31)) {
    const pairs = new Int32Array(2 * nf);
    for (const [f, t] of (times as number[]).entries()) {
      let s = Math.floor(t);
      let ns = Math.round((t - s) * 1e9);
      if (ns >= 1e9) {
        s += 1;
        ns -= 1e9;
      }
      pairs[2 * f] = s;
      pairs[2 * f + 1] = ns;
    }
    aw.attribute('AcqTimeSeries', pairs);
  }
  for (const [f, fr] of frames.entries()) {
    const sc = fullScales(fr.scales ?? bufScales, vector);
    for (const [k, v] of attributeEntries(fr.attributes)) {
      if (k === 'AcqTimeSeries' && fr.time !== undefined) continue;
      aw.attribute(`${k}${f}`, v);
    }
    if (fr.time !== undefined) aw.attribute(`AcqTimeSeries${f}`, formatAcqTime(fr.time));
    aw.attribute(`FrameScaleX${f}`, lineScaleText(sc.x));
    aw.attribute(`FrameScaleY${f}`, lineScaleText(sc.y));
    aw.attribute(`FrameScaleZ${f}`, lineScaleText(sc.z));
    aw.attribute(`FrameScaleI${f}`, lineScaleText(sc.i));
  }
  if (opts.comment !== undefined) aw.text(ITEM.COMMENT, opts.comment);
  if (opts.timeText !== undefined) aw.text(ITEM.TIME, opts.timeText);
  if (opts.dateText !== undefined) aw.text(ITEM.DATE, opts.dateText);
  const attrSection = aw.end();

  // ---- mask, typed scalars --------------------------------------------------------------------
  let mask: Uint8Array | null = null;
  if (frames.some((f) => f.valid)) {
    mask = new Uint8Array(nf * n).fill(1);
    for (const [f, fr] of frames.entries()) {
      if (!fr.valid) continue;
      checkLen(`frame ${f} valid mask`, fr.valid, n);
      for (let k = 0; k < n; k++) mask[f * n + k] = fr.valid[k] ? 1 : 0;
    }
  }
  let typed: Uint8Array | null = null;
  const tsNames = (frames[0].typedScalars ?? []).map((t) => t.name);
  if (tsNames.length > 0) {
    const records: TypedScalarRecord[] = tsNames.map((name, j) => {
      const first = frames[0].typedScalars![j];
      const word = first.data instanceof Uint16Array;
      const data = word ? new Uint16Array(nf * n) : new Float32Array(nf * n);
      for (const [f, fr] of frames.entries()) {
        const t = fr.typedScalars?.find((x) => x.name === name);
        if (!t) throw new RangeError(`DaVis writer: frame ${f} lacks typed scalar ${name}`);
        checkLen(`typed scalar ${name}`, t.data, n);
        if (t.data instanceof Uint16Array !== word) throw new RangeError(`DaVis writer: typed scalar ${name} changes type between frames`);
        data.set(t.data, f * n);
      }
      return { name, nx, ny, nz, nf, data, scales: { x: bufScales.x, y: bufScales.y, z: bufScales.z, f: FRAME_SCALE, i: first.scale } };
    });
    typed = encodeTypedScalars(records);
  }
  if (frames.some((f) => (f.typedScalars?.length ?? 0) !== tsNames.length)) {
    throw new RangeError('DaVis writer: every frame of a buffer must carry the same typed scalars');
  }
  const withTail = !!(mask || typed || opts.tail);

  // ---- assemble -------------------------------------------------------------------------------
  const head = new ByteSink(256);
  head.i16(0); // version
  head.i16(opts.pack === 'zlib' ? 2 : 0);
  head.i16(fmt);
  head.i16(0); // isSparse
  head.i32(nx);
  head.i32(ny);
  head.i32(nz);
  head.i32(nf);
  head.i16(scalarN);
  head.i16(vector ? Math.max(1, Math.round(opts.grid ?? 1)) : 1);
  head.i16(withTail ? 1 : 0);
  head.zeros(256 - head.length);

  const parts = [head.finish(), dataSection];
  let at = 256 + dataSection.length;
  const offsets = new Array<number>(32).fill(0);
  offsets[0] = at;
  parts.push(attrSection);
  at += attrSection.length;
  if (mask) {
    offsets[2] = at;
    parts.push(mask);
    at += mask.length;
  }
  if (typed) {
    offsets[3] = at;
    parts.push(typed);
    at += typed.length;
  }
  if (withTail) {
    const tail = new ByteSink(256);
    for (const o of offsets) tail.u64(o);
    parts.push(tail.finish());
    at += 256;
  }
  if (at > MAX_BYTES) throw new RangeError(`DaVis writer: buffer of ${at} bytes is too large`);
  return concatBytes(parts, at);
}

type FieldInput = FieldData & { time?: number; attributes?: DavisAttributes };

function isFieldData(x: unknown): x is FieldData {
  const k = (x as { kind?: unknown }).kind;
  return (k === 'scalar' || k === 'vector') && 'shape' in (x as object);
}

/** An `.im7` from raw image frames or framescope scalar FieldData (physical values, numpy masks). */
export function writeIm7(frames: (DavisImageFrame | FieldInput)[], opts: DavisWriteOptions & { field?: FieldToImageOptions }): Uint8Array {
  const raw = frames.map((f) => (isFieldData(f) ? imageFrameFromField(f, { ...opts.field, time: f.time, attributes: f.attributes }) : f));
  return writeDavisBuffer(raw, opts);
}

/** A `.vc7` from raw vector frames or framescope vector FieldData (2C/3C, physical values, numpy masks). */
export function writeVc7(frames: (DavisVectorFrame | FieldInput)[], opts: DavisWriteOptions & { field?: Omit<FieldToVectorOptions, 'grid'> }): Uint8Array {
  const grid = opts.grid ?? 1;
  const raw = frames.map((f) => (isFieldData(f) ? vectorFrameFromField(f, { ...opts.field, grid, time: f.time, attributes: f.attributes }) : f));
  return writeDavisBuffer(raw, { ...opts, grid });
}
