/**
 * `description.json`: free-form user properties written with `json.dump`. Keys listed in
 * `__tensors__` hold PhiML tensors as `{names, types, item_names, data}`; they are shown in a
 * readable form: a 1-D tensor with item names becomes `{x: 2, y: 1.5}`; any other tensor becomes
 * `{ tensor: "(vectorᶜ=x,y)"-like shape text, data }`. `__tensors__` itself is removed.
 *
 * The text is parsed with a nesting limit (core/json.ts); values of the wrong type (a tensor whose
 * names are not strings, a `__tensors__` entry that is an object, …) are kept as stored and named
 * in a warning, never converted with String() (see values.ts).
 */
import { JsonError, parseJsonLimited } from '../../core/json';
import { FormatError } from '../errors';
import { isDict, own, put, strList, type Dict } from './values';

/** Nesting limit for description.json and src/context.json (PhiFlow's own files nest ≤ 6 levels). */
export const MAX_JSON_DEPTH = 100;

const TYPE_MARK: Record<string, string> = { spatial: 'ˢ', channel: 'ᶜ', batch: 'ᵇ', instance: 'ⁱ', dual: 'ᵈ' };

interface TensorDict {
  names: string[];
  types: string[] | null;
  items: (string[] | null)[];
  data: unknown;
}

/** A stored tensor dict with the right types, else null. */
function tensorDict(x: unknown): TensorDict | null {
  if (!isDict(x) || !Object.hasOwn(x, 'data')) return null;
  const names = strList(own(x, 'names'));
  if (!names) return null;
  const rawTypes = own(x, 'types');
  const types = rawTypes === undefined ? null : strList(rawTypes);
  if (rawTypes !== undefined && !types) return null;
  const rawItems = own(x, 'item_names');
  let items: (string[] | null)[] = [];
  if (rawItems !== undefined) {
    if (!Array.isArray(rawItems)) return null;
    items = [];
    for (const it of rawItems) {
      if (it === null) items.push(null);
      else {
        const s = strList(it);
        if (!s) return null;
        items.push(s);
      }
    }
  }
  return { names, types, items, data: own(x, 'data') };
}

function sizesOf(data: unknown, nd: number): number[] {
  const out: number[] = [];
  let d = data;
  for (let k = 0; k < nd; k++) {
    out.push(Array.isArray(d) ? d.length : 1);
    d = Array.isArray(d) ? d[0] : d;
  }
  return out;
}

/** Readable form of one stored tensor dict. */
function readableTensor(t: TensorDict): unknown {
  const nd = t.names.length;
  const it0 = t.items[0];
  if (nd === 1 && it0 && Array.isArray(t.data) && it0.length === t.data.length) {
    const out: Dict = {};
    it0.forEach((n, k) => put(out, n, (t.data as unknown[])[k]));
    return out;
  }
  const sizes = sizesOf(t.data, nd);
  const dims = t.names.map((n, k) => {
    const mark = TYPE_MARK[t.types?.[k] ?? ''] ?? '';
    const it = t.items[k];
    return `${n}${mark}=${it ? it.join(',') : sizes[k]}`;
  });
  return { tensor: `(${dims.join(', ')})`, data: t.data };
}

export interface SceneProperties {
  /** readable properties (tensors shown readably, `__tensors__` removed) */
  properties: Dict;
  /** the object as stored (for writing the scene back unchanged) */
  raw: Dict;
  warnings: string[];
}

/** Parse JSON text of a scene file with the nesting limit; errors are FormatErrors naming `path`. */
export function parseSceneJson(text: string, path: string): unknown {
  try {
    return parseJsonLimited(text, { maxDepth: MAX_JSON_DEPTH });
  } catch (e) {
    if (e instanceof JsonError) throw new FormatError('phiflow', path, e.reason, e.offset);
    throw e;
  }
}

/** Parse description.json text into readable properties. */
export function parseProperties(text: string, path: string): SceneProperties {
  const raw = parseSceneJson(text, path);
  if (!isDict(raw)) throw new FormatError('phiflow', path, 'description.json is not a JSON object', 0);
  const warnings: string[] = [];
  const listed = own(raw, '__tensors__');
  let tensors: string[] = [];
  if (listed !== undefined) {
    if (Array.isArray(listed)) {
      tensors = listed.filter((k): k is string => typeof k === 'string');
      if (tensors.length !== listed.length) warnings.push(`${path}: __tensors__ holds entries that are not key names (ignored)`);
    } else warnings.push(`${path}: __tensors__ is not a list of key names (ignored)`);
  }
  const out: Dict = {};
  for (const k of Object.keys(raw)) {
    if (k === '__tensors__') continue;
    const v = raw[k];
    if (tensors.includes(k)) {
      const t = tensorDict(v);
      if (t) {
        put(out, k, readableTensor(t));
        continue;
      }
      warnings.push(`${path}: property "${k}" is listed in __tensors__ but is not a tensor {names, types, item_names, data} (shown as stored)`);
    }
    put(out, k, v);
  }
  return { properties: out, raw, warnings };
}

/** The scene's time step, when the properties hold a finite numeric `dt`. */
export function dtOf(props: Dict): number | null {
  const dt = own(props, 'dt');
  return typeof dt === 'number' && Number.isFinite(dt) ? dt : null;
}
