/**
 * Text the way Python writes it, for files Python tools read back: `json.dumps` with its defaults
 * (separators ", " and ": ", ASCII only, bare NaN/Infinity), `repr`/`str` of a float, and
 * `shlex.quote`.
 */

/** Marks a number that Python holds as a float (so 2 is written `2.0`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

export const pyFloat = (x: number): PyFloat => new PyFloat(x);

/** Python's `repr(float)` / `str(float)`: shortest round-trip digits, `1e-05`, `1e+16`, `2.0`, `nan`. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e'); // shortest round-trip digits
  const e = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let s: string;
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    s = `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  } else if (e < 0) {
    s = `0.${'0'.repeat(-e - 1)}${digits}`;
  } else {
    const intLen = e + 1;
    s = digits.length <= intLen ? `${digits}${'0'.repeat(intLen - digits.length)}.0` : `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  }
  return neg ? `-${s}` : s;
}

/** A JSON string literal as Python's json.dumps (ensure_ascii=True) writes it. */
export function pyJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `json.dumps(value)` with Python's defaults. JS numbers that are integers are written as ints,
 * others as floats; wrap a value in `PyFloat` to force float notation (`0.0`, `NaN`, `Infinity`).
 * Object key order is kept.
 */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return pyJsonFloat(value.value);
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : pyJsonFloat(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return pyJsonString(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return `[${Array.from(value as unknown as ArrayLike<number>, pyJson).join(', ')}]`;
      const parts = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && typeof v !== 'function')
        .map(([k, v]) => `${pyJsonString(k)}: ${pyJson(v)}`);
      return `{${parts.join(', ')}}`;
    }
    default:
      return 'null';
  }
}

function pyJsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return pyFloatRepr(x);
}

/** Python's `shlex.quote`. */
export function shlexQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}
