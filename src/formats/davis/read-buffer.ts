/**
 * Decode one DaVis buffer file (.im7 / .vc7 / .imx / .img / .vec) into a DavisBuffer (see model.ts).
 * Pure TypeScript: runs in the page, in workers and in Node.
 */
import type { FieldData, SourceFile } from '../types';
import { attributeRecord, frameAttributes, readAttributeSection } from './attributes';
import { blockLayout } from './buffer-format';
import { ByteReader } from './bytes';
import { decodeDataSection, rawDataBytes } from './data-section';
import { acquisitionTime, frameScales, type ItemScales } from './frame-scales';
import { HEADER_SIZE, parseHeader, parseTail } from './header';
import { imageComponents, imageFields } from './images';
import { readMask } from './mask';
import type { DavisAttributeItem, DavisBuffer, DavisFrame } from './model';
import { parseScale } from './scales';
import { readTypedScalars } from './typed-scalars';
import { vectorComponents, vectorFields } from './vectors';

export const BAYER_WARNING = 'This is a Bayer pattern image, interpret it accordingly';

/** Read and decode a whole buffer file (one SourceFile.read of that file only). */
export async function readDavisBuffer(file: SourceFile): Promise<DavisBuffer> {
  const bytes = await file.read(0, file.size);
  return decodeDavisBuffer(file.path, bytes);
}

const SCALE_ITEM: Record<number, keyof ItemScales> = { 1: 'x', 2: 'y', 3: 'z', 4: 'i', 7: 'f' };

function itemScales(items: DavisAttributeItem[]): ItemScales {
  const s: ItemScales = {};
  for (const it of items) {
    const k = SCALE_ITEM[it.type];
    if (k && typeof it.value === 'string') {
      const sc = parseScale(it.value);
      if (sc) s[k] = sc;
    }
  }
  return s;
}

/** Decode a buffer from its bytes (`path` names it in errors). */
export async function decodeDavisBuffer(path: string, bytes: Uint8Array): Promise<DavisBuffer> {
  const r = new ByteReader(path, bytes);
  const h = parseHeader(r);
  const layout = blockLayout(r, h);
  // uncompressed data of known size: a file cut inside it is named as such (before its "tail" is read)
  if (h.packType === 0) {
    const n = rawDataBytes(h, layout);
    if (HEADER_SIZE + n > r.size) r.endsEarly(`the uncompressed data of ${h.nx}x${h.ny}x${h.nz} × ${h.nf} frame(s)`, HEADER_SIZE, n, r.size);
  }
  const tail = parseTail(r, h);
  const tailStart = tail ? r.size - 256 : r.size;
  const sections = tail ? tail.filter((v, i) => v > 0 && i !== 1) : [];
  const dataLimit = tail?.[0] ? tail[0] : sections.length ? Math.min(...sections) : tailStart;
  const ds = await decodeDataSection(r, h, layout, tail?.[0] || null, dataLimit);
  const warnings = [...ds.notes];

  const attrStart = tail?.[0] || ds.end;
  const later = sections.filter((v) => v > attrStart);
  const attrLimit = later.length ? Math.min(...later) : tailStart;
  let items: DavisAttributeItem[] = [];
  if (attrStart < attrLimit) {
    const sec = readAttributeSection(r, attrStart, attrLimit);
    items = sec.items;
    if (!sec.terminated && h.kind === 'im7') warnings.push(`attribute section ended at ${sec.end} without an END item`);
  }
  const scales = itemScales(items);
  const rec = attributeRecord(items);
  if (h.kind === 'old') {
    rec._HEADER_VERSION = h.version;
    if (h.date) rec._DATE ??= h.date;
    if (h.time) rec._TIME ??= h.time;
    if (h.comments?.[0]) rec._COMMENT1 = h.comments[0];
    if (h.comments?.[1]) rec._COMMENT2 = h.comments[1];
    if (h.headerScales) {
      scales.x = h.headerScales.x;
      scales.y = h.headerScales.y;
      scales.i = h.headerScales.i;
    }
  }

  const mask = await readMask(r, h, tail, tailStart);
  const typed = await readTypedScalars(r, tail, tailStart);

  const rgb = rec['RGBFrame'];
  if (rgb !== undefined && String(rgb).trim() !== '0') warnings.push(BAYER_WARNING);

  const frames: DavisFrame[] = [];
  const fields: Record<string, FieldData> = {};
  const gridZ = Number(rec['GridZ']);
  for (let f = 0; f < h.nf; f++) {
    const fsc = frameScales(rec, f, scales, h);
    const vec = layout.kind === 'vector';
    const frame: DavisFrame = {
      index: f,
      kind: layout.kind,
      components: [],
      scales: fsc,
      grid: vec ? { x: h.vectorGrid, y: h.vectorGrid, z: Number.isFinite(gridZ) && gridZ > 0 ? gridZ : h.vectorGrid } : { x: 1, y: 1, z: 1 },
      choices: layout.choices,
      attributes: frameAttributes(rec, f),
      time: acquisitionTime(rec, f),
    };
    if (vec) {
      frame.components = vectorComponents({ h, layout, data: ds.data as Float32Array, f, mask, typed, rec, scales: fsc });
      Object.assign(fields, vectorFields(frame, h, layout, f));
    } else {
      frame.components = imageComponents(h, layout, ds.data, f, mask, typed, rec, fsc);
      Object.assign(fields, imageFields(frame, h, f));
    }
    frames.push(frame);
  }
  return {
    path,
    header: h,
    tail,
    frames,
    attributes: rec,
    attributeItems: items,
    scales,
    mask,
    typedScalars: typed,
    fields,
    warnings,
    time: frames[0]?.time ?? null,
  };
}
