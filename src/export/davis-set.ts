/**
 * Export target `davis-set`: any FrameSource → DaVis set(s) `<name>.set` + `<name>/B00001.im7|.vc7 …`
 * (pure TS, runs in Node and workers).
 *
 * - Scalar fields become image buffers (float32, or uint16 with an I scale: exact counts where the field's
 *   own I scale reproduces every value, else a 16-bit quantisation of [min, max], error ≤ step/2, noted on
 *   the .set entry); vector fields become 2C/3C vector buffers; masks (1 = invalid) become DaVis masks.
 *   Axis scales come from FieldData.scales (cell centres → DaVis (i + 0.5)·grid·slope + offset).
 * - One set per selected field, named `<name>` when there is one field, else `<name>-<field>`. A DaVis
 *   source's `frame0`, `frame1`, … fields (the frames of one buffer) stay together as the frames of one
 *   buffer in one set. Fields must keep kind and shape over the exported frames.
 * - Frame time (FrameInfo.time, s) → `AcqTimeSeries` (what DaVis readers take the acquisition time from).
 *   Frame numbers become the B-file numbers when they form a run start, start+inc, … inside 1..99999;
 *   otherwise the buffers are numbered 1.. and each carries `SourceFrameNumber`.
 * - DaVis sources: the components `frame{k}/MASK`, `frame{k}/ENABLED` and `frame{k}/TS:*` are written back
 *   as mask, choice header (disabled vectors) and typed scalars (option `components`), and the source's
 *   plain attributes are kept; the writer's own scale, time and version attributes replace stale copies.
 */
import type { FieldData, FieldInfo, Frame, FrameSource, Scale } from '../core/types';
import { isDerivedScaleKey, WRITER_VERSION_KEY, type DavisAttrValue } from '../formats/davis/write-attributes';
import type { DavisVectorFrame, DavisWriteFrame, DavisWriteOptions } from '../formats/davis/write-buffer';
import { imageFrameFromField, vectorFrameFromField } from '../formats/davis/write-field';
import { writeDavisSet, type SetBuffer } from '../formats/davis/write-set';
import { baseName, eachFrame, ExportError, resolveFields, sameShape, type ExportControl, type ExportedFile } from './job';
import type { ResolvedJob } from './target';
import type { DavisSetOptions } from './targets/davis-set';

const TARGET = 'davis-set';

interface Group {
  setName: string;
  fields: FieldInfo[];
  buffers: SetBuffer[];
  quantStep: number;
}

function groupFields(source: FrameSource, fields: FieldInfo[], base: string): Omit<Group, 'buffers' | 'quantStep'>[] {
  const davisFrames = source.format === 'davis' ? fields.filter((f) => /^frame\d+$/.test(f.name)) : [];
  const together = davisFrames.length > 1 && davisFrames.every((f) => f.kind === davisFrames[0].kind && sameShape(f.shape, davisFrames[0].shape));
  const groups: FieldInfo[][] = [];
  if (together) groups.push(davisFrames);
  for (const f of fields) if (!(together && davisFrames.includes(f))) groups.push([f]);
  const safe = (s: string) => s.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_');
  return groups.map((g) => ({
    setName: groups.length === 1 ? base : `${base}-${safe(together && g === groups[0] ? 'frames' : g[0].name)}`,
    fields: g,
  }));
}

/** B-file numbering: the source numbers when they are start, start+inc, … inside 1..99999. */
function numbering(numbers: number[]): { start: number; inc: number } | null {
  const start = numbers[0];
  const inc = numbers.length > 1 ? numbers[1] - numbers[0] : 1;
  if (!(Number.isInteger(start) && Number.isInteger(inc) && start >= 1 && inc >= 1)) return null;
  if (!numbers.every((x, k) => x === start + k * inc)) return null;
  if (numbers[numbers.length - 1] > 99999) return null;
  return { start, inc };
}

const isTyped = (v: unknown): v is Float32Array | Int32Array | Uint16Array | Float64Array =>
  v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint16Array || v instanceof Float64Array;

/** The source's plain attributes that a DaVis buffer can carry (text, numbers, numeric arrays). */
function plainAttributes(attrs: Record<string, unknown>): [string, DavisAttrValue][] {
  const out: [string, DavisAttrValue][] = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (!/^[A-Za-z_][^=\0\n]*$/.test(k) || k.length > 200) continue;
    if (isDerivedScaleKey(k) || k === WRITER_VERSION_KEY || /^_(SCALE_\w|TIME|DATE|COMMENT\d?|HEADER_VERSION)$/.test(k)) continue;
    if (typeof v === 'string' && v.length <= 65536) out.push([k, v]);
    else if (typeof v === 'number' && Number.isFinite(v)) out.push([k, v]);
    else if (typeof v === 'boolean') out.push([k, v]);
    else if (isTyped(v) && v.length <= 1 << 20) out.push([k, v]);
  }
  return out;
}

function component(frame: Frame, field: string, name: string, n: number): FieldData | undefined {
  const c = frame.fields[`${field}/${name}`];
  const vals = c?.values;
  return c && c.kind === 'scalar' && vals && vals.length === n ? c : undefined;
}

function toDavisFrame(
  frame: Frame,
  info: FieldInfo,
  source: FrameSource,
  opts: { imageFormat: 'auto' | 'float32' | 'uint16'; grid: number; components: boolean; time: number | undefined },
): DavisWriteFrame {
  const fd = frame.fields[info.name];
  if (!fd) throw new ExportError(TARGET, `field “${info.name}” is missing in frame ${frame.info.number} (index ${frame.info.index})`);
  if (fd.kind !== info.kind || !sameShape(fd.shape, info.shape)) {
    throw new ExportError(TARGET, `field “${info.name}” changes kind or shape in frame ${frame.info.number}: a DaVis set needs one shape`);
  }
  if (fd.kind === 'scalar') return imageFrameFromField(fd, { imageFormat: opts.imageFormat, unit: info.unit, time: opts.time });
  const vf = vectorFrameFromField(fd, { grid: opts.grid, unit: info.unit, time: opts.time });
  if (opts.components && source.format === 'davis') fromDavisComponents(vf, frame, info.name);
  return vf;
}

const f32 = (c: FieldData): Float32Array => (c.values instanceof Float32Array ? c.values : Float32Array.from(c.values!));

/**
 * A DaVis source's vector frame carries its raw view as components `frame{k}/U0 … W3, ACTIVE_CHOICE,
 * ENABLED, MASK, TS:*` (physical values in their own scale). Writing those back with the identity I scale
 * keeps every component and the best-vector field value for value: the choice slots, ACTIVE_CHOICE and
 * ENABLED (choice header) of extended formats, `isValid` for disabled vectors of simple formats, the
 * peak-ratio block, the mask and the typed scalars. Without U0/V0 the field's own values stay.
 */
function fromDavisComponents(vf: DavisVectorFrame, frame: Frame, field: string): void {
  const n = vf.u.length;
  const c = (name: string) => component(frame, field, name, n);
  const U0 = c('U0');
  const V0 = c('V0');
  if (!U0 || !V0) return;
  const threeD = !!vf.w;
  const W0 = threeD ? c('W0') : undefined;
  if (threeD && !W0) return;
  vf.u = f32(U0);
  vf.v = f32(V0);
  if (W0) vf.w = f32(W0);
  const mask = c('MASK');
  const enabled = c('ENABLED');
  const active = c('ACTIVE_CHOICE');
  vf.valid = mask ? Uint8Array.from(mask.values!, (x) => (x ? 1 : 0)) : undefined;
  const extended = !!c('U1');
  const typed: NonNullable<DavisVectorFrame['typedScalars']> = [];
  if (extended) {
    vf.extraChoices = [1, 2, 3].map((s) => ({
      u: f32(c(`U${s}`) ?? U0),
      v: f32(c(`V${s}`) ?? V0),
      w: threeD ? f32(c(`W${s}`) ?? W0!) : undefined,
    }));
    if (active) vf.activeChoice = active.values!;
    if (enabled) vf.enabled = Uint8Array.from(enabled.values!, (x) => (x ? 1 : 0));
    // the reader lists a peak-ratio BLOCK (formats 3/5) right after ENABLED, typed scalars after MASK
    const keys = Object.keys(frame.fields);
    const peak = c('TS:Peak ratio');
    if (peak && keys[keys.indexOf(`${field}/ENABLED`) + 1] === `${field}/TS:Peak ratio`) vf.peakRatio = f32(peak);
  } else if (enabled && enabled.values!.some((x) => !x)) {
    // DaVis 10 keeps disabled vectors of simple formats in the typed scalar `isValid`
    typed.push({
      name: 'isValid',
      data: Uint16Array.from(enabled.values!, (x) => (x ? 1 : 0)),
      scale: { slope: 1, offset: 0, unit: '', description: 'isValid' },
    });
  }
  const prefix = `${field}/TS:`;
  for (const k of Object.keys(frame.fields)) {
    if (!k.startsWith(prefix)) continue;
    const name = k.slice(prefix.length);
    if (extended && name === 'Peak ratio' && vf.peakRatio) continue;
    const tc = c(`TS:${name}`);
    if (!tc) continue;
    const scale: Scale = { slope: 1, offset: 0, unit: tc.scales?.i?.unit ?? '', description: tc.scales?.i?.description ?? name };
    typed.push({ name, data: f32(tc), scale });
  }
  vf.typedScalars = typed;
}

export async function exportDavisSet(source: FrameSource, job: ResolvedJob<DavisSetOptions>, ctl?: ExportControl): Promise<ExportedFile[]> {
  const o = job.options;
  const frames = job.frames;
  const { pack, imageFormat, grid } = o;
  const keepComponents = o.components;
  const setTime = o.setTime.trim() ? new Date(o.setTime) : undefined;
  const fields = resolveFields(source, job, ['scalar', 'vector'], undefined, {
    skipSubFields: true,
    what: 'DaVis sets store scalar (image) and vector fields',
  });
  const base = baseName(source, o.name, 'davis');
  const groups: Group[] = groupFields(source, fields, base).map((g) => ({ ...g, buffers: [], quantStep: 0 }));
  const numbers = frames.map((i) => source.frames[i].number);
  const run = numbering(numbers);
  const fromDavis = source.format === 'davis';
  const timeUnit = source.timeUnit;

  await eachFrame(source, frames, ctl, (frame) => {
    const attrs: [string, DavisAttrValue][] = fromDavis ? plainAttributes(frame.attributes) : [];
    const keepsTimes = fromDavis && attrs.some(([a]) => /^AcqTimeSeries\d*$/.test(a));
    const time = keepsTimes || frame.info.time === null ? undefined : frame.info.time;
    if (!fromDavis) {
      attrs.push(['SourceFormat', source.format]);
      if (time !== undefined && timeUnit && timeUnit !== 's') attrs.push(['SourceTimeUnit', timeUnit]);
    }
    if (!run) attrs.push(['SourceFrameNumber', frame.info.number]);
    for (const g of groups) {
      const ga: [string, DavisAttrValue][] = [...attrs];
      if (!fromDavis) ga.push(['SourceField', g.fields.map((f) => f.name).join(',')]);
      const dfs = g.fields.map((f) => toDavisFrame(frame, f, source, { imageFormat, grid, components: keepComponents, time }));
      for (const [j, df] of dfs.entries()) {
        const fd = frame.fields[g.fields[j].name];
        if ('data' in df && df.data instanceof Uint16Array && df.scales && fd.scales?.i !== df.scales.i && df.scales.i.slope !== 1) {
          g.quantStep = Math.max(g.quantStep, df.scales.i.slope);
        }
      }
      g.buffers.push({ frames: dfs, attributes: ga });
    }
  });

  const out: ExportedFile[] = [];
  for (const g of groups) {
    const wopts: DavisWriteOptions & { name: string; time?: Date; start?: number; inc?: number; comments?: string } = {
      pack,
      grid,
      name: g.setName,
      time: setTime,
      start: run?.start ?? 1,
      inc: run?.inc ?? 1,
      comments: `exported by framescope from ${source.format} “${source.name}”, field${g.fields.length > 1 ? 's' : ''} ${g.fields.map((f) => f.name).join(', ')}`,
    };
    let files: ExportedFile[];
    try {
      files = writeDavisSet(g.buffers, wopts);
    } catch (e) {
      if (e instanceof RangeError) throw new ExportError(TARGET, e.message);
      throw e;
    }
    if (g.quantStep > 0) {
      files[0] = { ...files[0], note: `scalar values quantised to 16 bits: error ≤ ${g.quantStep / 2} (step ${g.quantStep})` };
    }
    out.push(...files);
  }
  return out;
}
