/**
 * PIV text reader: one file or a folder of files of one dialect as a time series. Frame numbers come
 * from the file names (the digit group that differs between files, e.g. B00001 → 1; PIVlab's FRAME:
 * line for a single file); the text formats carry no acquisition time, so times are null. Each
 * file is parsed when its frame is read (the first one at open, for the field list).
 */
import { nearestIndex } from '../../core/nearest';
import { FormatError } from '../errors';
import type { Frame, FrameInfo, FrameSource, SourceFile, SourceTree } from '../types';
import { parseDavisTxt } from './davis-txt';
import { detectDialect, TEXT_EXT } from './detect';
import { fieldInfos, fieldsOf, gridOf } from './grid';
import { parseOpenPiv } from './openpiv';
import { parsePivlab } from './pivlab';
import { decodeText, FORMAT, type Dialect, type Table } from './table';
import { parseTecplot } from './tecplot';

const MAX_BYTES = 512 << 20;

export function parseText(dialect: Dialect, path: string, text: string): Table {
  switch (dialect) {
    case 'davis-txt':
      return parseDavisTxt(path, text);
    case 'tsi-vec':
    case 'tecplot':
      return parseTecplot(path, text);
    case 'pivlab':
      return parsePivlab(path, text);
    case 'openpiv':
      return parseOpenPiv(path, text);
  }
}

/**
 * Frame numbers from names: across several files, the first digit group whose value differs; for
 * one file (or when none differs), the last digit group before the first dot (`Run000002.T000…` → 2,
 * `day2a005003.T000…` → 5003, `B00001.txt` → 1, `exp1_001_b.txt` → 1); no digits → 1, 2, ….
 */
export function numbersFromNames(paths: string[]): number[] {
  const bases = paths.map((p) => p.slice(p.lastIndexOf('/') + 1));
  const groups = bases.map((b) => (b.match(/\d+/g) ?? []).map(Number));
  const len = Math.min(...groups.map((g) => g.length));
  if (paths.length > 1 && len > 0) {
    for (let k = 0; k < len; k++) if (new Set(groups.map((g) => g[k])).size > 1) return groups.map((g) => g[k]);
  }
  return bases.map((b, i) => {
    const stem = b.includes('.') ? b.slice(0, b.indexOf('.')) : b;
    const m = stem.match(/\d+/g);
    return m ? Number(m[m.length - 1]) : i + 1;
  });
}

async function readText(f: SourceFile): Promise<string> {
  if (f.size > MAX_BYTES) throw new FormatError(FORMAT, f.path, `${f.size} bytes is more than the ${MAX_BYTES >> 20} MiB a PIV text file may have here`);
  return decodeText(await f.read(0, f.size));
}

export async function open(tree: SourceTree): Promise<FrameSource> {
  const cands = tree.files.filter((f) => TEXT_EXT.test(f.path) || tree.files.length === 1);
  const found: { file: SourceFile; dialect: Dialect }[] = [];
  for (const f of cands) {
    const d = detectDialect(f.path, decodeText(await f.read(0, Math.min(f.size, 4096))));
    if (d) found.push({ file: f, dialect: d.dialect });
  }
  if (!found.length)
    throw new FormatError(FORMAT, tree.files[0]?.path ?? tree.name, 'no PIV text file (DaVis text export, TSI .vec, OpenPIV, PIVlab or Tecplot ASCII) here');
  // the dialect most files share
  const counts = new Map<Dialect, number>();
  for (const x of found) counts.set(x.dialect, (counts.get(x.dialect) ?? 0) + 1);
  const dialect = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const files = found.filter((x) => x.dialect === dialect).map((x) => x.file);
  const first = parseText(dialect, files[0].path, await readText(files[0]));
  const grid0 = gridOf(files[0].path, first);
  const fields = fieldInfos(first, grid0);
  let numbers = numbersFromNames(files.map((f) => f.path));
  if (files.length === 1 && first.frame !== undefined) numbers = [first.frame];
  const order = files.map((_, i) => i).sort((a, b) => numbers[a] - numbers[b] || (files[a].path < files[b].path ? -1 : 1));
  const sorted = order.map((i) => files[i]);
  const frames: FrameInfo[] = order.map((i, index) => ({ index, number: numbers[i], time: null }));
  const skipped = tree.files.length - files.length;
  const metadata: Record<string, unknown> = { dialect, files: sorted.length, ...first.metadata };
  if (skipped)
    metadata.ignoredFiles = tree.files
      .filter((f) => !files.includes(f))
      .map((f) => f.path)
      .slice(0, 20);
  const cache = new Map<number, Table>([[order.indexOf(0), first]]);
  return {
    format: FORMAT,
    name: tree.name,
    frames,
    fields,
    metadata,
    timeUnit: null,
    async readFrame(index: number, opts?: { signal?: AbortSignal }): Promise<Frame> {
      if (!Number.isInteger(index) || index < 0 || index >= frames.length) throw new RangeError(`frame index ${index} is outside 0…${frames.length - 1}`);
      opts?.signal?.throwIfAborted();
      const f = sorted[index];
      let t = cache.get(index);
      if (!t) {
        t = parseText(dialect, f.path, await readText(f));
        if (cache.size > 4) cache.delete(cache.keys().next().value!);
        cache.set(index, t);
      }
      const g = gridOf(f.path, t);
      const names = fieldInfos(t, g);
      if (names.length !== fields.length || names.some((n, i) => n.name !== fields[i].name))
        throw new FormatError(
          FORMAT,
          f.path,
          `its columns (${names.map((n) => n.name).join(', ')}) differ from the first file's (${fields.map((n) => n.name).join(', ')})`,
        );
      return { info: frames[index], fields: fieldsOf(t, g, names), attributes: { file: f.path, ...t.metadata } };
    },
    nearestIndex(time: number): number {
      return nearestIndex(
        frames.map((f) => f.time),
        time,
      );
    },
    close() {
      cache.clear();
    },
  };
}
