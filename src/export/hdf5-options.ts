/**
 * Typed options of the `hdf5` and `zarr` targets (one interface, its defaults and a parse function
 * each), and the option tables the export dialog builds its form from. No writer is imported here,
 * so the dialog does not pull in h5wasm or zarrita.
 */
import { ExportError } from '../core/errors';

/** How masked cells are stored: a separate 0/1 variable, NaN in float variables, or both. */
export type MaskMode = 'variable' | 'nan' | 'both';

export interface CubeOptions {
  /** file (hdf5) or store (zarr) name without extension; empty = the source name */
  name: string;
  /** deflate level 0 (none) … 9 */
  compression: number;
  mask: MaskMode;
  /** copy the source's metadata into attributes (flat scalars + one JSON attribute) */
  metadata: boolean;
  /** zarr only: a zip of the store (returned as bytes) or a folder (written through ExportControl.folder) */
  store: 'zip' | 'folder';
}

export const CUBE_DEFAULTS: CubeOptions = { name: '', compression: 4, mask: 'variable', metadata: true, store: 'zip' };

const MASKS: readonly MaskMode[] = ['variable', 'nan', 'both'];

/** Parse a job's options (values may be strings, as from a form or the command line). */
export function parseCubeOptions(target: string, raw: Record<string, unknown> | undefined): CubeOptions {
  const o: CubeOptions = { ...CUBE_DEFAULTS };
  const r = raw ?? {};
  for (const [k, v] of Object.entries(r)) {
    if (v === undefined) continue;
    switch (k) {
      case 'name':
        if (typeof v !== 'string') throw new ExportError(target, `option name must be a string (got ${JSON.stringify(v)})`);
        o.name = v;
        break;
      case 'compression': {
        const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 9)
          throw new ExportError(target, `option compression must be an integer 0…9 (got ${JSON.stringify(v)})`);
        o.compression = n;
        break;
      }
      case 'mask':
        if (typeof v !== 'string' || !MASKS.includes(v as MaskMode))
          throw new ExportError(target, `option mask must be one of ${MASKS.join(', ')} (got ${JSON.stringify(v)})`);
        o.mask = v as MaskMode;
        break;
      case 'metadata': {
        const b = v === 'true' ? true : v === 'false' ? false : v;
        if (typeof b !== 'boolean') throw new ExportError(target, `option metadata must be true or false (got ${JSON.stringify(v)})`);
        o.metadata = b;
        break;
      }
      case 'store':
        if (v !== 'zip' && v !== 'folder') throw new ExportError(target, `option store must be zip or folder (got ${JSON.stringify(v)})`);
        o.store = v;
        break;
      default:
        throw new ExportError(target, `unknown option “${k}” (known: ${Object.keys(CUBE_DEFAULTS).join(', ')})`);
    }
  }
  return o;
}

/** The dialog's form rows (the shape of targets.ts's OptionSpec, stated here so that no import cycle arises). */
export const CUBE_OPTION_SPECS: {
  key: string;
  label: string;
  type: 'string' | 'number' | 'enum' | 'boolean';
  default: unknown;
  choices?: readonly string[];
  min?: number;
  max?: number;
  help?: string;
}[] = [
  { key: 'name', label: 'File name (without extension)', type: 'string', default: CUBE_DEFAULTS.name },
  { key: 'compression', label: 'Deflate level (0 = none … 9)', type: 'number', default: CUBE_DEFAULTS.compression, min: 0, max: 9 },
  {
    key: 'mask',
    label: 'Masked cells',
    type: 'enum',
    choices: MASKS,
    default: CUBE_DEFAULTS.mask,
    help: 'variable = a separate <name>_mask variable (1 = invalid); nan = NaN in float variables; both',
  },
  { key: 'metadata', label: 'Source metadata as attributes', type: 'boolean', default: CUBE_DEFAULTS.metadata },
];
