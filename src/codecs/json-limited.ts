/**
 * The imgstore extra-data reader's view of core's one JSON depth scan (`src/core/json.ts`): where
 * the text first nests too deep, as an offset, with the deeper limit extra data may use.
 */
import { checkJsonDepth, JsonError } from '../core/json';

/** Deepest nesting of arrays/objects accepted in extra data (real metadata nests a handful of levels). */
export const MAX_JSON_DEPTH = 256;

/** Offset where `text` first nests deeper than `maxDepth`, or -1. */
export function jsonDepthViolation(text: string, maxDepth = MAX_JSON_DEPTH): number {
  try {
    checkJsonDepth(text, maxDepth);
    return -1;
  } catch (e) {
    if (e instanceof JsonError) return e.offset ?? 0;
    throw e;
  }
}
