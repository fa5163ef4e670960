import { createReadStream, existsSync, mkdirSync, copyFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fixturesDir } from './tests/fixtures-path.ts';

/** Copy the ffmpeg.wasm cores from node_modules into public/ffmpeg so they are served from our own origin (no CDN). */
function ffmpegCore(): Plugin {
  const copy = () => {
    for (const [pkg, dest] of [
      ['@ffmpeg/core', 'st'],
      ['@ffmpeg/core-mt', 'mt'],
    ] as const) {
      const src = resolve('node_modules', pkg, 'dist/esm');
      if (!existsSync(src)) continue;
      const out = resolve('public/ffmpeg', dest);
      mkdirSync(out, { recursive: true });
      for (const f of readdirSync(src)) {
        const d = join(out, f);
        if (!existsSync(d) || statSync(d).size !== statSync(join(src, f)).size) copyFileSync(join(src, f), d);
      }
    }
  };
  return { name: 'framescope-ffmpeg-core', config: copy };
}

/**
 * Dev/preview only: serve ../shared/fixtures under /__fixtures/ (listing + ranged file reads) so
 * browser tests can open the real fixture files with the same readers the app uses.
 */
function fixturesRoute(): Plugin {
  const root = fixturesDir();
  const handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]);
    if (!url.startsWith('/__fixtures/')) return next();
    if (!root) {
      res.statusCode = 404;
      return res.end('fixtures absent');
    }
    const [, , kind, ...rest] = url.split('/');
    const p = resolve(root, rest.join('/'));
    if (!p.startsWith(root) || !existsSync(p)) {
      res.statusCode = 404;
      return res.end('not found');
    }
    if (kind === 'list') {
      const files: { path: string; size: number }[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const q = join(d, e.name);
          if (e.isDirectory()) walk(q);
          else files.push({ path: relative(p, q).split(sep).join('/'), size: statSync(q).size });
        }
      };
      if (statSync(p).isDirectory()) walk(p);
      else files.push({ path: p.split(sep).pop()!, size: statSync(p).size });
      files.sort((a, b) => (a.path < b.path ? -1 : 1));
      res.setHeader('Content-Type', 'application/json');
      return res.end(JSON.stringify({ name: p.split(sep).pop(), files }));
    }
    const size = statSync(p).size;
    const m = /bytes=(\d+)-(\d*)/.exec(String(req.headers.range ?? ''));
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Type', 'application/octet-stream');
    if (m) {
      const s = Number(m[1]);
      const e = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${s}-${e}/${size}`);
      res.setHeader('Content-Length', String(Math.max(0, e - s + 1)));
      if (e < s) return res.end();
      return createReadStream(p, { start: s, end: e }).pipe(res);
    }
    res.setHeader('Content-Length', String(size));
    createReadStream(p).pipe(res);
  };
  return {
    name: 'framescope-fixtures',
    configureServer: (s) => void s.middlewares.use(handler),
    configurePreviewServer: (s) => void s.middlewares.use(handler),
  };
}

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), ffmpegCore(), fixturesRoute()],
  server: { headers: isolation, port: 5173, strictPort: false },
  preview: { headers: isolation },
  optimizeDeps: { exclude: ['@ffmpeg/ffmpeg', '@ffmpeg/util'], include: ['mp4box', 'plotly.js-dist-min', 'fflate', 'yaml'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 6000 },
});
