import type { SourceFile, SourceTree } from '../core/types';

/**
 * A SourceTree over HTTP: each file is fetched with Range requests, so large files are read in slices.
 * Used for the built-in samples and by browser tests that serve the shared fixtures.
 */
export function sourceTreeFromUrls(name: string, entries: { path: string; url: string; size: number }[]): SourceTree {
  const files: SourceFile[] = entries.map(({ path, url, size }) => ({
    path,
    size,
    async read(start = 0, end = size) {
      const s = Math.max(0, Math.min(start, size));
      const e = Math.max(s, Math.min(end, size));
      if (e === s) return new Uint8Array(0);
      const res = await fetch(url, { headers: s === 0 && e === size ? {} : { Range: `bytes=${s}-${e - 1}` } });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      const buf = new Uint8Array(await res.arrayBuffer());
      // A server that ignores Range sends the whole file: cut it here.
      return res.status === 200 && buf.length === size && (s !== 0 || e !== size) ? buf.subarray(s, e) : buf;
    },
  }));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name, files };
}

/** Fetch a listing JSON ({ name, files: [{path, size}] }) and build a tree whose URLs are base + path. */
export async function sourceTreeFromListing(listingUrl: string, base: string): Promise<SourceTree> {
  const res = await fetch(listingUrl);
  if (!res.ok) throw new Error(`${listingUrl}: HTTP ${res.status}`);
  const j = (await res.json()) as { name: string; files: { path: string; size: number }[] };
  const b = base.endsWith('/') ? base : base + '/';
  return sourceTreeFromUrls(
    j.name,
    j.files.map((f) => ({ path: f.path, size: f.size, url: b + f.path.split('/').map(encodeURIComponent).join('/') })),
  );
}
