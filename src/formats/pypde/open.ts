import { NEAREST_RULES, nearestIndex } from '../../core/nearest';
/**
 * py-pde MovieStorage reader (browser: decodes with ffmpeg.wasm through src/video).
 * Metadata from the comment tag, fields unpacked channel by channel, dequantised with per-field
 * vmin/vmax; times from `<movie>.times` (when the metadata says it was written) or t_start + i·dt.
 */
import { openVideoFile } from '../../video/index';
import type { VideoFile } from '../../video/types';
import { FormatError } from '../errors';
import type { FieldData, FieldInfo, Frame, FrameInfo, FrameSource, Scale, SourceFile, SourceTree } from '../types';
import { gridGeometry, type GridGeometry } from './grid';
import {
  commentTag,
  decodeFieldAttributes,
  fieldLimits,
  MetadataError,
  parseComment,
  VIDEO_FORMATS,
  videoFormatKey,
  type StorageDescription,
} from './metadata';
import { pypdeMovies } from './sniff';
import { formulaTimes, parseTimes, TimesError } from './times';
import { channelValues, componentSlots, quantisationStep, rawFrameSize, type PackedLayout } from './unpack';

const FORMAT = 'pypde';
const MAX_TIMES_BYTES = 64 << 20;

export async function open(tree: SourceTree): Promise<FrameSource> {
  const movies = await pypdeMovies(tree);
  if (!movies.length)
    throw new FormatError(
      FORMAT,
      tree.files.length === 1 ? tree.files[0].path : tree.name,
      'no movie with py-pde metadata (comment tag with field_attributes) found',
    );
  const src = await openMovie(tree, movies[0]);
  if (movies.length > 1) src.scenes = movies.map((m) => ({ name: m.path, open: () => openMovie(tree, m) }));
  return src;
}

interface FieldPlan {
  name: string;
  cls: string;
  rank: number;
  /** channel of each component, in C order of the tensor indices */
  channels: number[];
  a: number;
  b: number;
}

function fieldNames(desc: StorageDescription): string[] {
  const used = new Set<string>();
  return desc.fields.map((f, k) => {
    let name = f.label?.trim() ? f.label : `field${k}`;
    if (used.has(name)) name = `${name}#${k}`;
    used.add(name);
    return name;
  });
}

const unitScale = (description: string): Scale => ({ slope: 1, offset: 0, unit: '', description });

/** A movie cut short: its frames cannot be trusted to be py-pde's (see openMovie). */
class TruncatedMovie extends FormatError {}

/**
 * Open one py-pde movie of the tree. A truncated movie (the container declares more frames than it
 * holds) is refused as py-pde data and opened as a plain video with a warning, so what is there
 * can still be looked at; `strict` refuses it instead (the FormatError says why).
 */
export async function openMovie(tree: SourceTree, file: SourceFile, opts: { strict?: boolean } = {}): Promise<FrameSource> {
  const fail = (reason: string, offset?: number): never => {
    throw new FormatError(FORMAT, file.path, reason, offset);
  };
  // every frame is dequantised into arrays of its own at once: the decoded bytes may stay shared
  const vf: VideoFile = await openVideoFile(file, { format: FORMAT, sharedFrames: true });
  try {
    return await build(tree, file, vf, fail);
  } catch (e) {
    vf.close();
    if (e instanceof MetadataError) fail(`py-pde metadata: ${e.message}`);
    if (e instanceof TruncatedMovie && !opts.strict) {
      const { openVideoSource } = await import('../video/open');
      const src = await openVideoSource(file);
      src.warnings = [`${file.path}: ${e.reason}; refused as a py-pde movie (field values not shown), opened as plain video`, ...(src.warnings ?? [])];
      return src;
    }
    throw e;
  }
}

async function build(tree: SourceTree, file: SourceFile, vf: VideoFile, fail: (reason: string, offset?: number) => never): Promise<FrameSource> {
  const info = vf.info;
  const warnings: string[] = [...(info.warnings ?? [])];
  const comment = commentTag(info.tags);
  if (comment === null) fail('no comment tag: not a py-pde MovieStorage file');
  const meta = parseComment(comment as string);
  if (!('field_attributes' in meta)) fail('the comment JSON has no field_attributes: the data cannot be interpreted');
  if (meta.version !== undefined && meta.version !== 1) {
    // a parsed value: a mapping whose toString is not callable must not reach String()
    const v: unknown = meta.version;
    const shown =
      typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null ? JSON.stringify(v) : Array.isArray(v) ? 'a list' : 'a mapping';
    warnings.push(`metadata version ${shown} (expected 1)`);
  }
  if (info.codec !== 'ffv1') warnings.push(`codec ${info.codec} is not FFV1: values may not be lossless`);

  const desc = decodeFieldAttributes(meta.field_attributes);
  const geom: GridGeometry = gridGeometry(desc.fields[0].grid);
  if (geom.axes.length > 2) fail(`grid with ${geom.axes.length} axes (py-pde stores 1 or 2)`);
  const W = geom.axes[0].n;
  const H = geom.axes.length === 2 ? geom.axes[1].n : 1;
  if (info.width !== W || info.height !== H) fail(`video is ${info.width}x${info.height} but the grid needs ${W}x${H} (width = grid axis 0, height = axis 1)`);

  const fmtKey = videoFormatKey(meta, info.pixFmt);
  const vfmt = VIDEO_FORMATS[fmtKey];
  const layout: PackedLayout = { width: W, height: H, channels: vfmt.channels, bits: vfmt.bits };
  const slots = componentSlots(
    desc.fields.map((f) => f.rank),
    geom.dim,
  );
  if (slots.length > vfmt.channels) fail(`${slots.length} components do not fit the ${vfmt.channels} channels of ${fmtKey}`);
  const { a, b } = fieldLimits(meta.vmin, meta.vmax, desc.fields.length);

  const names = fieldNames(desc);
  const plans: FieldPlan[] = desc.fields.map((f, k) => ({
    name: names[k],
    cls: f.class,
    rank: f.rank,
    channels: slots.map((s, ch) => (s.field === k ? ch : -1)).filter((ch) => ch >= 0),
    a: a[k],
    b: b[k],
  }));

  // Frame count: complete frames only; a container that declares more was cut short.
  const n = info.frameCount;
  if (info.declaredFrameCount && info.declaredFrameCount > n)
    throw new TruncatedMovie(FORMAT, file.path, `truncated: the container declares ${info.declaredFrameCount} frames but only ${n} are present`);

  // Times
  let times: number[] = formulaTimes(n, meta.t_start, meta.dt);
  let timesSource = 'formula';
  if (meta.write_times === true) {
    const sidecarPath = file.path + '.times';
    const side = tree.files.find((f) => f.path === sidecarPath);
    if (!side) warnings.push(`metadata says write_times but ${sidecarPath} is missing: times from t_start + i·dt`);
    else {
      if (side.size > MAX_TIMES_BYTES) throw new FormatError(FORMAT, side.path, `times file of ${side.size} bytes is too large`);
      let parsed: number[];
      try {
        parsed = parseTimes(new TextDecoder().decode(await side.read(0, side.size)), Math.max(n, 1) * 4 + 16);
      } catch (e) {
        if (e instanceof TimesError) throw new FormatError(FORMAT, side.path, `times file: ${e.message}`, e.offset);
        throw e;
      }
      if (parsed.length < n) {
        warnings.push(`${sidecarPath} lists ${parsed.length} times for ${n} frames: the rest from t_start + i·dt`);
        times = times.map((t, i) => (i < parsed.length ? parsed[i] : t));
      } else {
        if (parsed.length > n) warnings.push(`${sidecarPath} lists ${parsed.length} times for ${n} frames`);
        times = parsed.slice(0, n);
      }
      timesSource = sidecarPath;
    }
  }

  const frames: FrameInfo[] = times.map((t, i) => ({ index: i, number: i, time: t }));
  const oneD = geom.axes.length === 1;
  const shape = oneD ? [W] : [H, W];
  const axisScales = {
    x: geom.axes[0].scale,
    y: oneD ? unitScale('') : geom.axes[1].scale,
  };
  const cartesian = geom.class === 'CartesianGrid' || geom.class === 'UnitGrid';
  const coords = cartesian ? undefined : { x: geom.axes[0].centres, ...(oneD ? {} : { y: geom.axes[1].centres }) };

  const fields: FieldInfo[] = [];
  const fieldMeta: Record<string, unknown> = {};
  for (const p of plans) {
    const step = quantisationStep(p.a, p.b, vfmt.bits);
    const common = { class: p.cls, vmin: p.a, vmax: p.b, quantisationStep: step, channels: p.channels };
    if (p.rank === 0) {
      fields.push({ name: p.name, kind: 'scalar', shape, unit: '' });
      fieldMeta[p.name] = common;
    } else if (p.rank === 1) {
      fields.push({ name: p.name, kind: 'vector', shape, unit: '' });
      fieldMeta[p.name] = { ...common, components: geom.dim };
    } else {
      for (let i = 0; i < geom.dim; i++)
        for (let j = 0; j < geom.dim; j++) {
          const nm = `${p.name}/${i}${j}`;
          fields.push({ name: nm, kind: 'scalar', shape, unit: '' });
          fieldMeta[nm] = { ...common, channels: [p.channels[i * geom.dim + j]], tensorIndex: [i, j] };
        }
    }
  }

  const userInfo: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) if (!['field_attributes', 'vmin', 'vmax', 'version'].includes(k)) userInfo[k] = v;

  const metadata: Record<string, unknown> = {
    file: file.path,
    fieldClass: desc.class,
    collection: desc.collection,
    fields: fieldMeta,
    grid: {
      class: geom.class,
      dim: geom.dim,
      state: geom.state,
      axes: geom.axes.map((ax) => ({ name: ax.name, lo: ax.lo, hi: ax.hi, n: ax.n, periodic: ax.periodic })),
    },
    video: {
      codec: info.codec,
      width: info.width,
      height: info.height,
      storedPixFmt: info.pixFmt,
      videoFormat: fmtKey,
      pixFmtData: vfmt.pixFmt,
      bitsPerChannel: vfmt.bits,
      channels: vfmt.channels,
      frames: n,
    },
    version: meta.version ?? null,
    vmin: meta.vmin,
    vmax: meta.vmax,
    timesSource,
    info: userInfo,
  };

  const frameBytes = rawFrameSize(layout);

  async function readFrame(index: number, opts: { signal?: AbortSignal } = {}): Promise<Frame> {
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new RangeError(`${file.path}: frame ${index} out of range 0..${n - 1}`);
    const dec = await vf.readFrame(index, { pixFmt: vfmt.pixFmt, signal: opts.signal });
    if (dec.data.length !== frameBytes)
      throw new FormatError(FORMAT, file.path, `frame ${index}: decoded ${dec.data.length} bytes, expected ${frameBytes} (${W}x${H} ${vfmt.pixFmt})`);
    const out: Record<string, FieldData> = {};
    const comp = (ch: number, a: number, b: number) => channelValues(dec.data, layout, ch, a, b);
    const base = { shape, scales: axisScales, ...(coords ? { coords } : {}) };
    for (const p of plans) {
      if (p.rank === 0) out[p.name] = { kind: 'scalar', values: comp(p.channels[0], p.a, p.b), ...base };
      else if (p.rank === 1) {
        const c = p.channels.map((ch) => channelValues(dec.data, layout, ch, p.a, p.b, new Float32Array(layout.width * layout.height)));
        out[p.name] = { kind: 'vector', u: c[0], v: c[1], ...(c[2] ? { w: c[2] } : {}), ...base };
      } else {
        for (let i = 0; i < geom.dim; i++)
          for (let j = 0; j < geom.dim; j++) out[`${p.name}/${i}${j}`] = { kind: 'scalar', values: comp(p.channels[i * geom.dim + j], p.a, p.b), ...base };
      }
    }
    return { info: frames[index], fields: out, attributes: { time: frames[index].time } };
  }

  return {
    format: FORMAT,
    name: file.path.split('/').pop() ?? file.path,
    frames,
    fields,
    metadata,
    timeUnit: null,
    readFrame,
    nearestIndex: (t: number) => nearestIndex(times, t, NEAREST_RULES.pypde),
    close: () => vf.close(),
    warnings,
  };
}
