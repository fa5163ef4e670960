import type { SourceTree } from '../core/types';
import { listFolder, type ListedFile } from './folder-listing';
import { HttpFile, type RemoteEntry } from './http-file';
import { absoluteUrl, fetchWithRetries, getText, remoteError, validatorOf, type Meter, type RequestContext } from './http-request';

export { configureRemote, remoteOptions, type RemoteOptions } from './remote-options';
export { HttpFile, type RemoteEntry } from './http-file';

export interface UrlOptions {
  /** aborts the listing and every later read of the tree */
  signal?: AbortSignal;
  /** bytes received and requests made for this tree so far: while listing, and afterwards by its reads */
  onProgress?(bytes: number, requests: number): void;
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function contextOf(opts: UrlOptions): RequestContext & { meter: Meter } {
  return { signal: opts.signal, meter: { bytes: 0, requests: 0, onProgress: opts.onProgress } };
}

/**
 * A SourceTree for a link: a file URL, or a folder URL listed by (in this order) a framescope.json
 * manifest, an S3 ListObjectsV2 listing, an nginx JSON index or an HTML index page. Files are read with
 * Range requests through the shared block cache; nothing is downloaded whole unless it is small and
 * the server ignores ranges. Errors are FormatErrors naming the URL.
 */
export async function sourceTreeFromUrl(url: string, opts: UrlOptions = {}): Promise<SourceTree> {
  const abs = absoluteUrl(url.trim());
  const u = new URL(abs);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw remoteError(url, 'only http:// and https:// links can be opened');
  const ctx = contextOf(opts);
  const isListQuery = u.searchParams.get('list-type') === '2';
  if (!u.pathname.endsWith('/') && !isListQuery) {
    const f = await probeFile(u, ctx);
    if (f) return { name: f.path, files: [new HttpFile(f, ctx)] };
    u.pathname += '/';
  }
  const listing = await listFolder(u.href, ctx);
  const entries = await withSizes(listing.files, ctx);
  const files = entries.map((e) => new HttpFile(e, ctx)).sort(byPath);
  return { name: listing.name, files };
}

/** HEAD a link without a trailing slash: a file (its size and validators), or null when it is a folder. */
async function probeFile(u: URL, ctx: RequestContext): Promise<RemoteEntry | null> {
  const a = await fetchWithRetries(u.href, { ...ctx, method: 'HEAD', accept: (s) => s === 404 || s === 403 || s === 405 || s === 400 });
  const res = a.res;
  // nginx and Apache redirect a folder to its address with a slash (fetch follows)
  if (res.url && new URL(res.url).pathname.endsWith('/')) return null;
  const name = decodeURIComponent(u.pathname.split('/').filter(Boolean).pop() ?? u.host);
  // a pre-signed object link is signed for GET only: its HEAD is refused, a one-byte GET is not
  const signed = /[?&](x-amz-signature|signature)=/i.test(u.search);
  if (res.status === 405 || res.status === 400 || (res.status === 403 && signed)) return rangeProbe(u, name, ctx);
  if (!res.ok) return null;
  if (/^application\/(xml|json)|^text\/html/i.test(res.headers.get('content-type') ?? '') && /list|index/i.test(u.search)) return null;
  const size = Number(res.headers.get('content-length'));
  if (!res.headers.has('content-length') || !Number.isSafeInteger(size)) return rangeProbe(u, name, ctx);
  return { path: name, url: u.href, size, ...validatorOf(res.headers) };
}

/** Size of a file from a one-byte ranged GET (servers that refuse HEAD). */
async function rangeProbe(u: URL, name: string, ctx: RequestContext): Promise<RemoteEntry | null> {
  const a = await fetchWithRetries(u.href, { ...ctx, headers: { Range: 'bytes=0-0' }, accept: (s) => s === 404 || s === 403, maxBody: 1 << 20 });
  if (!a.res.ok) return null;
  const cr = /\/(\d+)\s*$/.exec(a.res.headers.get('content-range') ?? '');
  const size = cr ? Number(cr[1]) : a.res.status === 200 ? (a.body?.length ?? 0) : NaN;
  if (!Number.isSafeInteger(size)) throw remoteError(u.href, 'the server tells neither Content-Length nor Content-Range: the file size is unknown');
  return { path: name, url: u.href, size, ...validatorOf(a.res.headers) };
}

/** Fill in sizes a listing left out with HEAD requests (through the per-host limit). */
async function withSizes(files: ListedFile[], ctx: RequestContext): Promise<RemoteEntry[]> {
  return Promise.all(
    files.map(async (f) => {
      if (f.size !== undefined) return f as RemoteEntry;
      const e = await probeFile(new URL(f.url), ctx);
      if (!e) throw remoteError(f.url, 'is listed, but the server does not give it (HTTP 404 or 403)');
      return { ...f, size: e.size, etag: e.etag, lastModified: e.lastModified };
    }),
  );
}

/**
 * A SourceTree over known URLs and sizes (the built-in samples, tests): each file is read with Range
 * requests through the block cache.
 */
export function sourceTreeFromUrls(name: string, entries: { path: string; url: string; size: number }[], opts: UrlOptions = {}): SourceTree {
  const ctx = contextOf(opts);
  const files = entries.map((e) => new HttpFile({ ...e, url: absoluteUrl(e.url) }, ctx));
  files.sort(byPath);
  return { name, files };
}

/** Fetch a listing JSON ({ name, files: [{path, size}] }) and build a tree whose URLs are base + path. */
export async function sourceTreeFromListing(listingUrl: string, base: string, opts: UrlOptions = {}): Promise<SourceTree> {
  const ctx = contextOf(opts);
  const page = await getText(absoluteUrl(listingUrl), ctx);
  if (!page) throw remoteError(listingUrl, 'not found');
  let j: { name: string; files: { path: string; size: number }[] };
  try {
    j = JSON.parse(page.text);
  } catch {
    throw remoteError(listingUrl, 'is not a JSON listing');
  }
  const b = base.endsWith('/') ? base : base + '/';
  return sourceTreeFromUrls(
    j.name,
    j.files.map((f) => ({ path: f.path, size: f.size, url: b + f.path.split('/').map(encodeURIComponent).join('/') })),
    opts,
  );
}
