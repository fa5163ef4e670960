/**
 * JSON.parse with a nesting limit. Deeply nested JSON parses in V8, but every recursive consumer
 * after it (structured clone to a worker, JSON.stringify, a metadata tree view) then overflows the
 * stack; so nesting is checked first, in one linear pass over the text that skips strings.
 *
 * (The lead may unify this with src/core/json.ts `parseJsonLimited`, written in parallel.)
 */
import { CodecError } from '../core/errors';

/** Deepest nesting of arrays/objects accepted by default (real metadata nests a handful of levels). */
export const MAX_JSON_DEPTH = 256;

/** Offset where `text` first nests deeper than `maxDepth`, or -1. */
export function jsonDepthViolation(text: string, maxDepth = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inStr = false;
    } else if (c === 0x22) inStr = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/**
 * JSON.parse(text, reviver) after the nesting check. Throws CodecError (offset = the character
 * where the limit is passed) for too deep nesting; JSON.parse's SyntaxError otherwise.
 */
export function parseJsonLimited(text: string, opts: { maxDepth?: number; reviver?: (key: string, value: unknown) => unknown } = {}): unknown {
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  const at = jsonDepthViolation(text, maxDepth);
  if (at >= 0) throw new CodecError(`JSON nested deeper than ${maxDepth} levels (at character ${at.toLocaleString('en-US')})`, at);
  return opts.reviver ? JSON.parse(text, opts.reviver as (k: string, v: unknown) => unknown) : JSON.parse(text);
}
