import { goodName, type DirEntry } from './listing-nginx';

/**
 * An HTML folder index of the kind nginx (`autoindex on`) and Apache (`mod_autoindex`) write: the
 * links that point at direct children of `url` (which ends with '/'). nginx's plain layout puts the
 * exact size after the date on the link's line; other layouts leave the size to a HEAD request.
 * Null when the page is no index (no "Index of" title).
 */
export function parseHtmlIndex(text: string, url: string): DirEntry[] | null {
  if (!/<title>\s*Index of\b|<h1>\s*Index of\b/i.test(text)) return null;
  const base = new URL(url);
  base.search = '';
  base.hash = '';
  const out = new Map<string, DirEntry>();
  const re = /<a\s[^>]*?href\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>[\s\S]*?<\/a>([^\n<]*)/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const href = (m[2] ?? m[3] ?? m[4] ?? '').replace(/&amp;/g, '&');
    if (!href || href.startsWith('?') || href.startsWith('#')) continue;
    let target: URL;
    try {
      target = new URL(href, base);
    } catch {
      continue;
    }
    if (target.origin !== base.origin || target.search || !target.pathname.startsWith(base.pathname)) continue;
    const rest = target.pathname.slice(base.pathname.length);
    const dir = rest.endsWith('/');
    const raw = dir ? rest.slice(0, -1) : rest;
    if (!raw || raw.includes('/')) continue;
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      continue;
    }
    if (!goodName(name)) continue;
    const tail = /^\s+\d{1,2}-\w{3}-\d{4}\s+\d{2}:\d{2}\s+(\d+|-)\s*$/.exec(m[5]);
    const size = !dir && tail && tail[1] !== '-' ? Number(tail[1]) : undefined;
    out.set(name, { name, dir, ...(size !== undefined && Number.isSafeInteger(size) ? { size } : {}) });
  }
  return [...out.values()];
}
