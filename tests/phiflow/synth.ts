/** Build PhiFlow field files in memory (with our own npy/pickle/npz writers) for synthetic cases. */
import { encodeNpy, type NumericData } from '../../src/codecs/npy';
import { encodeNpz } from '../../src/codecs/npz';
import { tuple } from '../../src/codecs/pickle';
import { encodeObjectNpy } from '../../src/codecs/pickle-write';
import { bytesSourceFile } from '../../src/io/slice-file';
import type { SourceFile, SourceTree } from '../../src/formats/types';

export interface SynthField {
  dims: { name: string; type: string; items?: string[] }[];
  shape: number[];
  data: NumericData;
  fieldType?: 'CenteredGrid' | 'StaggeredGrid';
  lower?: number[];
  upper?: number[];
  bounds?: string[];
  extrapolation?: unknown;
}

export function fieldMembers(f: SynthField): Record<string, Uint8Array> {
  const spatial = f.bounds ?? f.dims.filter((d) => d.type === 'spatial').map((d) => d.name);
  return {
    dim_names: encodeNpy({ shape: [f.dims.length], data: f.dims.map((d) => d.name) }),
    dim_types: encodeNpy({ shape: [f.dims.length], data: f.dims.map((d) => d.type) }),
    dim_item_names: encodeObjectNpy(f.dims.map((d) => (d.items ? tuple(...d.items) : null)), [f.dims.length]),
    field_type: encodeNpy({ shape: [], data: [f.fieldType ?? 'CenteredGrid'] }),
    lower: encodeNpy({ shape: [spatial.length], data: Float64Array.from(f.lower ?? spatial.map(() => 0)) }),
    upper: encodeNpy({ shape: [spatial.length], data: Float64Array.from(f.upper ?? spatial.map(() => 1)) }),
    bounds_item_names: encodeNpy({ shape: [spatial.length], data: spatial }),
    extrapolation: encodeObjectNpy([f.extrapolation ?? { type: 'zero-gradient' }], []),
    data: encodeNpy({ shape: f.shape, data: f.data }),
  };
}

export function fieldFile(f: SynthField): Uint8Array {
  return encodeNpz(fieldMembers(f), { compress: true });
}

export function treeFrom(name: string, files: Record<string, Uint8Array | string>): SourceTree {
  const out: SourceFile[] = Object.entries(files).map(([p, b]) => bytesSourceFile(p, typeof b === 'string' ? new TextEncoder().encode(b) : b));
  out.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { name, files: out };
}
