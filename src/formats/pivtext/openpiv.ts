/**
 * OpenPIV text output (`tools.save`): an optional header `# x y u v flags mask` (tab- or
 * space-separated, `%.4e` numbers), one vector per line. Without a header, 4–6 numeric columns:
 * x y u v, then either a 0/1 flag (mask) or a signal-to-noise value (older OpenPIV), then a mask.
 * Invalid = flags ≠ 0 (outliers that were replaced) or mask ≠ 0. Units: OpenPIV writes none.
 */
import { FormatError } from '../errors';
import { columnsFrom, readRows, FORMAT, type Table } from './table';

const HEADER = /^#\s*x[\t ,]+y[\t ,]+u[\t ,]+v\b/i;

export function isOpenPivHeader(text: string): boolean {
  return HEADER.test(text);
}

/** Headerless: every one of the first lines has 4…6 numbers. */
export function looksLikeBareTable(text: string): boolean {
  const lines = text
    .slice(0, 4096)
    .split(/\r?\n/)
    .slice(0, 20)
    .filter((l) => l.trim());
  if (lines.length < 2) return false;
  const n = lines[0].trim().split(/[\t ,;]+/).length;
  return n >= 4 && n <= 6 && lines.every((l) => /^[-+.\deE,;naN\s]+$/.test(l) && l.trim().split(/[\t ,;]+/).length === n);
}

export function parseOpenPiv(path: string, text: string): Table {
  const lines = text.split(/\r?\n/);
  let names: string[];
  let start = 0;
  if (HEADER.test(lines[0])) {
    names = lines[0]
      .replace(/^#\s*/, '')
      .trim()
      .split(/[\t ,]+/);
    start = 1;
  } else {
    const first = lines.find((l) => l.trim()) ?? '';
    const n = first.trim().split(/[\t ,;]+/).length;
    if (n < 4 || n > 6) throw new FormatError(FORMAT, path, `expected 4 to 6 columns (x y u v [flags] [mask]), got ${n}`);
    names = ['x', 'y', 'u', 'v', 'flags', 'mask'].slice(0, n);
  }
  const { rows } = readRows(path, lines, start, names.length);
  if (!rows.length) throw new FormatError(FORMAT, path, 'no vectors');
  // a headerless fifth column that is not 0/1 is a signal-to-noise ratio
  if (start === 0 && names[4] === 'flags' && rows.some((r) => r[4] !== 0 && r[4] !== 1)) names[4] = 's2n';
  const columns = columnsFrom(rows, names, []);
  const invalid = new Uint8Array(rows.length);
  const flagColumns: number[] = [];
  for (const flag of ['flags', 'mask']) {
    const c = names.indexOf(flag);
    if (c < 0) continue;
    flagColumns.push(c);
    columns[c].values.forEach((f, i) => f !== 0 && (invalid[i] = 1));
  }
  const c = (n: string) => names.indexOf(n);
  if (c('x') < 0 || c('y') < 0 || c('u') < 0 || c('v') < 0) throw new FormatError(FORMAT, path, `header names ${names.join(', ')}: need x, y, u and v`);
  return { dialect: 'openpiv', columns, x: c('x'), y: c('y'), u: c('u'), v: c('v'), invalid, flagColumns, metadata: {} };
}
