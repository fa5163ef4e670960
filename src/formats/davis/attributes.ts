import { type ByteReader, copyTyped, trimNul } from './bytes';
import type { DavisAttributeItem, DavisAttributePlane, DavisAttributeValue } from './model';

/** Pseudo names of the non-ATTRIBUTE item types. */
export const ITEM_NAMES: Record<number, string> = {
  1: '_SCALE_X',
  2: '_SCALE_Y',
  3: '_SCALE_Z',
  4: '_SCALE_I',
  5: '_COMMENT',
  7: '_SCALE_F',
  11: '_TIME',
  12: '_DATE',
};

type ArrayCtor = typeof Float32Array | typeof Int32Array | typeof Uint16Array | typeof Float64Array;
const ARRAY_TYPES: Record<number, ArrayCtor> = {
  8: Float32Array,
  9: Int32Array,
  10: Uint16Array,
  13: Float64Array,
  14: Float32Array,
  15: Int32Array,
  16: Uint16Array,
  17: Float64Array,
};

export interface AttributeSection {
  items: DavisAttributeItem[];
  /** offset just after the END item (or where reading stopped) */
  end: number;
  /** false when the region ended cleanly at an item boundary without an END item */
  terminated: boolean;
}

/**
 * Read attribute items from `pos` until END (type 0) or `limit`. Throws FormatError (with the item's
 * offset) for an unknown type, a negative size or an item running past `limit`.
 */
export function readAttributeSection(r: ByteReader, pos: number, limit: number): AttributeSection {
  const items: DavisAttributeItem[] = [];
  let p = pos;
  // every item takes at least 8 bytes, so this bounds the loop
  while (p < limit) {
    if (p + 8 > limit) r.endsEarly(`attribute item ${items.length + 1}'s header`, p, 8, limit, 'the mask or typed-scalar section');
    const type = r.i32(p);
    const size = r.i32(p + 4);
    if (type === 0) return { items, end: p + 8, terminated: true };
    if (type < 0 || type > 17) r.fail(`attribute item type ${type} is invalid, expected 0..17`, p);
    if (size < 0) r.fail(`attribute item ${items.length + 1} (type ${type}) declares a size of ${size} bytes`, p);
    if (p + 8 + size > limit) r.endsEarly(`attribute item ${items.length + 1} (type ${type})`, p, 8 + size, limit, 'the mask or typed-scalar section');
    const d = p + 8;
    items.push(parseItem(r, type, d, size, p));
    p = d + size;
  }
  return { items, end: p, terminated: false };
}

function parseItem(r: ByteReader, type: number, d: number, size: number, at: number): DavisAttributeItem {
  if (type === 6) {
    const text = trimNul(r.latin1(d, d + size));
    const eq = text.indexOf('=');
    return eq < 0 ? { type, offset: at, name: text, value: '' } : { type, offset: at, name: text.slice(0, eq), value: text.slice(eq + 1) };
  }
  const ctor = ARRAY_TYPES[type];
  if (!ctor) return { type, offset: at, name: ITEM_NAMES[type] ?? `_ITEM${type}`, value: trimNul(r.latin1(d, d + size)) };
  // name\0, pad to a multiple of 4 counted from the item data start, payload
  let z = d;
  while (z < d + size && r.bytes[z] !== 0) z++;
  if (z >= d + size) r.fail(`attribute array/plane item (type ${type}) has no NUL-terminated name`, at);
  const name = r.latin1(d, z);
  const payload = d + ((z - d + 1 + 3) & ~3);
  const es = ctor.BYTES_PER_ELEMENT;
  const end = d + size;
  if (payload > end) r.fail(`attribute '${name}' (type ${type}): payload starts past the item end`, at);
  let value: DavisAttributeValue;
  if (type >= 14) {
    if (payload + 8 > end) r.fail(`attribute plane '${name}': missing its sizeX/sizeY`, payload);
    const sx = r.u32(payload);
    const sy = r.u32(payload + 4);
    const n = sx * sy;
    if (payload + 8 + n * es > end) r.fail(`attribute plane '${name}': ${sx}x${sy} elements do not fit its ${size}-byte item`, payload);
    const plane: DavisAttributePlane = { sizeX: sx, sizeY: sy, data: copyTyped(r.bytes, payload + 8, n, ctor as never) };
    value = plane;
  } else {
    const n = Math.floor((end - payload) / es);
    value = copyTyped(r.bytes, payload, n, ctor as never) as DavisAttributeValue;
  }
  return { type, offset: at, name, value };
}

/** Items -> name/value record (last one wins for duplicates such as `_DaVisVersion`). */
export function attributeRecord(items: DavisAttributeItem[]): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  for (const it of items) rec[it.name] = it.value;
  return rec;
}

/** Attribute stems that carry non-frame indices (device channels, components) and are never frame-suffixed. */
const NOT_FRAME_SUFFIXED = /^(DevData|ComponentName|ComponentScale|ComponentIndex)/;

/**
 * The frame-suffixed attributes of frame k with the suffix stripped (CameraName0 -> CameraName),
 * as lvpyio's frame-level `attributes` present them.
 */
export function frameAttributes(rec: Record<string, unknown>, k: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const suffix = String(k);
  for (const [key, v] of Object.entries(rec)) {
    if (!key.endsWith(suffix) || NOT_FRAME_SUFFIXED.test(key)) continue;
    const stem = key.slice(0, key.length - suffix.length);
    if (!stem || /\d$/.test(stem) || stem.startsWith('_')) continue;
    out[stem] = v;
  }
  return out;
}
