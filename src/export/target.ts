/**
 * What one export target is: its id and words for people, where it runs, its option schema (and
 * with it the option type and the defaults) and a cross-option check. One file per target under
 * `targets/`, listed in one table (`targets.ts`); its runner is imported lazily through
 * `runners.ts` (so the dialog reads the table without loading any writer, and a runner can take
 * its option type from its row without an import loop).
 */
import { ExportError } from '../core/errors';
import type { FrameSource } from '../core/types';
import type { ExportControl, ExportedFile } from './job';
import { parseOptions, type OptionSpec, type OptionsOf, type Schema } from './options';

/** A job as a runner receives it: frames resolved, options typed and complete. */
export interface ResolvedJob<O> {
  target: string;
  /** frame indices into source.frames, in output order, checked */
  frames: number[];
  fields?: string[];
  options: O;
}

export type Runner<O> = (source: FrameSource, job: ResolvedJob<O>, ctl?: ExportControl) => Promise<ExportedFile[]>;

export interface ExportTarget<S extends Schema = Schema> {
  id: string;
  label: string;
  /** needs a browser API (ffmpeg.wasm, WebCodecs, OffscreenCanvas); false = also runs under Node; 'depends' = on its options */
  needsBrowser: boolean | 'depends';
  /** file name extension(s) it produces */
  produces: string;
  help?: string;
  /** draws frames as the viewer shows them (for these options): the dialog offers a preview */
  rendered(o: OptionsOf<S>): boolean;
  schema: S;
  /** what the options together must satisfy: a sentence saying what is wrong, else null */
  check?(o: OptionsOf<S>): string | null;
  /** retired option names → a sentence saying what to use instead (null = fine) */
  legacy?: Record<string, (v: unknown) => string | null>;
  /** the schema as a list (dialog order), each spec with its key */
  options: (OptionSpec & { key: string })[];
}

/** A target's runner, imported when a job runs; typed by the target's schema. */
export function lazyRunner<S extends Schema>(_target: ExportTarget<S>, load: () => Promise<Runner<OptionsOf<S>>>): () => Promise<Runner<OptionsOf<S>>> {
  return load;
}

export function defineTarget<const S extends Schema>(t: Omit<ExportTarget<S>, 'options'>): ExportTarget<S> {
  return { ...t, options: Object.entries(t.schema).map(([key, o]) => ({ ...o, key })) };
}

/** Validate and complete a job's untyped options for a target (the one layer that applies defaults). */
export function resolveOptions<S extends Schema>(t: ExportTarget<S>, given: Record<string, unknown> | undefined): OptionsOf<S> {
  const o = parseOptions(t.id, t.schema, given, t.legacy);
  const problem = t.check?.(o);
  if (problem) throw new ExportError(t.id, problem);
  return o;
}
