/**
 * Pickle writer for the object-dtype .npy members PhiFlow (and numpy.savez with allow_pickle) need:
 * an object ndarray (any shape; PhiFlow uses 0-d and 1-d) whose items are
 *   null (None) · boolean · number · bigint · string · Uint8Array (bytes) · arrays (Python lists) ·
 *   `tuple(...)` arrays (Python tuples) · plain objects with string keys (dicts) ·
 *   numeric ndarrays `{ __ndarray__: true, dtype: '<i8' | '<f8' | …, shape, data }` (C order).
 * Numbers that are integers in the int32 range are written as Python int (BININT), other integers
 * as LONG1, and non-integers (incl. NaN/±Inf) as float (BINFLOAT); wrap a value with `pyFloat(x)`
 * to force a float.
 *
 * The stream mirrors what numpy 1.x writes: `numpy.core.multiarray._reconstruct(numpy.ndarray,
 * (0,), b'b')` + BUILD `(1, shape, dtype('O8', False, True) + BUILD (3, '|', None, None, None,
 * -1, -1, 63), False, [items])`. The numpy-1 module path loads in numpy 1.x and 2.x alike (numpy 2
 * keeps a `numpy.core` shim), whereas `numpy._core` does not exist in numpy 1.x. Protocol 2 writes
 * bytes as `_codecs.encode(str, 'latin1')` (as Python does); protocols 3 and 4 use BINBYTES. No
 * memo is written (it is optional for the reader).
 */
import { isTuple, isNdArrayValue, type NdArrayValue } from './pickle';
import { npyHeader, parseDescr } from './npy';

export type PickleProtocol = 2 | 3 | 4;

const FLOAT = Symbol('pyFloat');
export interface PyFloat {
  [FLOAT]: true;
  value: number;
}

/** Force a number to be written as a Python float. */
export function pyFloat(value: number): PyFloat {
  return { [FLOAT]: true, value };
}

function isPyFloat(x: unknown): x is PyFloat {
  return !!x && typeof x === 'object' && (x as Record<symbol, unknown>)[FLOAT] === true;
}

class Out {
  private buf = new Uint8Array(256);
  len = 0;
  private grow(n: number) {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  byte(...bs: number[]) {
    this.grow(bs.length);
    for (const b of bs) this.buf[this.len++] = b;
  }
  bytes(b: Uint8Array) {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  u32(v: number) {
    this.byte(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const enc = new TextEncoder();

class Writer {
  constructor(
    readonly o: Out,
    readonly protocol: PickleProtocol,
  ) {}

  global(mod: string, name: string) {
    this.o.byte(0x63);
    this.o.bytes(enc.encode(`${mod}\n${name}\n`));
  }
  str(s: string) {
    const b = enc.encode(s);
    if (this.protocol >= 4 && b.length < 256) this.o.byte(0x8c, b.length);
    else {
      this.o.byte(0x58);
      this.o.u32(b.length);
    }
    this.o.bytes(b);
  }
  bytes(b: Uint8Array) {
    if (this.protocol === 2) {
      // _codecs.encode(latin1 string, 'latin1')
      this.global('_codecs', 'encode');
      let s = '';
      for (let k = 0; k < b.length; k += 8192) s += String.fromCharCode(...b.subarray(k, Math.min(b.length, k + 8192)));
      this.str(s);
      this.str('latin1');
      this.o.byte(0x86, 0x52); // TUPLE2 REDUCE
      return;
    }
    if (b.length < 256) this.o.byte(0x43, b.length);
    else {
      this.o.byte(0x42);
      this.o.u32(b.length);
    }
    this.o.bytes(b);
  }
  int(v: number | bigint) {
    if (typeof v === 'number' && v >= -0x80000000 && v <= 0x7fffffff) {
      if (v >= 0 && v < 256) this.o.byte(0x4b, v);
      else if (v >= 0 && v < 65536) this.o.byte(0x4d, v & 0xff, v >> 8);
      else {
        this.o.byte(0x4a);
        this.o.u32(v >>> 0);
      }
      return;
    }
    // LONG1: minimal two's complement little-endian
    let x = BigInt(v);
    const bs: number[] = [];
    for (let k = 0; k < 255; k++) {
      bs.push(Number(x & 0xffn));
      const last = bs[bs.length - 1];
      x >>= 8n;
      if ((x === 0n && !(last & 0x80)) || (x === -1n && last & 0x80)) break;
    }
    this.o.byte(0x8a, bs.length, ...bs);
  }
  float(v: number) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, false);
    this.o.byte(0x47);
    this.o.bytes(b);
  }
  tuple(items: unknown[], depth: number) {
    if (items.length === 0) return this.o.byte(0x29);
    if (items.length <= 3) {
      for (const it of items) this.value(it, depth + 1);
      return this.o.byte([0x85, 0x86, 0x87][items.length - 1]);
    }
    this.o.byte(0x28);
    for (const it of items) this.value(it, depth + 1);
    this.o.byte(0x74);
  }
  /** dtype(base, False, True) + BUILD (3, order, None, None, None, -1, -1, flags) */
  dtype(base: string, order: string, flags: number) {
    this.global('numpy', 'dtype');
    this.str(base);
    this.o.byte(0x89, 0x88, 0x87, 0x52); // False True TUPLE3 REDUCE
    this.o.byte(0x28); // MARK
    this.int(3);
    this.str(order);
    this.o.byte(0x4e, 0x4e, 0x4e);
    this.int(-1);
    this.int(-1);
    this.int(flags);
    this.o.byte(0x74, 0x62); // TUPLE BUILD
  }
  ndarrayHead() {
    this.global('numpy.core.multiarray', '_reconstruct');
    this.global('numpy', 'ndarray');
    this.int(0);
    this.o.byte(0x85); // TUPLE1
    this.bytes(new Uint8Array([0x62])); // b'b'
    this.o.byte(0x87, 0x52); // TUPLE3 REDUCE
  }
  objectArray(items: unknown[], shape: number[], depth: number) {
    this.ndarrayHead();
    this.o.byte(0x28); // MARK
    this.int(1);
    this.tuple(shape, depth);
    this.dtype('O8', '|', 63);
    this.o.byte(0x89); // fortran False
    this.list(items, depth);
    this.o.byte(0x74, 0x62); // TUPLE BUILD
  }
  numericArray(a: NdArrayValue) {
    const dt = parseDescr(a.dtype);
    if (!dt || dt.kind === 'O' || dt.kind === 'U' || dt.kind === 'S') throw new Error(`pickle-write: unsupported ndarray dtype ${a.dtype}`);
    const data = a.data as ArrayBufferView;
    let count = 1;
    for (const s of a.shape) count *= s;
    if (data.byteLength !== count * dt.itemsize) throw new Error(`pickle-write: ndarray data does not match shape/dtype ${a.dtype}`);
    this.ndarrayHead();
    this.o.byte(0x28);
    this.int(1);
    this.tuple(a.shape, 0);
    this.dtype(`${dt.kind}${dt.itemsize}`, dt.itemsize === 1 ? '|' : '<', 0);
    this.o.byte(0x89);
    this.bytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.o.byte(0x74, 0x62);
  }
  list(items: unknown[], depth: number) {
    this.o.byte(0x5d); // EMPTY_LIST
    if (!items.length) return;
    this.o.byte(0x28);
    for (const it of items) this.value(it, depth + 1);
    this.o.byte(0x65); // APPENDS
  }
  value(x: unknown, depth: number): void {
    if (depth > 200) throw new Error('pickle-write: value nested too deeply');
    if (x === null || x === undefined) return this.o.byte(0x4e);
    if (x === true) return this.o.byte(0x88);
    if (x === false) return this.o.byte(0x89);
    if (typeof x === 'bigint') return this.int(x);
    if (typeof x === 'number') return Number.isInteger(x) ? this.int(x) : this.float(x);
    if (typeof x === 'string') return this.str(x);
    if (isPyFloat(x)) return this.float(x.value);
    if (x instanceof Uint8Array) return this.bytes(x);
    if (isTuple(x)) return this.tuple(x, depth);
    if (Array.isArray(x)) return this.list(x, depth);
    if (isNdArrayValue(x)) {
      if (x.dtype === '|O' || x.dtype === 'O') return this.objectArray(x.data as unknown[], x.shape, depth);
      return this.numericArray(x);
    }
    if (typeof x === 'object') {
      this.o.byte(0x7d); // EMPTY_DICT
      const ents = Object.entries(x as Record<string, unknown>);
      if (!ents.length) return;
      this.o.byte(0x28);
      for (const [k, v] of ents) {
        this.str(k);
        this.value(v, depth + 1);
      }
      this.o.byte(0x75); // SETITEMS
      return;
    }
    throw new Error(`pickle-write: cannot pickle a ${typeof x}`);
  }
}

/** Pickle any supported value (see the module doc). */
export function pickleValue(value: unknown, protocol: PickleProtocol = 3): Uint8Array {
  const o = new Out();
  o.byte(0x80, protocol);
  new Writer(o, protocol).value(value, 0);
  o.byte(0x2e);
  return o.result();
}

/** Pickle an object ndarray of `shape` holding `items` (C order) the way numpy does. */
export function pickleObjectArray(items: unknown[], shape: number[], protocol: PickleProtocol = 3): Uint8Array {
  let count = 1;
  for (const s of shape) count *= s;
  if (items.length !== count) throw new Error(`pickle-write: ${items.length} items for shape (${shape.join(', ')})`);
  const o = new Out();
  o.byte(0x80, protocol);
  new Writer(o, protocol).objectArray(items, shape, 0);
  o.byte(0x2e);
  return o.result();
}

/** A complete '|O' .npy file (v1.0) holding an object array. */
export function encodeObjectNpy(items: unknown[], shape: number[], protocol: PickleProtocol = 3): Uint8Array {
  const head = npyHeader('|O', shape);
  const body = pickleObjectArray(items, shape, protocol);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** A 0-d numeric ndarray value (e.g. PhiFlow's constant extrapolation value: int64 0). */
export function scalarArray(value: number, dtype: '<i8' | '<f8' = '<i8'): NdArrayValue {
  const data = dtype === '<i8' ? BigInt64Array.of(BigInt(Math.trunc(value))) : Float64Array.of(value);
  return { __ndarray__: true, dtype, shape: [], fortranOrder: false, data };
}
