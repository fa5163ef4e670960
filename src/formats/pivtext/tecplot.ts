/**
 * Tecplot ASCII (`.dat`, and TSI Insight's `.vec`, which is a Tecplot file): `TITLE = "…"`,
 * `VARIABLES = "X mm", "Y mm", "U m/s", "V m/s"[, "CHC"]`, then `ZONE I=…, J=…[, K=…]` with
 * `F=POINT` / `DATAPACKING=POINT` (one row per point) or `F=BLOCK` / `DATAPACKING=BLOCK` (all values
 * of one variable, then the next). The first zone is read. TSI's `DATASETAUXDATA k="v"` become metadata
 * and its CHC column the validity flag (CHC > 0 valid, ≤ 0 invalid); a plain Tecplot file may carry a
 * `valid`/`flag`/`mask` variable (mask: non-zero = invalid; the others: zero = invalid).
 */
import { FormatError } from '../errors';
import { nameAndUnit, numbersOf, usesDecimalComma, FORMAT, type Column, type Table } from './table';

export function isTecplot(text: string): boolean {
  return /^[ \t]*(TITLE\s*=|VARIABLES\s*=)/im.test(text.slice(0, 4096)) && /\bVARIABLES\s*=/i.test(text.slice(0, 8192));
}

export function isTsi(text: string): boolean {
  const h = text.slice(0, 8192);
  return isTecplot(h) && (/"CHC"/i.test(h) || /DATASETAUXDATA\s+Application\s*=\s*"PIV"/i.test(h));
}

export function parseTecplot(path: string, text: string): Table {
  // header: everything up to the first line that starts with a number, after a ZONE
  const zoneAt = text.search(/\bZONE\b/i);
  if (zoneAt < 0) throw new FormatError(FORMAT, path, 'Tecplot header without a ZONE record');
  const nl = text.indexOf('\n', zoneAt);
  let headerEnd = nl < 0 ? text.length : nl + 1;
  // a ZONE record may continue on following lines (T=, F=, DATAPACKING= …) until the numbers start
  while (headerEnd < text.length) {
    const next = text.indexOf('\n', headerEnd);
    const line = text.slice(headerEnd, next < 0 ? text.length : next);
    if (/^\s*[-+.\d]/.test(line) || !line.trim()) break;
    headerEnd = next < 0 ? text.length : next + 1;
  }
  const header = text.slice(0, headerEnd);
  const varsM = /VARIABLES\s*=((?:[\s,]*"[^"]*")+|[^\n]*)/i.exec(header);
  if (!varsM) throw new FormatError(FORMAT, path, 'Tecplot header without VARIABLES');
  let labels = [...varsM[1].matchAll(/"([^"]*)"/g)].map((q) => q[1]);
  if (!labels.length) labels = varsM[1].split(/[\s,]+/).filter(Boolean);
  const zone = header.slice(header.search(/\bZONE\b/i));
  const num = (k: string) => {
    const m = new RegExp(`\\b${k}\\s*=\\s*(\\d+)`, 'i').exec(zone);
    return m ? Number(m[1]) : undefined;
  };
  const ni = num('I');
  const nj = num('J');
  const nk = num('K');
  const block = /\b(F|DATAPACKING)\s*=\s*BLOCK\b/i.test(zone);
  const metadata: Record<string, unknown> = {};
  const title = /TITLE\s*=\s*"([^"]*)"/i.exec(header);
  if (title) metadata.title = title[1];
  for (const a of header.matchAll(/DATASETAUXDATA\s+(\w+)\s*=\s*"([^"]*)"/gi)) {
    const v = Number(a[2]);
    metadata[a[1]] = a[2].trim() !== '' && Number.isFinite(v) ? v : a[2];
  }
  const body = text.slice(headerEnd);
  const nextZone = body.search(/^[ \t]*ZONE\b/im);
  const data = nextZone >= 0 ? body.slice(0, nextZone) : body;
  const nv = labels.length;
  const nPoints = ni !== undefined ? ni * (nj ?? 1) * (nk ?? 1) : undefined;
  const lines = data.split(/\r?\n/);
  const firstData = lines.find((l) => l.trim()) ?? '';
  const comma = usesDecimalComma(firstData);
  const flat: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const r = numbersOf(lines[i], comma);
    if (!r) throw new FormatError(FORMAT, path, `data line ${i + 1} after the header: not numbers (“${lines[i].slice(0, 80)}”)`);
    if (!block && r.length !== nv) throw new FormatError(FORMAT, path, `data line ${i + 1} after the header: ${r.length} values for ${nv} variables`);
    for (const x of r) flat.push(x);
  }
  const n = flat.length / nv;
  if (!Number.isInteger(n) || n === 0) throw new FormatError(FORMAT, path, `${flat.length} values are not a whole number of ${nv}-variable points`);
  if (nPoints !== undefined && n !== nPoints)
    throw new FormatError(FORMAT, path, `ZONE declares ${nPoints} points (I=${ni}${nj ? `, J=${nj}` : ''}${nk ? `, K=${nk}` : ''}), the data holds ${n}`);
  const columns: Column[] = labels.map((l, c) => {
    const { name, unit } = nameAndUnit(l);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = block ? flat[c * n + i] : flat[i * nv + c];
    return { name, unit, values };
  });
  const find = (...names: string[]) => columns.findIndex((c) => names.includes(c.name.toLowerCase()));
  const x = find('x');
  const y = find('y');
  const u = find('u', 'vx', 'x velocity', 'velocity x');
  const v = find('v', 'vy', 'y velocity', 'velocity y');
  const w = find('w', 'vz', 'z velocity', 'velocity z');
  if (x < 0 || y < 0 || u < 0 || v < 0) throw new FormatError(FORMAT, path, `VARIABLES ${labels.join(', ')}: need X, Y, U and V`);
  const invalid = new Uint8Array(n);
  const flagColumns: number[] = [];
  const chc = find('chc');
  const valid = find('valid', 'isvalid', 'flag', 'flags');
  const mask = find('mask');
  if (chc >= 0) {
    columns[chc].values.forEach((f, i) => (invalid[i] = f > 0 ? 0 : 1));
    flagColumns.push(chc);
  }
  if (valid >= 0) {
    columns[valid].values.forEach((f, i) => f === 0 && (invalid[i] = 1));
    flagColumns.push(valid);
  }
  if (mask >= 0) {
    columns[mask].values.forEach((f, i) => f !== 0 && (invalid[i] = 1));
    flagColumns.push(mask);
  }
  const z = find('z');
  if (z >= 0) flagColumns.push(z);
  return {
    dialect: chc >= 0 || 'Application' in metadata ? 'tsi-vec' : 'tecplot',
    columns,
    x,
    y,
    u,
    v,
    w: w >= 0 ? w : undefined,
    invalid,
    flagColumns,
    ni,
    nj,
    metadata,
  };
}
