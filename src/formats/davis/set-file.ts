import { FormatError } from '../errors';
import { latin1 } from './bytes';

/** SetType values of `.set` files (format note §6.1). */
export const SET_TYPES: Record<number, string> = {
  256: 'image set',
  512: 'vector set',
  4352: 'recording (stream) set',
  8192: 'project properties',
  16384: 'folder',
  131072: 'calibration set',
  16777216: 'particle field',
};

export interface DavisSetFile {
  /** the comment line (`// set file <...> created by DaVis ...`), if any */
  comment: string;
  /** Key = value; pairs (strings unquoted with \n / \t escapes expanded; integers as numbers) */
  entries: Record<string, string | number>;
  setType: number | null;
  setTypeName: string;
  identifier: string | null;
}

/** Cheap content check for a `.set` text (first bytes). */
export function looksLikeSetText(head: Uint8Array): boolean {
  const t = latin1(head, 0, Math.min(head.length, 512));
  return /^\s*\/\/ set file/.test(t) || /#GROUP Sets/.test(t) || /^\s*SetType\s*=/m.test(t);
}

/** Parse a DaVis `.set` text file (Windows-1252; LF or CRLF). */
export function parseSetFile(path: string, bytes: Uint8Array): DavisSetFile {
  if (bytes.length > 4 << 20) throw new FormatError('davis', path, `.set file of ${bytes.length} bytes is too large for a set description`, 0);
  const text = latin1(bytes);
  if (!looksLikeSetText(bytes)) throw new FormatError('davis', path, 'not a DaVis .set file: expected "// set file" or "#GROUP Sets" and SetType', 0);
  const entries: Record<string, string | number> = Object.create(null);
  let comment = '';
  // line by line with anchored, linear patterns (one multiline regex backtracked on long lines)
  for (const line of text.split('\n')) {
    const l = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (l.startsWith('//') && !comment) comment = l.slice(2).trim();
    const kv = parseSetLine(l);
    if (!kv) continue;
    const [key, rawValue] = kv;
    const raw = rawValue.trim();
    if (raw.startsWith('"')) {
      entries[key] = raw.slice(1, -1).replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    } else {
      const n = Number(raw);
      entries[key] = raw !== '' && Number.isFinite(n) ? n : raw;
    }
  }
  const st = typeof entries.SetType === 'number' ? entries.SetType : null;
  const id = typeof entries.SetIdentifier === 'string' ? entries.SetIdentifier : null;
  return { comment, entries, setType: st, setTypeName: st === null ? 'unknown' : (SET_TYPES[st] ?? `SetType ${st}`), identifier: id };
}

const KEY = /^[ \t]*([A-Za-z_][\w.]*)[ \t]*=[ \t]*/;
/** Only blanks, at most one ';', blanks (a function: the regex form backtracks quadratically). */
function onlyTerminator(t: string): boolean {
  let i = 0;
  while (i < t.length && (t[i] === ' ' || t[i] === '\t')) i++;
  if (t[i] === ';') i++;
  while (i < t.length && (t[i] === ' ' || t[i] === '\t')) i++;
  return i === t.length;
}

/** `Key = value;` or `Key = "quoted \"value\"";` → [key, value as written], else null. */
function parseSetLine(l: string): [string, string] | null {
  const m = KEY.exec(l);
  if (!m) return null;
  const rest = l.slice(m[0].length);
  if (rest.startsWith('"')) {
    let e = 1;
    while (e < rest.length && rest[e] !== '"') e += rest[e] === '\\' ? 2 : 1;
    if (e < rest.length && onlyTerminator(rest.slice(e + 1))) return [m[1], rest.slice(0, e + 1)];
  }
  let cut = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === ';' || c === '\r') {
      cut = i;
      break;
    }
  }
  return onlyTerminator(rest.slice(cut)) ? [m[1], rest.slice(0, cut)] : null;
}
