/**
 * `png-zip` target: one zip of PNG images.
 *
 * mode `raw` (runs anywhere): every field of every exported frame as 16-bit grayscale PNGs of the
 * values, rows in array order (PNG row r = y index r), with `mapping.json` beside them:
 * value = offset + raw · scale per field. Integer data within 0…65535 is stored exactly
 * (offset 0, scale 1); other data is spread over 0…65535 between the field's min and max over the
 * exported frames (round to nearest: error ≤ scale/2, stated as `maxError`). Fields with a mask are
 * written gray+alpha (alpha 0 = invalid). Vector fields give one PNG per component (`_u`, `_v`,
 * `_w`) sharing the field's mapping; RGB fields are 8-bit RGB(A) PNGs as they are; 3D fields one
 * PNG per z plane (`_z<k>`). Files: `<field>/<k:06d>[_<component>][_z<k>].png`, k = position in the
 * export (the frame table in mapping.json gives index, number and time of each k).
 *
 * mode `rendered` (browser, OffscreenCanvas): 8-bit RGB PNGs of what the viewer shows
 * (src/render/compose-frame.ts), `<k:06d>.png`.
 */
import { zipSync, type Zippable } from 'fflate';
import type { FieldData, FrameSource } from '../core/types';
import { baseName, eachFrame, ExportError, fieldOf, pad6, resolveFields, sameShape, type ExportControl, type ExportedFile } from './job';
import { encodePng } from '../codecs/png-encode';
import type { ResolvedJob } from './target';
import type { PngZipOptions } from './targets/png-zip';

const T = 'png-zip';
export type { PngZipOptions };

interface Mapping {
  kind: FieldData['kind'];
  unit: string;
  shape: number[];
  offset: number;
  scale: number;
  exact: boolean;
  maxError: number;
  masked: boolean;
  components?: string[];
  planes?: number;
  min: number;
  max: number;
  allInteger: boolean;
}

function componentsOf(d: FieldData): ArrayLike<number>[] {
  if (d.kind === 'vector') return [d.u, d.v, d.w].filter((c): c is Float32Array => !!c);
  return [d.values as ArrayLike<number>];
}

export async function exportPngZip(source: FrameSource, job: ResolvedJob<PngZipOptions>, ctl?: ExportControl): Promise<ExportedFile[]> {
  const opts = job.options;
  if (opts.mode === 'rendered') {
    const { exportRenderedPngs } = await import('./rendered-png');
    return exportRenderedPngs(source, job, ctl);
  }
  const frames = job.frames;
  const fields = resolveFields(source, job, ['scalar', 'vector', 'rgb']);
  const maps = new Map<string, Mapping>();

  // pass 1: ranges, integer-ness, masks, shapes
  await eachFrame(
    source,
    frames,
    ctl,
    (frame) => {
      for (const f of fields) {
        const d = fieldOf(frame, f.name, T);
        let m = maps.get(f.name);
        if (!m) {
          m = {
            kind: d.kind,
            unit: f.unit,
            shape: d.shape.slice(),
            offset: 0,
            scale: 1,
            exact: true,
            maxError: 0,
            masked: false,
            min: Infinity,
            max: -Infinity,
            allInteger: true,
          };
          if (d.kind === 'vector') m.components = ['u', 'v', 'w'].slice(0, componentsOf(d).length);
          if ((d.kind === 'rgb' ? d.shape.length - 1 : d.shape.length) === 3) m.planes = d.shape[0];
          maps.set(f.name, m);
        }
        if (d.kind !== m.kind || !sameShape(d.shape, m.shape)) throw new ExportError(T, `field “${f.name}” changes shape in frame ${frame.info.number}`);
        if (d.mask?.some((x) => x !== 0)) m.masked = true;
        if (d.kind === 'rgb') continue;
        for (const a of componentsOf(d)) {
          for (let i = 0; i < a.length; i++) {
            if (d.mask?.[i]) continue;
            const x = a[i];
            if (!Number.isFinite(x)) {
              m.masked = true; // NaN/inf are written as invalid
              continue;
            }
            if (x < m.min) m.min = x;
            if (x > m.max) m.max = x;
            if (m.allInteger && !Number.isInteger(x)) m.allInteger = false;
          }
        }
      }
    },
    'scan',
  );
  for (const m of maps.values()) {
    if (m.kind === 'rgb') continue;
    if (!(m.min <= m.max)) {
      m.min = 0;
      m.max = 0;
    }
    if (m.allInteger && m.min >= 0 && m.max <= 65535) {
      Object.assign(m, { offset: 0, scale: 1, exact: true, maxError: 0 });
    } else {
      const span = m.max - m.min;
      const scale = span > 0 ? span / 65535 : 1;
      Object.assign(m, { offset: m.min, scale, exact: span === 0, maxError: span > 0 ? scale / 2 : 0 });
    }
  }

  // pass 2: the PNGs
  const zip: Zippable = {};
  const table: { k: number; index: number; number: number; time: number | null }[] = [];
  await eachFrame(source, frames, ctl, (frame, k) => {
    table.push({ k, index: frame.info.index, number: frame.info.number, time: frame.info.time });
    for (const f of fields) {
      const d = fieldOf(frame, f.name, T);
      const m = maps.get(f.name)!;
      for (const [suffix, png] of fieldPngs(d, m)) zip[`${f.name}/${pad6(k)}${suffix}.png`] = [png, { level: 0 }];
    }
  });
  const mapping = {
    format: 'framescope png-zip raw',
    version: 1,
    formula: 'value = offset + raw * scale (raw = 16-bit PNG sample); alpha 0 = invalid (masked) cell',
    layout: 'PNG row r = array y index r, column c = x index c (no flip); vector components as _u/_v/_w files; 3D planes as _z<k>',
    source: { format: source.format, name: source.name },
    timeUnit: source.timeUnit,
    frames: table,
    fields: Object.fromEntries(
      [...maps.entries()].map(([name, m]) => [
        name,
        m.kind === 'rgb'
          ? { kind: 'rgb', unit: m.unit, shape: m.shape, bits: 8, exact: true, masked: m.masked, planes: m.planes }
          : {
              kind: m.kind,
              unit: m.unit,
              shape: m.shape,
              bits: 16,
              offset: m.offset,
              scale: m.scale,
              exact: m.exact,
              maxError: m.maxError,
              min: m.min,
              max: m.max,
              masked: m.masked,
              components: m.components,
              planes: m.planes,
            },
      ]),
    ),
  };
  zip['mapping.json'] = new TextEncoder().encode(JSON.stringify(mapping, null, 2));
  const bytes = zipSync(zip, { mtime: new Date(1980, 0, 1) });
  const lossy = [...maps.entries()].filter(([, m]) => !m.exact).map(([n, m]) => `${n} ±${m.maxError.toPrecision(3)}`);
  return [
    {
      path: `${baseName(source, opts.name)}.zip`,
      bytes,
      note: lossy.length ? `quantised to 16 bit: ${lossy.join(', ')}` : 'lossless (integer data stored exactly)',
    },
  ];
}

/** The PNGs of one field of one frame: [file suffix, bytes]. */
function fieldPngs(d: FieldData, m: Mapping): [string, Uint8Array][] {
  const cellShape = d.kind === 'rgb' ? d.shape.slice(0, -1) : d.shape;
  const nx = cellShape[cellShape.length - 1];
  const ny = cellShape.length >= 2 ? cellShape[cellShape.length - 2] : 1;
  const planes = cellShape.length === 3 ? cellShape[0] : 1;
  const plane = nx * ny;
  const out: [string, Uint8Array][] = [];
  const mask = d.mask;
  for (let z = 0; z < planes; z++) {
    const zs = planes > 1 ? `_z${z}` : '';
    const base = z * plane;
    if (d.kind === 'rgb') {
      const src = d.values as Uint8Array;
      const ch = m.masked ? 4 : 3;
      const data = new Uint8Array(plane * ch);
      for (let i = 0; i < plane; i++) {
        const bad = mask ? mask[base + i] !== 0 : false;
        for (let c = 0; c < 3; c++) data[i * ch + c] = bad ? 0 : src[(base + i) * 3 + c];
        if (ch === 4) data[i * 4 + 3] = bad ? 0 : 255;
      }
      out.push([zs, encodePng({ width: nx, height: ny, channels: ch, data })]);
      continue;
    }
    const comps = componentsOf(d);
    comps.forEach((a, ci) => {
      const cs = d.kind === 'vector' ? `_${m.components![ci]}` : '';
      const ch = m.masked ? 2 : 1;
      const data = new Uint16Array(plane * ch);
      for (let i = 0; i < plane; i++) {
        const x = a[base + i];
        const bad = (mask ? mask[base + i] !== 0 : false) || !Number.isFinite(x);
        let q = 0;
        if (!bad) {
          q = Math.round((x - m.offset) / m.scale);
          q = q < 0 ? 0 : q > 65535 ? 65535 : q;
        }
        data[i * ch] = q;
        if (ch === 2) data[i * 2 + 1] = bad ? 0 : 65535;
      }
      out.push([`${cs}${zs}`, encodePng({ width: nx, height: ny, channels: ch, data })]);
    });
  }
  return out;
}
