import { asError } from '../core/errors';
import { FormatError } from './errors';
import { detectFormat } from './registry';
import type { FrameSource, SourceTree } from './types';

export { FormatError } from './errors';
export { formats, detectFormat } from './registry';
export type * from './types';

/**
 * What crosses the public boundary is always an Error with words: a thrown string or object (an
 * ffmpeg.wasm rejection, a library's bare value) becomes an Error carrying its description.
 */
function boundary(e: unknown): Error {
  const err = asError(e);
  if (err.message) return err;
  return new Error(`${err.name || 'Error'} without a message (an internal fault, not a problem with the file)`, { cause: err });
}

/** The source as returned, with readFrame (and the scenes' open) wrapped so they only throw Errors. */
function guarded<T extends FrameSource>(src: T): T {
  const read = src.readFrame.bind(src);
  src.readFrame = async (index, opts) => {
    try {
      return await read(index, opts);
    } catch (e) {
      throw boundary(e);
    }
  };
  if (src.scenes)
    src.scenes = src.scenes.map((s) => ({
      ...s,
      open: async () => {
        try {
          return guarded(await s.open());
        } catch (e) {
          throw boundary(e);
        }
      },
    }));
  return src;
}

/** Sniff the tree (content and folder shape), lazily import the matching reader and open it. */
export async function openDataset(tree: SourceTree): Promise<FrameSource> {
  let src: FrameSource;
  try {
    src = await openDetected(tree);
  } catch (e) {
    throw boundary(e);
  }
  return guarded(src);
}

async function openDetected(tree: SourceTree): Promise<FrameSource> {
  if (!tree.files.length) throw new FormatError('unknown', tree.name, 'no files');
  const fmt = await detectFormat(tree);
  if (!fmt) {
    const names = tree.files
      .slice(0, 3)
      .map((f) => f.path)
      .join(', ');
    throw new FormatError(
      'unknown',
      tree.files.length === 1 ? tree.files[0].path : tree.name,
      `not a recognised dataset (looked for a PhiFlow scene, DaVis file or set, imgstore metadata.yaml, py-pde movie or video; got ${names}${tree.files.length > 3 ? ', …' : ''})`,
    );
  }
  const mod = await fmt.load();
  return mod.open(tree);
}
