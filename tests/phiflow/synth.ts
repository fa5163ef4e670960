/** Build PhiFlow field files in memory (with our own npy/pickle/npz writers) for synthetic cases. */
import { encodeNpy, npyHeader, type NumericData } from '../../src/codecs/npy';
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
  /** npy descr of data (e.g. '<c8' for interleaved complex Float32Array); default from the typed array */
  dtype?: string;
}

export function fieldMembers(f: SynthField): Record<string, Uint8Array> {
  const spatial = f.bounds ?? f.dims.filter((d) => d.type === 'spatial').map((d) => d.name);
  return {
    dim_names: encodeNpy({ shape: [f.dims.length], data: f.dims.map((d) => d.name) }),
    dim_types: encodeNpy({ shape: [f.dims.length], data: f.dims.map((d) => d.type) }),
    dim_item_names: encodeObjectNpy(
      f.dims.map((d) => (d.items ? tuple(...d.items) : null)),
      [f.dims.length],
    ),
    field_type: encodeNpy({ shape: [], data: [f.fieldType ?? 'CenteredGrid'] }),
    lower: encodeNpy({ shape: [spatial.length], data: Float64Array.from(f.lower ?? spatial.map(() => 0)) }),
    upper: encodeNpy({ shape: [spatial.length], data: Float64Array.from(f.upper ?? spatial.map(() => 1)) }),
    bounds_item_names: encodeNpy({ shape: [spatial.length], data: spatial }),
    extrapolation: encodeObjectNpy([f.extrapolation ?? { type: 'zero-gradient' }], []),
    data: encodeNpy({ shape: f.shape, data: f.data, ...(f.dtype ? { dtype: f.dtype } : {}) }),
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

/**
 * A PhiFlow 2.0-style field file (generated here, from what PhiFlow 2.0's `write_single_field`
 * stored): dims in the order given (2.0 wrote y before x), no `dim_item_names` unless given,
 * `bounds_item_names` absent (`'absent'`) or a pickled None (`'none'`, what
 * `field.bounds.size.vector.item_names` gave in 2.0/2.1), lower/upper in storage order of the
 * spatial dims, and the extrapolation dict as given.
 */
export function legacyFieldMembers(
  f: SynthField & { boundsItemNames: 'absent' | 'none'; itemNames?: boolean; boundsDtype?: '<i8' | '<f4' },
): Record<string, Uint8Array> {
  const nsp = f.dims.filter((d) => d.type === 'spatial').length;
  const arr = (v: number[]) => (f.boundsDtype === '<i8' ? BigInt64Array.from(v.map((x) => BigInt(x))) : Float32Array.from(v));
  const m: Record<string, Uint8Array> = {
    dim_names: encodeNpy({ shape: [f.dims.length], data: f.dims.map((d) => d.name) }),
    dim_types: encodeNpy({ shape: [f.dims.length], data: f.dims.map((d) => d.type) }),
  };
  if (f.itemNames)
    m.dim_item_names = encodeObjectNpy(
      f.dims.map((d) => (d.items ? tuple(...d.items) : null)),
      [f.dims.length],
    );
  m.field_type = encodeNpy({ shape: [], data: [f.fieldType ?? 'CenteredGrid'] });
  m.lower = encodeNpy({ shape: [nsp], data: arr(f.lower ?? new Array(nsp).fill(0)) });
  m.upper = encodeNpy({ shape: [nsp], data: arr(f.upper ?? new Array(nsp).fill(1)) });
  if (f.boundsItemNames === 'none') m.bounds_item_names = encodeObjectNpy([null], []);
  m.extrapolation = encodeObjectNpy([f.extrapolation ?? { type: 'boundary' }], []);
  m.data = encodeNpy({ shape: f.shape, data: f.data });
  return m;
}

/** A '|O' .npy member of shape () whose payload is the given raw pickle bytes (for hand-made attacks). */
export function rawObjectNpy(pickle: number[]): Uint8Array {
  const head = npyHeader('|O', []);
  const out = new Uint8Array(head.length + pickle.length);
  out.set(head, 0);
  out.set(pickle, head.length);
  return out;
}

/** Pickle opcodes for a str (BINUNICODE). */
export function pkStr(s: string): number[] {
  const b = new TextEncoder().encode(s);
  return [0x58, b.length & 0xff, (b.length >> 8) & 0xff, 0, 0, ...b];
}
