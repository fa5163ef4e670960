/**
 * `pypde-movie` target (browser: ffmpeg.wasm FFV1): a py-pde MovieStorage file py-pde reads back
 * with `MovieStorage(path)` — FFV1 in .avi/.mkv/.mov, raw frames packed as py-pde packs them
 * (pypde-pack.ts), the shell-quoted JSON `comment` tag, and the `.times` side-car.
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
import { baseName, eachFrame, ExportError, resolveFields, resolveFrames, throwIfAborted, validRange, type ExportControl, type ExportedFile, type ExportJob } from './job';
import { commentJson, commentTag, packFrame, planLayout, timesText, type PypdeLayout } from './pypde-pack';
import { readOptions } from './targets';

const T = 'pypde-movie';

function limitFor(opt: unknown, field: string, k: number, n: number): number | null {
  if (opt === null || opt === undefined || opt === '') return null;
  if (typeof opt === 'number') return opt;
  if (Array.isArray(opt)) {
    if (opt.length < n) throw new ExportError(T, `vmin/vmax list has ${opt.length} entries for ${n} fields`);
    const v = opt[k];
    return v === null || v === undefined ? null : Number(v);
  }
  if (typeof opt === 'object') {
    const v = (opt as Record<string, unknown>)[field];
    return v === null || v === undefined ? null : Number(v);
  }
  throw new ExportError(T, `vmin/vmax must be a number, a list or an object (got ${JSON.stringify(opt)})`);
}

export async function exportPypdeMovie(source: FrameSource, job: ExportJob, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = readOptions(T, job.options);
  const frames = resolveFrames(source, job);
  const bits = Number(opts.bits);
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
  const given = layout.members.map((m, k) => [limitFor(opts.vmin, m.field, k, nfields), limitFor(opts.vmax, m.field, k, nfields)] as const);
  const needScan = given.some(([a, b]) => a === null || b === null);
  const ranges: [number, number][] = layout.members.map(() => [Infinity, -Infinity]);
  const total = frames.length * (needScan ? 2 : 1);
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
      { offset: 0, total },
    );
  }
  const limits: [number, number][] = layout.members.map((m, k) => {
    const a = given[k][0] ?? (Number.isFinite(ranges[k][0]) ? ranges[k][0] : 0);
    const b = given[k][1] ?? (Number.isFinite(ranges[k][1]) ? ranges[k][1] : 1);
    if (!(b >= a)) throw new ExportError(T, `vmax ${b} is below vmin ${a} for field “${m.field}”`);
    return [a, b];
  });

  const times = frames.map((i) => source.frames[i].time ?? source.frames[i].number);
  const writeTimes = opts.writeTimes !== false;
  const info = opts.info && typeof opts.info === 'object' && !Array.isArray(opts.info) ? (opts.info as Record<string, unknown>) : {};
  const json = commentJson(layout, limits, times, info, writeTimes);
  const ext = String(opts.container);
  const name = `${baseName(source, opts.name)}.${ext}`;
  const fmt = layout.format;
  const offset = needScan ? frames.length : 0;
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
    onProgress: (done) => ctl?.onProgress?.(offset + done, total),
    signal: ctl?.signal,
  });
  const steps = layout.members.map((m, k) => `${m.field}: ${((limits[k][1] - limits[k][0]) / fmt.max).toPrecision(3)}`);
  const note = `${fmt.key} (${fmt.bits} bit); quantisation step ${steps.join(', ')}; vmin/vmax ${limits.map((l) => `[${l[0]}, ${l[1]}]`).join(', ')}`;
  const out: ExportedFile[] = [{ path: name, bytes, note }];
  if (writeTimes) out.push({ path: `${name}.times`, bytes: new TextEncoder().encode(timesText(times)) });
  return out;
}
