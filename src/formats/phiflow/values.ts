/**
 * The one place where parsed values (JSON from description.json / context.json, unpickled object
 * members) enter the PhiFlow reader as typed data. Nothing here converts an unknown value with
 * `String()`, `Number()` or a template literal: a JSON object such as `{"toString": 1}` or a
 * pickled dict with a `valueOf` key would make those throw `TypeError: Cannot convert object to
 * primitive value`. Each helper either returns the typed value or `null` (the caller decides what
 * a wrong type means: a FormatError naming file and member, or a warning), and the walks are bounded
 * in depth and safe against the cycles a pickle memo can build.
 */
import { isNdArrayValue, type NdArrayValue } from '../../codecs/pickle';
import { toFloat64 } from '../../codecs/npy';
import { FormatError } from '../errors';

export type Dict = Record<string, unknown>;

/** A plain object (JSON object / pickled dict), not an array, typed array or ndarray. */
export function isDict(x: unknown): x is Dict {
  return !!x && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x) && !isNdArrayValue(x);
}

/** An own property (never one inherited from Object.prototype such as `constructor`). */
export function own(d: Dict, key: string): unknown {
  return Object.hasOwn(d, key) ? d[key] : undefined;
}

export function hasOwn(d: Dict, key: string): boolean {
  return Object.hasOwn(d, key);
}

/** Set an own data property, also for keys like `__proto__` (a plain assignment would change the prototype). */
export function put(d: Dict, key: string, value: unknown): void {
  Object.defineProperty(d, key, { value, enumerable: true, writable: true, configurable: true });
}

export function str(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

/** An array of strings (a JSON list, a pickled tuple/list, or a string ndarray), else null. */
export function strList(x: unknown): string[] | null {
  const a = isNdArrayValue(x) ? (x.data as unknown) : x;
  if (!Array.isArray(a) || !a.every((s) => typeof s === 'string')) return null;
  return a as string[];
}

/** A finite or non-finite JS number from number / bigint / boolean, else null. */
export function num(x: unknown): number | null {
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'boolean') return x ? 1 : 0;
  return null;
}

/** Every number of a scalar, (nested) list or numeric ndarray; null when anything else is in it. */
export function numberList(x: unknown, depth = 0): number[] | null {
  if (depth > 32) return null;
  const n = num(x);
  if (n !== null) return [n];
  if (isNdArrayValue(x)) return ArrayBuffer.isView(x.data) ? Array.from(toFloat64(x.data)) : null;
  if (Array.isArray(x)) {
    const out: number[] = [];
    for (const v of x) {
      const part = numberList(v, depth + 1);
      if (!part) return null;
      for (const p of part) out.push(p);
    }
    return out;
  }
  return null;
}

/** Short words for what a value is, for messages ("an object", "a list", "a number"). */
export function what(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (isNdArrayValue(x)) return `an array of ${x.dtype}`;
  if (ArrayBuffer.isView(x)) return 'bytes';
  switch (typeof x) {
    case 'string':
      return 'a string';
    case 'number':
    case 'bigint':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof x;
  }
}

const MAX_PLAIN_DEPTH = 32;

/**
 * An unpickled value as plain JSON-able data for metadata (ndarrays → their number (0-d) or
 * `{dtype, shape, value}`; bytes → `{bytes: n}`; bigint → number). Bounded: more than 32 levels or a
 * cycle is a FormatError naming `path` and `member`; at most `maxItems` entries per array.
 */
export function plainOf(x: unknown, path: string, member: string, maxItems = 64): unknown {
  const stack = new Set<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > MAX_PLAIN_DEPTH) throw new FormatError('phiflow', path, `member ${member} nests deeper than ${MAX_PLAIN_DEPTH} levels`);
    if (typeof v === 'bigint') return Number(v);
    if (!v || typeof v !== 'object') return v;
    if (v instanceof Uint8Array) return { bytes: v.length };
    if (stack.has(v)) throw new FormatError('phiflow', path, `member ${member} refers to itself (a cyclic pickle)`);
    stack.add(v);
    try {
      if (isNdArrayValue(v)) return plainArray(v, (e) => walk(e, depth + 1), maxItems);
      if (Array.isArray(v))
        return v
          .slice(0, maxItems)
          .map((e) => walk(e, depth + 1))
          .concat(v.length > maxItems ? ['…'] : []);
      if (ArrayBuffer.isView(v)) return { bytes: v.byteLength };
      const out: Dict = {};
      for (const k of Object.keys(v)) put(out, k, walk((v as Dict)[k], depth + 1));
      return out;
    } finally {
      stack.delete(v);
    }
  };
  return walk(x, 0);
}

function plainArray(x: NdArrayValue, walk: (v: unknown) => unknown, maxItems: number): unknown {
  const d = ArrayBuffer.isView(x.data) ? Array.from(toFloat64(x.data as never)) : (x.data as unknown[]);
  const n = Math.min(d.length, maxItems);
  const vals: unknown[] = [];
  for (let k = 0; k < n; k++) vals.push(walk(d[k]));
  if (x.shape.length === 0 && vals.length === 1) return vals[0];
  return { dtype: x.dtype, shape: x.shape, value: d.length > maxItems ? [...vals, '…'] : vals };
}
