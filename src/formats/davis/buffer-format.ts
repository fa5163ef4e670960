import type { ByteReader } from './bytes';
import type { DavisDType, DavisHeader } from './model';

/** How the component blocks of one frame are laid out, per buffer_format. */
export interface BlockLayout {
  kind: 'image' | 'vector';
  /** stored element type of the data section (before any widening) */
  stored: DavisDType;
  /** component blocks per frame, without scalarN */
  C: number;
  /** vectors: 2 or 3 */
  dims: number;
  /** vectors: choice slots stored (4 extended, 1 simple) */
  choices: number;
  /** vectors: block index of the choice header, or -1 */
  headerBlock: number;
  /** vectors: block index of the peak-ratio plane, or -1 */
  peakBlock: number;
  /** vectors: block index of slot s, axis a (0 u, 1 v, 2 w) */
  slotBlock(slot: number, axis: number): number;
}

const NAMES: Record<number, string> = {
  [-1]: 'NOTUSED',
  [-2]: 'MEMPACKWORD',
  [-3]: 'FLOAT',
  [-4]: 'WORD',
  [-5]: 'DOUBLE',
  [-6]: 'FLOAT_VALID',
  [-10]: 'RGB_MATRIX',
  [-11]: 'RGB_32',
  0: 'IMAGE',
  1: 'VECTOR_2D_EXTENDED',
  2: 'VECTOR_2D',
  3: 'VECTOR_2D_EXTENDED_PEAK',
  4: 'VECTOR_3D',
  5: 'VECTOR_3D_EXTENDED_PEAK',
  6: 'VECTOR_3D_EXTENDED',
};
export const bufferFormatName = (f: number): string => NAMES[f] ?? `unknown`;

const image = (stored: DavisDType): BlockLayout => ({
  kind: 'image',
  stored,
  C: 1,
  dims: 0,
  choices: 0,
  headerBlock: -1,
  peakBlock: -1,
  slotBlock: () => -1,
});

const vector = (dims: number, extended: boolean, peak: boolean): BlockLayout => ({
  kind: 'vector',
  stored: 'float32',
  C: extended ? 1 + 4 * dims + (peak ? 1 : 0) : dims,
  dims,
  choices: extended ? 4 : 1,
  headerBlock: extended ? 0 : -1,
  peakBlock: peak ? 1 + 4 * dims : -1,
  slotBlock: extended ? (s, a) => 1 + s * dims + a : (_s, a) => a,
});

export function blockLayout(r: ByteReader, h: DavisHeader): BlockLayout {
  const f = h.bufferFormat;
  if (h.isSparse) r.fail(`isSparse = ${h.isSparse}: sparse DaVis buffers have an undocumented layout`, 6);
  switch (f) {
    case -2:
      return image('uint8');
    case -3:
      return image('float32');
    case -4:
    case 0:
      return image('uint16');
    case -5:
      return image('float64');
    case 1:
      return vector(2, true, false);
    case 2:
      return vector(2, false, false);
    case 3:
      return vector(2, true, true);
    case 4:
      return vector(3, false, false);
    case 5:
      return vector(3, true, true);
    case 6:
      return vector(3, true, false);
    default:
      return r.fail(
        `buffer_format ${f} (${bufferFormatName(f)}) cannot be decoded: its element layout is not documented (supported: -2, -3, -4, -5, 0, 1..6)`,
        h.kind === 'im7' ? 4 : 14,
      );
  }
}

export const bytesPer = (t: DavisDType): number => (t === 'uint8' ? 1 : t === 'uint16' ? 2 : t === 'float64' ? 8 : 4);
