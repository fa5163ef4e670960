/**
 * imgstore writer, the low-level half (shared/formats/imgstore.md §1, §3, §4, §10): how an image is
 * laid out in a DirectoryImgStore file (npy: imgstore's array, BGR for colour; png: integer samples),
 * the chunk index npz (`frame_number` int64, `frame_time` float64) and `metadata.yaml`. Pure; the
 * job that reads frames and names the files is src/export/imgstore.ts.
 */
import { stringify } from 'yaml';
import { encodeNpy, type NumericData } from '../../codecs/npy';
import { encodeNpz } from '../../codecs/npz';
import { ExportError } from '../../core/errors';
import type { FieldData, FieldInfo, Frame } from '../../core/types';

const T = 'imgstore';

export type ImgstoreFormat = 'npy' | 'png' | 'mjpeg/avi' | 'avc1/mp4';

export interface ImagePlan {
  field: FieldInfo;
  h: number;
  w: number;
  color: boolean;
  dtype: 'uint8' | 'uint16' | 'float32' | 'float64';
}

const DTYPE_OF: Record<string, ImagePlan['dtype']> = { Uint8Array: 'uint8', Uint16Array: 'uint16', Float32Array: 'float32', Float64Array: 'float64' };

export function planOf(f: FieldInfo, d: FieldData): ImagePlan {
  const [h, w] = d.shape;
  const color = d.kind === 'rgb';
  const dtype = color ? 'uint8' : (DTYPE_OF[d.values?.constructor.name ?? ''] ?? 'float32');
  return { field: f, h, w, color, dtype };
}

/** The image as imgstore's reader returns it: (h, w) or (h, w, 3) BGR, in the plan's dtype. */
export function imgstoreArray(d: FieldData, plan: ImagePlan): NumericData {
  const n = plan.h * plan.w;
  const mask = d.mask;
  if (plan.color) {
    const src = d.values as Uint8Array;
    const out = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      if (mask?.[i]) continue;
      out[3 * i] = src[3 * i + 2];
      out[3 * i + 1] = src[3 * i + 1];
      out[3 * i + 2] = src[3 * i];
    }
    return out;
  }
  const Ctor = plan.dtype === 'uint8' ? Uint8Array : plan.dtype === 'uint16' ? Uint16Array : plan.dtype === 'float64' ? Float64Array : Float32Array;
  const out = new Ctor(n);
  const src = d.values as ArrayLike<number>;
  const float = plan.dtype.startsWith('float');
  for (let i = 0; i < n; i++) out[i] = mask?.[i] ? (float ? NaN : 0) : src[i];
  return out;
}

/** Integer samples for a PNG: the data itself when it is uint8/uint16 or integer-valued within range. */
export function pngSamples(d: FieldData, plan: ImagePlan, frame: Frame): { data: Uint8Array | Uint16Array; channels: 1 | 3 } {
  if (plan.color) {
    const rgb = (d.values as Uint8Array).slice();
    if (d.mask) for (let i = 0; i < d.mask.length; i++) if (d.mask[i]) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = 0;
    return { data: rgb, channels: 3 };
  }
  const src = d.values as ArrayLike<number>;
  const n = plan.h * plan.w;
  const out = plan.dtype === 'uint8' ? new Uint8Array(n) : new Uint16Array(n);
  const max = plan.dtype === 'uint8' ? 255 : 65535;
  for (let i = 0; i < n; i++) {
    if (d.mask?.[i]) continue;
    const v = src[i];
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new ExportError(
        T,
        `png stores hold integers 0…${max}; “${plan.field.name}” has ${v} in frame ${frame.info.number} — use the npy format for non-integer data`,
      );
    out[i] = v;
  }
  return { data: out, channels: 1 };
}

export function uuidHex(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** `metadata.yaml` text (PyYAML safe_dump style: sorted keys, block lists, YAML 1.1 quoting). */
export function metadataYaml(store: Record<string, unknown>, user: Record<string, unknown>): string {
  const doc: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(user)) if (k !== '__store') doc[k] = v;
  doc.__store = store;
  return stringify(doc, { version: '1.1', sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}

export function chunkIndexNpz(numbers: number[], times: number[]): Uint8Array {
  return encodeNpz(
    {
      frame_number: encodeNpy({ shape: [numbers.length], data: BigInt64Array.from(numbers, (n) => BigInt(Math.trunc(n))) }),
      frame_time: encodeNpy({ shape: [times.length], data: Float64Array.from(times) }),
    },
    { compress: false },
  );
}
