/**
 * Where parsed YAML / JSON values enter the imgstore reader: small checks that turn a value of the
 * wrong type into a FormatError in words (never `String(obj)` / `Number(obj)` on a mapping, which
 * throws a bare TypeError when its `toString` is not callable), and a sanitiser that makes user
 * metadata and extra-data records plain, acyclic and shallow enough to cross a worker boundary.
 */

/** "a mapping", "a list", "null", "the string "x"", "the number 3", … for messages. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `the ${typeof v} ${v}`;
    case 'object':
      return 'a mapping';
    default:
      return `a ${typeof v}`;
  }
}

/** A string (numbers are written out), null when absent; anything else → `fail`. */
export function optText(v: unknown, what: string, fail: (reason: string) => never): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return fail(`${what} must be text, not ${kindOf(v)}`);
}

/** Number of a scalar (numeric strings parsed as Number does); NaN for anything else. Never throws. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return Number(v);
  if (typeof v === 'bigint') return Number(v);
  return NaN;
}

/** A list of numbers (entries as toNumber reads them); a non-list or a non-scalar entry → `fail`. */
export function numberList(v: unknown, what: string, fail: (reason: string) => never): number[] {
  if (!Array.isArray(v)) return fail(`${what} must be a list of numbers, not ${kindOf(v)}`);
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== null && typeof x === 'object') return fail(`${what}[${i}] must be a number, not ${kindOf(x)}`);
    out[i] = toNumber(x);
  }
  return out;
}

/** Deepest nesting kept by `plainData` (deeper values become a short note). */
export const MAX_PLAIN_DEPTH = 64;
/** Most values copied by `plainData` (shared references, e.g. YAML aliases, count each time). */
export const MAX_PLAIN_NODES = 1_000_000;

/**
 * A plain copy of a parsed value: objects and arrays copied (own enumerable keys), Map → object,
 * Set → array, Date → ISO string, cycles and nesting deeper than `maxDepth` replaced by a note,
 * copying stops after `maxNodes` values, so the result survives structured clone and JSON.stringify.
 */
export function plainData(v: unknown, maxDepth = MAX_PLAIN_DEPTH, maxNodes = MAX_PLAIN_NODES): unknown {
  const stack = new Set<object>();
  let nodes = 0;
  const walk = (x: unknown, depth: number): unknown => {
    if (++nodes > maxNodes) return nodes === maxNodes + 1 ? `[more than ${maxNodes} values: the rest is not shown]` : undefined;
    if (x === null || typeof x !== 'object') {
      if (typeof x === 'bigint') return Number(x);
      if (typeof x === 'function' || typeof x === 'symbol') return String(typeof x);
      return x;
    }
    if (x instanceof Date) return Number.isFinite(x.getTime()) ? x.toISOString() : null;
    if (ArrayBuffer.isView(x)) return x;
    if (stack.has(x)) return '[circular reference]';
    if (depth >= maxDepth) return `[nested deeper than ${maxDepth} levels: not shown]`;
    stack.add(x);
    try {
      if (Array.isArray(x)) return x.map((e) => walk(e, depth + 1));
      if (x instanceof Set) return [...x].map((e) => walk(e, depth + 1));
      const out: Record<string, unknown> = {};
      const entries: [unknown, unknown][] = x instanceof Map ? [...x.entries()] : Object.entries(x);
      for (const [k, e] of entries) {
        const key = typeof k === 'string' ? k : typeof k === 'number' || typeof k === 'boolean' ? String(k) : kindOf(k);
        Object.defineProperty(out, key, { value: walk(e, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      stack.delete(x);
    }
  };
  return walk(v, 0);
}
