/**
 * imgstore extra data (formats/imgstore.md §7): the imgstore-API `<chunkpath>.extra.json` files and
 * Motif's root-level out-of-process `NNNNNN.extra_data.json` / `NNNNNN.extra_data.h5` files,
 * gathered the way imgstore's get_extra_data() does (chunk order; per chunk the root Motif file
 * wins over the beside-index files; columns in first-appearance order; missing values null), but
 * tolerant where imgstore is not: bare NaN/Infinity tokens and a missing closing `]` (an unfinished
 * recording) are accepted and reported.
 */
import { jsonDepthViolation, MAX_JSON_DEPTH } from '../../codecs/json-limited';
import { FormatError } from '../errors';
import type { SeriesInfo, SourceFile } from '../types';
import { readMotifH5 } from './motif-h5';
import type { StoreMetadata } from './metadata';
import { plainData, toNumber } from './values';

export interface ExtraTable {
  /** column names in first-appearance order */
  columns: string[];
  /** rows (at most MAX_TABLE_ROWS kept; see rowCount) */
  rows: Record<string, unknown>[];
  /** total number of rows */
  rowCount: number;
  /** the files read, in order */
  files: string[];
  /** Motif DAQ sample rate (get_extra_data_samplerate), when an .h5 file gives one */
  samplerate?: number;
}

const MAX_JSON_BYTES = 256 << 20;
const MAX_TABLE_ROWS = 10000;
const MAX_SERIES_POINTS = 2_000_000;

/**
 * JSON.parse that accepts Python's bare NaN / Infinity / -Infinity (→ null) and an array whose
 * closing bracket is missing or that ends inside a record (the complete records are kept).
 */
export function parseLenientJson(text: string, path: string): { value: unknown; repairs: string[] } {
  const repairs: string[] = [];
  let out = '';
  let last = 0;
  let inStr = false;
  let replaced = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inStr = false;
      continue;
    }
    if (c === 0x22) {
      inStr = true;
      continue;
    }
    let tok = '';
    if (c === 0x4e && text.startsWith('NaN', i)) tok = 'NaN';
    else if (c === 0x49 && text.startsWith('Infinity', i)) tok = 'Infinity';
    else if (c === 0x2d && text.startsWith('-Infinity', i)) tok = '-Infinity';
    if (tok) {
      out += text.slice(last, i) + 'null';
      i += tok.length - 1;
      last = i + 1;
      replaced++;
    }
  }
  const cleaned = replaced ? out + text.slice(last) : text;
  if (replaced) repairs.push(`${replaced} bare NaN/Infinity value(s) read as missing`);
  const deep = jsonDepthViolation(cleaned, MAX_JSON_DEPTH);
  if (deep >= 0)
    throw new FormatError('imgstore', path, `JSON nested deeper than ${MAX_JSON_DEPTH} levels (at character ${deep.toLocaleString('en-US')}): not extra data`);
  try {
    return { value: JSON.parse(cleaned), repairs };
  } catch (e0) {
    const t = cleaned.trimEnd();
    if (!t.trimStart().startsWith('[')) throw new FormatError('imgstore', path, `not valid JSON: ${(e0 as Error).message}`);
    // unfinished array: close it after the last complete record
    let end = t.length;
    for (let attempt = 0; attempt < 64; attempt++) {
      let cut = end; // trailing blanks and commas (a loop: /[\s,]+$/ backtracks quadratically)
      while (cut > 0 && /[\s,]/.test(t[cut - 1])) cut--;
      const head = t.slice(0, cut);
      try {
        const v = JSON.parse(head + ']');
        repairs.push(
          end === t.length ? 'closing ] missing (unfinished recording?): added' : 'file ends inside a record (truncated?): the complete records were kept',
        );
        return { value: v, repairs };
      } catch {
        const j = t.lastIndexOf('}', end - 2);
        if (j < 0) break;
        end = j + 1;
      }
    }
    throw new FormatError('imgstore', path, `not valid JSON: ${(e0 as Error).message}`);
  }
}

async function readText(f: SourceFile): Promise<string> {
  if (f.size > MAX_JSON_BYTES) throw new FormatError('imgstore', f.path, `extra-data file of ${f.size} bytes is too large`);
  return new TextDecoder().decode(await f.read(0, f.size));
}

function recordsOf(value: unknown, path: string): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new FormatError('imgstore', path, 'a JSON array of records expected');
  return value.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object' && !Array.isArray(r));
}

/** Number of a record value; NaN for null, missing and non-scalars (never `Number(obj)`, which can throw). */
function num(v: unknown): number {
  return v === null || v === undefined ? NaN : toNumber(v);
}

/** Motif JSON: drop rows with frame_number < 0, sort by frame_index then sensor_time. */
function motifJsonRows(recs: Record<string, unknown>[]): Record<string, unknown>[] {
  const kept = recs.filter((r) => !(num(r.frame_number) < 0));
  const hasSensor = kept.some((r) => 'sensor_time' in r);
  return kept
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const d = num(a.r.frame_index) - num(b.r.frame_index);
      if (d) return d;
      if (hasSensor) {
        const s = num(a.r.sensor_time) - num(b.r.sensor_time);
        if (s) return s;
      }
      return a.i - b.i;
    })
    .map((x) => x.r);
}

/**
 * Read every extra-data file of the store (paths in `files` are relative to the store root).
 * Problems with single files become warnings; returns null when there is no extra data.
 */
export async function readExtraData(files: SourceFile[], meta: StoreMetadata, chunkNames: string[], warn: (msg: string) => void): Promise<ExtraTable | null> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const names = new Set(chunkNames);
  for (const f of files) {
    const m = /^(\d+)\.(extra_data\.(json|h5)|extra\.json)$/.exec(f.path);
    if (m) names.add(m[1]);
  }
  const order = [...names].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const columns: string[] = [];
  const seen = new Set<string>();
  const rows: Record<string, unknown>[] = [];
  let rowCount = 0;
  const used: string[] = [];
  let samplerate: number | undefined;
  const add = (recs: Record<string, unknown>[]) => {
    for (const r of recs) {
      for (const k of Object.keys(r))
        if (!seen.has(k)) {
          seen.add(k);
          columns.push(k);
        }
      if (rows.length < MAX_TABLE_ROWS) rows.push(plainData(r, 16) as Record<string, unknown>);
      rowCount++;
    }
  };
  const allRows: Record<string, unknown>[][] = [];
  for (const name of order) {
    const h5 = byPath.get(`${name}.extra_data.h5`);
    const mj = byPath.get(`${name}.extra_data.json`);
    const beside =
      meta.cls === 'DirectoryImgStore'
        ? [byPath.get(`${name}/index.extra.json`), byPath.get(`${name}/index.extra_data.json`)]
        : [byPath.get(`${name}.extra.json`)];
    const pick = h5 ?? mj ?? beside.find(Boolean);
    if (!pick) continue;
    try {
      let recs: Record<string, unknown>[];
      if (pick === h5) {
        const r = await readMotifH5(h5);
        recs = r.rows;
        if (r.samplerate !== undefined) samplerate = r.samplerate;
      } else {
        const { value, repairs } = parseLenientJson(await readText(pick), pick.path);
        for (const rep of repairs) if (!rep.includes('NaN')) warn(`${pick.path}: ${rep}`);
        recs = recordsOf(value, pick.path);
        if (pick === mj) recs = motifJsonRows(recs);
      }
      used.push(pick.path);
      add(recs);
      allRows.push(recs);
    } catch (e) {
      warn(e instanceof FormatError ? `extra data skipped: ${e.message}` : `extra data skipped: ${pick.path}: ${(e as Error).message}`);
    }
  }
  if (!used.length) return null;
  const table: ExtraTable = { columns, rows, rowCount, files: used };
  if (samplerate !== undefined) table.samplerate = samplerate;
  Object.defineProperty(table, 'allRows', { value: allRows, enumerable: false });
  return table;
}

const NOT_PLOTTED = new Set(['frame_time', 'frame_number', 'frame_index']);

/** One series per numeric column (x = frame_time, or frame_number when no row has a time). */
export function extraSeries(table: ExtraTable): SeriesInfo[] {
  const groups = (table as ExtraTable & { allRows?: Record<string, unknown>[][] }).allRows ?? [table.rows];
  const rows = groups.flat();
  const useTime = rows.some((r) => Number.isFinite(num(r.frame_time)));
  const out: SeriesInfo[] = [];
  for (const col of table.columns) {
    if (NOT_PLOTTED.has(col) || col.endsWith('_time')) continue;
    let numeric = false;
    let bad = false;
    for (const r of rows) {
      const v = r[col];
      if (v === null || v === undefined) continue;
      if (typeof v === 'number') numeric = true;
      else {
        bad = true;
        break;
      }
    }
    if (!numeric || bad) continue;
    const x: number[] = [];
    const y: number[] = [];
    for (const r of rows) {
      const v = r[col];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const xv = num(useTime ? r.frame_time : r.frame_number);
      if (!Number.isFinite(xv)) continue;
      if (x.length >= MAX_SERIES_POINTS) break;
      x.push(xv);
      y.push(v);
    }
    if (x.length) out.push({ name: `extra data: ${col}`, xKind: useTime ? 'time' : 'number', x, y: [y], columns: [col] });
  }
  return out;
}
