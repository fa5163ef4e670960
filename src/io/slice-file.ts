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

/** A SourceFile over bytes already in memory (generated files, tests, exports read back). */
export function bytesSourceFile(path: string, bytes: Uint8Array): SourceFile {
  return {
    path,
    size: bytes.length,
    async read(start = 0, end = bytes.length) {
      const s = Math.max(0, Math.min(start, bytes.length));
      const e = Math.max(s, Math.min(end, bytes.length));
      return bytes.subarray(s, e);
    },
  };
}
