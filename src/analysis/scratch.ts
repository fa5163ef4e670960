/**
 * Reusable scratch buffers for intermediate arrays (gradients, validity), so that deriving a
 * 1-megapixel field does not page-fault 20 MB of fresh memory on every call. Bounded: at most
 * SCRATCH_BYTES are kept; anything returned beyond that is left to the garbage collector.
 * Buffers handed out here never leave the analysis (results are always fresh arrays).
 */
const SCRATCH_BYTES = 96 * 1024 * 1024;
const free64: Float64Array[] = [];
const free8: Uint8Array[] = [];
let kept = 0;

export function take64(n: number): Float64Array {
  const i = free64.findIndex((a) => a.length === n);
  if (i < 0) return new Float64Array(n);
  kept -= free64[i].byteLength;
  return free64.splice(i, 1)[0];
}

export function take8(n: number): Uint8Array {
  const i = free8.findIndex((a) => a.length === n);
  if (i < 0) return new Uint8Array(n);
  kept -= free8[i].byteLength;
  return free8.splice(i, 1)[0];
}

export function give(a: Float64Array | Uint8Array): void {
  if (kept + a.byteLength > SCRATCH_BYTES) return;
  kept += a.byteLength;
  if (a instanceof Float64Array) free64.push(a);
  else free8.push(a);
}
