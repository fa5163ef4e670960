import { remoteError } from './http-request';

/** One page of an S3 ListObjectsV2 (or V1) answer. */
export interface S3Page {
  bucket?: string;
  prefix: string;
  objects: { key: string; size: number; etag?: string }[];
  truncated: boolean;
  nextToken?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

const tag = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? decodeXml(m[1]) : undefined;
};

/** True when the text is an S3 bucket listing (ListBucketResult). */
export function isS3Listing(text: string): boolean {
  return /<ListBucketResult[\s>]/.test(text.slice(0, 4096));
}

/** True when the text is an S3 error document (an S3 server that found no such key, etc.). */
export function s3ErrorCode(text: string): string | null {
  const head = text.slice(0, 4096);
  if (!/^\s*(<\?xml[^>]*>\s*)?<Error>/.test(head)) return null;
  return tag(head, 'Code') ?? 'Error';
}

/**
 * Parse one ListBucketResult page. The XML is flat and regular (no DOMParser in workers), so the
 * elements are taken out by name; every number is checked.
 */
export function parseS3Listing(text: string, url: string): S3Page {
  if (!isS3Listing(text)) throw remoteError(url, 'is not an S3 bucket listing (no ListBucketResult)');
  const objects: S3Page['objects'] = [];
  const re = /<Contents>([\s\S]*?)<\/Contents>/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const key = tag(m[1], 'Key');
    const sizeText = tag(m[1], 'Size');
    const size = Number(sizeText);
    if (key === undefined || sizeText === undefined || !Number.isSafeInteger(size) || size < 0)
      throw remoteError(url, `S3 listing has an entry without a valid Key and Size (${m[1].slice(0, 120)})`);
    const etag = tag(m[1], 'ETag');
    objects.push({ key, size, ...(etag ? { etag } : {}) });
  }
  const truncated = (tag(text, 'IsTruncated') ?? 'false').trim() === 'true';
  const nextToken = tag(text, 'NextContinuationToken') ?? tag(text, 'NextMarker');
  return { bucket: tag(text, 'Name'), prefix: tag(text, 'Prefix') ?? '', objects, truncated, ...(nextToken ? { nextToken } : {}) };
}

/** The ListObjectsV2 request for `prefix` in the bucket at `bucketUrl` (ends with '/'). */
export function s3ListUrl(bucketUrl: string, prefix: string, token?: string, maxKeys?: number): string {
  const u = new URL(bucketUrl);
  u.search = '';
  u.searchParams.set('list-type', '2');
  if (prefix) u.searchParams.set('prefix', prefix);
  if (maxKeys) u.searchParams.set('max-keys', String(maxKeys));
  if (token) u.searchParams.set('continuation-token', token);
  return u.href;
}
