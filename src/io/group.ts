import { basenameOf } from './subtree';

/**
 * A pairing rule: for a loose file (not inside a dropped folder) the dataset it belongs to, or null.
 * The rules themselves belong to the formats (`formats/pairing.ts`); this module only applies them.
 */
export type PairingRule = (name: string, topFolders: ReadonlySet<string>) => string | null;

/**
 * Split what the user dropped or picked into datasets: every top-level folder is one dataset; loose
 * files stand alone unless a pairing rule puts them together (a DaVis `X.set` with its folder `X/`, a
 * movie with its `.times` side-car, …).
 */
export function groupDropped<T extends { path: string }>(items: T[], rules: readonly PairingRule[] = []): { name: string; items: T[] }[] {
  const groups = new Map<string, T[]>();
  const add = (key: string, it: T) => {
    const g = groups.get(key);
    if (g) g.push(it);
    else groups.set(key, [it]);
  };
  const topFolders = new Set(items.filter((i) => i.path.includes('/')).map((i) => i.path.split('/')[0]));
  for (const it of items) {
    if (it.path.includes('/')) {
      add(it.path.split('/')[0], it);
      continue;
    }
    const name = basenameOf(it.path);
    let key: string | null = null;
    for (const r of rules) if ((key = r(name, topFolders)) !== null) break;
    add(key ?? name, it);
  }
  return [...groups.entries()].map(([name, its]) => ({ name, items: its }));
}
