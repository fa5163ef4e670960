/**
 * PIV text files (DaVis text export, TSI Insight .vec, OpenPIV, PIVlab, Tecplot ASCII) by content:
 * the first 4 KiB of up to 50 text-like files. A folder counts when its data files share a dialect.
 */
import { decodeText } from './table';
import { detectDialect, TEXT_EXT } from './detect';
import type { SourceTree } from '../types';

export async function sniff(tree: SourceTree): Promise<number> {
  const cands = tree.files.filter((f) => TEXT_EXT.test(f.path) || tree.files.length === 1).slice(0, 50);
  if (!cands.length) return 0;
  let best = 0;
  let hits = 0;
  for (const f of cands) {
    const d = detectDialect(f.path, decodeText(await f.read(0, Math.min(f.size, 4096))));
    if (!d) continue;
    hits++;
    best = Math.max(best, d.score);
  }
  if (!hits) return 0;
  // a folder where most files are something else (a DaVis set with a readme) is not ours
  const others = tree.files.filter((f) => !TEXT_EXT.test(f.path)).length;
  return others > hits ? best * 0.3 : best;
}
