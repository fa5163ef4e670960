/**
 * Lists import cycles in src/: between top-level folders (core, io, codecs, formats, video, …) and
 * between files. Exit code 1 when there is any. `npm run cycles`; part of `npm run lint`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(n) ? [p] : [];
  });
}

const files = walk(root);
const known = new Set(files);
const edges = new Map<string, Set<string>>();
const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  const out = new Set<string>();
  for (const m of src.matchAll(importRe)) {
    const spec = m[1] ?? m[2];
    if (!spec?.startsWith('.')) continue;
    const base = resolve(dirname(f), spec.replace(/\?.*$/, ''));
    const target = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => known.has(c));
    if (target) out.add(target);
  }
  edges.set(f, out);
}

const folderOf = (f: string) =>
  relative(root, f)
    .split('/')[0]
    .replace(/\.(ts|tsx)$/, '');

/** Strongly connected components (Tarjan) of a graph given as adjacency sets. */
function sccs(nodes: string[], adj: (n: string) => Iterable<string>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of adj(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const n of nodes) if (!idx.has(n)) visit(n);
  return out;
}

const folderEdges = new Map<string, Set<string>>();
const why = new Map<string, string>();
for (const [f, ts] of edges)
  for (const t of ts) {
    const a = folderOf(f);
    const b = folderOf(t);
    if (a === b) continue;
    if (!folderEdges.has(a)) folderEdges.set(a, new Set());
    folderEdges.get(a)!.add(b);
    if (!why.has(`${a}>${b}`)) why.set(`${a}>${b}`, `${relative(root, f)} → ${relative(root, t)}`);
  }
if (process.env.CYCLES_VERBOSE) for (const [a, bs] of folderEdges) console.log(`${a} → ${[...bs].join(', ')}`);
const folderCycles = sccs([...folderEdges.keys()], (n) => folderEdges.get(n) ?? []);
const fileCycles = sccs(files, (n) => edges.get(n) ?? []);

for (const c of folderCycles) {
  console.log(`folder cycle: ${c.join(' ↔ ')}`);
  for (const a of c) for (const b of c) if (why.has(`${a}>${b}`)) console.log(`  ${why.get(`${a}>${b}`)}`);
}
for (const c of fileCycles) console.log(`file cycle: ${c.map((f) => relative(root, f)).join(' ↔ ')}`);
const coreOut = [...(folderEdges.get('core') ?? [])];
if (coreOut.length) console.log(`core imports other folders: ${coreOut.join(', ')} (core must be a leaf)`);
const bad = folderCycles.length + fileCycles.length + coreOut.length;
console.log(
  bad
    ? `${bad} problem(s)`
    : `no import cycles in ${relative(process.cwd(), root) || '.'} (${files.length} files, ${folderEdges.size} folders importing others)`,
);
process.exit(bad ? 1 : 0);
