import type { TreeSpec } from '../io/spec';

/** The built-in sample datasets in public/samples (index.json lists them), as URL tree specs. */
export async function sampleSpecs(): Promise<TreeSpec[]> {
  const base = new URL('samples/', new URL(import.meta.env.BASE_URL, location.href));
  const res = await fetch(new URL('index.json', base));
  if (!res.ok) return [];
  const index = (await res.json()) as { samples: { name: string; listing: string; dir: string }[] };
  const out: TreeSpec[] = [];
  for (const s of index.samples) {
    const l = await fetch(new URL(s.listing, base));
    if (!l.ok) continue;
    const j = (await l.json()) as { name: string; files: { path: string; size: number }[] };
    const dir = new URL(s.dir.endsWith('/') ? s.dir : s.dir + '/', base);
    out.push({
      kind: 'urls',
      name: s.name,
      entries: j.files.map((f) => ({ path: f.path, size: f.size, url: new URL(f.path.split('/').map(encodeURIComponent).join('/'), dir).href })),
    });
  }
  return out;
}
