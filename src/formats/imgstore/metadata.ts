/**
 * imgstore `metadata.yaml`: the `__store` block (store class, format, shape, chunk size, encoding,
 * creation time, timezone) and the user metadata (every other top-level key). Parsed with YAML 1.1
 * semantics (PyYAML's SafeLoader), so `yes`/`no`/`on`/`off` resolve the way Python resolves them and
 * both block and flow lists are accepted.
 */
import { parse } from 'yaml';
import { FormatError } from '../errors';
import { kindOf, numberList, optText, plainData, toNumber } from './values';

export type StoreClass = 'VideoImgStore' | 'DirectoryImgStore';

export interface StoreMetadata {
  /** path of metadata.yaml inside the tree */
  path: string;
  /** the raw `__store` mapping */
  store: Record<string, unknown>;
  /** every other top-level key */
  user: Record<string, unknown>;
  /** normalised class (VideoImgStoreFFMPEG → VideoImgStore) */
  cls: StoreClass;
  /** the class as written */
  storeClass: string;
  /** payload format as written, e.g. npy, png, jpg, mjpeg/avi, avc1/mp4, h264/mkv, mjpeg, libx264 */
  format: string;
  /** DirectoryImgStore: image file extension without dot; VideoImgStore: chunk extension with dot */
  extension: string;
  /** numpy shape of one frame as imgstore returns it before `encoding` conversion ([h, w] or [h, w, 3]), if given */
  imgshape: number[] | null;
  imgdtype: string;
  chunksize: number | null;
  /** colour encoding to undo (null when none: null or '') */
  encoding: string | null;
  /** true when frames are colour (imgshape [h, w, 3]) or an encoding makes them colour */
  isColor: boolean;
  /** `created_utc` as an ISO string with an explicit Z (imgstore writes a naive UTC string) */
  createdUtc: string | null;
  timezoneLocal: string | null;
  /** zone used to display frame times: user `timezone` if valid, else `timezone_local`, else UTC */
  displayTimezone: string;
  uuid: string | null;
}

const VIDEO_CLASSES = new Set(['VideoImgStore', 'VideoImgStoreFFMPEG']);

export function isValidTimezone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || !tz) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Cheap check used by sniff: does this text look like an imgstore metadata.yaml? */
export function looksLikeStoreYaml(text: string): boolean {
  return /^__store\s*:/m.test(text) || /^\s*\{?\s*['"]?__store['"]?\s*:/.test(text);
}

export function parseStoreMetadata(text: string, path: string): StoreMetadata {
  const err = (reason: string) => new FormatError('imgstore', path, reason);
  let doc: unknown;
  try {
    doc = parse(text, { version: '1.1', uniqueKeys: false, maxAliasCount: 1000 });
  } catch (e) {
    const pos = (e as { pos?: number[] }).pos;
    throw new FormatError('imgstore', path, `not valid YAML: ${(e as Error).message.split('\n')[0]}`, pos?.[0]);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw err('a YAML mapping with a __store block expected');
  const all = doc as Record<string, unknown>;
  const store = all.__store;
  if (!store || typeof store !== 'object' || Array.isArray(store)) throw err('no __store mapping (not an imgstore metadata.yaml)');
  // plain, acyclic and at most MAX_PLAIN_DEPTH deep (it crosses the worker boundary as metadata)
  const s = plainData(store) as Record<string, unknown>;
  const user: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all))
    if (k !== '__store') Object.defineProperty(user, k, { value: plainData(v), enumerable: true, writable: true, configurable: true });
  const fail = (reason: string): never => {
    throw err(reason);
  };

  const storeClass = optText(s.class, '__store.class', fail) ?? '';
  let cls: StoreClass;
  if (VIDEO_CLASSES.has(storeClass)) cls = 'VideoImgStore';
  else if (storeClass === 'DirectoryImgStore') cls = 'DirectoryImgStore';
  else throw err(`unknown store class '${storeClass}' (VideoImgStore, VideoImgStoreFFMPEG or DirectoryImgStore expected)`);
  if (s.version !== 2 && s.version !== '2') throw err(`unsupported store version ${JSON.stringify(s.version)} (2 expected)`);
  const format = typeof s.format === 'string' ? s.format.replace(/\+color$/, '') : '';
  if (!format) throw err('__store.format missing');

  let extension: string;
  if (cls === 'DirectoryImgStore') extension = format;
  else if (typeof s.extension === 'string' && s.extension) extension = s.extension.startsWith('.') ? s.extension : '.' + s.extension;
  else if (format.includes('/')) extension = '.' + format.split('/')[1];
  else extension = format === 'mjpeg' ? '.avi' : '.mp4';

  let imgshape: number[] | null = null;
  if (s.imgshape !== undefined && s.imgshape !== null) {
    const dims = numberList(s.imgshape, '__store.imgshape', fail);
    if (dims.every((v) => Number.isInteger(v) && v >= 0)) imgshape = dims;
  }
  const encoding = typeof s.encoding === 'string' && s.encoding ? s.encoding : null;
  const isColor = (imgshape !== null && imgshape.length === 3 && imgshape[2] === 3) || encoding !== null;
  if (s.chunksize !== null && typeof s.chunksize === 'object') fail(`__store.chunksize must be a number, not ${kindOf(s.chunksize)}`);
  const cs = toNumber(s.chunksize);
  const chunksize = Number.isInteger(cs) && cs > 0 ? cs : null;

  let createdUtc: string | null = null;
  if (typeof s.created_utc === 'string' && s.created_utc) {
    const c = s.created_utc.trim();
    createdUtc = /([zZ]|[+-]\d\d:?\d\d)$/.test(c) ? c : c + 'Z';
  } else if (s.created_utc instanceof Date) createdUtc = s.created_utc.toISOString();
  const timezoneLocal = typeof s.timezone_local === 'string' ? s.timezone_local : null;
  const displayTimezone = isValidTimezone(user.timezone) ? user.timezone : isValidTimezone(timezoneLocal) ? timezoneLocal : 'UTC';

  return {
    path,
    store: s,
    user,
    cls,
    storeClass,
    format,
    extension,
    imgshape,
    imgdtype: typeof s.imgdtype === 'string' ? s.imgdtype : 'uint8',
    chunksize,
    encoding,
    isColor,
    createdUtc,
    timezoneLocal,
    displayTimezone,
    uuid: typeof s.uuid === 'string' ? s.uuid : null,
  };
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();

/**
 * Epoch seconds → ISO-8601 date-time in `tz` with microseconds and the zone's UTC offset, the way
 * Python's `datetime.fromtimestamp(t, tz).isoformat()` prints it (e.g. 2024-03-15T11:20:30.500000+01:00).
 */
export function formatEpochInZone(t: number, tz: string): string | null {
  if (!Number.isFinite(t)) return null;
  const micros = Math.round(t * 1e6);
  const secs = Math.floor(micros / 1e6);
  const frac = micros - secs * 1e6;
  const ms = secs * 1000;
  if (Math.abs(ms) > 8.64e15) return null;
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    fmtCache.set(tz, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(ms))) p[part.type] = part.value;
  let year = Number(p.year);
  if (p.era && /^B/.test(p.era)) year = 1 - year;
  const mo = Number(p.month);
  const d = Number(p.day);
  const h = Number(p.hour) % 24;
  const mi = Number(p.minute);
  const s = Number(p.second);
  const local = new Date(0);
  local.setUTCFullYear(year, mo - 1, d);
  local.setUTCHours(h, mi, s, 0);
  const offMin = Math.round((local.getTime() - ms) / 60000);
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  const sign = offMin < 0 ? '-' : '+';
  const yy = year < 0 ? '-' + pad(year, 4) : pad(year, 4);
  return `${yy}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(frac, 6)}${sign}${pad(Math.trunc(Math.abs(offMin) / 60))}:${pad(Math.abs(offMin) % 60)}`;
}
