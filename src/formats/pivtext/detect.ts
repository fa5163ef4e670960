/** Which dialect a text file's first bytes are, with a confidence (0 = none). */
import { isDavisTxt } from './davis-txt';
import { isOpenPivHeader, looksLikeBareTable } from './openpiv';
import { isPivlab } from './pivlab';
import type { Dialect } from './table';
import { isTecplot, isTsi } from './tecplot';

export const TEXT_EXT = /\.(txt|vec|dat|csv|tsv)$/i;

export function detectDialect(path: string, head: string): { dialect: Dialect; score: number } | null {
  if (/[\u0000-\u0008\u000e-\u001f]/.test(head.slice(0, 512))) return null; // binary (e.g. a DaVis binary .vec)
  if (isDavisTxt(head)) return { dialect: 'davis-txt', score: 0.9 };
  if (isTsi(head)) return { dialect: 'tsi-vec', score: 0.9 };
  if (isTecplot(head)) return { dialect: 'tecplot', score: 0.7 };
  if (isPivlab(head)) return { dialect: 'pivlab', score: 0.9 };
  if (isOpenPivHeader(head)) return { dialect: 'openpiv', score: 0.8 };
  if (TEXT_EXT.test(path) && looksLikeBareTable(head)) return { dialect: 'openpiv', score: 0.35 };
  return null;
}
