import { FormatError } from './errors';
import { detectFormat } from './registry';
import type { FrameSource, SourceTree } from './types';

export { FormatError } from './errors';
export { formats, detectFormat } from './registry';
export type * from './types';

/** Sniff the tree (content and folder shape), lazily import the matching reader and open it. */
export async function openDataset(tree: SourceTree): Promise<FrameSource> {
  if (!tree.files.length) throw new FormatError('unknown', tree.name, 'no files');
  const fmt = await detectFormat(tree);
  if (!fmt) {
    const names = tree.files.slice(0, 3).map((f) => f.path).join(', ');
    throw new FormatError(
      'unknown',
      tree.files.length === 1 ? tree.files[0].path : tree.name,
      `not a recognised dataset (looked for a PhiFlow scene, DaVis file or set, imgstore metadata.yaml, py-pde movie or video; got ${names}${tree.files.length > 3 ? ', …' : ''})`,
    );
  }
  const mod = await fmt.load();
  return mod.open(tree);
}
