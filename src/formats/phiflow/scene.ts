import { abortError } from '../../core/abort';
import { NEAREST_RULES, nearestIndex } from '../../core/nearest';
/**
 * One PhiFlow scene directory → FrameSource.
 *
 * - fields and frames come from the `<field>_<frame>.npz` names (names.ts); `frames` is the union
 *   over fields, a frame lacking some field simply lacks it in readFrame;
 * - the field list (FieldInfo) is planned from the first file of each field, reading only the
 *   small members and the data header;
 * - FrameInfo.number = frame number of the file name, time = number · dt when description.json has
 *   a numeric `dt`, else null; timeUnit stays null (PhiFlow stores no unit);
 * - readFrame reads only that frame's npz files (one ranged read per small file).
 */
import { openNpz } from '../../codecs/npz';
import { basenameOf, dirnameOf } from '../../io/subtree';
import { FormatError } from '../errors';
import type { Frame, FrameInfo, FieldData, FieldInfo, FrameSource, SeriesInfo, SourceFile, SourceTree } from '../types';
import { materialize } from './fields';
import { planFields, readGrid, readGridHeader, type GridFile } from './grid';
import { parseLogSeries } from './logs';
import { joinPath, parseFieldFile } from './names';
import { dtOf, parseProperties, parseSceneJson } from './properties';
import { isDict, own, str } from './values';

const MAX_TEXT = 8 << 20;

async function readText(f: SourceFile): Promise<string> {
  const b = await f.read(0, Math.min(f.size, MAX_TEXT));
  return new TextDecoder('utf-8').decode(b);
}

export interface SceneEntry {
  name: string;
  open(): Promise<FrameSource>;
}

export async function openScene(tree: SourceTree, dir: string, scenes?: SceneEntry[]): Promise<FrameSource> {
  const inDir = tree.files.filter((f) => dirnameOf(f.path) === dir);
  const srcPrefix = joinPath(dir, 'src') + '/';
  const srcFiles = tree.files.filter((f) => f.path.startsWith(srcPrefix) && !f.path.slice(srcPrefix.length).includes('/'));
  const warnings: string[] = [];
  const name = dir ? basenameOf(dir) : tree.name;

  // fields and frames from file names
  const byField = new Map<string, Map<number, SourceFile>>();
  for (const f of inDir) {
    const p = parseFieldFile(basenameOf(f.path));
    if (!p) continue;
    let m = byField.get(p.field);
    if (!m) byField.set(p.field, (m = new Map()));
    m.set(p.frame, f);
  }
  if (!byField.size) throw new FormatError('phiflow', dir || tree.name, 'no <field>_<frame>.npz files in the scene folder');
  const frameNumbers = [...new Set([...byField.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);

  // start every read at once (over HTTP each is a request); results are consumed in order below
  const texts = new Map<SourceFile, Promise<string>>();
  const text = (f: SourceFile): Promise<string> => {
    let p = texts.get(f);
    if (!p) {
      p = readText(f);
      p.catch(() => undefined); // consumed (and rethrown) later
      texts.set(f, p);
    }
    return p;
  };
  const desc = inDir.find((f) => basenameOf(f.path) === 'description.json');
  for (const f of [...(desc ? [desc] : []), ...srcFiles, ...inDir.filter((f) => /^(info(_\d+)?\.log|log_.+\.txt)$/.test(basenameOf(f.path)))]) text(f);
  const fieldNames = [...byField.keys()].sort();
  const firstFiles = fieldNames.map((field) => {
    const files = byField.get(field)!;
    return files.get(Math.min(...files.keys()))!;
  });
  const headers = firstFiles.map((f) =>
    openNpz(f)
      .then(readGridHeader)
      .then(
        (grid) => ({ grid, error: null }),
        (error: unknown) => ({ grid: null, error }),
      ),
  );

  // properties (a damaged description.json is a FormatError: the scene's dt and properties are part of it)
  let properties: Record<string, unknown> = {};
  let description: Record<string, unknown> | null = null;
  if (desc) {
    const p = parseProperties(await text(desc), desc.path);
    properties = p.properties;
    description = p.raw;
    warnings.push(...p.warnings);
  }
  const dt = dtOf(properties);
  const frames: FrameInfo[] = frameNumbers.map((number, index) => ({ index, number, time: dt === null ? null : number * dt }));

  // src/ and logs
  const documents: { name: string; text: string; mime?: string }[] = [];
  let context: Record<string, unknown> | null = null;
  for (const f of srcFiles) {
    const base = basenameOf(f.path);
    if (base === 'context.json') {
      const t = await text(f);
      documents.push({ name: f.path, text: t, mime: 'application/json' });
      try {
        const c = parseSceneJson(t, f.path);
        context = isDict(c) ? c : null;
        if (!context) warnings.push(`${f.path}: not a JSON object`);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        warnings.push(e.message);
      }
    } else if (/\.py$/i.test(base)) documents.push({ name: f.path, text: await text(f), mime: 'text/x-python' });
  }
  const series: SeriesInfo[] = [];
  for (const f of inDir) {
    const base = basenameOf(f.path);
    if (/^info(_\d+)?\.log$/.test(base)) documents.push({ name: f.path, text: await text(f), mime: 'text/plain' });
    const m = /^log_(.+)\.txt$/.exec(base);
    if (m) {
      const { series: s, bad } = parseLogSeries(m[1], await text(f));
      if (s) series.push(s);
      if (bad) warnings.push(`${f.path}: ${bad} line(s) that are not "frame value …" were skipped`);
    }
  }

  // plan fields from the first file of each field
  const fields: FieldInfo[] = [];
  const fieldMeta: Record<string, unknown> = {};
  let firstError: unknown = null;
  /** source fields whose first file could be described (the only ones readFrame reads) and their viewer fields */
  const readable: string[] = [];
  const planned = new Map<string, string[]>();
  for (const [k, field] of fieldNames.entries()) {
    const files = byField.get(field)!;
    const first = firstFiles[k];
    const h = await headers[k];
    if (!h.grid) {
      const e = h.error;
      if (!(e instanceof FormatError)) throw e;
      firstError ??= e;
      warnings.push(`${field}: ${e.message}`);
      continue;
    }
    const grid: GridFile = h.grid;
    const plans = planFields(grid, field);
    for (const p of plans) fields.push({ name: p.name, kind: p.kind, shape: p.shape, unit: '' });
    planned.set(
      field,
      plans.map((p) => p.name),
    );
    readable.push(field);
    fieldMeta[field] = {
      field_type: grid.fieldType,
      extrapolation: grid.extrapolation.plain,
      bounds: { lower: grid.lower, upper: grid.upper, names: grid.spatial },
      resolution: Object.fromEntries(grid.spatial.map((n, k) => [n, grid.resolution[k]])),
      dim_names: grid.dims.map((d) => d.name),
      dim_types: grid.dims.map((d) => d.type),
      dim_item_names: grid.dims.map((d) => d.items),
      dim_sizes: grid.dims.map((d) => d.size),
      dtype: grid.dtype,
      frames: files.size,
      first_file: first.path,
    };
    for (const w of grid.extrapolation.warnings) warnings.push(`${field}: ${w}`);
  }
  if (!fields.length) throw firstError ?? new FormatError('phiflow', dir || tree.name, 'no readable field');

  const phiVersion = context ? str(own(context, 'phi_version')) : null;
  const argv = context ? own(context, 'argv') : undefined;
  const metadata: Record<string, unknown> = {
    scene: name,
    path: dir || tree.name,
    properties,
    ...(description ? { description } : {}),
    phi_version: phiVersion,
    ...(argv !== undefined ? { argv } : {}),
    fields: fieldMeta,
    frame_count: frames.length,
    complete_frames: frameNumbers.filter((n) => fieldNames.every((f) => byField.get(f)!.has(n))).length,
  };

  let closed = false;
  const source: FrameSource = {
    format: 'phiflow',
    name,
    frames,
    fields,
    metadata,
    timeUnit: null,
    documents,
    series,
    warnings,
    ...(scenes && scenes.length > 1 ? { scenes } : {}),
    async readFrame(index, opts) {
      const signal = opts?.signal;
      if (signal?.aborted) throw abortError();
      if (closed) throw new Error(`${name}: readFrame after close()`);
      const info = frames[index];
      if (!info) throw new RangeError(`frame index ${index} out of range 0..${frames.length - 1}`);
      const out: Record<string, FieldData> = {};
      const attributes: Record<string, unknown> = {};
      const failed: Record<string, string> = {};
      let firstFailure: FormatError | null = null;
      const present = readable.filter((f) => byField.get(f)!.has(info.number));
      const jobs = present.map(async (field) => {
        const file = byField.get(field)!.get(info.number)!;
        try {
          const npz = await openNpz(file);
          if (signal?.aborted) throw abortError();
          const { grid, data } = await readGrid(npz);
          if (signal?.aborted) throw abortError();
          const plans = planFields(grid, field);
          const made: Record<string, FieldData> = {};
          for (const p of plans) made[p.name] = materialize(grid, data, p);
          Object.assign(out, made);
          attributes[field] = { file: file.path, dtype: grid.dtype, field_type: grid.fieldType };
        } catch (e) {
          if (!(e instanceof FormatError)) throw e;
          firstFailure ??= e;
          attributes[field] = { file: file.path, error: e.message };
          // name every viewer field of this source field, so a view of `velocity/x` finds the reason
          for (const p of planned.get(field) ?? [field]) failed[p] = e.message;
        }
      });
      await Promise.all(jobs);
      if (signal?.aborted) throw abortError();
      // every field of the frame failed: the frame failed (with the first reason)
      if (firstFailure && Object.keys(out).length === 0) throw firstFailure;
      if (firstFailure) attributes.field_errors = failed;
      // deterministic field order (planned order)
      const ordered: Record<string, FieldData> = {};
      for (const f of fields) if (out[f.name]) ordered[f.name] = out[f.name];
      for (const [k, v] of Object.entries(out)) if (!ordered[k]) ordered[k] = v;
      const frame: Frame = { info, fields: ordered, attributes };
      return frame;
    },
    nearestIndex(time) {
      return nearestIndex(
        frames.map((f) => f.time ?? f.number),
        time,
        NEAREST_RULES.phiflow,
      );
    },
    close() {
      closed = true;
    },
  };
  return source;
}
