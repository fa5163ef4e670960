/**
 * `phiflow-scene` target: a PhiFlow 3 Scene directory (shared/formats/phiflow-scene.md §1–§5):
 *
 *   sim_NNNNNN/description.json            scene properties (indent 2), tensors listed in __tensors__
 *   sim_NNNNNN/<field>_<frame:06d>.npz     savez_compressed with the nine members PhiFlow reads
 *
 * This file is the job plumbing (options, frames, which grids, progress); the files themselves are
 * written by `formats/phiflow/write-grid.ts` and `write-scene.ts`.
 *
 * - A scene opened by our PhiFlow reader is written back grid by grid: every source field (the
 *   `<field>` of its file names) becomes one file per frame of the same field type (a
 *   StaggeredGrid stays a StaggeredGrid), dims, bounds and extrapolation, gathered from the viewer
 *   fields the reader made of it. Selecting any viewer field of a source field (`velocity`,
 *   `velocity/x`, `density[member=1]`) selects that whole source field; with no selection the
 *   scene gets exactly the source's field names. A frame in which the source lacks a field lacks
 *   it here too. description.json is the source's (plus the `properties` option); the
 *   `extrapolation` option does not apply (each grid keeps its own).
 * - Any other source: every scalar/vector field becomes a CenteredGrid (write-grid.ts
 *   `centeredGridMembers`), with the chosen extrapolation; RGB fields are refused. File names
 *   follow PhiFlow's normalisation after '/' → '_' (`frame0/U0` → `frame0_u0`).
 *
 * Frame numbers are the source's when they are distinct integers in 0…999999 (PhiFlow parses
 * exactly six digits), else the export positions 0, 1, … (the source's then in
 * `source_frame_numbers`).
 */
import type { FieldInfo, FrameSource } from '../core/types';
import { phiflowFieldName } from '../formats/phiflow/names';
import {
  centeredGridMembers,
  gatherGrid,
  GridWriteError,
  gridMembers,
  simpleExtrapolation,
  sourceGridLayout,
  viewerFieldNames,
  type GridLayout,
} from '../formats/phiflow/write-grid';
import { axisDomain, describeExport, encodeFieldFile, sceneDescription } from '../formats/phiflow/write-scene';
import { eachFrame, ExportError, fieldOf, pad6, resolveFields, resolveFrames, type ExportControl, type ExportedFile, type ExportJob } from './job';
import { readOptions } from './targets';

const T = 'phiflow-scene';

export { phiflowFieldName };

/** One file per frame: a source grid written back, or one viewer field as a CenteredGrid. */
type Plan = { kind: 'grid'; field: string; slug: string; layout: GridLayout } | { kind: 'centered'; field: FieldInfo; slug: string };

function isRecord(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

function guard<R>(what: string, fn: () => R): R {
  try {
    return fn();
  } catch (e) {
    if (e instanceof GridWriteError) throw new ExportError(T, `${what}: ${e.message}`);
    throw e;
  }
}

/** The grids of a scene opened by our PhiFlow reader, with their viewer field names. */
function sourceGrids(source: FrameSource): { field: string; layout: GridLayout; viewer: string[] }[] {
  const meta = source.format === 'phiflow' && isRecord(source.metadata.fields) ? source.metadata.fields : null;
  if (!meta) return [];
  return Object.keys(meta).map((field) =>
    guard(`PhiFlow field “${field}”`, () => {
      const layout = sourceGridLayout(meta[field]);
      return { field, layout, viewer: viewerFieldNames(layout, field) };
    }),
  );
}

function planExport(source: FrameSource, job: ExportJob): Plan[] {
  const grids = sourceGrids(source);
  const owner = new Map<string, (typeof grids)[number]>();
  for (const g of grids) for (const v of g.viewer) owner.set(v, g);
  const plans: Plan[] = [];
  const taken = new Set<string>();
  const addGrid = (g: (typeof grids)[number]) => {
    if (taken.has(g.field)) return;
    taken.add(g.field);
    plans.push({ kind: 'grid', field: g.field, slug: phiflowFieldName(g.field), layout: g.layout });
  };
  if (grids.length && !job.fields?.length) {
    for (const g of grids) addGrid(g);
  } else {
    const chosen = resolveFields(source, job, ['scalar', 'vector'], (f) => f.shape.length >= 1 && f.shape.length <= 3);
    for (const f of chosen) {
      const g = owner.get(f.name);
      if (g) addGrid(g);
      else if (!taken.has(f.name)) {
        taken.add(f.name);
        plans.push({ kind: 'centered', field: f, slug: phiflowFieldName(f.name) });
      }
    }
  }
  const bySlug = new Map<string, string>();
  for (const p of plans) {
    const name = p.kind === 'grid' ? p.field : p.field.name;
    if (!p.slug) throw new ExportError(T, `field “${name}” has no characters PhiFlow keeps in a file name`);
    const clash = bySlug.get(p.slug);
    if (clash !== undefined) throw new ExportError(T, `fields “${clash}” and “${name}” would both be stored as “${p.slug}”; export one of them`);
    bySlug.set(p.slug, name);
  }
  return plans;
}

export async function exportPhiflowScene(source: FrameSource, job: ExportJob, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = readOptions(T, job.options);
  const frames = resolveFrames(source, job);
  const sceneId = Number(opts.sceneId);
  if (!Number.isInteger(sceneId) || sceneId < 0) throw new ExportError(T, `scene id must be a non-negative integer (got ${String(opts.sceneId)})`);
  const plans = planExport(source, job);
  const dir = `sim_${pad6(sceneId)}`;
  const infos = frames.map((i) => source.frames[i]);
  const nums = infos.map((f) => f.number);
  const useSource = nums.every((n) => Number.isInteger(n) && n >= 0 && n <= 999_999) && new Set(nums).size === nums.length;
  const frameNo = useSource ? nums : frames.map((_, k) => k);
  const extrapolation = simpleExtrapolation(opts.extrapolation);
  const out: ExportedFile[] = [];
  let domain: ReturnType<typeof axisDomain> | null = null;

  await eachFrame(source, frames, ctl, (frame, k) => {
    for (const p of plans) {
      const path = `${dir}/${p.slug}_${pad6(frameNo[k])}.npz`;
      let members: Record<string, Uint8Array>;
      if (p.kind === 'grid') {
        const errors = isRecord(frame.attributes.field_errors) ? frame.attributes.field_errors : {};
        const failed = Object.keys(errors).find((n) => n === p.field || n.startsWith(`${p.field}/`) || n.startsWith(`${p.field}[`));
        if (failed) throw new ExportError(T, `field “${p.field}” could not be read in frame ${frame.info.number}: ${String(errors[failed])}`);
        if (!(p.field in frame.attributes)) continue; // the source has no file of this field in this frame
        members = guard(`field “${p.field}” in frame ${frame.info.number}`, () => gridMembers(p.layout, gatherGrid(p.layout, p.field, frame.fields)));
      } else {
        const d = fieldOf(frame, p.field.name, T);
        if (d.kind !== 'scalar' && d.kind !== 'vector')
          throw new ExportError(T, `field “${p.field.name}” is ${d.kind}; PhiFlow grids hold scalar or vector values`);
        members = guard(`field “${p.field.name}”`, () => centeredGridMembers(d, extrapolation, false));
        domain ??= axisDomain(d);
      }
      out.push({ path, bytes: encodeFieldFile(members) });
    }
  });

  const user = isRecord(opts.properties) ? opts.properties : {};
  const fromScene = source.format === 'phiflow' && plans.every((p) => p.kind === 'grid');
  const props = fromScene
    ? { ...(isRecord(source.metadata.description) ? source.metadata.description : {}), ...user }
    : describeExport(user, {
        source: { format: source.format, name: source.name },
        timeUnit: source.timeUnit,
        times: infos.map((f) => f.time),
        frameNumbers: frameNo,
        domain,
      });
  if (!useSource) props.source_frame_numbers = nums;
  const desc = sceneDescription(props);
  return [...(desc ? [{ path: `${dir}/description.json`, bytes: desc }] : []), ...out];
}
