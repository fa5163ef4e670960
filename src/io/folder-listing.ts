import { getText, remoteError, type RequestContext } from './http-request';
import { parseHtmlIndex } from './listing-html';
import { isSafeRelativePath, MANIFEST_NAME, parseManifest } from './listing-manifest';
import { parseNginxJson, type DirEntry } from './listing-nginx';
import { isS3Listing, parseS3Listing, s3ErrorCode, s3ListUrl } from './listing-s3';

/** A file found by a listing; size may be missing (HTML indexes that round sizes): a HEAD request gives it. */
export interface ListedFile {
  path: string;
  url: string;
  size?: number;
  etag?: string;
  lastModified?: string;
}

export interface Listing {
  name: string;
  /** which kind of listing was found */
  kind: 'manifest' | 's3' | 'nginx-json' | 'html';
  files: ListedFile[];
}

/** Bounds on a crawl (bad or hostile listings end in an error, not in an endless walk). */
export const LISTING_LIMITS = { maxFiles: 200_000, maxDirs: 20_000, maxDepth: 32, maxPages: 10_000 };

const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');
const lastSegment = (u: URL) => decodeURIComponent(u.pathname.split('/').filter(Boolean).pop() ?? u.host);

/**
 * List the folder at `folderUrl` (ends with '/'), trying in this order: a framescope.json manifest
 * beside the data, an S3 ListObjectsV2 listing (bucket or prefix URL, paginated), an nginx JSON index,
 * an HTML index page (nginx, Apache). Index pages are walked recursively.
 */
export async function listFolder(folderUrl: string, ctx: RequestContext): Promise<Listing> {
  const folder = new URL(folderUrl);
  // An S3 listing URL given as such (also a pre-signed one): list exactly what it asks for.
  if (folder.searchParams.get('list-type') === '2') return listS3(folder, ctx);
  const name = lastSegment(folder);

  const manifestUrl = new URL(MANIFEST_NAME, folder).href;
  const man = await getText(manifestUrl, { ...ctx, probe: true });
  if (man && !looksLikeIndexPage(man.text)) {
    const m = parseManifest(man.text, manifestUrl);
    return {
      name: m.name || name,
      kind: 'manifest',
      files: m.files.map((f) => ({
        path: f.path,
        url: f.url ? new URL(f.url, folder).href : new URL(encodePath(f.path), folder).href,
        size: f.size,
        ...(f.etag ? { etag: f.etag } : {}),
        ...(f.mtime ? { lastModified: f.mtime } : {}),
      })),
    };
  }

  const refused: number[] = [];
  const page = await getText(folder.href, { ...ctx, probe: true, refused });
  if (page && isS3Listing(page.text)) return listS3(folder, ctx, { bucketRoot: true });
  if (page && !s3ErrorCode(page.text)) {
    const entries = indexEntries(page.text, folder.href);
    if (!entries) {
      throw remoteError(
        folder.href,
        'is not a folder listing: it is neither a framescope.json manifest, an S3 bucket listing, an nginx JSON index nor an HTML index page ' +
          '(turn on nginx autoindex, or put a framescope.json beside the data: npm run manifest -- DIR)',
      );
    }
    return { name, kind: entries.kind, files: await crawl(folder, entries.list, entries.kind, ctx) };
  }
  // No page at the folder's address: an S3 prefix (path-style bucket/prefix/, or virtual-hosted prefix/).
  const segs = folder.pathname.split('/').filter(Boolean);
  const candidates: { bucket: URL; prefix: string }[] = [];
  if (segs.length >= 1) candidates.push({ bucket: new URL(`/${segs[0]}/`, folder), prefix: segs.slice(1).map(decodeURIComponent).join('/') });
  candidates.push({ bucket: new URL('/', folder), prefix: segs.map(decodeURIComponent).join('/') });
  for (const c of candidates) {
    const prefix = c.prefix ? c.prefix + '/' : '';
    const probe = await getText(s3ListUrl(c.bucket.href, prefix, undefined, 1), { ...ctx, probe: true, refused });
    if (probe && isS3Listing(probe.text)) {
      const u = new URL(s3ListUrl(c.bucket.href, prefix));
      return listS3(u, ctx);
    }
  }
  if (refused.some((s) => s === 401 || s === 403)) {
    throw remoteError(
      folder.href,
      `access denied (HTTP ${refused.find((s) => s === 401 || s === 403)}): the folder or bucket does not allow anonymous listing; make it public, or put a framescope.json beside the data`,
    );
  }
  throw remoteError(
    folder.href,
    page
      ? 'not found on the server (an S3 server answered, but no such bucket or prefix)'
      : 'not found on the server (HTTP 404): no file, folder listing or manifest at this address',
  );
}

function looksLikeIndexPage(t: string): boolean {
  // a server that answers every path with its index page (an SPA) is not giving a manifest
  return /^\s*</.test(t);
}

function indexEntries(text: string, url: string): { kind: 'nginx-json' | 'html'; list: DirEntry[] } | null {
  const j = parseNginxJson(text, url);
  if (j) return { kind: 'nginx-json', list: j };
  const h = parseHtmlIndex(text, url);
  if (h) return { kind: 'html', list: h };
  return null;
}

/** Walk index pages below `root` breadth-first (a few directories at a time, through the host limit). */
async function crawl(root: URL, first: DirEntry[], kind: 'nginx-json' | 'html', ctx: RequestContext): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  let dirs = 0;
  let level: { prefix: string; entries: DirEntry[] }[] = [{ prefix: '', entries: first }];
  for (let depth = 0; level.length; depth++) {
    const next: { prefix: string; url: string }[] = [];
    for (const { prefix, entries } of level) {
      for (const e of entries) {
        const path = prefix + e.name;
        const url = new URL(encodePath(path) + (e.dir ? '/' : ''), root).href;
        if (e.dir) next.push({ prefix: path + '/', url });
        else files.push({ path, url, ...(e.size !== undefined ? { size: e.size } : {}), ...(e.mtime ? { lastModified: e.mtime } : {}) });
      }
    }
    if (files.length > LISTING_LIMITS.maxFiles) throw remoteError(root.href, `the folder holds more than ${LISTING_LIMITS.maxFiles} files; open a subfolder`);
    if (!next.length) break;
    dirs += next.length;
    if (dirs > LISTING_LIMITS.maxDirs) throw remoteError(root.href, `the folder holds more than ${LISTING_LIMITS.maxDirs} subfolders; open a subfolder`);
    if (depth >= LISTING_LIMITS.maxDepth) throw remoteError(root.href, `folders nested deeper than ${LISTING_LIMITS.maxDepth} levels (a link loop?)`);
    level = await Promise.all(
      next.map(async (d) => {
        const page = await getText(d.url, ctx);
        const ent = page && indexEntries(page.text, d.url);
        if (!ent || ent.kind !== kind) throw remoteError(d.url, `is not a folder listing like its parent's (${kind})`);
        return { prefix: d.prefix, entries: ent.list };
      }),
    );
  }
  return files;
}

/**
 * An S3 ListObjectsV2 listing of everything under a prefix, page after page (continuation tokens).
 * `listUrl` carries the bucket address and `prefix` / `max-keys`; a pre-signed listing URL cannot ask
 * for a second page, so a truncated one is refused in words.
 */
async function listS3(listUrl: URL, ctx: RequestContext, o: { bucketRoot?: boolean } = {}): Promise<Listing> {
  const bucket = new URL(listUrl.href);
  bucket.search = '';
  bucket.hash = '';
  if (!bucket.pathname.endsWith('/')) bucket.pathname += '/';
  const prefix = listUrl.searchParams.get('prefix') ?? '';
  const maxKeys = Number(listUrl.searchParams.get('max-keys')) || undefined;
  const signed = [...listUrl.searchParams.keys()].some((k) => /^x-amz-signature$|^signature$/i.test(k));
  const files: ListedFile[] = [];
  let token: string | undefined;
  let bucketName: string | undefined;
  for (let pageNo = 0; ; pageNo++) {
    if (pageNo >= LISTING_LIMITS.maxPages) throw remoteError(listUrl.href, `the S3 listing goes on for more than ${LISTING_LIMITS.maxPages} pages`);
    const url = signed ? listUrl.href : s3ListUrl(bucket.href, prefix, token, maxKeys);
    const page = await getText(url, ctx);
    if (!page) throw remoteError(url, 'not found on the server');
    const p = parseS3Listing(page.text, url);
    bucketName ??= p.bucket;
    for (const obj of p.objects) {
      if (!obj.key.startsWith(prefix) || obj.key.endsWith('/')) continue; // folder markers
      const path = obj.key.slice(prefix.length);
      if (!isSafeRelativePath(path)) continue;
      files.push({ path, url: new URL(encodePath(obj.key), bucket).href, size: obj.size, ...(obj.etag ? { etag: obj.etag } : {}) });
    }
    if (files.length > LISTING_LIMITS.maxFiles)
      throw remoteError(listUrl.href, `the prefix holds more than ${LISTING_LIMITS.maxFiles} objects; open a longer prefix`);
    if (!p.truncated) break;
    if (signed)
      throw remoteError(
        listUrl.href,
        'the pre-signed S3 listing is truncated (it cannot ask for the next page): sign it with a larger max-keys, or add a framescope.json',
      );
    if (!p.nextToken || p.nextToken === token) throw remoteError(url, 'the S3 listing is truncated but gives no new continuation token');
    token = p.nextToken;
  }
  const prefixName = prefix.split('/').filter(Boolean).pop();
  const name = prefixName ?? (o.bucketRoot ? lastSegment(bucket) : (bucketName ?? lastSegment(bucket)));
  return { name, kind: 's3', files };
}
