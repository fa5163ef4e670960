import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors';
import { parseHtmlIndex } from '../../src/io/listing-html';
import { parseManifest } from '../../src/io/listing-manifest';
import { parseNginxJson } from '../../src/io/listing-nginx';
import { isS3Listing, parseS3Listing, s3ErrorCode, s3ListUrl } from '../../src/io/listing-s3';

const U = 'http://127.0.0.1:9/data/';

describe('nginx autoindex_format json', () => {
  it('gives files with exact sizes and mtimes, folders, and skips odd names', () => {
    const text = JSON.stringify([
      { name: 'B00001.vc7', type: 'file', mtime: 'Tue, 01 Dec 2026 20:57:00 GMT', size: 12345 },
      { name: 'sub', type: 'directory', mtime: 'Tue, 01 Dec 2026 20:57:00 GMT' },
      { name: 'link', type: 'other', mtime: 'x' },
      { name: '..', type: 'directory' },
    ]);
    expect(parseNginxJson(text, U)).toEqual([
      { name: 'B00001.vc7', dir: false, size: 12345, mtime: 'Tue, 01 Dec 2026 20:57:00 GMT' },
      { name: 'sub', dir: true },
    ]);
  });
  it('is not an nginx listing: other JSON, HTML, a bad entry', () => {
    expect(parseNginxJson('{"files": []}', U)).toBeNull();
    expect(parseNginxJson('<html>', U)).toBeNull();
    expect(parseNginxJson('[1,2', U)).toBeNull();
    expect(() => parseNginxJson('[{"name": 3}]', U)).toThrow(FormatError);
    expect(() => parseNginxJson('[{"name": "a", "type": "file", "size": -1}]', U)).toThrow(/no valid size/);
  });
});

describe('HTML index pages', () => {
  it('reads nginx autoindex HTML with exact sizes', () => {
    const html = `<html>\r\n<head><title>Index of /data/</title></head>\r\n<body>\r\n<h1>Index of /data/</h1><hr><pre><a href="../">../</a>
<a href="sim_000000/">sim_000000/</a>                                        01-Dec-2026 20:57                   -
<a href="a%20b.npz">a b.npz</a>                                            01-Dec-2026 20:57               40123
<a href="metadata.yaml">metadata.yaml</a>                                      01-Dec-2026 20:57                 469
</pre><hr></body>\r\n</html>`;
    expect(parseHtmlIndex(html, U)).toEqual([
      { name: 'sim_000000', dir: true },
      { name: 'a b.npz', dir: false, size: 40123 },
      { name: 'metadata.yaml', dir: false, size: 469 },
    ]);
  });
  it('reads Apache mod_autoindex tables (rounded sizes are left to HEAD) and ignores sort and parent links', () => {
    const html = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN"><html><head><title>Index of /data</title></head><body><h1>Index of /data</h1>
<table><tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th></tr>
<tr><td><a href="/">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td></tr>
<tr><td><a href="000000.avi">000000.avi</a></td><td align="right">2026-12-01 20:57  </td><td align="right">1.2M</td></tr>
<tr><td><a href="000000/">000000/</a></td><td align="right">2026-12-01 20:57  </td><td align="right">  - </td></tr>
<tr><td><a href="http://elsewhere.example/x">x</a></td></tr>
<tr><td><a href="/data/deep/er/y">y</a></td></tr>
</table></body></html>`;
    expect(parseHtmlIndex(html, U)).toEqual([
      { name: '000000.avi', dir: false },
      { name: '000000', dir: true },
    ]);
  });
  it('a page that is no index is not a listing', () => {
    expect(parseHtmlIndex('<html><title>Welcome</title><a href="a.txt">a</a></html>', U)).toBeNull();
  });
});

describe('S3 ListObjectsV2', () => {
  const page = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>lab</Name><Prefix>runs/a/</Prefix><KeyCount>3</KeyCount><MaxKeys>3</MaxKeys>
<IsTruncated>true</IsTruncated><NextContinuationToken>tok&amp;1</NextContinuationToken>
<Contents><Key>runs/a/</Key><LastModified>2026-12-01T20:57:00.000Z</LastModified><ETag>&quot;d41d8&quot;</ETag><Size>0</Size></Contents>
<Contents><Key>runs/a/B&amp;1.vc7</Key><LastModified>2026-12-01T20:57:00.000Z</LastModified><ETag>"abc"</ETag><Size>123</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>runs/a/sub/x.npz</Key><Size>9</Size></Contents>
</ListBucketResult>`;
  it('parses keys, sizes, ETags (entities decoded) and the continuation token', () => {
    expect(isS3Listing(page)).toBe(true);
    const p = parseS3Listing(page, U);
    expect(p.bucket).toBe('lab');
    expect(p.prefix).toBe('runs/a/');
    expect(p.truncated).toBe(true);
    expect(p.nextToken).toBe('tok&1');
    expect(p.objects).toEqual([
      { key: 'runs/a/', size: 0, etag: '"d41d8"' },
      { key: 'runs/a/B&1.vc7', size: 123, etag: '"abc"' },
      { key: 'runs/a/sub/x.npz', size: 9 },
    ]);
  });
  it('refuses what is not a listing, and entries without a size', () => {
    expect(() => parseS3Listing('<html></html>', U)).toThrow(/not an S3 bucket listing/);
    expect(() => parseS3Listing('<ListBucketResult><Contents><Key>a</Key></Contents></ListBucketResult>', U)).toThrow(/valid Key and Size/);
    expect(s3ErrorCode('<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>')).toBe('NoSuchKey');
    expect(s3ErrorCode('[]')).toBeNull();
  });
  it('builds the request with prefix, max-keys and token', () => {
    const u = new URL(s3ListUrl('http://h:1/bucket/', 'a b/', 'T/1', 5));
    expect(u.pathname).toBe('/bucket/');
    expect(Object.fromEntries(u.searchParams)).toEqual({ 'list-type': '2', prefix: 'a b/', 'max-keys': '5', 'continuation-token': 'T/1' });
  });
});

describe('framescope.json manifest', () => {
  it('accepts paths and sizes with optional validators', () => {
    const m = parseManifest(JSON.stringify({ framescope: 1, name: 'run', files: [{ path: 'a/b.im7', size: 10, etag: '"x"' }] }), U);
    expect(m.files[0]).toEqual({ path: 'a/b.im7', size: 10, etag: '"x"' });
  });
  it.each([
    ['not json', /not JSON/],
    ['{"files": 3}', /no "files" list/],
    ['{"files": [{"path": "../etc/passwd", "size": 1}]}', /safe relative "path"/],
    ['{"files": [{"path": "/abs", "size": 1}]}', /safe relative "path"/],
    ['{"files": [{"path": "a", "size": 1.5}]}', /valid "size"/],
    ['{"files": [{"path": "a", "size": 1}, {"path": "a", "size": 1}]}', /twice/],
  ])('refuses %s', (text, re) => {
    expect(() => parseManifest(text, U + 'framescope.json')).toThrow(re);
    try {
      parseManifest(text, U + 'framescope.json');
    } catch (e) {
      expect((e as FormatError).path).toBe(U + 'framescope.json');
    }
  });
});
