import { basenameOf } from './subtree';

/**
 * Split what the user dropped or picked into datasets: every top-level folder is one dataset; loose
 * files stand alone except where they belong together (a DaVis `X.set` with its folder `X/`, loose
 * `B00001.*` buffers, a movie with its `.times` sidecar).
 */
export function groupDropped<T extends { path: string }>(items: T[]): { name: string; items: T[] }[] {
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
    const stem = name.replace(/\.[^.]*$/, '');
    if (/\.set$/i.test(name) && topFolders.has(stem)) add(stem, it);
    else if (/^B\d{5}\.[a-z0-9]+$/i.test(name)) add('B-buffers', it);
    else if (/\.times$/i.test(name)) add(name.replace(/\.times$/i, ''), it);
    else add(name, it);
  }
  return [...groups.entries()].map(([name, its]) => ({ name: name === 'B-buffers' ? 'buffers' : name, items: its }));
}
