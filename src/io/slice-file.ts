import type { SourceFile } from '../core/types';

/** A SourceFile over a Blob/File: reads are Blob.slice, so a multi-GB file is never read whole. */
export function blobSourceFile(path: string, blob: Blob): SourceFile {
  return {
    path,
    size: blob.size,
    blob,
    async read(start = 0, end = blob.size) {
      const s = Math.max(0, Math.min(start, blob.size));
      const e = Math.max(s, Math.min(end, blob.size));
      return new Uint8Array(await blob.slice(s, e).arrayBuffer());
    },
  };
}

/**
 * A SourceFile over bytes already in memory (generated files, tests, exports read back). Reads are
 * views of `bytes`; with `copy` they are copies, as Blob.slice gives, so a reader that writes into
 * what it read cannot change the bytes (the fuzzers reuse their seeds).
 */
export function bytesSourceFile(path: string, bytes: Uint8Array, opts: { copy?: boolean } = {}): SourceFile {
  return {
    path,
    size: bytes.length,
    async read(start = 0, end = bytes.length) {
      const s = Math.max(0, Math.min(start, bytes.length));
      const e = Math.max(s, Math.min(end, bytes.length));
      return opts.copy ? bytes.slice(s, e) : bytes.subarray(s, e);
    },
  };
}
