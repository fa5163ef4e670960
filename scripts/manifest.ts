/**
 * Write a framescope.json manifest beside the data, so a folder on any static server (or an S3
 * prefix without public listing) can be opened by its link: `npm run manifest -- DIR [--name NAME]
 * [--mtime] [--out FILE]`. It lists every file below DIR (relative paths, exact sizes); `--mtime` also
 * records each file's modification time, checked against Last-Modified — only for servers that serve
 * these very files (an upload to S3 gets new times).
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { MANIFEST_NAME, parseManifest, type Manifest } from '../src/io/listing-manifest';

export function buildManifest(dir: string, opts: { name?: string; mtime?: boolean } = {}): Manifest {
  const root = resolve(dir);
  const files: Manifest['files'] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const path = relative(root, p).split(sep).join('/');
        if (path === MANIFEST_NAME) continue;
        const st = statSync(p);
        files.push({ path, size: st.size, ...(opts.mtime ? { mtime: new Date(Math.floor(st.mtimeMs / 1000) * 1000).toUTCString() } : {}) });
      }
    }
  };
  walk(root);
  return { framescope: 1, name: opts.name ?? basename(root), files };
}

function main(argv: string[]): void {
  const args = [...argv];
  const flag = (k: string) => {
    const i = args.indexOf(k);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const name = flag('--name');
  const out = flag('--out');
  const mtime = args.includes('--mtime');
  const dirs = args.filter((a) => a !== '--mtime');
  if (dirs.length !== 1) {
    console.error('usage: npm run manifest -- DIR [--name NAME] [--mtime] [--out FILE]');
    process.exit(2);
  }
  const m = buildManifest(dirs[0], { name, mtime });
  const text = JSON.stringify(m, null, 1) + '\n';
  parseManifest(text, MANIFEST_NAME); // what we write must read back
  const target = out ?? join(dirs[0], MANIFEST_NAME);
  writeFileSync(target, text);
  console.log(`${target}: ${m.files.length} files, ${m.files.reduce((s, f) => s + f.size, 0)} bytes`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main(process.argv.slice(2));
