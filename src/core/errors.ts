/**
 * Every error class of the pipeline, as tagged values with one wire table: `toWire` turns any thrown
 * value into a plain object that survives structured clone (the worker boundary), `fromWire` turns it
 * back into the same class with the same fields. Anything that is not an Error becomes one here, so a
 * public entry point never throws a bare string or object.
 */

/** Thrown by every reader for bad input: names the file, the byte offset (where known) and what was expected. */
export class FormatError extends Error {
  readonly format: string;
  readonly path: string;
  readonly offset?: number;
  readonly reason: string;
  constructor(format: string, path: string, reason: string, offset?: number) {
    super(`${path}${offset !== undefined ? ` @${offset}` : ''}: ${reason} [${format}]`);
    this.name = 'FormatError';
    this.format = format;
    this.path = path;
    this.reason = reason;
    if (offset !== undefined) this.offset = offset;
  }
  /** Plain object that survives structured clone (worker boundary). */
  toJSON(): SerializedFormatError {
    return { name: 'FormatError', format: this.format, path: this.path, offset: this.offset, reason: this.reason };
  }
  static fromJSON(o: SerializedFormatError): FormatError {
    return new FormatError(o.format, o.path, o.reason, o.offset);
  }
}

export interface SerializedFormatError {
  name: 'FormatError';
  format: string;
  path: string;
  offset?: number;
  reason: string;
}

export function isSerializedFormatError(x: unknown): x is SerializedFormatError {
  return !!x && typeof x === 'object' && (x as { name?: unknown }).name === 'FormatError' && 'reason' in x;
}

/** A job that cannot be done with this source / these options (bad request, not bad input data). */
export class ExportError extends Error {
  readonly target: string;
  constructor(target: string, message: string) {
    super(`${target}: ${message}`);
    this.name = 'ExportError';
    this.target = target;
  }
}

/**
 * Error thrown by the low-level codecs (IMX, LZ4, 12-bit, zlib, …). It carries the byte offset
 * (relative to the array the codec was given) so a reader can turn it into a FormatError that names
 * the file and the absolute offset.
 */
export class CodecError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'CodecError';
    this.offset = offset;
  }
}

/** ffprobe / container probing failed. */
export class ProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeError';
  }
}

/** A video decode failed or produced no picture. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

/** A video encode failed. */
export class EncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncodeError';
  }
}

/** What crosses a worker boundary: the tag (`name`), the message and the class's own fields. */
export type WireError = { name: string; message: string; stack?: string; [field: string]: unknown };

type Revive = (w: WireError) => Error;
/** The one wire table: tag → the fields it keeps and how to rebuild the class. */
const WIRE: Record<string, { fields: string[]; revive: Revive }> = {
  FormatError: {
    fields: ['format', 'path', 'offset', 'reason'],
    revive: (w) => new FormatError(String(w.format), String(w.path), String(w.reason), typeof w.offset === 'number' ? w.offset : undefined),
  },
  ExportError: { fields: ['target'], revive: (w) => Object.assign(new ExportError(String(w.target), ''), { message: w.message }) },
  CodecError: { fields: ['offset'], revive: (w) => new CodecError(w.message, Number(w.offset)) },
  ProbeError: { fields: [], revive: (w) => new ProbeError(w.message) },
  DecodeError: { fields: [], revive: (w) => new DecodeError(w.message) },
  EncodeError: { fields: [], revive: (w) => new EncodeError(w.message) },
};

/** Words for a thrown value that is not an Error (a string, an object from a wasm module, …). */
export function describeThrown(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const m = (e as { message?: unknown }).message;
    if (typeof m === 'string' && m) return m;
    try {
      const s = JSON.stringify(e);
      if (s && s !== '{}') return s.slice(0, 300);
    } catch {
      /* not serialisable */
    }
    return 'an unknown error (a non-Error value was thrown)';
  }
  return String(e);
}

/** Any thrown value as an Error (non-Errors wrapped with their description). */
export function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  if (isSerializedFormatError(e)) return FormatError.fromJSON(e);
  return new Error(describeThrown(e));
}

export function toWire(e: unknown): WireError {
  if (isSerializedFormatError(e)) return { ...e, message: `${e.path}: ${e.reason}` };
  const err = asError(e);
  const out: WireError = { name: err.name, message: err.message };
  for (const f of WIRE[err.name]?.fields ?? []) {
    const v = (err as unknown as Record<string, unknown>)[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

export function fromWire(w: WireError): Error {
  const entry = WIRE[w.name];
  const e = entry ? entry.revive(w) : new Error(w.message);
  if (!entry) e.name = w.name;
  return e;
}
