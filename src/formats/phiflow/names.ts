/**
 * PhiFlow scene file naming: `<field>_<frame>.npz` with the frame formatted `%06d` (larger numbers
 * simply have more digits). Unlike PhiFlow's own prefix test, a file belongs to exactly one field:
 * the name before the LAST `_<digits>.npz`, so `density` never sees `density_mixed_000000.npz`.
 */
import { basenameOf, dirnameOf } from '../../io/subtree';

const FIELD_FILE = /^(.+)_(\d{6,})\.npz$/;

export interface FieldFileName {
  field: string;
  frame: number;
}

/** Parse a base name like `velocity_zgrad_000003.npz`; null when it is not a field file. */
export function parseFieldFile(base: string): FieldFileName | null {
  const m = FIELD_FILE.exec(base);
  if (!m) return null;
  const frame = Number(m[2]);
  if (!Number.isSafeInteger(frame)) return null;
  return { field: m[1], frame };
}

export function isFieldFilePath(path: string): boolean {
  return FIELD_FILE.test(basenameOf(path));
}

/** Directories (relative to the tree root, '' = root) that directly contain field files, sorted. */
export function sceneDirs(paths: string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) if (isFieldFilePath(p)) dirs.add(dirnameOf(p));
  return [...dirs].sort();
}

/** `a/b` + `c` → `a/b/c`; '' + `c` → `c`. */
export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** A field name with inner batch indices, e.g. `density[member=1]`. */
export function batchedName(field: string, batch: { name: string; index: number }[]): string {
  return batch.length ? `${field}[${batch.map((b) => `${b.name}=${b.index}`).join(',')}]` : field;
}

/**
 * PhiFlow's file-name normalisation of a field name (Scene._slugify_filename), after our '/' → '_':
 * `._` → `.`, `.` → `_`, one leading `_` dropped, then only word characters, whitespace and `-`
 * kept, lower case, runs of whitespace/`-` → `-`. (`Density` → `density`, `vel.x` → `vel_x`.)
 */
export function phiflowFieldName(name: string): string {
  let s = name.replace(/\//g, '_').replace(/\._/g, '.').replace(/\./g, '_');
  if (s.startsWith('_')) s = s.slice(1);
  return s
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, '-');
}
