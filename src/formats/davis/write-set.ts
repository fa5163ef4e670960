/**
 * DaVis set writer (davis.md §6.1–6.2): `<name>.set` (text, `Key = value;` lines, SetType 256 for image
 * sets and 512 for vector sets) plus the folder `<name>/` holding `B00001.im7|.vc7`, numbered from SetStart
 * by SetInc.
 */
import { FRAMESCOPE_VERSION, latin1 } from './write-attributes';
import { writeDavisBuffer, type DavisWriteFrame, type DavisWriteOptions } from './write-buffer';

export const SET_TYPE_IMAGE = 256;
export const SET_TYPE_VECTOR = 512;

export interface SetFileOptions {
  /** set name: the file is `<name>.set` */
  name: string;
  setType: number;
  /** SetTime (default: now), written like DaVis 10: `Mon May 08 13:34:47 2023` (UTC) */
  time?: Date;
  comments?: string;
  /** processing history (bpInfoString); newlines and tabs are written as the literal escapes DaVis uses */
  info?: string;
  start?: number;
  inc?: number;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (x: number) => String(x).padStart(2, '0');

export function formatSetTime(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(
    d.getUTCMinutes(),
  )}:${pad2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** A double-quoted `.set` value: newlines/tabs as literal `\n`/`\t`, no raw quotes or line breaks. */
function quoted(s: string): string {
  return `"${s.replace(/\r?\n/g, '\\n').replace(/\t/g, '\\t').replace(/"/g, "'")}"`;
}

export function encodeSetFile(o: SetFileOptions): Uint8Array {
  if (!/^[^/\\\0]+$/.test(o.name)) throw new RangeError(`DaVis writer: bad set name ${JSON.stringify(o.name)}`);
  const lines = [
    // The first line names the file like DaVis does; "created by DaVis-compatible …" keeps the prefix readers look for.
    `// set file <${o.name}.set> created by DaVis-compatible framescope ${FRAMESCOPE_VERSION}`,
    '',
    '#GROUP Sets',
    `SetType = ${o.setType};`,
    'SetGroups = "";',
    `SetTime = ${quoted(formatSetTime(o.time ?? new Date()))};`,
    `SetComments = ${quoted(o.comments ?? '')};`,
    `SetStart = ${o.start ?? 1};`,
    `SetInc = ${o.inc ?? 1};`,
    'SetSourceSet = "";',
    'SetViewCallback = "";',
    'SetLoadCallback = "";',
  ];
  if (o.info !== undefined) lines.push(`bpInfoString = ${quoted(o.info)};`);
  return latin1(lines.join('\n') + '\n');
}

/** One `B#####` file of a set: its frames and (optionally) its own buffer attributes. */
export interface SetBuffer {
  frames: DavisWriteFrame[];
  attributes?: DavisWriteOptions['attributes'];
}

export interface WriteSetOptions extends DavisWriteOptions, Omit<SetFileOptions, 'setType'> {}

export function bufferFileName(number: number, vector: boolean): string {
  if (!(Number.isInteger(number) && number >= 0 && number <= 99999)) throw new RangeError(`DaVis writer: buffer number ${number} is not 0..99999`);
  return `B${String(number).padStart(5, '0')}.${vector ? 'vc7' : 'im7'}`;
}

/** `<name>.set` + `<name>/B00001.vc7|.im7 …`, one buffer file per entry of `buffers`. */
export function writeDavisSet(buffers: SetBuffer[], opts: WriteSetOptions): { path: string; bytes: Uint8Array }[] {
  if (buffers.length === 0) throw new RangeError('DaVis writer: a set needs at least one buffer');
  const vector = buffers[0].frames.length > 0 && 'u' in buffers[0].frames[0];
  const start = opts.start ?? 1;
  const inc = opts.inc ?? 1;
  const out: { path: string; bytes: Uint8Array }[] = [
    { path: `${opts.name}.set`, bytes: encodeSetFile({ ...opts, setType: vector ? SET_TYPE_VECTOR : SET_TYPE_IMAGE, start, inc }) },
  ];
  for (const [k, b] of buffers.entries()) {
    const isVec = b.frames.length > 0 && 'u' in b.frames[0];
    if (isVec !== vector) throw new RangeError(`DaVis writer: buffer ${k} is not of the set's kind (${vector ? 'vector' : 'image'})`);
    const bytes = writeDavisBuffer(b.frames, { ...opts, attributes: b.attributes ?? opts.attributes });
    out.push({ path: `${opts.name}/${bufferFileName(start + k * inc, vector)}`, bytes });
  }
  return out;
}
