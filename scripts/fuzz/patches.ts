/**
 * Applying a case's patches to a seed file's bytes: plain TypeScript without Node's Buffer, so the
 * Node fuzzer (case.ts, browser.ts) and the browser fuzz worker apply them with the same code.
 */
import type { Patch } from './mutate';

function fromB64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The bytes with every patch applied in order (positions clamped to the bytes as they are then). */
export function applyPatches(bytes: Uint8Array, patches: readonly Patch[]): Uint8Array {
  let cur = bytes;
  for (const p of patches) {
    const at = Math.min(Math.max(0, p.at), cur.length);
    const del = Math.min(Math.max(0, p.del), cur.length - at);
    const parts = (p.ins ?? []).map((s) => ({ b: fromB64(s.b64), n: s.repeat ?? 1 }));
    const insLen = parts.reduce((a, s) => a + s.b.length * s.n, 0);
    const out = new Uint8Array(cur.length - del + insLen);
    out.set(cur.subarray(0, at), 0);
    let o = at;
    for (const s of parts)
      for (let k = 0; k < s.n; k++) {
        out.set(s.b, o);
        o += s.b.length;
      }
    out.set(cur.subarray(at + del), o);
    cur = out;
  }
  return cur;
}
