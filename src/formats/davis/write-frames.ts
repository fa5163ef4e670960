/** The frames the DaVis buffer writer takes (shared by write-buffer and write-field). */
import type { Scale } from '../types';
import type { DavisAttributes } from './write-attributes';

export interface DavisScales {
  x: Scale;
  y: Scale;
  z?: Scale;
  /** intensity (images) or vector-value scale (vectors) */
  i: Scale;
}

/** Common per-frame parts. Frame attributes are written with the frame index appended (`AcqTime` → `AcqTime0`). */
export interface FrameCommon {
  nx: number;
  ny: number;
  /** planes (volumes); default 1 */
  nz?: number;
  /** per-frame scales, written as `FrameScale{X,Y,Z,I}<f>`; default: the buffer scales */
  scales?: DavisScales;
  /** DaVis mask convention: 1 = valid, 0 = masked out ([z][y][x]); absent = all valid */
  valid?: Uint8Array;
  /** acquisition time in seconds, written as `AcqTimeSeries<f>=<µs> µs` (and the INTARRAY AcqTimeSeries) */
  time?: number;
  attributes?: DavisAttributes;
  /** typed scalars (`TS:<name>` components), [z][y][x]; every frame of a buffer must list the same names */
  typedScalars?: { name: string; data: Float32Array | Uint16Array; scale: Scale }[];
  /** extra scalar planes (header scalarN), described by `ComponentName<k>` / `ComponentScale<k>` */
  scalars?: { name: string; data: Float32Array; scale: Scale }[];
}

export interface DavisImageFrame extends FrameCommon {
  kind?: 'image';
  /** raw stored pixels, [z][y][x] */
  data: Uint8Array | Uint16Array | Float32Array | Float64Array;
}

export interface DavisVectorFrame extends FrameCommon {
  kind?: 'vector';
  /** raw choice-0 components U0, V0 (, W0): displacement in the I scale, before the sign-of-slope rule */
  u: Float32Array;
  v: Float32Array;
  w?: Float32Array;
  /** choice slots 1..3 (U1..U3 …) for the extended formats; absent slots are written as zeros */
  extraChoices?: { u: Float32Array; v: Float32Array; w?: Float32Array }[];
  /** lvpyio ACTIVE_CHOICE (0..3 = slot, 4/5 = post-processed in slot 3); default 0 */
  activeChoice?: ArrayLike<number>;
  /** lvpyio ENABLED: 1 = enabled, 0 = disabled (written as choice header 0) */
  enabled?: Uint8Array;
  /** the peak-ratio block of formats 3 and 5 */
  peakRatio?: Float32Array;
}

export type DavisWriteFrame = DavisImageFrame | DavisVectorFrame;
