/**
 * Derived fields as if they were stored: `deriveFrame` adds them to a frame, `withDerivedFields`
 * wraps a FrameSource so that every frame carries them (views, probes and every export target then
 * handle them like any other field). Names: `<field>-<quantity>` (e.g. `frame0-vorticity`) and
 * `<field>-fluctuation`, unless a spec gives its own `name`.
 */
import type { FieldData, FieldInfo, Frame, FrameSource } from '../core/types';
import { deriveFromField } from './derive';
import { analysisError } from './fail';
import type { SmoothOptions } from './smooth';
import { fluctuation } from './statistics';

export type DerivedSpec =
  | { field: string; quantity: string; smooth?: SmoothOptions | null; name?: string }
  /** the frame minus this mean (a `mean` of timeStatistics) */
  | { field: string; fluctuationOf: FieldData; name?: string };

export function derivedName(s: DerivedSpec): string {
  if (s.name) return s.name;
  return 'quantity' in s ? `${s.field}-${s.quantity}` : `${s.field}-fluctuation`;
}

function one(frame: Frame, s: DerivedSpec): FieldData {
  const f = frame.fields[s.field];
  if (!f) throw analysisError(`field “${s.field}” is not in frame ${frame.info.number} (index ${frame.info.index})`);
  if ('quantity' in s) return deriveFromField(f, s.quantity, { fieldName: s.field, smooth: s.smooth ?? null });
  return fluctuation(f, s.fluctuationOf);
}

/** A copy of the frame with the derived fields added (the stored ones are shared, not copied). */
export function deriveFrame(frame: Frame, specs: DerivedSpec[]): Frame {
  const fields: Record<string, FieldData> = { ...frame.fields };
  for (const s of specs) fields[derivedName(s)] = one(frame, s);
  return { ...frame, fields };
}

/**
 * A FrameSource whose frames carry the derived fields too. Reads the first frame once to learn the
 * derived fields' kinds, shapes and units (exact units need the frame's scales).
 */
export async function withDerivedFields(source: FrameSource, specs: DerivedSpec[], opts: { signal?: AbortSignal } = {}): Promise<FrameSource> {
  if (!source.frames.length) throw analysisError(`${source.name} has no frames`);
  const names = specs.map(derivedName);
  const dup = names.find((n, i) => names.indexOf(n) !== i || source.fields.some((f) => f.name === n));
  if (dup) throw analysisError(`derived field name “${dup}” is already taken`);
  const first = deriveFrame(await source.readFrame(0, { signal: opts.signal }), specs);
  const extra: FieldInfo[] = names.map((name) => {
    const f = first.fields[name];
    return { name, kind: f.kind, shape: f.shape.slice(), unit: f.scales?.i?.unit ?? '' };
  });
  return {
    ...source,
    fields: [...source.fields, ...extra],
    async readFrame(index, o) {
      return deriveFrame(await source.readFrame(index, o), specs);
    },
    nearestIndex: (t) => source.nearestIndex(t),
    close: () => source.close(),
  };
}
