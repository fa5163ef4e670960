/**
 * The export targets and their option schemas. The export dialog builds its form from this table;
 * `readOptions` applies the defaults and validates what a job passes, so the table is the single
 * source of truth for defaults.
 */

import { CUBE_OPTION_SPECS } from './hdf5-options';

export type OptionType = 'number' | 'string' | 'boolean' | 'enum' | 'json';

export interface OptionSpec {
  key: string;
  label: string;
  type: OptionType;
  default: unknown;
  choices?: readonly (string | number)[];
  min?: number;
  max?: number;
  help?: string;
}

export interface ExportTarget {
  id: string;
  label: string;
  /** needs a browser API (ffmpeg.wasm, WebCodecs, OffscreenCanvas); false = also runs under Node */
  needsBrowser: boolean | 'depends';
  /** file name extension(s) it produces */
  produces: string;
  options: OptionSpec[];
  help?: string;
}

const render: OptionSpec[] = [
  { key: 'field', label: 'Field', type: 'string', default: '', help: 'field to render (empty = first field of the job or source)' },
  { key: 'component', label: 'Background of a vector field', type: 'enum', choices: ['magnitude', 'u', 'v', 'w'], default: 'magnitude' },
  { key: 'colormap', label: 'Colormap', type: 'string', default: 'viridis' },
  { key: 'limits', label: 'Colour limits', type: 'enum', choices: ['global', 'frame', 'manual'], default: 'global', help: 'global = min/max over all exported frames; frame = per frame; manual = vmin/vmax' },
  { key: 'vmin', label: 'vmin (manual limits)', type: 'number', default: 0 },
  { key: 'vmax', label: 'vmax (manual limits)', type: 'number', default: 1 },
  { key: 'quiver', label: 'Quiver arrows for vector fields', type: 'boolean', default: true },
  { key: 'stride', label: 'Quiver stride (cells, 0 = auto)', type: 'number', default: 0, min: 0 },
  { key: 'arrowScale', label: 'Arrow length factor', type: 'number', default: 1, min: 0.01, max: 100 },
  { key: 'arrowColor', label: 'Arrow colour', type: 'enum', choices: ['black', 'white', 'magnitude'], default: 'black' },
  { key: 'plane', label: 'z plane of 3D fields', type: 'number', default: 0, min: 0 },
  { key: 'width', label: 'Image width in px (0 = auto)', type: 'number', default: 0, min: 0, max: 4096 },
  { key: 'label', label: 'Time / frame label', type: 'boolean', default: true },
  { key: 'colorbar', label: 'Colour bar', type: 'boolean', default: true },
];

const timing: OptionSpec[] = [
  { key: 'frameDurationMs', label: 'Frame duration (ms per frame)', type: 'number', default: 20, min: 0.01, help: 'exactly: 20 ms/frame = 50 fps' },
  { key: 'fps', label: 'Frames per second (0 = from frame duration)', type: 'number', default: 0, min: 0 },
];

/** Options of the davis-set target (here, not in davis-set.ts, so the dialog does not pull in the DaVis writer). */
export const DAVIS_SET_OPTIONS: OptionSpec[] = [
  { key: 'name', label: 'Set name (without .set)', type: 'string', default: '' },
  { key: 'pack', label: 'Data compression', type: 'enum', choices: ['zlib', 'raw'], default: 'zlib' },
  {
    key: 'imageFormat',
    label: 'Scalar fields as',
    type: 'enum',
    choices: ['auto', 'float32', 'uint16'],
    default: 'auto',
    help: 'auto = 16-bit counts where they are exact, else float; uint16 quantises floats to 16 bits',
  },
  { key: 'grid', label: 'Vector grid spacing (pixels)', type: 'number', default: 1, min: 1, max: 1024 },
  { key: 'components', label: 'Keep DaVis components (disabled vectors, typed scalars)', type: 'boolean', default: true },
  { key: 'setTime', label: 'Set time (ISO date; empty = now)', type: 'string', default: '' },
];

export const EXPORT_TARGETS: ExportTarget[] = [
  {
    id: 'pypde-movie',
    label: 'py-pde MovieStorage (FFV1)',
    needsBrowser: true,
    produces: '.avi/.mkv/.mov + .times',
    help: 'lossless video py-pde reads back with MovieStorage; values quantised to 8 or 16 bit between vmin and vmax',
    options: [
      { key: 'container', label: 'Container', type: 'enum', choices: ['avi', 'mkv', 'mov'], default: 'avi' },
      { key: 'bits', label: 'Bits per channel', type: 'enum', choices: [8, 16], default: 16 },
      { key: 'vmin', label: 'vmin (number, list per field, or {field: number}; empty = data min)', type: 'json', default: null },
      { key: 'vmax', label: 'vmax (number, list per field, or {field: number}; empty = data max)', type: 'json', default: null },
      { key: 'info', label: 'Extra info (JSON object) stored in the comment', type: 'json', default: {} },
      { key: 'writeTimes', label: 'Write the .times side-car', type: 'boolean', default: true },
      { key: 'name', label: 'File name (without extension)', type: 'string', default: '' },
    ],
  },
  {
    id: 'mp4',
    label: 'MP4 movie (rendered)',
    needsBrowser: true,
    produces: '.mp4',
    options: [
      { key: 'codec', label: 'Codec', type: 'enum', choices: ['h264', 'mpeg4'], default: 'h264' },
      { key: 'encoder', label: 'H.264 encoder', type: 'enum', choices: ['auto', 'webcodecs', 'x264'], default: 'auto', help: 'auto = WebCodecs where the browser encodes H.264, else x264 in ffmpeg.wasm' },
      { key: 'quality', label: 'mpeg4 quantiser -q:v (1 best … 31)', type: 'number', default: 2, min: 1, max: 31 },
      { key: 'bitrateKbps', label: 'H.264 bit rate (kbit/s, 0 = auto)', type: 'number', default: 0, min: 0 },
      ...timing,
      ...render,
      { key: 'name', label: 'File name (without extension)', type: 'string', default: '' },
    ],
  },
  {
    id: 'webm',
    label: 'WebM movie (VP8, rendered)',
    needsBrowser: true,
    produces: '.webm',
    options: [
      { key: 'bitrateKbps', label: 'Bit rate (kbit/s, 0 = auto)', type: 'number', default: 0, min: 0 },
      ...timing,
      ...render,
      { key: 'name', label: 'File name (without extension)', type: 'string', default: '' },
    ],
  },
  {
    id: 'gif',
    label: 'Animated GIF (rendered)',
    needsBrowser: true,
    produces: '.gif',
    help: 'GIF delays are whole centiseconds: the frame duration is rounded to 10 ms and the result reported',
    options: [...timing, ...render, { key: 'name', label: 'File name (without extension)', type: 'string', default: '' }],
  },
  {
    id: 'png-zip',
    label: 'PNG images (zip)',
    needsBrowser: 'depends',
    produces: '.zip',
    help: 'raw: 16-bit grayscale PNGs of the values with mapping.json (runs anywhere); rendered: 8-bit RGB of what the viewer shows (browser)',
    options: [
      { key: 'mode', label: 'Content', type: 'enum', choices: ['raw', 'rendered'], default: 'raw' },
      ...render,
      { key: 'name', label: 'File name (without extension)', type: 'string', default: '' },
    ],
  },
  {
    id: 'npz',
    label: 'NumPy .npz (raw values + masks)',
    needsBrowser: false,
    produces: '.npz',
    options: [
      { key: 'compressed', label: 'Compressed (savez_compressed)', type: 'boolean', default: false },
      { key: 'coords', label: 'Cell-centre coordinates <field>_x/_y/_z.npy', type: 'boolean', default: true },
      { key: 'name', label: 'File name (without extension)', type: 'string', default: '' },
    ],
  },
  {
    id: 'imgstore',
    label: 'imgstore recording',
    needsBrowser: 'depends',
    produces: 'folder: metadata.yaml + chunks',
    help: 'npy and png directory stores run anywhere; mjpeg/avi and avc1/mp4 video stores need the browser',
    options: [
      { key: 'format', label: 'Chunk format', type: 'enum', choices: ['npy', 'png', 'mjpeg/avi', 'avc1/mp4'], default: 'npy' },
      { key: 'field', label: 'Field (image)', type: 'string', default: '' },
      { key: 'chunksize', label: 'Frames per chunk (0 = imgstore default: 200 directory, 10000 video)', type: 'number', default: 0, min: 0 },
      { key: 'metadata', label: 'User metadata (JSON object)', type: 'json', default: {} },
      { key: 'fps', label: 'Frame rate for frames without a time', type: 'number', default: 25, min: 0.001 },
      { key: 'quality', label: 'mjpeg quantiser -q:v (2 best … 31)', type: 'number', default: 3, min: 1, max: 31 },
      { key: 'name', label: 'Store folder name', type: 'string', default: '' },
    ],
  },
  {
    id: 'davis-set',
    label: 'DaVis set (.set + .im7/.vc7)',
    needsBrowser: false,
    produces: '.set + folder',
    options: DAVIS_SET_OPTIONS,
  },
  {
    id: 'phiflow-scene',
    label: 'PhiFlow scene',
    needsBrowser: false,
    produces: 'sim_NNNNNN/ folder',
    options: [
      { key: 'sceneId', label: 'Scene id (sim_NNNNNN)', type: 'number', default: 0, min: 0 },
      { key: 'extrapolation', label: 'Boundary condition', type: 'enum', choices: ['zero-gradient', 'periodic', 'zero', 'symmetric'], default: 'zero-gradient' },
      { key: 'properties', label: 'Extra scene properties (JSON object)', type: 'json', default: {} },
    ],
  },
  { id: 'hdf5', label: 'NetCDF-4 / HDF5 (.nc)', needsBrowser: false, produces: '.nc', help: 'xarray, h5py, netCDF, MATLAB h5read; one chunk per frame, deflate', options: CUBE_OPTION_SPECS },
  { id: 'zarr', label: 'Zarr v2 store (zip)', needsBrowser: false, produces: '.zarr.zip', help: 'xarray.open_zarr, Dask, napari; consolidated metadata, one chunk per frame', options: CUBE_OPTION_SPECS },
];

export function targetById(id: string): ExportTarget | undefined {
  return EXPORT_TARGETS.find((t) => t.id === id);
}

/**
 * The options of a job with the schema defaults filled in. Unknown keys are kept (targets may take
 * more than the form shows); known keys are type-checked and range-checked.
 */
export function readOptions(targetId: string, options: Record<string, unknown> | undefined): Record<string, unknown> {
  const t = targetById(targetId);
  const out: Record<string, unknown> = { ...(options ?? {}) };
  if (!t) return out;
  for (const o of t.options) {
    const v = out[o.key];
    if (v === undefined || (v === '' && o.type === 'number')) {
      out[o.key] = structuredCloneJson(o.default);
      continue;
    }
    switch (o.type) {
      case 'number': {
        const x = typeof v === 'string' ? Number(v) : v;
        if (typeof x !== 'number' || !Number.isFinite(x)) throw new TypeError(`${targetId}: option ${o.key} must be a number (got ${JSON.stringify(v)})`);
        if (o.min !== undefined && x < o.min) throw new RangeError(`${targetId}: option ${o.key} = ${x} is below ${o.min}`);
        if (o.max !== undefined && x > o.max) throw new RangeError(`${targetId}: option ${o.key} = ${x} is above ${o.max}`);
        out[o.key] = x;
        break;
      }
      case 'boolean':
        if (typeof v !== 'boolean') throw new TypeError(`${targetId}: option ${o.key} must be true or false (got ${JSON.stringify(v)})`);
        break;
      case 'string':
        if (typeof v !== 'string') throw new TypeError(`${targetId}: option ${o.key} must be a string`);
        break;
      case 'enum': {
        const hit = o.choices!.find((c) => c === v || String(c) === String(v));
        if (hit === undefined) throw new RangeError(`${targetId}: option ${o.key} must be one of ${o.choices!.join(', ')} (got ${JSON.stringify(v)})`);
        out[o.key] = hit;
        break;
      }
      case 'json':
        if (typeof v === 'string') {
          try {
            out[o.key] = v.trim() === '' ? structuredCloneJson(o.default) : JSON.parse(v);
          } catch {
            throw new TypeError(`${targetId}: option ${o.key} is not valid JSON`);
          }
        }
        break;
    }
  }
  return out;
}

function structuredCloneJson<T>(v: T): T {
  return v === null || typeof v !== 'object' ? v : (JSON.parse(JSON.stringify(v)) as T);
}
