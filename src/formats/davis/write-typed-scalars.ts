/**
 * The raw typed-scalar block (`TS:` components; davis.md §2.8), written at tail offset[3]:
 * int32 count, then per record nx, ny, nz, nf, 1, dataType, LSTR name, 5 LSTR scales (X, Y, Z, F, I), data.
 * LSTR = int32 N, N bytes, one extra byte (written as 0).
 */
import type { Scale } from '../types';
import { iehScaleText, latin1 } from './write-attributes';
import { ByteSink } from './write-bytes';

export interface TypedScalarRecord {
  name: string;
  nx: number;
  ny: number;
  nz: number;
  nf: number;
  /** [f][z][y][x]: float32 (dataType -3) or uint16 (dataType -4) */
  data: Float32Array | Uint16Array;
  scales: { x: Scale; y: Scale; z: Scale; f: Scale; i: Scale };
}

function lstr(sink: ByteSink, text: string): void {
  const b = latin1(text);
  sink.i32(b.length);
  sink.bytes(b);
  sink.u8(0);
}

export function encodeTypedScalars(records: TypedScalarRecord[]): Uint8Array {
  const sink = new ByteSink(1024 + records.reduce((n, r) => n + r.data.byteLength, 0));
  sink.i32(records.length);
  for (const r of records) {
    const n = r.nx * r.ny * r.nz * r.nf;
    if (r.data.length !== n) throw new RangeError(`DaVis writer: typed scalar ${r.name} holds ${r.data.length} values, expected ${n}`);
    sink.i32(r.nx);
    sink.i32(r.ny);
    sink.i32(r.nz);
    sink.i32(r.nf);
    sink.i32(1);
    sink.i32(r.data instanceof Uint16Array ? -4 : -3);
    lstr(sink, r.name);
    for (const s of [r.scales.x, r.scales.y, r.scales.z, r.scales.f, r.scales.i]) lstr(sink, iehScaleText(s));
    sink.typed(r.data);
  }
  return sink.finish();
}
