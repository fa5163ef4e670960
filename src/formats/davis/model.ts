/**
 * The in-memory model of one decoded DaVis buffer (`.im7`, `.vc7`, `.imx`, `.img`, `.vec`), shaped after
 * lvpyio's Buffer/Frame/Component objects. `readDavisBuffer(file)` in read-buffer.ts returns a DavisBuffer.
 *
 * Conventions
 * - Raw component data is as stored (no scale applied), planes concatenated: `data.length = nz*ny*nx`,
 *   C order [z][y][x], x fastest, row 0 = file row 0 (no flip).
 * - physical = scale.offset + raw * scale.slope.
 * - The DaVis mask convention (1 = valid) is kept in the raw `MASK` component and `DavisBuffer.mask`;
 *   the derived FieldData masks use the numpy convention (1 = invalid).
 * - `fields` holds exactly what the FrameSource hands to the viewer for this buffer (see DESIGN.md):
 *   `frame{k}` (image: scalar physical intensity; vectors: lvpyio `as_masked_array`) and, for vector
 *   frames, `frame{k}/{component}` for every component in its own scale.
 */
import type { FieldData, Scale } from '../types';

export type DavisDType = 'uint8' | 'uint16' | 'int32' | 'float32' | 'float64';
export type DavisArray = Uint8Array | Uint16Array | Int32Array | Float32Array | Float64Array;

/** The 256-byte header, normalised over both header generations. */
export interface DavisHeader {
  /** 'im7' = Image_Header_7 (.im7/.vc7); 'old' = DaVis <= 6 image_header (.img/.imx/.vec) */
  kind: 'im7' | 'old';
  /** im7: int16 version (0). old: the uint8 version byte at 33 (43, 55, ...). */
  version: number;
  /** im7: pack_type. old: 1 for imagetype 19 (IMX), else 0. */
  packType: number;
  /** im7: buffer_format; old: -4 (word) / -3 (float) for images, image_sub_type (1..5) for vectors. */
  bufferFormat: number;
  isSparse: number;
  nx: number;
  ny: number;
  nz: number;
  nf: number;
  scalarN: number;
  vectorGrid: number;
  extraFlags: number;
  /** old header only: imagetype (18..23) */
  imageType?: number;
  /** old header only: the scales stored in the header fields (x, y, i) */
  headerScales?: { x: Scale; y: Scale; i: Scale };
  /** old header only: com1 / com2 / date / time strings */
  comments?: string[];
  date?: string;
  time?: string;
}

/** One raw attribute item as stored (a multimap: duplicates such as two `_DaVisVersion` are kept). */
export interface DavisAttributeItem {
  /** item type 1..17 (see the format note §2.5) */
  type: number;
  /** byte offset of the item in the file */
  offset: number;
  /** attribute name (ATTRIBUTE / arrays / planes), or the pseudo name for scale/time/date/comment items */
  name: string;
  value: DavisAttributeValue;
}

export type DavisAttributeValue = string | Float32Array | Int32Array | Uint16Array | Float64Array | DavisAttributePlane;

export interface DavisAttributePlane {
  sizeX: number;
  sizeY: number;
  /** sizeY rows of sizeX elements */
  data: Float32Array | Int32Array | Uint16Array | Float64Array;
}

export interface DavisComponent {
  name: string;
  dtype: DavisDType;
  /** [nz, ny, nx] */
  shape: [number, number, number];
  /** raw values, planes concatenated */
  data: DavisArray;
  scale: Scale;
}

/** A typed-scalar record ("TS:" component source) of the file. */
export interface DavisTypedScalar {
  name: string;
  nx: number;
  ny: number;
  nz: number;
  nf: number;
  /** BufferFormat code of the elements (-3 float32, -4 uint16, -5 float64, -2 uint8, ...) */
  dataType: number;
  /** the 5 scale strings in file order (X, Y, Z, ?, I), parsed */
  scales: Scale[];
  /** raw data of all frames, [f][z][y][x] */
  data: DavisArray;
}

export interface DavisFrame {
  /** frame position k inside the buffer */
  index: number;
  kind: 'image' | 'vector';
  /** components in lvpyio's order (images: PIXEL [, extra scalars, MASK]) */
  components: DavisComponent[];
  /** frame scales (x, y, z, i): FrameScale*<k> when present, else the `_SCALE_*` items, else defaults */
  scales: { x: Scale; y: Scale; z: Scale; i: Scale };
  /** vector frames: grid spacing in pixels (x, y, z); images: 1, 1, 1 */
  grid: { x: number; y: number; z: number };
  /** vector frames: number of stored choices (4 for extended formats, 1 otherwise); images 0 */
  choices: number;
  /** frame-suffixed attributes of this frame with the suffix stripped (e.g. CameraName0 -> CameraName) */
  attributes: Record<string, unknown>;
  /** acquisition time of this frame in s, where the attributes give it */
  time: number | null;
}

export interface DavisBuffer {
  path: string;
  header: DavisHeader;
  /** the 32 tail offsets (absent unless extraFlags bit 0) */
  tail: number[] | null;
  frames: DavisFrame[];
  /** buffer attributes: name -> value (last one wins), plus `_SCALE_X/Y/Z/I/F`, `_TIME`, `_DATE`, `_COMMENT` */
  attributes: Record<string, unknown>;
  /** every attribute item in file order */
  attributeItems: DavisAttributeItem[];
  /** the `_SCALE_*` items (or old-header scales), parsed */
  scales: { x?: Scale; y?: Scale; z?: Scale; i?: Scale; f?: Scale };
  /** raw mask, DaVis convention (1 = valid), [f][z][y][x], or null when the file has none */
  mask: Uint8Array | null;
  typedScalars: DavisTypedScalar[];
  /** decoded fields for the viewer, for every frame of the buffer (see header comment) */
  fields: Record<string, FieldData>;
  /** non-fatal problems and notices (Bayer pattern image, unknown pack variants recovered, ...) */
  warnings: string[];
  /** acquisition time of the buffer (its first frame) in s, or null */
  time: number | null;
}
