/**
 * DaVis vector text export (`B00001.txt`): a first line
 * `#DaVis 8.1.2 2D-vector 8 205 324 "" "mm" "" "mm" "velocity" "m/s"` (version, kind, grid spacing
 * in pixels, two grid sizes, then label/unit pairs for x, y and the vectors), then one vector per
 * line `x y u v` (3D-vector: `x y z u v w`; a further column is an is-valid flag), tab-separated,
 * with decimal commas in German locales.
 */
import { FormatError } from '../errors';
import { columnsFrom, readRows, FORMAT, type Table } from './table';

export function isDavisTxt(text: string): boolean {
  return /^#DaVis\s+\S+\s+(2D|3D)-vector\b/.test(text);
}

export function parseDavisTxt(path: string, text: string): Table {
  const lines = text.split(/\r?\n/);
  const m = /^#DaVis\s+(\S+)\s+(2D|3D)-vector\s+(\d+)\s+(\d+)\s+(\d+)(.*)$/.exec(lines[0]);
  if (!m) throw new FormatError(FORMAT, path, `line 1: expected “#DaVis <version> 2D-vector <grid> <n> <n> …”, got “${lines[0].slice(0, 80)}”`);
  const quoted = [...m[6].matchAll(/"([^"]*)"/g)].map((q) => q[1]);
  const [xLabel = '', xUnit = '', yLabel = '', yUnit = '', vLabel = '', vUnit = ''] = quoted.length >= 6 ? quoted : [];
  const three = m[2] === '3D';
  const width = three ? 6 : 4;
  const { rows } = readRows(path, lines, 1, width);
  if (!rows.length) throw new FormatError(FORMAT, path, 'no vectors after the #DaVis header');
  const hasFlag = rows[0].length > width;
  const names = three ? ['x', 'y', 'z', 'u', 'v', 'w'] : ['x', 'y', 'u', 'v'];
  const units = three ? [xUnit, yUnit, yUnit, vUnit, vUnit, vUnit] : [xUnit, yUnit, vUnit, vUnit];
  if (hasFlag) {
    names.push('isValid');
    units.push('');
  }
  const columns = columnsFrom(rows, names, units);
  const invalid = new Uint8Array(rows.length);
  if (hasFlag) columns[names.length - 1].values.forEach((f, i) => (invalid[i] = f === 0 ? 1 : 0));
  const c = (n: string) => names.indexOf(n);
  return {
    dialect: 'davis-txt',
    columns,
    x: c('x'),
    y: c('y'),
    u: c('u'),
    v: c('v'),
    w: three ? c('w') : undefined,
    invalid,
    flagColumns: hasFlag ? [names.length - 1] : three ? [c('z')] : [],
    metadata: {
      davisVersion: m[1],
      kind: `${m[2]}-vector`,
      gridSpacing: Number(m[3]),
      headerSizes: [Number(m[4]), Number(m[5])],
      xLabel,
      yLabel,
      vectorLabel: vLabel,
    },
  };
}
