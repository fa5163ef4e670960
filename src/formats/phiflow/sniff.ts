/**
 * PhiFlow scene sniffing: a `<field>_<frame:06d>.npz` file whose first zip member is
 * `dim_names.npy` (PhiFlow always writes it first) is a sure sign; the folder shape alone
 * (field files + description.json) is a weaker one. Reads 64 bytes of one file.
 */
import { head, startsWith } from '../sniff-util';
import type { SourceTree } from '../types';
import { dirnameOf } from '../../io/subtree';
import { isFieldFilePath, joinPath } from './names';

export async function sniff(tree: SourceTree): Promise<number> {
  const f = tree.files.find((x) => isFieldFilePath(x.path));
  if (!f) return 0;
  const hasDesc = tree.files.some((x) => x.path === joinPath(dirnameOf(f.path), 'description.json'));
  const b = await head(f, 64);
  if (!startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 0;
  const nlen = b[26] | (b[27] << 8);
  const name = String.fromCharCode(...b.subarray(30, Math.min(b.length, 30 + nlen)));
  if (name === 'dim_names.npy') return 0.95;
  return hasDesc ? 0.6 : 0.3;
}
