import { FormatError, isSerializedFormatError } from '../formats/errors';
import type { WireError } from './protocol';

export function toWire(e: unknown): WireError {
  if (e instanceof FormatError) return e.toJSON();
  if (isSerializedFormatError(e)) return e;
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

export function fromWire(w: WireError): Error {
  if (isSerializedFormatError(w)) return FormatError.fromJSON(w);
  const e = new Error(w.message);
  e.name = w.name;
  return e;
}

export function isAbort(e: unknown): boolean {
  return !!e && typeof e === 'object' && (e as { name?: string }).name === 'AbortError';
}

export function abortError(): Error {
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}
