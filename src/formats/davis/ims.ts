/**
 * DaVis 10/11 recording sets (`.set` with SetIdentifier "StreamSet"): per camera/frame stream an index
 * file `{prefix}-0.ims` (256-byte header, int32 width @12, int32 height @16; from byte 1024 20-byte entries
 * int32 flag, int64 offset, int64 size), a data file `{prefix}-1.ims` and `{prefix}-decoder.xml` naming the
 * pixel encoding. Documented from a single third-party reader; decoded: raw-16-bit, raw-8-bit, mono-12p,
 * mono-10p. Other encodings throw a FormatError naming them.
 */
import { FormatError } from '../errors';
import type { FieldData, Scale, SourceFile } from '../types';
import { latin1 } from './bytes';
import { parseScalesXml } from './particles';
import { readDavisBuffer } from './read-buffer';
import { defaultScale } from './scales';
import { xmlTags } from './xml-tags';

/** Most readers / transformers a StreamSet.xml may list (real recordings list a handful). */
const MAX_READERS = 4096;

export interface ImsStream {
  prefix: string;
  index: SourceFile;
  data: SourceFile;
  decoderId: string;
  width: number;
  height: number;
  entries: { flag: number; offset: number; size: number }[];
  scales: Record<string, Scale>;
  transforms: { id: string; dark?: SourceFile }[];
}

export const IMS_DECODERS = ['raw-16-bit', 'raw-8-bit', 'mono-12p', 'mono-10p'];

const text = async (f: SourceFile) => latin1(await f.read(0, Math.min(f.size, 4 << 20)));

/** Find the streams of a recording folder (files keyed by base name). */
export async function findImsStreams(files: Map<string, SourceFile>, folder: string): Promise<ImsStream[]> {
  const manifest = files.get('StreamSet.xml');
  const prefixes: string[] = [];
  const scalePrefixes: string[] = [];
  const transforms: ImsStream['transforms'] = [];
  if (manifest) {
    const xml = await text(manifest);
    const frames: { prefix: string; start: number }[] = [];
    // one linear pass over the tags (a lazy regex over unclosed <ReaderInfo> tags was quadratic)
    let open: { attrs: Record<string, string>; start: number | null } | null = null;
    let readers = 0;
    const finish = () => {
      if (!open) return;
      const type = open.attrs.Type ?? '';
      const prefix = open.attrs.FilePrefix;
      if (prefix) {
        if (type.endsWith('FrameReader')) frames.push({ prefix, start: open.start ?? frames.length });
        else if (type.endsWith('ScaleReader')) scalePrefixes.push(prefix);
      }
      open = null;
    };
    for (const t of xmlTags(xml)) {
      if (t.name === 'ReaderInfo') {
        if (t.end) {
          finish();
          continue;
        }
        finish(); // an earlier <ReaderInfo> left unclosed ends here
        if (++readers > MAX_READERS)
          throw new FormatError('davis', manifest.path, `StreamSet.xml lists more than ${MAX_READERS} <ReaderInfo> readers (damaged manifest?)`);
        open = { attrs: t.attrs, start: null };
        if (t.empty) finish();
      } else if (t.name === 'ContentPurpose' && !t.end && open && open.start === null && /^\d+$/.test(t.attrs.StartFrame ?? '')) {
        open.start = Number(t.attrs.StartFrame);
      } else if (t.name === 'Transformer' && !t.end) {
        if (transforms.length >= MAX_READERS)
          throw new FormatError('davis', manifest.path, `StreamSet.xml lists more than ${MAX_READERS} <Transformer> elements (damaged manifest?)`);
        const prefix = t.attrs.FilePrefix ?? '';
        transforms.push({ id: t.attrs.ID ?? '', dark: files.get(`${prefix}-dark.im7`) });
      }
    }
    finish();
    frames.sort((a, b) => a.start - b.start);
    prefixes.push(...frames.map((f) => f.prefix));
  }
  if (!prefixes.length) {
    const found = [...files.keys()].map((n) => /^(.+)-1\.ims$/i.exec(n)?.[1]).filter((p): p is string => !!p && files.has(`${p}-0.ims`));
    found.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    prefixes.push(...found);
  }
  const streams: ImsStream[] = [];
  for (const [k, prefix] of prefixes.entries()) {
    const index = files.get(`${prefix}-0.ims`);
    const data = files.get(`${prefix}-1.ims`);
    if (!index || !data)
      throw new FormatError('davis', `${folder}/${prefix}-0.ims`, `stream ${prefix}: missing ${index ? '-1.ims data' : '-0.ims index'} file`);
    const dec = files.get(`${prefix}-decoder.xml`);
    const decoderId = dec ? (/<id>\s*([^<\s]+)\s*<\/id>/i.exec(await text(dec))?.[1] ?? '') : 'raw-16-bit';
    if (index.size < 1024) throw new FormatError('davis', index.path, `.ims index of ${index.size} bytes is shorter than its 1024-byte header`, index.size);
    const head = await index.read(0, 1024);
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const width = dv.getInt32(12, true);
    const height = dv.getInt32(16, true);
    if (!(width > 0 && height > 0 && width * height < 1 << 28))
      throw new FormatError('davis', index.path, `.ims index: image size ${width}x${height} is invalid`, 12);
    const n = Math.floor((index.size - 1024) / 20);
    const tb = await index.read(1024, 1024 + n * 20);
    const tv = new DataView(tb.buffer, tb.byteOffset, tb.byteLength);
    const entries: ImsStream['entries'] = [];
    for (let i = 0; i < n; i++) {
      const o = i * 20;
      const off = Number(tv.getBigInt64(o + 4, true));
      const size = Number(tv.getBigInt64(o + 12, true));
      if (size === 0 && off === 0) break;
      if (off < 0 || size < 0 || off + size > data.size)
        throw new FormatError('davis', index.path, `.ims entry ${i}: bytes ${off}..${off + size} lie outside ${data.path} (${data.size} bytes)`, 1024 + o);
      entries.push({ flag: tv.getInt32(o, true), offset: off, size });
    }
    const sp = scalePrefixes[k] ?? scalePrefixes[0] ?? `FrameScales${k}`;
    const sf = files.get(`${sp}.scales`) ?? files.get(`FrameScales${k}.scales`) ?? files.get(`CameraScale${k + 1}.scales`);
    const scales = sf ? parseScalesXml(await text(sf)) : {};
    streams.push({ prefix, index, data, decoderId, width, height, entries, scales, transforms });
  }
  return streams;
}

/** Decode one raw stream entry to uint16 pixels. */
export function decodeImsPixels(path: string, id: string, raw: Uint8Array, w: number, h: number): Uint16Array {
  const n = w * h;
  const out = new Uint16Array(n);
  const need = (bytes: number) => {
    if (raw.length < bytes) throw new FormatError('davis', path, `.ims ${id} image of ${w}x${h} needs ${bytes} bytes, entry has ${raw.length}`);
  };
  switch (id) {
    case 'raw-16-bit':
      need(2 * n);
      for (let i = 0; i < n; i++) out[i] = raw[2 * i] | (raw[2 * i + 1] << 8);
      return out;
    case 'raw-8-bit':
      need(n);
      for (let i = 0; i < n; i++) out[i] = raw[i];
      return out;
    case 'mono-12p': {
      need(Math.ceil(n / 2) * 3);
      for (let i = 0, p = 0; i < n; i += 2, p += 3) {
        out[i] = raw[p] | ((raw[p + 1] & 0x0f) << 8);
        if (i + 1 < n) out[i + 1] = (raw[p + 1] >> 4) | (raw[p + 2] << 4);
      }
      return out;
    }
    case 'mono-10p': {
      need(Math.ceil((n * 10) / 8));
      let bit = 0;
      for (let i = 0; i < n; i++) {
        const byte = bit >> 3;
        const sh = bit & 7;
        const v = (raw[byte] | ((raw[byte + 1] ?? 0) << 8)) >> sh;
        out[i] = v & 0x3ff;
        bit += 10;
      }
      return out;
    }
    default:
      throw new FormatError('davis', path, `.ims pixel encoding "${id}" cannot be decoded (supported: ${IMS_DECODERS.join(', ')})`);
  }
}

/** Fields of recording image k: one `frame{f}` per stream. */
export async function readImsFrame(streams: ImsStream[], k: number): Promise<Record<string, FieldData>> {
  const fields: Record<string, FieldData> = {};
  for (const [f, s] of streams.entries()) {
    const e = s.entries[k];
    if (!e) throw new FormatError('davis', s.index.path, `stream ${s.prefix} has no entry ${k} (${s.entries.length} entries)`);
    const px = decodeImsPixels(s.data.path, s.decoderId, await s.data.read(e.offset, e.offset + e.size), s.width, s.height);
    for (const t of s.transforms) {
      if (t.id === 'dark-image-subtraction' && t.dark) {
        const dark = (await readDavisBuffer(t.dark)).frames[0]?.components[0]?.data;
        if (dark && dark.length === px.length) for (let i = 0; i < px.length; i++) px[i] = Math.max(0, px[i] - dark[i]);
      } else if (t.id === 'rotate-180') px.reverse();
    }
    const si = s.scales.i ?? defaultScale('counts');
    const values = new Float32Array(px.length);
    for (let i = 0; i < px.length; i++) values[i] = si.offset + px[i] * si.slope;
    const sx = s.scales.x ?? defaultScale('pixel');
    const sy = s.scales.y ?? defaultScale('pixel');
    fields[`frame${f}`] = {
      kind: 'scalar',
      shape: [s.height, s.width],
      values,
      scales: {
        x: { ...sx, offset: sx.offset + 0.5 * sx.slope },
        y: { ...sy, offset: sy.offset + 0.5 * sy.slope },
        i: { ...si },
      },
    };
  }
  return fields;
}
