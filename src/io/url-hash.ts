/**
 * `#url=<encoded URL>` in the page address: the remote dataset to open on load (it may stand among
 * the view's other hash parameters). Returns the http(s) URL, or null when there is none.
 */
export function urlFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const raw = params.get('url');
  if (!raw) return null;
  try {
    const u = new URL(raw.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** `hash` (with or without '#') with its `url` parameter set to `url` (or removed for null). */
export function hashWithUrl(hash: string, url: string | null): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete('url');
  const rest = params.toString();
  const u = url ? `url=${encodeURIComponent(url)}` : '';
  return [u, rest].filter(Boolean).join('&');
}
