/** Helpers that compare decoded imgstore frames with the fixtures' oracles (make_samples.py). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FieldData } from '../../src/formats/types';
import { fixture } from '../fixtures';

export const STORES = [
  'dir_npy_color',
  'dir_png_gray',
  'dir_jpg_color',
  'video_mjpeg_avi_color',
  'video_avc1_mp4_gray',
  'video_h264_mkv_color',
  'video_mjpeg_avi_motif_style_extra_SYNTHETIC',
  'legacy_store_mp4_from_imgstore_tests',
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Expected = Record<string, any>;

export function expectedOf(store: string): Expected {
  return JSON.parse(readFileSync(fixture('imgstore', store, 'expected.json'), 'utf8')) as Expected;
}

/** The barcode drawn by make_samples.py: bit i (MSB first) at x = 4i+2, y = 44; channel mean; threshold 127. */
export function barcodeOf(f: FieldData): number {
  const [h, w] = f.shape;
  const c = f.kind === 'rgb' ? 3 : 1;
  const v = f.values!;
  if (h < 48 || w < 64) return -1;
  let out = 0;
  for (let i = 0; i < 16; i++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += v[(44 * w + 4 * i + 2) * c + k];
    out = (out << 1) | (s / c > 127 ? 1 : 0);
  }
  return out;
}

/** MD5 of the frame as imgstore returns it: row-major bytes, colour interleaved BGR. */
export function imgstoreMd5(f: FieldData): string {
  const v = f.values as Uint8Array;
  let bytes: Uint8Array = v;
  if (f.kind === 'rgb') {
    bytes = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i += 3) {
      bytes[i] = v[i + 2];
      bytes[i + 1] = v[i + 1];
      bytes[i + 2] = v[i];
    }
  }
  return createHash('md5').update(bytes).digest('hex');
}

export function meanOf(f: FieldData): number {
  const v = f.values!;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/** imgstore get_extra_data() records from our table: every column, missing → null. */
export function extraRecords(table: { columns: string[]; rows: Record<string, unknown>[] }): Record<string, unknown>[] {
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c) => [c, r[c] ?? null])));
}
