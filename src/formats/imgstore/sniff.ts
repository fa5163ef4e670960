import type { SourceFile, SourceTree } from '../types';
import { looksLikeStoreYaml } from './metadata';

/** The shallowest `metadata.yaml` of a tree (a dropped store folder may sit one level down). */
export function storeYamlCandidates(tree: SourceTree): SourceFile[] {
  return tree.files
    .filter((f) => f.path === 'metadata.yaml' || f.path.endsWith('/metadata.yaml'))
    .sort((a, b) => a.path.split('/').length - b.path.split('/').length || (a.path < b.path ? -1 : 1));
}

/** imgstore: a `metadata.yaml` whose content has the `__store` block (only its first 64 KiB are read). */
export async function sniff(tree: SourceTree): Promise<number> {
  const cands = storeYamlCandidates(tree).slice(0, 4);
  for (const f of cands) {
    if (f.size > 4 << 20) continue;
    const head = new TextDecoder().decode(await f.read(0, Math.min(f.size, 65536)));
    if (looksLikeStoreYaml(head)) return 0.95;
  }
  return 0;
}
