/**
 * The static server behind `npm start`: serves dist/ (the production build) on loopback with the
 * COOP/COEP headers ffmpeg.wasm needs, byte ranges (the samples are read by Range requests) and no
 * on-the-fly compression (a gzip-encoded range is not the range of the file). Node's http only.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

export function serveDist(root, { port = 4173, host = 'localhost' } = {}) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Accept-Ranges', 'bytes');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      return res.end();
    }
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.statusCode = 400;
      return res.end('bad path');
    }
    let p = normalize(join(base, rel));
    if (p !== base && !p.startsWith(base + sep)) {
      res.statusCode = 403;
      return res.end();
    }
    if (existsSync(p) && statSync(p).isDirectory()) p = join(p, 'index.html');
    if (!existsSync(p)) {
      res.statusCode = 404;
      return res.end('not found');
    }
    const st = statSync(p);
    const size = st.size;
    res.setHeader('Content-Type', TYPES[extname(p).toLowerCase()] ?? 'application/octet-stream');
    res.setHeader('Last-Modified', st.mtime.toUTCString());
    res.setHeader('ETag', `"${size.toString(16)}-${Math.round(st.mtimeMs).toString(16)}"`);
    // hashed bundles never change; everything else is revalidated
    res.setHeader('Cache-Control', rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    const m = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (m && (m[1] || m[2])) {
      const s = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
      const e = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      if (s >= size || e < s) {
        res.statusCode = 416;
        res.setHeader('Content-Range', `bytes */${size}`);
        return res.end();
      }
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${s}-${e}/${size}`);
      res.setHeader('Content-Length', String(e - s + 1));
      if (req.method === 'HEAD') return res.end();
      return createReadStream(p, { start: s, end: e }).pipe(res);
    }
    res.setHeader('Content-Length', String(size));
    if (req.method === 'HEAD') return res.end();
    createReadStream(p).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}
