/**
 * Encoding of the DaVis IM7/VC7 attribute section (davis.md §2.5): items `int32 type, int32 size, bytes`,
 * ended by an END item; scale strings in both spellings (§2.5.1); Latin-1 text.
 */
import type { Scale } from '../types';
import { ByteSink, leBytes } from './write-bytes';

/** The writer's name and version, recorded in every buffer (the lvpyio convention is `_lvpyioVersion`). */
export const FRAMESCOPE_VERSION = '0.1.0';
export const WRITER_VERSION_KEY = '_framescopeVersion';

/** Attribute item type codes (davis.md §2.5). */
export const ITEM = {
  END: 0,
  SCALE_X: 1,
  SCALE_Y: 2,
  SCALE_Z: 3,
  SCALE_I: 4,
  COMMENT: 5,
  ATTRIBUTE: 6,
  SCALE_F: 7,
  FLOATARRAY: 8,
  INTARRAY: 9,
  WORDARRAY: 10,
  TIME: 11,
  DATE: 12,
  DOUBLEARRAY: 13,
  FLOATPLANE: 14,
  INTPLANE: 15,
  WORDPLANE: 16,
  DOUBLEPLANE: 17,
} as const;

/** A 2-D array attribute (item types 14..17): `sizeY` rows of `sizeX` values. */
export interface DavisAttrPlane {
  sizeX: number;
  sizeY: number;
  data: Float32Array | Int32Array | Uint16Array | Float64Array;
}

/**
 * An attribute value: text and numbers become `name=value` ATTRIBUTE items; typed arrays become
 * FLOATARRAY (Float32Array), INTARRAY (Int32Array), WORDARRAY (Uint16Array), DOUBLEARRAY (Float64Array
 * or a plain number[]); planes become FLOATPLANE/INTPLANE/WORDPLANE/DOUBLEPLANE.
 */
export type DavisAttrValue = string | number | boolean | Float32Array | Int32Array | Uint16Array | Float64Array | number[] | DavisAttrPlane;

/** Attributes in writing order; a list keeps duplicates (DaVis 10 writes `_DaVisVersion` twice). */
export type DavisAttributes = Record<string, DavisAttrValue> | [string, DavisAttrValue][];

export function attributeEntries(a: DavisAttributes | undefined): [string, DavisAttrValue][] {
  if (!a) return [];
  return Array.isArray(a) ? a : Object.entries(a);
}

/** Windows-1252/Latin-1 text: code points above 0xFF become '?'. */
export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i] = c <= 0xff ? c : 0x3f;
  }
  return out;
}

/** Shortest text that parses back to the same float64 (strtod and parseFloat both accept it). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`DaVis writer: scale number must be finite, got ${x}`);
  return Object.is(x, -0) ? '0' : String(x);
}

/** IEH scale item text (style 1 of §2.5.1): "slope offset" NUL unit NUL description NUL. */
export function iehScaleText(s: Scale): string {
  return `${formatNumber(s.slope)} ${formatNumber(s.offset)}\0${s.unit}\0${s.description}\0`;
}

/** Four-line scale text (style 2 of §2.5.1), as in `FrameScaleX0=…` and typed-scalar-free attributes. */
export function lineScaleText(s: Scale): string {
  return `${formatNumber(s.slope)}\n${formatNumber(s.offset)}\n${s.unit}\n${s.description}`;
}

/** Collects the items of one attribute section. */
export class AttributeWriter {
  readonly sink = new ByteSink(1024);

  private item(type: number, payload: Uint8Array): void {
    this.sink.i32(type);
    this.sink.i32(payload.length);
    this.sink.bytes(payload);
  }

  text(type: number, s: string): void {
    this.item(type, latin1(s));
  }

  scale(type: number, s: Scale): void {
    this.text(type, iehScaleText(s));
  }

  attribute(name: string, value: DavisAttrValue): void {
    if (name.includes('=') || name.includes('\0')) throw new RangeError(`DaVis writer: bad attribute name ${JSON.stringify(name)}`);
    if (typeof value === 'string') return this.text(ITEM.ATTRIBUTE, `${name}=${value}`);
    if (typeof value === 'number') return this.text(ITEM.ATTRIBUTE, `${name}=${formatNumber(value)}`);
    if (typeof value === 'boolean') return this.text(ITEM.ATTRIBUTE, `${name}=${value ? 1 : 0}`);
    if (Array.isArray(value)) return this.array(ITEM.DOUBLEARRAY, name, Float64Array.from(value));
    if (value instanceof Float32Array) return this.array(ITEM.FLOATARRAY, name, value);
    if (value instanceof Int32Array) return this.array(ITEM.INTARRAY, name, value);
    if (value instanceof Uint16Array) return this.array(ITEM.WORDARRAY, name, value);
    if (value instanceof Float64Array) return this.array(ITEM.DOUBLEARRAY, name, value);
    return this.plane(name, value);
  }

  /** `name\0`, 0..3 zero pad bytes so the payload starts 4-aligned from the item data start, elements. */
  private array(type: number, name: string, a: Float32Array | Int32Array | Uint16Array | Float64Array, dims?: [number, number]): void {
    const nameBytes = latin1(name);
    const head = nameBytes.length + 1;
    const pad = (4 - (head % 4)) % 4;
    const payload = new Uint8Array(head + pad + (dims ? 8 : 0) + a.byteLength);
    payload.set(nameBytes, 0);
    let at = head + pad;
    if (dims) {
      const dv = new DataView(payload.buffer);
      dv.setUint32(at, dims[0], true);
      dv.setUint32(at + 4, dims[1], true);
      at += 8;
    }
    payload.set(leBytes(a), at);
    this.item(type, payload);
  }

  private plane(name: string, p: DavisAttrPlane): void {
    if (p.sizeX * p.sizeY !== p.data.length) {
      throw new RangeError(`DaVis writer: plane attribute ${name} is ${p.sizeX}×${p.sizeY} but holds ${p.data.length} values`);
    }
    const type =
      p.data instanceof Float32Array
        ? ITEM.FLOATPLANE
        : p.data instanceof Int32Array
          ? ITEM.INTPLANE
          : p.data instanceof Uint16Array
            ? ITEM.WORDPLANE
            : ITEM.DOUBLEPLANE;
    this.array(type, name, p.data, [p.sizeX, p.sizeY]);
  }

  end(): Uint8Array {
    this.sink.i32(ITEM.END);
    this.sink.i32(0);
    return this.sink.finish();
  }
}

/** Attribute names the writer produces itself from scales; user-given copies of them are dropped. */
export function isDerivedScaleKey(name: string): boolean {
  return /^FrameScale[XYZI]\d+$/.test(name) || /^_SCALE_[XYZIF]$/.test(name);
}
