/**
 * What every PIV text dialect parses into — named numeric columns with units plus header facts —
 * and the number tokenizer they share (tabs, spaces, semicolons or commas as delimiters; decimal
 * commas as DaVis writes them in German locales).
 */
import { FormatError } from '../errors';

export const FORMAT = 'pivtext';

export type Dialect = 'davis-txt' | 'tsi-vec' | 'openpiv' | 'pivlab' | 'tecplot';

export interface Column {
  name: string;
  unit: string;
  values: Float64Array;
}

export interface Table {
  dialect: Dialect;
  columns: Column[];
  /** indices of the x, y, u, v (and w) columns */
  x: number;
  y: number;
  u: number;
  v: number;
  w?: number;
  /** validity per row (1 = invalid), from the file's own flags */
  invalid: Uint8Array;
  /** columns that are flags (not exported as scalar fields) */
  flagColumns: number[];
  /** grid size the header states (I × J), if any */
  ni?: number;
  nj?: number;
  /** frame number the file states (PIVlab FRAME:) */
  frame?: number;
  metadata: Record<string, unknown>;
}

/** Split one data line into numbers; null when it holds something else. */
export function numbersOf(line: string, decimalComma: boolean): number[] | null {
  const s = line.trim();
  if (!s) return null;
  let parts: string[];
  if (decimalComma) parts = s.split(/[\t; ]+/).map((p) => p.replace(',', '.'));
  else parts = s.split(/[\t; ,]+/);
  const out: number[] = new Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const x = /^nan$/i.test(p) ? NaN : Number(p);
    if (p === '' || (Number.isNaN(x) && !/^nan$/i.test(p))) return null;
    out[i] = x;
  }
  return out;
}

/** True when a data line uses commas as decimal marks (digits,digits and no dot, other delimiters present). */
export function usesDecimalComma(line: string): boolean {
  return /\d,\d/.test(line) && !/\d\.\d/.test(line) && /[\t; ]/.test(line.trim());
}

/** Parse data rows of a given width from lines; throws naming the first bad line. */
export function readRows(path: string, lines: string[], start: number, width: number, minWidth = width): { rows: number[][]; end: number } {
  const rows: number[][] = [];
  let comma: boolean | null = null;
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    if (comma === null) comma = usesDecimalComma(line);
    const r = numbersOf(line, comma);
    if (!r) {
      if (/^[ \t]*ZONE\b/i.test(line)) break;
      throw new FormatError(FORMAT, path, `line ${i + 1}: expected ${width} numbers, got “${line.slice(0, 80)}”`);
    }
    if (r.length < minWidth) throw new FormatError(FORMAT, path, `line ${i + 1}: expected ${width} numbers, got ${r.length}`);
    rows.push(r);
  }
  return { rows, end: i };
}

export function columnsFrom(rows: number[][], names: string[], units: string[]): Column[] {
  return names.map((name, c) => ({ name, unit: units[c] ?? '', values: Float64Array.from(rows, (r) => (c < r.length ? r[c] : NaN)) }));
}

/** `"X mm"` / `x [m]` / `u [px/frame]` → name and unit. */
export function nameAndUnit(label: string): { name: string; unit: string } {
  const s = label.trim().replace(/^"|"$/g, '').trim();
  // `name [unit]` / `name (unit)` at the end, found in one pass (the regex /^(.*?)\s*[[(]([^\])]*)[\])]\s*$/
  // it replaces is quadratic on a long label without brackets)
  const end = s.length - 1;
  if (end > 0 && (s[end] === ']' || s[end] === ')')) {
    let lastClose = end - 1;
    while (lastClose >= 0 && s[lastClose] !== ']' && s[lastClose] !== ')') lastClose--;
    let open = lastClose + 1;
    while (open < end && s[open] !== '[' && s[open] !== '(') open++;
    if (open < end) {
      const unit = s.slice(open + 1, end).trim();
      return { name: s.slice(0, open).trim(), unit: unit === '-' ? '' : unit };
    }
  }
  const sp = /^(\S+)\s+(\S.*)$/.exec(s);
  if (sp) return { name: sp[1], unit: sp[2] };
  return { name: s, unit: '' };
}

export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\ufeff/, '');
}
