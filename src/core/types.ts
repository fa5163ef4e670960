/**
 * The stable contracts every format reader, the worker pipeline, the views and the exporters share.
 * See DESIGN.md ("Contracts"). Names may grow; the ones listed there must stay.
 */

/** One file of a dataset. `path` is relative to the tree root and '/'-separated. */
export interface SourceFile {
  path: string;
  size: number;
  /** Random-access read of bytes [start, end) (end exclusive, clamped to the file size). */
  read(start?: number, end?: number): Promise<Uint8Array>;
  /** The underlying browser File/Blob, where there is one (lets ffmpeg mount it with WORKERFS). */
  blob?: Blob;
}

export interface SourceTree {
  name: string;
  files: SourceFile[];
}

/** physical = offset + raw * slope */
export interface Scale {
  slope: number;
  offset: number;
  unit: string;
  description: string;
}

export interface FrameInfo {
  /** 0-based position in the source. */
  index: number;
  /** The number the source gives the frame (DaVis B00001 number, imgstore frame_number, PhiFlow file number). */
  number: number;
  /** Physical time (s for DaVis/imgstore/video; the simulation's unit for py-pde), or null when unknown. */
  time: number | null;
}

export type FieldKind = 'scalar' | 'vector' | 'rgb';

export interface FieldInfo {
  name: string;
  kind: FieldKind;
  shape: number[];
  unit: string;
}

export interface FieldData {
  kind: FieldKind;
  /** [nx], [ny, nx] or [nz, ny, nx]; C order, x fastest (rgb: [ny, nx, 3]). */
  shape: number[];
  /** scalar / rgb values in physical units */
  values?: Float32Array | Float64Array | Uint8Array | Uint16Array;
  /** vector components, physical units */
  u?: Float32Array;
  v?: Float32Array;
  w?: Float32Array;
  /** 1 = invalid (numpy convention) */
  mask?: Uint8Array;
  /**
   * x/y/z map an ARRAY INDEX along that axis to the physical coordinate of the cell centre:
   * coord(i) = offset + i * slope (readers fold grid spacing, half-cell shifts and axis flips in).
   * `i` describes the value axis (values are already physical; slope/offset/unit say how raw counts map).
   */
  scales?: { x: Scale; y: Scale; z?: Scale; i?: Scale };
  /**
   * Optional explicit cell-centre coordinates per axis (x, y, z) where the grid is not uniform
   * or not described by a linear scale (e.g. polar grids). Same length as the axis.
   */
  coords?: { x?: Float64Array; y?: Float64Array; z?: Float64Array };
}

export interface Frame {
  info: FrameInfo;
  fields: Record<string, FieldData>;
  attributes: Record<string, unknown>;
}

export interface FrameSource {
  format: string;
  name: string;
  frames: FrameInfo[];
  fields: FieldInfo[];
  metadata: Record<string, unknown>;
  timeUnit: string | null;
  readFrame(index: number, opts?: { signal?: AbortSignal }): Promise<Frame>;
  /**
   * Scrubbing (optional; video-backed sources): a frame near `index` that can be had at once (already
   * decoded, or its GOP's keyframe decoded alone) while the exact frame still has to be decoded from
   * the keyframe. The frame is exact for its own `info.index`, which may differ from `index`; the
   * viewer shows it marked as approximate until the exact frame is drawn. Null when nothing near is quick.
   */
  previewFrame?(index: number, opts?: { signal?: AbortSignal }): Promise<Frame | null>;
  /** Paused on `index` (optional): decode ahead in the background so stepping is instant; yields to readFrame. */
  warm?(index: number, opts?: { signal?: AbortSignal }): Promise<void>;
  nearestIndex(time: number): number;
  close(): void;
  /**
   * Optional extras a view can show: text documents (scripts, logs) and series (log curves,
   * extra data) plotted against frame number or time.
   */
  documents?: { name: string; text: string; mime?: string }[];
  series?: SeriesInfo[];
  /** Non-fatal problems found while opening (bad trailing chunk, unsupported sub-part, ...). */
  warnings?: string[];
  /** Sub-datasets selectable inside one opened tree (e.g. many PhiFlow scenes: one per `sim_*`). */
  scenes?: { name: string; open(): Promise<FrameSource> }[];
}

export interface SeriesInfo {
  name: string;
  /** what x means: frame number or time */
  xKind: 'number' | 'time';
  x: number[];
  /** one or more columns */
  y: number[][];
  columns?: string[];
}
