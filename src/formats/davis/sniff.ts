import { head } from '../sniff-util';
import type { SourceFile, SourceTree } from '../types';
import { basenameOf, extOf } from '../../io/subtree';
import { looksLikeSetText } from './set-file';

const BUFFER_EXT = new Set(['im7', 'vc7', 'imx', 'img', 'vec']);

/** Is this 32-byte header a plausible DaVis buffer header (either generation)? */
export function plausibleBufferHeader(b: Uint8Array): boolean {
  if (b.length < 32) return false;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const t = dv.getInt16(0, true);
  if (t >= 18 && t <= 23) {
    const rows = dv.getInt16(10, true);
    const cols = dv.getInt16(12, true);
    return (rows > 0 || rows === -1) && (cols > 0 || cols === -1);
  }
  if (t !== 0) return false;
  const pack = dv.getInt16(2, true);
  const fmt = dv.getInt16(4, true);
  const nx = dv.getInt32(8, true);
  const ny = dv.getInt32(12, true);
  const nz = dv.getInt32(16, true);
  const nf = dv.getInt32(20, true);
  return [0, 1, 2, 3, 20].includes(pack) && fmt >= -11 && fmt <= 6 && nx > 0 && ny > 0 && nz > 0 && nf > 0 && nx < 1 << 24 && ny < 1 << 24;
}

/**
 * Confidence that the tree is DaVis data: a `.set` text file (by content), a particle-field folder
 * (info.bin + scales.xml with ParticleFieldScales), or buffer files whose header is plausible.
 */
export async function sniff(tree: SourceTree): Promise<number> {
  const files = tree.files;
  const sets = files.filter((f) => extOf(f.path) === 'set');
  for (const s of sets.slice(0, 4)) if (looksLikeSetText(await head(s, 256))) return 0.95;
  const scales = files.find((f) => basenameOf(f.path) === 'scales.xml');
  if (scales && files.some((f) => basenameOf(f.path) === 'info.bin')) {
    const t = new TextDecoder().decode(await head(scales, 512));
    if (t.includes('ParticleFieldScales')) return 0.9;
  }
  const cands: SourceFile[] = files.filter((f) => BUFFER_EXT.has(extOf(f.path)));
  for (const f of cands.slice(0, 3)) if (plausibleBufferHeader(await head(f, 32))) return 0.9;
  if (files.some((f) => /-0\.ims$/i.test(f.path)) && files.some((f) => /-1\.ims$/i.test(f.path))) return 0.8;
  // content only (unknown extension): a single file with a valid IM7 header
  if (files.length === 1 && !cands.length && files[0].size >= 256 && plausibleBufferHeader(await head(files[0], 32))) return 0.5;
  return 0;
}
