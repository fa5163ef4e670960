/**
 * `imgstore` target: a loopbio imgstore (shared/formats/imgstore.md §1, §3, §4, §10) of one image
 * field.
 *
 * - DirectoryImgStore `npy` (any dtype, lossless; colour arrays in imgstore's BGR order) and `png`
 *   (8/16-bit gray or 8-bit RGB files, lossless; needs integer data) — both run under Node;
 * - VideoImgStore `mjpeg/avi` and `avc1/mp4` (3-channel 8-bit video, width/height cropped to even,
 *   25 fps container clock as imgstore writes it) — browser only (ffmpeg.wasm / WebCodecs).
 *
 * Each chunk holds `chunksize` frames (the last one fewer; no empty trailing chunk) and gets its
 * index npz (`frame_number` int64, `frame_time` float64). Frames without a time get
 * index / fps (option `fps`). `metadata.yaml` carries the `__store` keys imgstore writes
 * (class, version 2, format, extension, imgshape, imgdtype, chunksize, encoding null,
 * created_utc, timezone_local, uuid) and the user metadata as top-level keys.
 * imgstore has no masks: masked cells are written as 0 (NaN in float npy stores).
 */
import { stringify } from 'yaml';
import { encodeNpy, type NumericData } from '../codecs/npy';
import { encodeNpz } from '../codecs/npz';
import type { FieldData, FieldInfo, Frame, FrameSource } from '../core/types';
import { baseName, ExportError, fieldOf, pad6, resolveFields, resolveFrames, throwIfAborted, type ExportControl, type ExportedFile, type ExportJob } from './job';
import { encodePng } from '../codecs/png-encode';
import { readOptions } from './targets';

const T = 'imgstore';

export type ImgstoreFormat = 'npy' | 'png' | 'mjpeg/avi' | 'avc1/mp4';

interface ImagePlan {
  field: FieldInfo;
  h: number;
  w: number;
  color: boolean;
  dtype: 'uint8' | 'uint16' | 'float32' | 'float64';
}

const DTYPE_OF: Record<string, ImagePlan['dtype']> = { Uint8Array: 'uint8', Uint16Array: 'uint16', Float32Array: 'float32', Float64Array: 'float64' };

function pickField(source: FrameSource, job: ExportJob, opt: unknown): FieldInfo {
  const want = typeof opt === 'string' && opt ? opt : job.fields?.[0];
  const candidates = resolveFields(source, { ...job, fields: want ? [want] : undefined }, ['scalar', 'rgb'], (f) => (f.kind === 'rgb' ? f.shape.length === 3 : f.shape.length === 2));
  const f = candidates[0];
  if ((f.kind === 'rgb' && f.shape.length !== 3) || (f.kind === 'scalar' && f.shape.length !== 2))
    throw new ExportError(T, `field “${f.name}” (${f.shape.join('×')}) is not a 2D image`);
  return f;
}

function planOf(f: FieldInfo, d: FieldData): ImagePlan {
  const [h, w] = d.shape;
  const color = d.kind === 'rgb';
  const dtype = color ? 'uint8' : DTYPE_OF[d.values?.constructor.name ?? ''] ?? 'float32';
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
function pngSamples(d: FieldData, plan: ImagePlan, frame: Frame): { data: Uint8Array | Uint16Array; channels: 1 | 3 } {
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
      throw new ExportError(T, `png stores hold integers 0…${max}; “${plan.field.name}” has ${v} in frame ${frame.info.number} — use the npy format for non-integer data`);
    out[i] = v;
  }
  return { data: out, channels: 1 };
}

function uuidHex(): string {
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

export async function exportImgstore(source: FrameSource, job: ExportJob, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = readOptions(T, job.options);
  const format = opts.format as ImgstoreFormat;
  const frames = resolveFrames(source, job);
  const field = pickField(source, job, opts.field);
  const video = format === 'mjpeg/avi' || format === 'avc1/mp4';
  const chunksize = Number(opts.chunksize) > 0 ? Math.floor(Number(opts.chunksize)) : video ? 10000 : 200;
  const fps = Number(opts.fps);
  const store = baseName(source, opts.name);
  const user = opts.metadata && typeof opts.metadata === 'object' && !Array.isArray(opts.metadata) ? (opts.metadata as Record<string, unknown>) : {};
  const numbers = frames.map((i) => source.frames[i].number);
  const times = frames.map((i, k) => source.frames[i].time ?? k / fps);
  const out: ExportedFile[] = [];
  const nChunks = Math.ceil(frames.length / chunksize);
  let plan: ImagePlan | null = null;
  let note: string | undefined;

  if (video) {
    const { encodeImgstoreVideoChunk } = await import('./imgstore-video');
    for (let c = 0; c < nChunks; c++) {
      throwIfAborted(ctl?.signal);
      const idx = frames.slice(c * chunksize, (c + 1) * chunksize);
      const r = await encodeImgstoreVideoChunk(source, field, idx, format, opts, {
        signal: ctl?.signal,
        onProgress: (done) => ctl?.onProgress?.(c * chunksize + done, frames.length),
      });
      plan ??= { field, h: r.height, w: r.width, color: field.kind === 'rgb', dtype: 'uint8' };
      note = r.note;
      out.push({ path: `${store}/${pad6(c)}${format === 'mjpeg/avi' ? '.avi' : '.mp4'}`, bytes: r.bytes, note: r.note });
      out.push({ path: `${store}/${pad6(c)}.npz`, bytes: chunkIndexNpz(numbers.slice(c * chunksize, (c + 1) * chunksize), times.slice(c * chunksize, (c + 1) * chunksize)) });
    }
  } else {
    for (let k = 0; k < frames.length; k++) {
      throwIfAborted(ctl?.signal);
      const frame = await source.readFrame(frames[k], { signal: ctl?.signal });
      const d = fieldOf(frame, field.name, T);
      const p = planOf(field, d);
      if (!plan) {
        plan = p;
        if (format === 'png' && !plan.color && plan.dtype.startsWith('float')) plan.dtype = 'uint16';
      } else if (p.h !== plan.h || p.w !== plan.w || p.color !== plan.color) {
        throw new ExportError(T, `field “${field.name}” changes size in frame ${frame.info.number} (${p.h}×${p.w}, the store is ${plan.h}×${plan.w})`);
      }
      const c = Math.floor(k / chunksize);
      const row = k % chunksize;
      if (format === 'npy') {
        const arr = imgstoreArray(d, plan);
        out.push({ path: `${store}/${pad6(c)}/${pad6(row)}.npy`, bytes: encodeNpy({ shape: plan.color ? [plan.h, plan.w, 3] : [plan.h, plan.w], data: arr }) });
      } else {
        const s = pngSamples(d, plan, frame);
        out.push({ path: `${store}/${pad6(c)}/${pad6(row)}.png`, bytes: encodePng({ width: plan.w, height: plan.h, channels: s.channels, data: s.data }) });
      }
      if (row === chunksize - 1 || k === frames.length - 1) {
        const lo = c * chunksize;
        out.push({ path: `${store}/${pad6(c)}/index.npz`, bytes: chunkIndexNpz(numbers.slice(lo, k + 1), times.slice(lo, k + 1)) });
      }
      ctl?.onProgress?.(k + 1, frames.length);
    }
  }
  throwIfAborted(ctl?.signal);
  const p = plan!;
  // video chunks are always 3-channel; a grayscale store says [h, w] and imgstore converts back to gray
  const imgshape = p.color ? [p.h, p.w, 3] : [p.h, p.w];
  const storeMd: Record<string, unknown> = {
    chunksize,
    class: video ? 'VideoImgStore' : 'DirectoryImgStore',
    created_utc: new Date().toISOString().replace('Z', '').replace(/\.(\d{3})$/, '.$1000'),
    encoding: null,
    format,
    imgdtype: p.dtype,
    imgshape,
    timezone_local: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    uuid: uuidHex(),
    version: 2,
  };
  if (video) storeMd.extension = format === 'mjpeg/avi' ? '.avi' : '.mp4';
  const yaml = metadataYaml(storeMd, { ...user, framescope_source: { format: source.format, name: source.name, field: field.name } });
  out.unshift({ path: `${store}/metadata.yaml`, bytes: new TextEncoder().encode(yaml), note });
  return out;
}
