/**
 * Plain video reader: any video ffmpeg.wasm decodes → one `image` rgb field per frame
 * (Uint8Array [ny, nx, 3]); number = index, time = presentation time in s.
 */
import { openVideoFile } from '../../video/index';
import { FormatError } from '../errors';
import type { Frame, FrameInfo, FrameSource, SourceFile, SourceTree } from '../types';
import { NEAREST_RULES, nearestIndex } from '../../core/nearest';
import { videoFiles } from '../../video/magic';
import type { DecodedVideoFrame } from '../../video/types';

const FORMAT = 'video';

export async function open(tree: SourceTree): Promise<FrameSource> {
  const vids = await videoFiles(tree.files);
  if (!vids.length)
    throw new FormatError(FORMAT, tree.files.length === 1 ? tree.files[0].path : tree.name, 'no video file (AVI, MP4/MOV, MKV/WebM or GIF by content) found');
  const src = await openVideoSource(vids[0].file);
  if (vids.length > 1) src.scenes = vids.map((v) => ({ name: v.file.path, open: () => openVideoSource(v.file) }));
  return src;
}

export async function openVideoSource(file: SourceFile): Promise<FrameSource> {
  const vf = await openVideoFile(file, { format: FORMAT });
  const info = vf.info;
  const warnings: string[] = [...(info.warnings ?? [])];
  if (info.declaredFrameCount && info.declaredFrameCount > info.frameCount)
    warnings.push(`the container declares ${info.declaredFrameCount} frames but only ${info.frameCount} are present (file cut short?)`);
  const frames: FrameInfo[] = info.times.map((t, i) => ({ index: i, number: i, time: t }));
  const shape = [info.height, info.width, 3];
  const unit = (d: string) => ({ slope: 1, offset: 0, unit: 'px', description: d });
  const toFrame = (index: number, d: DecodedVideoFrame): Frame => {
    if (d.data.length !== info.width * info.height * 3)
      throw new FormatError(FORMAT, file.path, `frame ${index}: decoded ${d.data.length} bytes, expected ${info.width * info.height * 3}`);
    return {
      info: frames[index],
      fields: { image: { kind: 'rgb', shape, values: d.data, scales: { x: unit('x (image column)'), y: unit('y (image row)') } } },
      attributes: {},
    };
  };
  return {
    format: FORMAT,
    name: file.path.split('/').pop() ?? file.path,
    frames,
    fields: [{ name: 'image', kind: 'rgb', shape, unit: '' }],
    metadata: {
      file: file.path,
      codec: info.codec,
      width: info.width,
      height: info.height,
      pixFmt: info.pixFmt,
      fps: info.fps,
      frameCount: info.frameCount,
      durationSeconds: info.durationSeconds,
      tags: info.tags,
      streamTags: info.streamTags,
      decoder: (vf as { stats?: { decoder?: string } }).stats?.decoder ?? 'ffmpeg',
    },
    timeUnit: 's',
    warnings,
    async readFrame(index: number, opts: { signal?: AbortSignal } = {}): Promise<Frame> {
      if (!Number.isInteger(index) || index < 0 || index >= frames.length)
        throw new RangeError(`${file.path}: frame ${index} out of range 0..${frames.length - 1}`);
      return toFrame(index, await vf.readFrame(index, { pixFmt: 'rgb24', signal: opts.signal }));
    },
    ...(vf.readNearby && {
      async previewFrame(index: number, opts: { signal?: AbortSignal } = {}): Promise<Frame | null> {
        const near = await vf.readNearby!(index, { pixFmt: 'rgb24', signal: opts.signal });
        return near ? toFrame(near.index, near.frame) : null;
      },
    }),
    ...(vf.warm && { warm: (index: number, opts: { signal?: AbortSignal } = {}) => vf.warm!(index, { pixFmt: 'rgb24', signal: opts.signal }) }),
    nearestIndex: (t: number) => nearestIndex(info.times, t, NEAREST_RULES.video),
    close: () => vf.close(),
  };
}
