/**
 * `pypde-movie` target (browser: ffmpeg.wasm FFV1): a py-pde MovieStorage file py-pde reads back
 * with `MovieStorage(path)` — FFV1 in .avi/.mkv/.mov, raw frames packed as py-pde packs them
 * (src/formats/pypde/pack.ts), the shell-quoted JSON `comment` tag, and the `.times` side-car.
 *
 * Fields: the job's fields (default: every scalar and vector field of the first frame's grid
 * shape), stored as one field or as a FieldCollection. Limits per field: the options `vmin`/`vmax`
 * (a number for all fields, a list per field, or {field: number}), else the min/max of the field's
 * valid values over all exported frames (one pass over the frames before encoding).
 * Error bound: reading back gives values within one quantisation step (vmax − vmin)/M below the
 * clipped original (py-pde truncates), M = 255 or 65535. Masked cells are written as vmin (q = 0,
 * what numpy gives py-pde for NaN). Times: FrameInfo.time, else the frame number; written to the
 * `.times` side-car (option writeTimes) and, when evenly spaced, as dt/t_start in the comment.
 */
import type { FieldInfo, FrameSource } from '../core/types';
import { encodeVideo } from '../video/index';
import { commentJson, commentTag, packFrame, planLayout, timesText, type PypdeLayout } from '../formats/pypde/pack';
import { baseName, eachFrame, ExportError, resolveFields, throwIfAborted, validRange, type ExportControl, type ExportedFile } from './job';
import type { ResolvedJob } from './target';
import type { PypdeLimit, PypdeMovieOptions } from './targets/pypde-movie';

const T = 'pypde-movie';

function limitFor(opt: PypdeLimit, which: string, field: string, k: number, n: number): number | null {
  if (opt === null) return null;
  if (typeof opt === 'number') return opt;
  if (Array.isArray(opt)) {
    if (opt.length < n) throw new ExportError(T, `${which} lists ${opt.length} limits for ${n} fields (${which} per field in the order of the fields)`);
    return opt[k] ?? null;
  }
  return opt[field] ?? null;
}

export async function exportPypdeMovie(source: FrameSource, job: ResolvedJob<PypdeMovieOptions>, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = job.options;
  const frames = job.frames;
  const bits = opts.bits;
  const first = await source.readFrame(frames[0], { signal: ctl?.signal });
  let fields: FieldInfo[];
  if (job.fields?.length) fields = resolveFields(source, job, ['scalar', 'vector']);
  else {
    // every scalar/vector field that shares the first such field's 1D/2D grid
    const all = resolveFields(source, job, ['scalar', 'vector'], (f) => f.shape.length <= 2);
    const ref = first.fields[all[0].name]?.shape ?? all[0].shape;
    fields = all.filter((f) => {
      const d = first.fields[f.name];
      return d && d.shape.length === ref.length && d.shape.every((x, i) => x === ref[i]);
    });
  }
  const layout: PypdeLayout = planLayout(source, fields, first, bits);
  const nfields = layout.members.length;

  // limits: options, else a pass over the data
  const given = layout.members.map((m, k) => [limitFor(opts.vmin, 'vmin', m.field, k, nfields), limitFor(opts.vmax, 'vmax', m.field, k, nfields)] as const);
  const needScan = given.some(([a, b]) => a === null || b === null);
  const ranges: [number, number][] = layout.members.map(() => [Infinity, -Infinity]);
  if (needScan) {
    await eachFrame(
      source,
      frames,
      ctl,
      (frame) => {
        layout.members.forEach((m, k) => {
          const d = frame.fields[m.field];
          if (!d) throw new ExportError(T, `field “${m.field}” is missing in frame ${frame.info.number}`);
          validRange(m.kind === 'vector' ? [d.u, d.v, d.w].slice(0, m.components) : [d.values as ArrayLike<number>], d.mask, ranges[k]);
        });
      },
      'scan',
    );
  }
  const limits: [number, number][] = layout.members.map((m, k) => {
    const a = given[k][0] ?? (Number.isFinite(ranges[k][0]) ? ranges[k][0] : 0);
    const b = given[k][1] ?? (Number.isFinite(ranges[k][1]) ? ranges[k][1] : 1);
    if (!(b >= a)) throw new ExportError(T, `vmax ${b} is below vmin ${a} for field “${m.field}”`);
    return [a, b];
  });

  const times = frames.map((i) => source.frames[i].time ?? source.frames[i].number);
  const writeTimes = opts.writeTimes;
  const json = commentJson(layout, limits, times, opts.info, writeTimes);
  const ext = opts.container;
  const name = `${baseName(source, opts.name)}.${ext}`;
  const fmt = layout.format;
  throwIfAborted(ctl?.signal);
  const bytes = await encodeVideo({
    width: layout.width,
    height: layout.height,
    inputPixFmt: fmt.pixFmt,
    frameCount: frames.length,
    frame: async (k) => {
      const frame = k === 0 ? first : await source.readFrame(frames[k], { signal: ctl?.signal });
      return packFrame(frame, layout, limits);
    },
    outputName: name,
    codecArgs: ['-c:v', 'ffv1'],
    // FFV1 cannot store rgb24: ffmpeg picks bgr0 for the file (lossless), as py-pde's ffmpeg does
    outputPixFmt: fmt.key === 'rgb24' ? 'bgr0' : fmt.pixFmt,
    fps: 25,
    tags: { comment: commentTag(json) },
    onProgress: (done) => ctl?.onProgress?.(done, frames.length, 'write'),
    signal: ctl?.signal,
  });
  const steps = layout.members.map((m, k) => `${m.field}: ${((limits[k][1] - limits[k][0]) / fmt.max).toPrecision(3)}`);
  const note = `${fmt.key} (${fmt.bits} bit); quantisation step ${steps.join(', ')}; vmin/vmax ${limits.map((l) => `[${l[0]}, ${l[1]}]`).join(', ')}`;
  const out: ExportedFile[] = [{ path: name, bytes, note }];
  if (writeTimes) out.push({ path: `${name}.times`, bytes: new TextEncoder().encode(timesText(times)) });
  return out;
}
