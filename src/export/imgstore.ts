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
import { encodeNpy } from '../codecs/npy';
import { encodePng } from '../codecs/png-encode';
import type { FieldInfo, FrameSource } from '../core/types';
import { chunkIndexNpz, imgstoreArray, metadataYaml, planOf, pngSamples, uuidHex, type ImagePlan, type ImgstoreFormat } from '../formats/imgstore/write-store';

export type { ImgstoreFormat };
import { baseName, ExportError, fieldOf, pad6, resolveFields, throwIfAborted, type ExportControl, type ExportedFile } from './job';
import type { ResolvedJob } from './target';
import type { ImgstoreOptions } from './targets/imgstore';

const T = 'imgstore';

function pickField(source: FrameSource, job: ResolvedJob<ImgstoreOptions>, opt: string): FieldInfo {
  const want = opt || job.fields?.[0];
  const candidates = resolveFields(source, { ...job, fields: want ? [want] : undefined }, ['scalar', 'rgb'], (f) =>
    f.kind === 'rgb' ? f.shape.length === 3 : f.shape.length === 2,
  );
  const f = candidates[0];
  if ((f.kind === 'rgb' && f.shape.length !== 3) || (f.kind === 'scalar' && f.shape.length !== 2))
    throw new ExportError(T, `field “${f.name}” (${f.shape.join('×')}) is not a 2D image`);
  return f;
}

export async function exportImgstore(source: FrameSource, job: ResolvedJob<ImgstoreOptions>, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = job.options;
  const format: ImgstoreFormat = opts.format;
  const frames = job.frames;
  const field = pickField(source, job, opts.field);
  const video = format === 'mjpeg/avi' || format === 'avc1/mp4';
  const chunksize = opts.chunksize > 0 ? opts.chunksize : video ? 10000 : 200;
  const fps = opts.fps;
  const store = baseName(source, opts.name);
  const user = opts.metadata;
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
      const r = await encodeImgstoreVideoChunk(source, field, idx, format, opts.quality, {
        signal: ctl?.signal,
        onProgress: (done) => ctl?.onProgress?.(c * chunksize + done, frames.length, 'write'),
      });
      plan ??= { field, h: r.height, w: r.width, color: field.kind === 'rgb', dtype: 'uint8' };
      note = r.note;
      out.push({ path: `${store}/${pad6(c)}${format === 'mjpeg/avi' ? '.avi' : '.mp4'}`, bytes: r.bytes, note: r.note });
      out.push({
        path: `${store}/${pad6(c)}.npz`,
        bytes: chunkIndexNpz(numbers.slice(c * chunksize, (c + 1) * chunksize), times.slice(c * chunksize, (c + 1) * chunksize)),
      });
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
      ctl?.onProgress?.(k + 1, frames.length, 'write');
    }
  }
  throwIfAborted(ctl?.signal);
  const p = plan!;
  // video chunks are always 3-channel; a grayscale store says [h, w] and imgstore converts back to gray
  const imgshape = p.color ? [p.h, p.w, 3] : [p.h, p.w];
  const storeMd: Record<string, unknown> = {
    chunksize,
    class: video ? 'VideoImgStore' : 'DirectoryImgStore',
    created_utc: new Date()
      .toISOString()
      .replace('Z', '')
      .replace(/\.(\d{3})$/, '.$1000'),
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
