/**
 * Option schemas of the export targets, and the one place where a job's untyped options
 * (`Record<string, unknown>` at the public edge: the dialog, scripts, tests) are validated and
 * turned into the target's typed options, with the schema defaults filled in. Every other layer
 * receives typed options and applies no default of its own.
 *
 * A schema is an object of option specs keyed by option name (the order is the dialog's order);
 * `OptionsOf<typeof schema>` is the typed options object a runner receives.
 */
import { ExportError } from '../core/errors';

interface Base<D> {
  label: string;
  default: D;
  help?: string;
  /** the dialog's control: a picker of the dataset's fields or of the colormaps (else by type) */
  picker?: 'field' | 'colormap';
  /** shown in the dialog only when this holds for the current options (e.g. quality for mpeg4) */
  applies?: (o: Record<string, unknown>) => boolean;
  /** dialog section */
  group?: 'render' | 'timing' | 'file';
}
export interface NumberOpt extends Base<number> {
  type: 'number';
  min?: number;
  max?: number;
  integer?: boolean;
}
/** A number or "automatic" (null; empty in the dialog). */
export interface AutoNumberOpt extends Base<null> {
  type: 'auto-number';
  /** what automatic means, in words (the dialog shows it instead of a number) */
  auto: string;
}
export interface StringOpt extends Base<string> {
  type: 'string';
}
export interface BooleanOpt extends Base<boolean> {
  type: 'boolean';
}
export interface EnumOpt<C extends string | number = string | number> extends Base<C> {
  type: 'enum';
  choices: readonly C[];
  /** words for each choice in the dialog */
  labels?: Partial<Record<string, string>>;
}
export interface JsonOpt<T = unknown> extends Base<T> {
  type: 'json';
  /** turns the parsed value into the option's type, or returns a sentence saying what is wrong */
  check(v: unknown): { ok: T } | { error: string };
}
export type OptionSpec = NumberOpt | AutoNumberOpt | StringOpt | BooleanOpt | EnumOpt | JsonOpt;
export type Schema = Record<string, OptionSpec>;

type ValueOf<O> = O extends NumberOpt
  ? number
  : O extends AutoNumberOpt
    ? number | null
    : O extends StringOpt
      ? string
      : O extends BooleanOpt
        ? boolean
        : O extends EnumOpt<infer C>
          ? C
          : O extends JsonOpt<infer T>
            ? T
            : never;

/** The typed options a target's runner receives for a schema. */
export type OptionsOf<S extends Schema> = { -readonly [K in keyof S]: ValueOf<S[K]> };

// ---- spec builders (keep literal types of enum choices) ----

export const num = (label: string, def: number, more: Partial<Omit<NumberOpt, 'type' | 'label' | 'default'>> = {}): NumberOpt => ({
  type: 'number',
  label,
  default: def,
  ...more,
});
export const autoNum = (label: string, auto: string, more: Partial<Omit<AutoNumberOpt, 'type' | 'label' | 'default' | 'auto'>> = {}): AutoNumberOpt => ({
  type: 'auto-number',
  label,
  auto,
  default: null,
  ...more,
});
export const str = (label: string, def = '', more: Partial<Omit<StringOpt, 'type' | 'label' | 'default'>> = {}): StringOpt => ({
  type: 'string',
  label,
  default: def,
  ...more,
});
export const bool = (label: string, def: boolean, more: Partial<Omit<BooleanOpt, 'type' | 'label' | 'default'>> = {}): BooleanOpt => ({
  type: 'boolean',
  label,
  default: def,
  ...more,
});
export function choice<const C extends string | number>(
  label: string,
  choices: readonly C[],
  def: NoInfer<C>,
  more: Partial<Omit<EnumOpt<C>, 'type' | 'label' | 'default' | 'choices'>> = {},
): EnumOpt<C> {
  return { type: 'enum', label, choices, default: def, ...more };
}
export function json<T>(
  label: string,
  def: T,
  check: JsonOpt<T>['check'],
  more: Partial<Omit<JsonOpt<T>, 'type' | 'label' | 'default' | 'check'>> = {},
): JsonOpt<T> {
  return { type: 'json', label, default: def, check, ...more };
}

/** A JSON object option (user metadata, extra info). */
export const jsonObject = (label: string, more: Partial<Omit<JsonOpt<Record<string, unknown>>, 'type' | 'label' | 'default' | 'check'>> = {}) =>
  json<Record<string, unknown>>(
    label,
    {},
    (v) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? { ok: v as Record<string, unknown> }
        : { error: 'must be a JSON object such as {"key": "value"}' },
    more,
  );

/** The option name every target has: the output's base name ('' = the source's name). */
export const nameOpt = (label = 'File name (without extension)') => str(label, '', { help: 'empty = the dataset’s name', group: 'file' });

// ---- validation: the one layer that applies defaults ----

function clone<T>(v: T): T {
  return v === null || typeof v !== 'object' ? v : (JSON.parse(JSON.stringify(v)) as T);
}

const show = (v: unknown) => (typeof v === 'string' ? `“${v}”` : (JSON.stringify(v) ?? String(v)));

/** One option's value, validated and converted; throws ExportError in words. */
function convert(target: string, key: string, o: OptionSpec, v: unknown): unknown {
  const bad = (what: string) => new ExportError(target, `option ${key} (${o.label}) ${what}`);
  switch (o.type) {
    case 'number':
    case 'auto-number': {
      if (o.type === 'auto-number' && (v === null || (typeof v === 'string' && (v.trim() === '' || v.trim().toLowerCase() === 'auto')))) return null;
      const x = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof x !== 'number' || !Number.isFinite(x))
        throw bad(`must be a number${o.type === 'auto-number' ? ' or empty for automatic' : ''} (got ${show(v)})`);
      if (o.type === 'number') {
        if (o.integer && !Number.isInteger(x)) throw bad(`must be a whole number (got ${x})`);
        if (o.min !== undefined && x < o.min) throw bad(`is ${x}, below the smallest allowed value ${o.min}`);
        if (o.max !== undefined && x > o.max) throw bad(`is ${x}, above the largest allowed value ${o.max}`);
      }
      return x;
    }
    case 'boolean':
      if (v === 'true') return true;
      if (v === 'false') return false;
      if (typeof v !== 'boolean') throw bad(`must be true or false (got ${show(v)})`);
      return v;
    case 'string':
      if (typeof v !== 'string') throw bad(`must be text (got ${show(v)})`);
      return v;
    case 'enum': {
      const hit = o.choices.find((c) => c === v || String(c) === String(v));
      if (hit === undefined) throw bad(`must be one of ${o.choices.join(', ')} (got ${show(v)})`);
      return hit;
    }
    case 'json': {
      let parsed = v;
      if (typeof v === 'string') {
        if (v.trim() === '') return clone(o.default);
        try {
          parsed = JSON.parse(v);
        } catch {
          throw bad(`is not valid JSON (got ${show(v)})`);
        }
      }
      const r = o.check(parsed);
      if ('error' in r) throw bad(`${r.error} (got ${show(parsed)})`);
      return r.ok;
    }
  }
}

/**
 * A job's options → the typed options of a schema: defaults for what is missing (undefined, or an
 * empty string for a number), every given value validated and converted (numbers from text, enum
 * choices by value or text). Unknown keys are refused in words, so a misspelt option never passes
 * silently; `legacy` maps retired option names to a sentence saying what to use instead.
 */
export function parseOptions<S extends Schema>(
  target: string,
  schema: S,
  given: Record<string, unknown> | undefined,
  legacy: Record<string, (v: unknown) => string | null> = {},
): OptionsOf<S> {
  const out: Record<string, unknown> = {};
  const input = given ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new ExportError(target, `options must be an object of option: value pairs (got ${show(input)})`);
  for (const k of Object.keys(input)) {
    if (k in schema || input[k] === undefined) continue;
    const hint = legacy[k]?.(input[k]);
    if (hint) throw new ExportError(target, hint);
    throw new ExportError(target, `unknown option “${k}” (this target takes ${Object.keys(schema).join(', ')})`);
  }
  for (const [k, o] of Object.entries(schema)) {
    const v = input[k];
    const hint = v === undefined ? null : legacy[k]?.(v);
    if (hint) throw new ExportError(target, hint);
    if (v === undefined || (v === '' && o.type === 'number')) out[k] = clone(o.default);
    else out[k] = convert(target, k, o, v);
  }
  return out as OptionsOf<S>;
}

/** The schema defaults (what a job without options gets). */
export function schemaDefaults<S extends Schema>(schema: S): OptionsOf<S> {
  return Object.fromEntries(Object.entries(schema).map(([k, o]) => [k, clone(o.default)])) as OptionsOf<S>;
}
