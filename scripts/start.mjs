#!/usr/bin/env node
/**
 * `npm start`: serve the production build (what users should get), building it first when dist/ is
 * missing or older than the sources, with the COOP/COEP headers ffmpeg.wasm needs (scripts/serve.mjs).
 * Prints the URL to open.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serveDist } from './serve.mjs';

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? 'localhost';

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = s.mtimeMs;
  for (const n of readdirSync(p)) if (n !== 'ffmpeg') m = Math.max(m, newest(join(p, n)));
  return m;
}

const built = existsSync('dist/index.html') ? statSync('dist/index.html').mtimeMs : 0;
const sources = Math.max(...['src', 'public', 'index.html', 'vite.config.ts', 'package-lock.json'].map(newest));
if (!built || sources > built || process.argv.includes('--rebuild')) {
  console.log('[framescope] building the production bundle (once; about 30 s)…');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
try {
  await serveDist('dist', { port, host });
} catch (e) {
  console.error(`[framescope] cannot listen on ${host}:${port}: ${e.message} (set PORT=… to use another port)`);
  process.exit(1);
}
console.log(`[framescope] serving the production build: open http://${host}:${port}/ (Ctrl-C stops)`);
