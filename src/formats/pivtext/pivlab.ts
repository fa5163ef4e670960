/**
 * PIVlab's ASCII export (“File → Export → ASCII file”): optionally two info lines
 * `PIVlab by W.Th. & E.J.S., ASCII chart output - <date>` and
 * `FRAME: 1, filenames: A & B, conversion factor xy (px -> m): …, conversion factor uv (px/frame -> m/s): …`,
 * then a header of `name [unit]` labels (`x [m],y [m],u [m/s],v [m/s],Vector type [-]`, possibly with
 * vorticity, magnitude, …) and the rows, delimited by commas, tabs or spaces. PIVlab writes NaN for
 * masked vectors; Vector type 0 = masked, 1 = valid, 2 = interpolated (kept as valid).
 */
import { FormatError } from '../errors';
import { columnsFrom, nameAndUnit, readRows, FORMAT, type Table } from './table';

/**
 * `name [unit]` labels of a header line, as the regex `([A-Za-z][^,\t[\]]*?)\s*\[([^\]]*)\]`
 * would find them, in one pass (the regex is quadratic on a long run without a bracket: a damaged
 * 200 KB header line took minutes).
 */
export function labelsOf(line: string): { name: string; unit: string }[] {
  const out: { name: string; unit: string }[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    let s = i;
    while (s < n && !/[A-Za-z]/.test(line[s])) s++;
    if (s >= n) break;
    let e = s + 1;
    while (e < n && line[e] !== ',' && line[e] !== '\t' && line[e] !== '[' && line[e] !== ']') e++;
    if (e < n && line[e] === '[') {
      const close = line.indexOf(']', e + 1);
      if (close < 0) break;
      out.push({ name: line.slice(s, e).trimEnd(), unit: line.slice(e + 1, close) });
      i = close + 1;
    } else i = e + 1;
  }
  return out;
}

export function isPivlab(text: string): boolean {
  const h = text.slice(0, 4096);
  return /^PIVlab\b.*ASCII chart output/m.test(h) || /^\s*x \[[^\]]*\][,\t ]+y \[[^\]]*\][,\t ]+u \[/m.test(h);
}

export function parsePivlab(path: string, text: string): Table {
  const lines = text.split(/\r?\n/);
  let i = 0;
  const metadata: Record<string, unknown> = {};
  let frame: number | undefined;
  if (/^PIVlab\b/.test(lines[0])) {
    metadata.producer = lines[0].trim();
    i = 1;
  }
  if (/^FRAME:\s*\d+/.test(lines[i] ?? '')) {
    frame = Number(/^FRAME:\s*(\d+)/.exec(lines[i])![1]);
    const xy = /conversion factor xy \(px -> m\):\s*([-+.\deE]+)/.exec(lines[i]);
    const uv = /conversion factor uv \(px\/frame -> m\/s\):\s*([-+.\deE]+)/.exec(lines[i]);
    if (xy) metadata.conversionFactorXY = Number(xy[1]);
    if (uv) metadata.conversionFactorUV = Number(uv[1]);
    const files = /filenames:\s*(.*?)(?:,\s*conversion|$)/.exec(lines[i]);
    if (files) metadata.filenames = files[1].trim();
    i++;
  }
  const labels = labelsOf(lines[i] ?? '').map((m) => nameAndUnit(`${m.name} [${m.unit}]`));
  if (labels.length < 4)
    throw new FormatError(FORMAT, path, `line ${i + 1}: expected a header like “x [m],y [m],u [m/s],v [m/s]”, got “${(lines[i] ?? '').slice(0, 80)}”`);
  const names = labels.map((l) => l.name);
  const { rows } = readRows(path, lines, i + 1, names.length);
  if (!rows.length) throw new FormatError(FORMAT, path, 'no vectors after the header');
  const columns = columnsFrom(
    rows,
    names,
    labels.map((l) => l.unit),
  );
  const c = (n: string) => names.findIndex((x) => x.toLowerCase() === n);
  const [x, y, u, v] = [c('x'), c('y'), c('u'), c('v')];
  if (x < 0 || y < 0 || u < 0 || v < 0) throw new FormatError(FORMAT, path, `header ${names.join(', ')}: need x, y, u and v`);
  const invalid = new Uint8Array(rows.length);
  for (let r = 0; r < rows.length; r++) if (Number.isNaN(columns[u].values[r]) || Number.isNaN(columns[v].values[r])) invalid[r] = 1;
  const type = c('vector type');
  if (type >= 0) columns[type].values.forEach((t, r) => t === 0 && (invalid[r] = 1));
  return { dialect: 'pivlab', columns, x, y, u, v, invalid, flagColumns: type >= 0 ? [] : [], frame, metadata };
}
