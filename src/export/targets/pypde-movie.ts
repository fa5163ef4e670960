/** `pypde-movie`: a py-pde MovieStorage file (FFV1) py-pde reads back with MovieStorage. */
import { bool, choice, json, jsonObject, nameOpt, type OptionsOf } from '../options';
import { defineTarget } from '../target';

/** vmin/vmax of py-pde: automatic (null), one number, a list per field, or {field: number}. */
export type PypdeLimit = number | (number | null)[] | Record<string, number | null> | null;

const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
function checkLimit(v: unknown): { ok: PypdeLimit } | { error: string } {
  if (v === null || finite(v)) return { ok: v as number | null };
  if (Array.isArray(v) && v.every((x) => x === null || finite(x))) return { ok: v as (number | null)[] };
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === null || finite(x)))
    return { ok: v as Record<string, number | null> };
  return { error: 'must be empty (the data range), a number, a list of numbers per field, or {"field": number}' };
}

const schema = {
  container: choice('Container', ['avi', 'mkv', 'mov'], 'avi', { group: 'file' }),
  bits: choice('Bits per channel', [8, 16], 16, { group: 'file' }),
  vmin: json<PypdeLimit>('vmin', null, checkLimit, {
    group: 'file',
    help: 'empty = the data minimum of each field over the exported frames; or a number, a list per field, {"field": number}',
  }),
  vmax: json<PypdeLimit>('vmax', null, checkLimit, {
    group: 'file',
    help: 'empty = the data maximum of each field over the exported frames; or a number, a list per field, {"field": number}',
  }),
  info: jsonObject('Extra info (JSON object) stored in the comment', { group: 'file' }),
  writeTimes: bool('Write the .times side-car', true, { group: 'file' }),
  name: nameOpt(),
} as const;
export type PypdeMovieOptions = OptionsOf<typeof schema>;

export const pypdeMovie = defineTarget({
  id: 'pypde-movie',
  label: 'py-pde MovieStorage (FFV1)',
  needsBrowser: true,
  produces: '.avi/.mkv/.mov + .times',
  help: 'lossless video py-pde reads back with MovieStorage; values quantised to 8 or 16 bit between vmin and vmax',
  rendered: () => false,
  schema,
});
