/**
 * py-pde MovieStorage metadata: the container `comment`/`COMMENT` tag holds a shell-quoted JSON
 * object (Python json.dumps, so bare NaN/Infinity tokens may occur) whose `field_attributes` values
 * are JSON texts themselves (and a collection's `fields` a JSON list of such objects). Pure TS.
 */
import { checkJsonDepth, DEFAULT_JSON_DEPTH, JsonError } from '../../core/json';

export class MetadataError extends Error {}

/** POSIX shell word splitting (Python shlex.split, posix=True), returning the first word. */
export function shlexFirstWord(s: string): string | null {
  let i = 0;
  const n = s.length;
  while (i < n && /\s/.test(s[i])) i++;
  if (i >= n) return null;
  let word = '';
  while (i < n && !/\s/.test(s[i])) {
    const c = s[i];
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) throw new MetadataError(`unterminated single quote at character ${i}`);
      word += s.slice(i + 1, j);
      i = j + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const d = s[i];
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n && '"\\$`\n'.includes(s[i + 1])) {
          if (s[i + 1] !== '\n') word += s[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      if (!closed) throw new MetadataError('unterminated double quote');
    } else if (c === '\\') {
      if (i + 1 >= n) throw new MetadataError('no character after a trailing backslash');
      if (s[i + 1] !== '\n') word += s[i + 1];
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  return word;
}

const SENTINEL = '\u0000\u0001pypde:';

/** JSON.parse that also accepts Python's bare NaN, Infinity and -Infinity tokens. */
export function parseLenientJson(text: string): unknown {
  // nesting is limited before parsing: 100,000 nested arrays parse, then overflow the stack of
  // whatever walks them (structured clone to the page, the metadata view)
  checkJsonDepth(text, DEFAULT_JSON_DEPTH);
  let out = '';
  let inStr = false;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') {
      inStr = true;
      continue;
    }
    for (const tok of ['-Infinity', 'Infinity', 'NaN']) {
      if (text.startsWith(tok, i)) {
        out += text.slice(last, i) + JSON.stringify(SENTINEL + tok);
        i += tok.length - 1;
        last = i + 1;
        break;
      }
    }
  }
  out += text.slice(last);
  return JSON.parse(out, (_k, v) => {
    if (typeof v === 'string' && v.startsWith(SENTINEL)) {
      const t = v.slice(SENTINEL.length);
      return t === 'NaN' ? NaN : t === 'Infinity' ? Infinity : -Infinity;
    }
    return v;
  });
}

/** The comment tag's value: `comment`, else `COMMENT`, else any case variant; null when absent. */
export function commentTag(tags: Record<string, string>): string | null {
  if (typeof tags.comment === 'string') return tags.comment;
  if (typeof tags.COMMENT === 'string') return tags.COMMENT;
  for (const [k, v] of Object.entries(tags)) if (k.toLowerCase() === 'comment') return v;
  return null;
}

/** Parse the comment exactly as py-pde does: shlex-split, first word, JSON (lenient). */
export function parseComment(comment: string): Record<string, unknown> {
  const word = shlexFirstWord(comment);
  if (word === null) throw new MetadataError('comment tag is empty');
  let j: unknown;
  try {
    j = parseLenientJson(word);
  } catch (e) {
    if (e instanceof JsonError) throw new MetadataError(`comment tag: ${e.message}`);
    throw new MetadataError(`comment tag is not valid JSON after shell-unquoting (${(e as Error).message})`);
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) throw new MetadataError('comment JSON is not an object');
  return j as Record<string, unknown>;
}

export interface GridState {
  class: string;
  [key: string]: unknown;
}

export interface FieldDescription {
  /** ScalarField, VectorField, Tensor2Field */
  class: string;
  label: string | null;
  dtype: string | null;
  grid: GridState;
  rank: 0 | 1 | 2;
}

export interface StorageDescription {
  /** FieldCollection or the single field's class */
  class: string;
  label: string | null;
  fields: FieldDescription[];
  collection: boolean;
}

function decodeNested(v: unknown, what: string): unknown {
  if (typeof v !== 'string') return v;
  try {
    return parseLenientJson(v);
  } catch (e) {
    if (e instanceof JsonError) throw new MetadataError(`field_attributes.${what}: ${e.message}`);
    throw new MetadataError(`field_attributes.${what} is not a JSON text: ${v.slice(0, 60)}`);
  }
}

const RANK: Record<string, 0 | 1 | 2> = { ScalarField: 0, VectorField: 1, Tensor2Field: 2 };

function fieldFrom(o: unknown, where: string): FieldDescription {
  if (!o || typeof o !== 'object') throw new MetadataError(`${where} is not an object`);
  const a = o as Record<string, unknown>;
  const cls = decodeNested(a.class, `${where}.class`);
  if (typeof cls !== 'string') throw new MetadataError(`${where}.class missing`);
  if (!(cls in RANK)) throw new MetadataError(`${where}.class: unsupported field class ${cls}`);
  const grid = decodeNested(a.grid, `${where}.grid`);
  if (!grid || typeof grid !== 'object' || typeof (grid as GridState).class !== 'string') throw new MetadataError(`${where}.grid missing or without a class`);
  const label = decodeNested(a.label ?? null, `${where}.label`);
  const dtype = decodeNested(a.dtype ?? null, `${where}.dtype`);
  return {
    class: cls,
    label: typeof label === 'string' ? label : null,
    dtype: typeof dtype === 'string' ? dtype : null,
    grid: grid as GridState,
    rank: RANK[cls],
  };
}

/** Decode `field_attributes` (double/triple encoded JSON). */
export function decodeFieldAttributes(fa: unknown): StorageDescription {
  if (!fa || typeof fa !== 'object' || Array.isArray(fa)) throw new MetadataError('field_attributes is not an object');
  const a = fa as Record<string, unknown>;
  const cls = decodeNested(a.class, 'class');
  if (cls === 'FieldCollection') {
    const list = decodeNested(a.fields, 'fields');
    if (!Array.isArray(list) || !list.length) throw new MetadataError('field_attributes.fields of a FieldCollection is not a non-empty list');
    const fields = list.map((f, k) => fieldFrom(typeof f === 'string' ? decodeNested(f, `fields[${k}]`) : f, `fields[${k}]`));
    const label = decodeNested(a.label ?? null, 'label');
    return { class: 'FieldCollection', label: typeof label === 'string' ? label : null, fields, collection: true };
  }
  const f = fieldFrom(a, 'field_attributes');
  return { class: f.class, label: f.label, fields: [f], collection: false };
}

/** Per-field limits (a, b) from vmin/vmax (number or list per field; longer lists truncated). */
export function fieldLimits(vmin: unknown, vmax: unknown, nFields: number): { a: number[]; b: number[] } {
  const expand = (v: unknown, name: string): number[] => {
    if (typeof v === 'number') return Array(nFields).fill(v);
    if (Array.isArray(v)) {
      if (v.length < nFields) throw new MetadataError(`${name} lists ${v.length} limits for ${nFields} fields`);
      return v.slice(0, nFields).map((x, k) => {
        if (typeof x !== 'number') throw new MetadataError(`${name}[${k}] is not a number`);
        return x;
      });
    }
    throw new MetadataError(`${name} is missing or not a number/list (py-pde always writes vmin and vmax)`);
  };
  return { a: expand(vmin, 'vmin'), b: expand(vmax, 'vmax') };
}

/** py-pde's six video formats (the table shared with the writer). */
import { VIDEO_FORMATS } from './video-formats';
export { VIDEO_FORMATS };

/** The video format key: metadata `video_format`, else derived from the stored pixel format. */
export function videoFormatKey(meta: Record<string, unknown>, storedPixFmt: string): string {
  const v = meta.video_format;
  if (typeof v === 'string') {
    if (!(v in VIDEO_FORMATS)) throw new MetadataError(`video_format ${JSON.stringify(v)} is not one of ${Object.keys(VIDEO_FORMATS).join(', ')}`);
    return v;
  }
  const stored: Record<string, string> = { bgr0: 'rgb24', bgra: 'rgb32' };
  const k = stored[storedPixFmt] ?? storedPixFmt;
  if (!(k in VIDEO_FORMATS)) throw new MetadataError(`no video_format in the metadata and stored pixel format ${storedPixFmt} is not a py-pde format`);
  return k;
}
