/**
 * `description.json`: free-form user properties written with `json.dump`. Keys listed in
 * `__tensors__` hold PhiML tensors as `{names, types, item_names, data}`; they are shown in a
 * readable form: a 1-D tensor with item names becomes `{x: 2, y: 1.5}`; any other tensor becomes
 * `{ tensor: "(vectorᶜ=x,y)"-like shape text, data }`. `__tensors__` itself is removed.
 */
import { FormatError } from '../errors';

const TYPE_MARK: Record<string, string> = { spatial: 'ˢ', channel: 'ᶜ', batch: 'ᵇ', instance: 'ⁱ', dual: 'ᵈ' };

interface TensorDict {
  names: string[];
  types?: string[];
  item_names?: (string[] | null)[];
  data: unknown;
}

function isTensorDict(x: unknown): x is TensorDict {
  return !!x && typeof x === 'object' && Array.isArray((x as TensorDict).names) && 'data' in (x as object);
}

function sizesOf(data: unknown, nd: number): number[] {
  const out: number[] = [];
  let d = data;
  for (let k = 0; k < nd; k++) {
    out.push(Array.isArray(d) ? d.length : 1);
    d = Array.isArray(d) ? d[0] : d;
  }
  return out;
}

/** Readable form of one stored tensor dict. */
export function readableTensor(t: TensorDict): unknown {
  const nd = t.names.length;
  const items = t.item_names ?? [];
  if (nd === 1 && Array.isArray(items[0]) && Array.isArray(t.data) && items[0]!.length === t.data.length) {
    const out: Record<string, unknown> = {};
    items[0]!.forEach((n, k) => (out[n] = (t.data as unknown[])[k]));
    return out;
  }
  const sizes = sizesOf(t.data, nd);
  const dims = t.names.map((n, k) => {
    const mark = TYPE_MARK[t.types?.[k] ?? ''] ?? '';
    const it = items[k];
    return `${n}${mark}=${Array.isArray(it) ? it.join(',') : sizes[k]}`;
  });
  return { tensor: `(${dims.join(', ')})`, data: t.data };
}

/** Parse description.json text into readable properties. */
export function parseProperties(text: string, path: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw new FormatError('phiflow', path, `description.json is not valid JSON: ${(e as Error).message}`, m ? Number(m[1]) : undefined);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new FormatError('phiflow', path, 'description.json is not a JSON object', 0);
  const obj = raw as Record<string, unknown>;
  const tensors = Array.isArray(obj.__tensors__) ? (obj.__tensors__ as unknown[]).map(String) : [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === '__tensors__') continue;
    out[k] = tensors.includes(k) && isTensorDict(v) ? readableTensor(v) : v;
  }
  return out;
}

/** The scene's time step, when the properties hold a finite numeric `dt`. */
export function dtOf(props: Record<string, unknown>): number | null {
  const dt = props.dt;
  return typeof dt === 'number' && Number.isFinite(dt) ? dt : null;
}
