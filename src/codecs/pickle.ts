/**
 * A safe, data-only pickle reader for the object members numpy writes into .npy/.npz files
 * (protocols 2–5). It never executes code: globals are resolved only against a fixed whitelist of
 * numpy/builtins data constructors, and each is interpreted by this module, not called.
 *
 * Supported opcodes: PROTO FRAME STOP GLOBAL STACK_GLOBAL BINPUT LONG_BINPUT MEMOIZE BINGET
 * LONG_BINGET MARK TUPLE TUPLE1 TUPLE2 TUPLE3 EMPTY_TUPLE BININT BININT1 BININT2 LONG1 BINFLOAT
 * BINUNICODE SHORT_BINUNICODE SHORT_BINBYTES BINBYTES NEWTRUE NEWFALSE NONE EMPTY_LIST APPEND
 * APPENDS EMPTY_DICT SETITEM SETITEMS REDUCE BUILD. Anything else throws
 * FormatError('pickle', path, 'unsupported pickle opcode 0x.. at offset N').
 *
 * Value mapping:
 * - None → null, bool → boolean, int → number (LONG1 beyond 2^53 → bigint), float → number,
 *   str → string, bytes → Uint8Array.
 * - list → plain array; tuple → plain array registered as a tuple (`isTuple(x)` tells; `tuple(...)`
 *   makes one for the writer). So tuples read as ordinary arrays everywhere.
 * - dict → plain object (keys converted with String(); only str/int/float/bool/None keys accepted).
 * - numpy ndarray (`_reconstruct` + BUILD) → `{ __ndarray__: true, dtype, shape, fortranOrder, data }`
 *   with data decoded like .npy (numeric typed arrays / string[]), object arrays as item lists.
 * - numpy dtype → `{ __dtype__: true, descr }` (only seen inside arrays/scalars).
 * - numpy scalar (`multiarray.scalar`) → number (int64 via Number(); bool → boolean; complex → {re, im}).
 * - builtins set/frozenset/list/tuple → arrays, dict → object, complex → {re, im},
 *   bytearray/bytes → Uint8Array; `_codecs.encode(str, 'latin1')` → Uint8Array (protocol-2 bytes).
 *
 * Bounds: stack, mark stack and memo may each hold at most (input length + 16) entries; array sizes
 * are checked against the bytes/items present before any allocation.
 */
import { FormatError } from '../core/errors';
import { decodeRaw, parseDescr, type NpyData } from './npy-raw';

export interface NdArrayValue {
  __ndarray__: true;
  dtype: string;
  shape: number[];
  fortranOrder: boolean;
  data: NpyData;
}

export interface DtypeValue {
  __dtype__: true;
  descr: string;
}

export interface ComplexValue {
  re: number;
  im: number;
}

const tuples = new WeakSet<object>();

/** Make an array that the pickle writer emits as a Python tuple. */
export function tuple<T>(...items: T[]): T[] {
  const a = items.slice();
  tuples.add(a);
  return a;
}

/** Register an existing array as a tuple (no copy). */
export function asTuple<T>(items: T[]): T[] {
  tuples.add(items);
  return items;
}

/** true for arrays that came from a pickled tuple (or were made with `tuple()`). */
export function isTuple(x: unknown): x is unknown[] {
  return Array.isArray(x) && tuples.has(x);
}

export function isNdArrayValue(x: unknown): x is NdArrayValue {
  return !!x && typeof x === 'object' && (x as { __ndarray__?: unknown }).__ndarray__ === true;
}

export function isDtypeValue(x: unknown): x is DtypeValue {
  return !!x && typeof x === 'object' && (x as { __dtype__?: unknown }).__dtype__ === true;
}

/** Globals this reader understands; every other module.name is refused. */
const WHITELIST = new Set([
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.ndarray',
  'numpy.dtype',
  'numpy.core.multiarray.scalar',
  'numpy._core.multiarray.scalar',
  'builtins.set',
  'builtins.frozenset',
  'builtins.tuple',
  'builtins.list',
  'builtins.dict',
  'builtins.complex',
  'builtins.bytearray',
  '__builtin__.set',
  '__builtin__.frozenset',
  '__builtin__.tuple',
  '__builtin__.list',
  '__builtin__.dict',
  '__builtin__.complex',
  '__builtin__.bytearray',
  // protocol 2 writes empty bytes (e.g. the data of an empty ndarray) as bytes()
  'builtins.bytes',
  '__builtin__.bytes',
  '_codecs.encode',
]);

/** A resolved whitelisted global. */
class Global {
  constructor(readonly name: string) {}
  get short(): string {
    return this.name.replace(/^(numpy\.(_?core\.multiarray\.)?|builtins\.|__builtin__\.|_codecs\.)/, '');
  }
}

/** The ndarray under construction between `_reconstruct` REDUCE and BUILD. */
class PendingArray {
  built: NdArrayValue | null = null;
}

/** A dtype under construction between `numpy.dtype` REDUCE and BUILD. */
class PendingDtype {
  constructor(
    readonly base: string,
    public order: string,
  ) {}
}

const MARK = Symbol('mark');

/**
 * Unpickle `bytes`. `path` names the file in errors and `baseOffset` is added to reported offsets
 * (e.g. the position of the pickle inside an .npy file).
 */
export function unpickle(bytes: Uint8Array, path = 'pickle', baseOffset = 0): unknown {
  const limit = bytes.length + 16;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let opAt = 0;
  const fail = (why: string, at = opAt): never => {
    throw new FormatError('pickle', path, why, baseOffset + at);
  };
  const need = (n: number) => {
    if (pos + n > bytes.length) fail(`truncated pickle: opcode at offset ${baseOffset + opAt} needs ${n} more bytes`, pos);
  };
  const u8 = () => {
    need(1);
    return bytes[pos++];
  };
  const u16 = () => {
    need(2);
    const v = dv.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = () => {
    need(4);
    const v = dv.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const take = (n: number) => {
    need(n);
    const s = bytes.subarray(pos, pos + n);
    pos += n;
    return s;
  };
  const utf8 = (b: Uint8Array) => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
      return fail('invalid UTF-8 in string');
    }
  };
  const line = () => {
    const start = pos;
    while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
    if (pos >= bytes.length) fail('truncated pickle: unterminated GLOBAL line', start);
    const s = new TextDecoder('utf-8').decode(bytes.subarray(start, pos));
    pos++;
    return s;
  };
  const push = (v: unknown) => {
    if (stack.length >= limit) fail('pickle stack overflow');
    stack.push(v);
  };
  const pop = (): unknown => {
    if (!stack.length || stack[stack.length - 1] === MARK) fail('pickle stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (!stack.length || stack[stack.length - 1] === MARK) fail('pickle stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    if (!marks.length) fail('pickle: no MARK on the stack');
    const m = marks.pop()!;
    const items = stack.splice(m + 1);
    stack.pop(); // the MARK itself
    return items;
  };
  const memoPut = (k: number) => {
    if (memo.size >= limit && !memo.has(k)) fail('pickle memo overflow');
    memo.set(k, top());
  };
  const memoGet = (k: number) => {
    if (!memo.has(k)) fail(`pickle memo key ${k} not found`);
    push(memo.get(k));
  };
  const global = (name: string): Global => {
    if (!WHITELIST.has(name)) fail(`refusing global ${name}`);
    return new Global(name);
  };
  const setItem = (d: unknown, k: unknown, v: unknown) => {
    if (!d || typeof d !== 'object' || Array.isArray(d) || ArrayBuffer.isView(d)) fail('SETITEM(S) target is not a dict');
    if (!(typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean' || k === null || typeof k === 'bigint')) fail('unsupported dict key type');
    Object.defineProperty(d, String(k), { value: v, enumerable: true, writable: true, configurable: true });
  };
  const append = (l: unknown, items: unknown[]) => {
    if (!Array.isArray(l)) fail('APPEND(S) target is not a list');
    const arr = l as unknown[];
    for (const it of items) arr.push(it);
  };

  for (;;) {
    opAt = pos;
    if (pos >= bytes.length) fail('truncated pickle: no STOP opcode', pos);
    const op = bytes[pos++];
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('unsupported pickle protocol');
        break;
      case 0x95: {
        // FRAME: 8-byte length; frames are just a read-ahead hint
        const lo = u32();
        const hi = u32();
        if (hi !== 0 || pos + lo > bytes.length) fail('truncated pickle: FRAME runs past the end');
        break;
      }
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`pickle STOP with ${stack.length} items on the stack`);
        return finish(stack[0], fail);
      case 0x63: {
        // GLOBAL 'module\nname\n'
        const mod = line();
        const name = line();
        push(global(`${mod}.${name}`));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const mod = pop();
        if (typeof mod !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        push(global(`${mod}.${name}`));
        break;
      }
      case 0x71: // BINPUT
        memoPut(u8());
        break;
      case 0x72: // LONG_BINPUT
        memoPut(u32());
        break;
      case 0x94: // MEMOIZE
        memoPut(memo.size);
        break;
      case 0x68: // BINGET
        memoGet(u8());
        break;
      case 0x6a: // LONG_BINGET
        memoGet(u32());
        break;
      case 0x28: // MARK
        if (marks.length >= limit) fail('pickle mark stack overflow');
        marks.push(stack.length);
        stack.push(MARK);
        break;
      case 0x74: // TUPLE
        push(asTuple(popMark()));
        break;
      case 0x29: // EMPTY_TUPLE
        push(tuple());
        break;
      case 0x85: {
        const a = pop();
        push(tuple(a));
        break;
      }
      case 0x86: {
        const b = pop();
        const a = pop();
        push(tuple(a, b));
        break;
      }
      case 0x87: {
        const c = pop();
        const b = pop();
        const a = pop();
        push(tuple(a, b, c));
        break;
      }
      case 0x4a: // BININT
        need(4);
        push(dv.getInt32(pos, true));
        pos += 4;
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        push(u16());
        break;
      case 0x8a: {
        // LONG1: n bytes two's complement little-endian
        const n = u8();
        const b = take(n);
        let v = 0n;
        for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[k]);
        if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        push(dv.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x58: // BINUNICODE
        push(utf8(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(utf8(take(u8())));
        break;
      case 0x43: // SHORT_BINBYTES
        push(take(u8()).slice());
        break;
      case 0x42: // BINBYTES
        push(take(u32()).slice());
        break;
      case 0x88:
        push(true);
        break;
      case 0x89:
        push(false);
        break;
      case 0x4e:
        push(null);
        break;
      case 0x5d: // EMPTY_LIST
        push([]);
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        push({});
        break;
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItem(top(), k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        if (items.length % 2) fail('SETITEMS with an odd number of items');
        const d = top();
        for (let k = 0; k < items.length; k += 2) setItem(d, items[k], items[k + 1]);
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        push(reduce(fn, args, fail, path, baseOffset + opAt));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        build(top(), state, fail, path, baseOffset + opAt);
        break;
      }
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at offset ${baseOffset + opAt}`);
    }
  }
}

type Fail = (why: string, at?: number) => never;

function reduce(fn: unknown, args: unknown, fail: Fail, path: string, at: number): unknown {
  if (!(fn instanceof Global)) return fail('REDUCE of something that is not a whitelisted global');
  if (!Array.isArray(args)) return fail('REDUCE arguments are not a tuple');
  switch (fn.short) {
    case '_reconstruct': {
      const cls = args[0];
      if (!(cls instanceof Global) || cls.name !== 'numpy.ndarray') return fail('_reconstruct of something other than numpy.ndarray');
      return new PendingArray();
    }
    case 'dtype': {
      const s = args[0];
      if (typeof s !== 'string') return fail('numpy.dtype argument is not a string');
      return new PendingDtype(s, '|');
    }
    case 'scalar': {
      const dt = finishDtype(args[0], fail);
      const payload = args[1];
      if (dt === 'O') return payload;
      if (!(payload instanceof Uint8Array)) return fail('numpy scalar payload is not bytes');
      const data = decodeRaw(dt, [], payload, false, path, at, 'pickle');
      return scalarOf(dt, data);
    }
    case 'set':
    case 'frozenset':
    case 'list':
      return args.length ? iterable(args[0], fail).slice() : [];
    case 'tuple':
      return asTuple(args.length ? iterable(args[0], fail).slice() : []);
    case 'dict': {
      const out: Record<string, unknown> = {};
      if (args.length) {
        const a = args[0];
        if (a && typeof a === 'object' && !Array.isArray(a)) return Object.assign(out, a);
        for (const kv of iterable(a, fail)) {
          if (!Array.isArray(kv) || kv.length !== 2) return fail('dict() item is not a pair');
          Object.defineProperty(out, String(kv[0]), { value: kv[1], enumerable: true, writable: true, configurable: true });
        }
      }
      return out;
    }
    case 'complex': {
      const re = Number(args[0] ?? 0);
      const im = Number(args[1] ?? 0);
      return { re, im } satisfies ComplexValue;
    }
    case 'bytearray':
    case 'bytes':
    case 'encode': {
      const a = args[0];
      if (a === undefined) return new Uint8Array(0);
      if (a instanceof Uint8Array) return a.slice();
      if (typeof a === 'string') {
        const enc = String(args[1] ?? (fn.short === 'encode' ? 'utf-8' : 'latin1')).toLowerCase();
        if (enc === 'latin1' || enc === 'latin-1' || enc === 'iso-8859-1') {
          const out = new Uint8Array(a.length);
          for (let k = 0; k < a.length; k++) {
            const c = a.charCodeAt(k);
            if (c > 255) return fail('latin1 string has a character above U+00FF');
            out[k] = c;
          }
          return out;
        }
        if (enc === 'utf-8' || enc === 'utf8') return new TextEncoder().encode(a);
        return fail(`unsupported encoding ${enc}`);
      }
      if (Array.isArray(a)) return Uint8Array.from(a.map((x) => Number(x) & 255));
      return fail(`unsupported ${fn.short} argument`);
    }
  }
  return fail(`global ${fn.name} cannot be called`);
}

function iterable(x: unknown, fail: Fail): unknown[] {
  if (Array.isArray(x)) return x;
  if (x instanceof Uint8Array) return Array.from(x);
  if (x && typeof x === 'object' && !isNdArrayValue(x)) return Object.keys(x);
  return fail('argument is not iterable');
}

function scalarOf(descr: string, data: NpyData): unknown {
  const dt = parseDescr(descr)!;
  if (dt.kind === 'U' || dt.kind === 'S') return (data as string[])[0];
  if (dt.kind === 'b') return (data as Uint8Array)[0] !== 0;
  if (dt.kind === 'c') {
    const d = data as Float32Array | Float64Array;
    return { re: d[0], im: d[1] } satisfies ComplexValue;
  }
  return Number((data as ArrayLike<number | bigint>)[0]);
}

/** descr of a (built) dtype value. */
function finishDtype(x: unknown, fail: Fail): string {
  if (x instanceof PendingDtype) return dtypeDescr(x, fail);
  if (isDtypeValue(x)) return x.descr === '|O' ? 'O' : x.descr;
  return fail('expected a numpy dtype');
}

function dtypeDescr(d: PendingDtype, fail: Fail): string {
  const m = /^([a-zA-Z?])(\d*)$/.exec(d.base);
  if (!m) return fail(`unsupported numpy dtype '${d.base}'`);
  if (m[1] === 'O') return 'O';
  const order = d.order === '>' ? '>' : d.order === '<' || d.order === '=' ? '<' : '|';
  const descr = `${order}${m[1] === '?' ? 'b' : m[1]}${m[1] === '?' ? '1' : m[2]}`;
  if (!parseDescr(descr)) return fail(`unsupported numpy dtype '${d.base}'`);
  return descr;
}

function build(target: unknown, state: unknown, fail: Fail, path: string, at: number): void {
  if (target instanceof PendingDtype) {
    if (!Array.isArray(state) || state.length < 2) return fail('bad numpy dtype state');
    if (state[2] != null || state[3] != null || state[4] != null) return fail('structured/sub-array dtypes are not supported');
    target.order = String(state[1]);
    return;
  }
  if (target instanceof PendingArray) {
    if (!Array.isArray(state) || state.length !== 5) return fail('bad ndarray state (expected a 5-tuple)');
    const [, shapeT, dtypeV, fortran, raw] = state as [unknown, unknown, unknown, unknown, unknown];
    if (!Array.isArray(shapeT) || !shapeT.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0)) return fail('bad ndarray shape');
    const shape = shapeT as number[];
    const descr = finishDtype(dtypeV, fail);
    let count = 1;
    for (const s of shape) count *= s;
    if (descr === 'O') {
      if (!Array.isArray(raw)) return fail('object ndarray state has no item list');
      if (raw.length !== count) return fail(`object ndarray of shape (${shape.join(', ')}) has ${raw.length} items`);
      target.built = { __ndarray__: true, dtype: '|O', shape, fortranOrder: !!fortran, data: raw };
      return;
    }
    if (!(raw instanceof Uint8Array)) return fail('ndarray data is not bytes');
    const data = decodeRaw(descr, shape, raw, !!fortran, path, at, 'pickle');
    target.built = { __ndarray__: true, dtype: descr, shape, fortranOrder: !!fortran, data };
    return;
  }
  return fail('BUILD on an object that is not a numpy array or dtype');
}

/** Replace construction placeholders by their final values (bounded by the object graph, cycle-safe). */
function finish(root: unknown, fail: Fail): unknown {
  const seen = new Map<object, unknown>();
  const walk = (x: unknown, depth = 0): unknown => {
    if (depth > 1000) return fail('pickle object graph nested too deeply');
    if (x instanceof PendingArray) {
      if (!x.built) return fail('numpy array was reconstructed but never BUILT');
      x = x.built;
    }
    if (x instanceof PendingDtype) return { __dtype__: true, descr: dtypeDescr(x, fail) } satisfies DtypeValue;
    if (x instanceof Global) return fail(`global ${x.name} left unused in the result`);
    if (!x || typeof x !== 'object' || ArrayBuffer.isView(x)) return x;
    if (seen.has(x)) return seen.get(x);
    if (Array.isArray(x)) {
      seen.set(x, x);
      for (let k = 0; k < x.length; k++) x[k] = walk(x[k], depth + 1);
      return x;
    }
    if (isNdArrayValue(x)) {
      seen.set(x, x);
      if (x.dtype === '|O') {
        const items = x.data as unknown[];
        for (let k = 0; k < items.length; k++) items[k] = walk(items[k], depth + 1);
      }
      return x;
    }
    seen.set(x, x);
    const o = x as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = walk(o[k], depth + 1);
    return x;
  };
  return walk(root);
}

/**
 * Convert an unpickled value to plain JSON-able data for display: ndarrays become
 * `{ dtype, shape, value }` for small arrays (0-d → the scalar itself), bigints become numbers.
 */
export function toPlain(x: unknown, maxItems = 64): unknown {
  if (isNdArrayValue(x)) {
    const d = x.data as ArrayLike<unknown>;
    const vals = Array.from({ length: Math.min(d.length, maxItems) }, (_, k) => toPlain(d[k], maxItems));
    if (x.shape.length === 0 && vals.length === 1) return vals[0];
    return { dtype: x.dtype, shape: x.shape, value: d.length > maxItems ? [...vals, '…'] : vals };
  }
  if (typeof x === 'bigint') return Number(x);
  if (x instanceof Uint8Array) return { bytes: x.length };
  if (Array.isArray(x)) return x.map((v) => toPlain(v, maxItems));
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = toPlain(v, maxItems);
    return out;
  }
  return x;
}
