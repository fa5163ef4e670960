import { FormatError } from '../errors';
import type { FrameSource, Scale, SourceFile } from '../types';
import { latin1 } from './bytes';
import type { DavisSetFile } from './set-file';
import { xmlTags } from './xml-tags';

export const PARTICLE_WARNING =
  'Particle-field (Shake-the-Box / IPR) sets cannot be decoded yet: the snapshot and track files are undocumented; only the header facts are shown';

/** `<ScaleX Factor=".." Offset=".." Unit=".." Description=".."/>` elements of a scales XML. */
export function parseScalesXml(text: string): Record<string, Scale> {
  const out: Record<string, Scale> = {};
  for (const t of xmlTags(text, 100_000)) {
    if (t.end || !/^Scale[A-Za-z]$/.test(t.name)) continue;
    const attr = (k: string): string | undefined => t.attrs[k];
    const slope = Number(attr('Factor'));
    const offset = Number(attr('Offset') ?? 0);
    if (!Number.isFinite(slope)) continue;
    out[t.name.slice(5).toLowerCase()] = {
      slope,
      offset: Number.isFinite(offset) ? offset : 0,
      unit: attr('Unit') ?? '',
      description: attr('Description') ?? '',
    };
  }
  return out;
}

const PULSES: Record<number, string> = { 1: 'time-resolved', 2: 'double-pulse', 4: 'four-pulse' };

/**
 * Open a particle-field folder (SetType 16777216): header facts only. `files` are the folder's files by
 * base name. Never throws for the undecodable parts; throws FormatError only when info.bin is malformed.
 */
export async function openParticleField(name: string, set: DavisSetFile | null, files: Map<string, SourceFile>): Promise<FrameSource> {
  const metadata: Record<string, unknown> = { kind: 'particle field', set: set?.entries ?? null };
  const warnings: string[] = [PARTICLE_WARNING];
  const scalesFile = files.get('scales.xml');
  if (scalesFile) metadata.scales = parseScalesXml(latin1(await scalesFile.read(0, Math.min(scalesFile.size, 1 << 20))));
  const info = files.get('info.bin');
  if (info) {
    const b = await info.read(0, Math.min(info.size, 4096));
    if (b.length < 16) throw new FormatError('davis', info.path, `particle info.bin too short (${b.length} bytes, need 16)`, 0);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const pulses = dv.getInt32(4, true);
    metadata.infoVersion = dv.getInt32(0, true);
    metadata.pulsesPerBlock = pulses;
    metadata.mode = PULSES[pulses] ?? `unknown (${pulses} pulses per block)`;
    metadata.blockCount = dv.getInt32(8, true);
    if (b.length >= 64) {
      const d = (i: number) => dv.getFloat64(16 + 8 * i, true);
      metadata.rawBounds = { min: [d(0), d(1), d(2)], max: [d(3), d(4), d(5)] };
    }
  } else warnings.push('info.bin is missing: block count and mode unknown');
  const tracks = files.get('tracks.bin');
  if (tracks && tracks.size >= 8) {
    const b = await tracks.read(0, 8);
    metadata.trackCount = new DataView(b.buffer, b.byteOffset, 8).getInt32(4, true);
  }
  const attrs = files.get('attributes.attr');
  if (attrs && attrs.size > 1024 + 12) {
    const b = await attrs.read(0, Math.min(attrs.size, 1 << 20));
    metadata.attributes = parseParticleAttributes(b);
  }
  if (!files.has('snapshots.bin')) warnings.push('snapshots.bin is missing: the particle positions are not in this copy of the set');
  metadata.files = [...files.keys()].sort();
  metadata.warnings = warnings;
  return {
    format: 'davis',
    name,
    frames: [],
    fields: [],
    metadata,
    timeUnit: null,
    warnings,
    async readFrame(index: number) {
      throw new FormatError('davis', name, `particle field has no decodable frames (asked for ${index})`);
    },
    nearestIndex: () => 0,
    close() {},
  };
}

/** attributes.attr: 1024-byte header, then int32 count and (int32 nameLen, int32 valueLen, name, value) items [partly inferred]. */
function parseParticleAttributes(b: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 1024;
  const count = dv.getInt32(p, true);
  p += 4;
  for (let i = 0; i < count && i < 10000 && p + 8 <= b.length; i++) {
    const nl = dv.getInt32(p, true);
    const vl = dv.getInt32(p + 4, true);
    if (nl < 0 || vl < 0 || p + 8 + nl + vl > b.length) break;
    out[latin1(b, p + 8, p + 8 + nl)] = latin1(b, p + 8 + nl, p + 8 + nl + vl);
    p += 8 + nl + vl;
  }
  return out;
}
