import { remoteError } from './http-request';

/** One entry of a folder index page (nginx JSON or HTML autoindex, Apache mod_autoindex). */
export interface DirEntry {
  name: string;
  dir: boolean;
  /** exact size in bytes when the index gives it (nginx does; Apache rounds, so it is left out) */
  size?: number;
  /** HTTP date of the file (nginx JSON), checked against Last-Modified */
  mtime?: string;
}

/** A name a listing may give a child: no path separators, not '.' or '..'. */
export const goodName = (n: string) => n !== '' && n !== '.' && n !== '..' && !n.includes('/') && !n.includes('\\');

/** nginx `autoindex_format json`: `[{"name","type":"file"|"directory","mtime","size"}]`; null when it is not one. */
export function parseNginxJson(text: string, url: string): DirEntry[] | null {
  const t = text.trimStart();
  if (!t.startsWith('[')) return null;
  let j: unknown;
  try {
    j = JSON.parse(t);
  } catch {
    return null;
  }
  if (!Array.isArray(j)) return null;
  const out: DirEntry[] = [];
  for (const e of j as Record<string, unknown>[]) {
    if (!e || typeof e !== 'object' || typeof e.name !== 'string' || typeof e.type !== 'string') {
      throw remoteError(url, `is not an nginx JSON index: an entry has no name and type (${JSON.stringify(e).slice(0, 120)})`);
    }
    if (!goodName(e.name)) continue;
    if (e.type === 'directory') out.push({ name: e.name, dir: true });
    else if (e.type === 'file') {
      const size = Number(e.size);
      if (!Number.isSafeInteger(size) || size < 0) throw remoteError(url, `nginx index gives ${e.name} no valid size`);
      out.push({ name: e.name, dir: false, size, ...(typeof e.mtime === 'string' ? { mtime: e.mtime } : {}) });
    }
    // other types (symlinks nginx could not follow) are skipped
  }
  return out;
}
