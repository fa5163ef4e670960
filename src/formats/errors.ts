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
