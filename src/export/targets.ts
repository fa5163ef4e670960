/**
 * The export targets: one table, one file per target under `targets/` (id, words, where it runs,
 * option schema with defaults and types, checks; the lazily imported runner in `runners.ts`). To
 * add a target, write `targets/<id>.ts` with `defineTarget({...})`, add it to `EXPORT_TARGETS`
 * below and its runner to `RUNNERS` in runners.ts.
 * The export dialog builds its form from this table; `exportDataset` validates a job's options
 * against it (the one layer that applies defaults).
 */
import { ExportError } from '../core/errors';
import type { OptionsOf, Schema } from './options';
import { resolveOptions, type ExportTarget } from './target';
import { hdf5, zarr } from './targets/cubes';
import { davisSet } from './targets/davis-set';
import { imgstore } from './targets/imgstore';
import { gif, mp4, webm } from './targets/movies';
import { npz } from './targets/npz';
import { phiflowScene } from './targets/phiflow-scene';
import { pngZip } from './targets/png-zip';
import { pypdeMovie } from './targets/pypde-movie';

export type { ExportTarget, ResolvedJob, Runner } from './target';
export type { OptionSpec } from './options';

export const EXPORT_TARGETS: readonly ExportTarget<Schema>[] = [pypdeMovie, mp4, webm, gif, pngZip, npz, imgstore, davisSet, phiflowScene, hdf5, zarr];

export function targetById(id: string): ExportTarget<Schema> | undefined {
  return EXPORT_TARGETS.find((t) => t.id === id);
}

export function requireTarget(id: string): ExportTarget<Schema> {
  const t = targetById(id);
  if (!t) throw new ExportError(String(id), `unknown export target (available: ${EXPORT_TARGETS.map((x) => x.id).join(', ')})`);
  return t;
}

/** A target's options for a job, defaults filled in and validated (ExportError in words). */
export function readOptions(targetId: string, options: Record<string, unknown> | undefined): OptionsOf<Schema> {
  return resolveOptions(requireTarget(targetId), options);
}
