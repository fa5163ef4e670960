import type { SourceFile } from '../types';
import { attributeRecord, readAttributeSection } from './attributes';
import { blockLayout, bytesPer } from './buffer-format';
import { ByteReader } from './bytes';
import { acquisitionTime } from './frame-scales';
import { HEADER_SIZE, isOldHeaderType, parseHeader } from './header';

/**
 * Acquisition time (s) of a buffer's first frame from its attributes alone, with a few small reads:
 * the header, the tail (when present) and the attribute section. Returns null when the attributes
 * cannot be located without decoding the data (IMX / 12-bit data without a tail) or give no time.
 */
export async function probeBufferTime(file: SourceFile): Promise<number | null> {
  if (file.size < HEADER_SIZE) return null;
  const head = await file.read(0, HEADER_SIZE);
  const hr = new ByteReader(file.path, head);
  if (isOldHeaderType(hr.i16(0))) return null;
  const h = parseHeader(new ByteReader(file.path, head));
  let start: number | null = null;
  let end = file.size;
  if (h.extraFlags & 1 && file.size >= 512) {
    const t = await file.read(file.size - 256, file.size);
    const tr = new ByteReader(file.path, t);
    const offs = Array.from({ length: 32 }, (_, i) => tr.u64(8 * i));
    if (offs[0] > 0 && offs[0] < file.size - 256) start = offs[0];
    const later = offs.filter((v, i) => i !== 1 && v > (start ?? 0) && v <= file.size - 256);
    end = later.length ? Math.min(...later) : file.size - 256;
  }
  if (start === null) {
    const layout = blockLayout(hr, h);
    const n = h.nx * h.ny * h.nz * h.nf * (layout.C + h.scalarN) * bytesPer(layout.stored);
    if (h.packType === 0) start = HEADER_SIZE + n;
    else if (h.packType === 2 || h.packType === 20) {
      const l = await file.read(HEADER_SIZE, HEADER_SIZE + 8);
      const lr = new ByteReader(file.path, l);
      start = h.packType === 2 ? HEADER_SIZE + 4 + lr.i32(0) : HEADER_SIZE + 8 + lr.u64(0);
    } else return null;
  }
  if (!(start >= HEADER_SIZE && start < end)) return null;
  const bytes = await file.read(start, end);
  // parse at offset 0 of the slice; errors name the file
  const sec = readAttributeSection(new ByteReader(file.path, bytes), 0, bytes.length);
  return acquisitionTime(attributeRecord(sec.items), 0);
}
