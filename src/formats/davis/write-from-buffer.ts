/**
 * A decoded DavisBuffer (model.ts, from readDavisBuffer) → writer input, so a buffer can be re-saved
 * losslessly (for example to change its pack type, or to turn an old `.imx`/`.vec` into `.im7`/`.vc7`):
 * raw components, choice slots, ACTIVE_CHOICE/ENABLED, peak ratio, mask, typed scalars, scalarN planes,
 * IEH and per-frame scales and every attribute item in file order.
 *
 * Not carried: DOUBLE (-5) images are written as float32 (the writer's element types are uint8, uint16
 * and float32); typed scalars of other element types become float32; ACTIVE_CHOICE 5 is written as the
 * post-processed header 5 (read back as 4, which selects the same slot).
 */
import type { DavisAttributeValue, DavisBuffer, DavisComponent } from './model';
import type { DavisAttributes, DavisAttrValue } from './write-attributes';
import { isDerivedScaleKey, WRITER_VERSION_KEY } from './write-attributes';
import type { DavisImageFrame, DavisVectorFrame, DavisWriteFrame, DavisWriteOptions, ImageStorage } from './write-buffer';

export interface BufferWriteInput {
  frames: DavisWriteFrame[];
  options: Omit<DavisWriteOptions, 'pack'>;
}

const asF32 = (c: DavisComponent | undefined): Float32Array | undefined =>
  c ? (c.data instanceof Float32Array ? c.data : Float32Array.from(c.data)) : undefined;

function attrValue(v: DavisAttributeValue): DavisAttrValue {
  return v;
}

export function bufferToWriteInput(buf: DavisBuffer): BufferWriteInput {
  const h = buf.header;
  const rec = buf.attributes;
  const vector = buf.frames[0]?.kind === 'vector';
  const n = h.nx * h.ny * h.nz;

  // ---- attributes in file order --------------------------------------------------------------
  const attributes: [string, DavisAttrValue][] = [];
  const options: BufferWriteInput['options'] = {};
  for (const it of buf.attributeItems) {
    switch (it.type) {
      case 1:
      case 2:
      case 3:
      case 4:
        continue; // IEH scales: from buf.scales
      case 7:
        continue; // SCALE_F: from buf.scales.f
      case 5:
        options.comment = String(it.value);
        continue;
      case 11:
        options.timeText = String(it.value);
        continue;
      case 12:
        options.dateText = String(it.value);
        continue;
    }
    if (isDerivedScaleKey(it.name) || it.name === WRITER_VERSION_KEY) continue;
    if (h.scalarN > 0 && /^Component(Name|Scale)\d+$/.test(it.name)) continue;
    attributes.push([it.name, attrValue(it.value)]);
  }
  if (h.kind === 'old') {
    // the old header's date, time and comment lines have no IM7 header field: keep them as items
    if (h.time && options.timeText === undefined) options.timeText = h.time;
    if (h.date && options.dateText === undefined) options.dateText = h.date;
    h.comments?.forEach((c, k) => c && attributes.push([`_COMMENT${k + 1}`, c]));
  }
  options.attributes = attributes as DavisAttributes;
  options.scales = buf.scales.x && buf.scales.y && buf.scales.i ? { x: buf.scales.x, y: buf.scales.y, z: buf.scales.z, i: buf.scales.i } : undefined;
  if (buf.scales.f) options.frameAxisScale = buf.scales.f;
  if (vector) {
    options.vectorFormat = h.bufferFormat as DavisWriteOptions['vectorFormat'];
    options.grid = h.vectorGrid;
    if (h.nz > 1 && buf.frames[0]) options.gridZ = buf.frames[0].grid.z;
  } else {
    options.imageFormat = (h.bufferFormat === -2 ? 'uint8' : h.bufferFormat === -4 || h.bufferFormat === 0 ? 'uint16' : 'float32') as ImageStorage;
  }

  // ---- typed scalars (raw records, all frames; `isValid` included) ------------------------------
  const typed = buf.typedScalars.filter((t) => t.nx === h.nx && t.ny === h.ny && t.nz === h.nz);

  const frames: DavisWriteFrame[] = buf.frames.map((fr, f) => {
    const byName = new Map(fr.components.map((c) => [c.name, c]));
    const common = {
      nx: h.nx,
      ny: h.ny,
      nz: h.nz,
      scales: fr.scales,
      valid: buf.mask ? buf.mask.subarray(f * n, (f + 1) * n) : undefined,
      typedScalars: typed.map((t) => {
        const ff = Math.min(f, t.nf - 1);
        const part = t.data.subarray(ff * n, (ff + 1) * n);
        const data = part instanceof Uint16Array || part instanceof Float32Array ? part : Float32Array.from(part);
        return { name: t.name, data, scale: t.scales[4] };
      }),
      scalars: Array.from({ length: h.scalarN }, (_, s) => {
        const nm = rec[`ComponentName${s}`];
        const name = typeof nm === 'string' && nm.trim() ? nm.trim() : `SCALAR${s}`;
        const c = byName.get(typeof nm === 'string' && nm.trim() ? `TS:${name}` : name);
        if (!c) throw new RangeError(`DaVis writer: scalar plane ${s} (${name}) missing from the decoded buffer`);
        return { name, data: asF32(c)!, scale: c.scale };
      }),
    };
    if (!vector) {
      const px = byName.get('PIXEL');
      if (!px) throw new RangeError('DaVis writer: image frame without PIXEL component');
      const data = px.data instanceof Int32Array ? Float32Array.from(px.data) : px.data;
      const img: DavisImageFrame = { kind: 'image', ...common, data, scalars: undefined };
      return img;
    }
    const slot = (s: number) => ({ u: asF32(byName.get(`U${s}`))!, v: asF32(byName.get(`V${s}`))!, w: asF32(byName.get(`W${s}`)) });
    const extended = byName.has('U1');
    const vf: DavisVectorFrame = {
      kind: 'vector',
      ...common,
      ...slot(0),
      extraChoices: extended ? [slot(1), slot(2), slot(3)] : undefined,
      activeChoice: extended ? (byName.get('ACTIVE_CHOICE')?.data as ArrayLike<number> | undefined) : undefined,
      enabled: extended ? (byName.get('ENABLED')?.data as Uint8Array | undefined) : undefined,
      peakRatio: h.bufferFormat === 3 || h.bufferFormat === 5 ? asF32(byName.get('TS:Peak ratio')) : undefined,
    };
    return vf;
  });
  return { frames, options };
}
