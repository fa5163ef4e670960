/**
 * JSON with a nesting limit, for readers that accept JSON from files (PhiFlow description.json,
 * imgstore extra data, py-pde metadata, …). `JSON.parse` itself copes with deep nesting, but the
 * value then breaks whatever walks it recursively later (structured clone to the page, metadata
 * views): 100,000 nested arrays end in `RangeError: Maximum call stack size exceeded`. This scan
 * refuses such text before parsing, in linear time and constant stack.
 *
 * Pure: imports nothing. Errors are `JsonError` with `offset` = index into the text (UTF-16 code
 * units, which equals the byte offset for ASCII files); callers wrap them in their format's error.
 */

export class JsonError extends Error {
  constructor(
    readonly reason: string,
    readonly offset?: number,
  ) {
    super(reason);
    this.name = 'JsonError';
  }
}

export interface JsonLimits {
  /** deepest allowed nesting of arrays/objects (the top-level value counts as 1); default 100 */
  maxDepth?: number;
}

export const DEFAULT_JSON_DEPTH = 100;

/** Deepest nesting of `[`/`{` outside strings; throws JsonError at the first bracket past `maxDepth`. */
export function checkJsonDepth(text: string, maxDepth = DEFAULT_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > maxDepth) throw new JsonError(`JSON nests deeper than ${maxDepth} levels (at character ${i})`, i);
      if (depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * `JSON.parse` after the depth check. Syntax errors become JsonError with the position the engine
 * reports (when it reports one).
 */
export function parseJsonLimited(text: string, limits: JsonLimits = {}): unknown {
  checkJsonDepth(text, limits.maxDepth ?? DEFAULT_JSON_DEPTH);
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : 'invalid JSON';
    const m = /position (\d+)/.exec(msg);
    throw new JsonError(`not valid JSON: ${msg}`, m ? Number(m[1]) : undefined);
  }
}
