/**
 * What a rendered frame shows (movies, rendered PNGs, the dialog's preview): the options every
 * rendered target shares, and `viewToRenderOptions(view)`, the one mapping from the viewer's
 * settings to them, used by the export dialog (its defaults) and by anything else that exports
 * "what I see".
 *
 * Limits have one vocabulary, the viewer's (`LimitsMode` of src/render/colorize.ts: minmax, p1-99,
 * manual, symmetric), plus a scope saying over what they are taken: `frame` = each frame's own
 * (what the viewer shows while scrubbing), `global` = over all exported frames (colours mean the
 * same in every frame of the movie).
 */
import type { LimitsMode } from '../render/colorize';
import { COLORMAP_NAMES } from '../render/colormaps';
import { autoNum, bool, choice, num, str, type OptionsOf } from './options';

export const LIMITS_MODES = ['minmax', 'p1-99', 'manual', 'symmetric'] as const satisfies readonly LimitsMode[];
export const LIMITS_SCOPES = ['global', 'frame'] as const;
export type LimitsScope = (typeof LIMITS_SCOPES)[number];

const COLORMAPS = [...COLORMAP_NAMES, ...COLORMAP_NAMES.map((n) => `${n}_r`)];
const manualLimits = (o: Record<string, unknown>) => o.limits === 'manual';
const vectorish = (o: Record<string, unknown>) => o.quiver !== false;

export const RENDER_SCHEMA = {
  field: str('Field', '', { picker: 'field', group: 'render', help: 'empty = the first field of the job, else of the dataset' }),
  component: choice('Background of a vector field', ['magnitude', 'u', 'v', 'w'], 'magnitude', {
    group: 'render',
    labels: { magnitude: '|v| (magnitude)', u: 'u component', v: 'v component', w: 'w component' },
  }),
  plane: num('z plane of 3D fields', 0, { min: 0, integer: true, group: 'render' }),
  colormap: choice('Colormap', COLORMAPS, COLORMAP_NAMES[0], { picker: 'colormap', group: 'render' }),
  limits: choice('Colour limits', LIMITS_MODES, 'minmax', {
    group: 'render',
    labels: { minmax: 'min … max', 'p1-99': '1st … 99th percentile', manual: 'manual (vmin … vmax)', symmetric: 'symmetric about 0' },
  }),
  limitsScope: choice('Limits taken over', LIMITS_SCOPES, 'global', {
    group: 'render',
    applies: (o) => o.limits !== 'manual',
    labels: { global: 'all exported frames (fixed colours)', frame: 'each frame (as the viewer while scrubbing)' },
  }),
  vmin: autoNum('vmin', 'from the data', { group: 'render', applies: manualLimits }),
  vmax: autoNum('vmax', 'from the data', { group: 'render', applies: manualLimits }),
  quiver: bool('Quiver arrows on vector fields', true, { group: 'render' }),
  stride: num('Quiver stride (cells, 0 = auto)', 0, { min: 0, integer: true, group: 'render', applies: vectorish }),
  arrowScale: num('Arrow length factor', 1, { min: 0.01, max: 100, group: 'render', applies: vectorish }),
  arrowColor: choice('Arrow colour', ['black', 'white', 'magnitude'], 'black', { group: 'render', applies: vectorish, labels: { magnitude: 'by |v| (jet)' } }),
  maskColor: str('Mask colour', 'auto', { group: 'render', help: 'auto = a colour far from every colour of the colormap; else a hex colour such as #ff00ff' }),
  width: num('Image width in px (0 = auto)', 0, { min: 0, max: 4096, integer: true, group: 'render' }),
  label: bool('Time / frame label', true, { group: 'render' }),
  colorbar: bool('Colour bar', true, { group: 'render' }),
} as const;

export type RenderOptions = OptionsOf<typeof RENDER_SCHEMA>;

/** The viewer settings a rendered frame depends on (src/state/view.ts ViewState has them all). */
export interface ViewSettings {
  field: string;
  component: string;
  plane: number;
  colormap: string;
  limitsMode: LimitsMode;
  vmin: number | null;
  vmax: number | null;
  stride: number;
  quiver: boolean;
  arrowScale: number;
  arrowColor: string;
  /** mask colour ('auto' or a CSS colour), when the view has one */
  maskColor?: string;
}

/**
 * The render options of what the viewer shows. Limits keep the view's mode; a manual view without
 * both numbers falls back to min/max. The scope is `global` unless asked (a movie's colours should
 * mean the same in every frame); pass `frame` for exactly what the viewer shows frame by frame.
 * Options that do not come from the view (width, label, colour bar) are left out, so the schema
 * defaults apply to them.
 */
export function viewToRenderOptions(view: ViewSettings, scope: LimitsScope = 'global'): Partial<RenderOptions> {
  const manual = view.limitsMode === 'manual' && view.vmin !== null && view.vmax !== null && view.vmin < view.vmax;
  const component = (RENDER_SCHEMA.component.choices as readonly string[]).includes(view.component)
    ? (view.component as RenderOptions['component'])
    : 'magnitude';
  const arrowColor = (RENDER_SCHEMA.arrowColor.choices as readonly string[]).includes(view.arrowColor)
    ? (view.arrowColor as RenderOptions['arrowColor'])
    : 'black';
  const out: Partial<RenderOptions> = {
    field: view.field,
    component,
    plane: Math.max(0, Math.floor(view.plane) || 0),
    colormap: COLORMAPS.includes(view.colormap) ? view.colormap : COLORMAP_NAMES[0],
    limits: manual ? 'manual' : view.limitsMode === 'manual' ? 'minmax' : view.limitsMode,
    limitsScope: scope,
    vmin: manual ? view.vmin : null,
    vmax: manual ? view.vmax : null,
    quiver: view.quiver,
    stride: Math.max(0, Math.floor(view.stride) || 0),
    arrowScale: view.arrowScale,
    arrowColor,
  };
  if (view.maskColor !== undefined) out.maskColor = view.maskColor;
  return out;
}

/** What the render options together must satisfy (manual limits need vmin < vmax). */
export function renderCheck(o: RenderOptions): string | null {
  if (o.maskColor !== 'auto' && !/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(o.maskColor.trim()))
    return `mask colour must be auto or a hex colour such as #ff00ff (got “${o.maskColor}”)`;
  if (o.limits !== 'manual') return null;
  if (o.vmin === null || o.vmax === null) return `manual colour limits need both vmin and vmax (got ${o.vmin ?? 'none'} and ${o.vmax ?? 'none'})`;
  if (!(o.vmin < o.vmax)) return `manual colour limits need vmin below vmax (got vmin ${o.vmin}, vmax ${o.vmax})`;
  return null;
}

/** The export's old limits words, now the scope: say what to write instead. */
export const RENDER_LEGACY: Record<string, (v: unknown) => string | null> = {
  limits: (v) =>
    v === 'global' || v === 'frame' ? `option limits “${v}” is now a scope: use limits: 'minmax' (or 'p1-99', 'symmetric') with limitsScope: '${v}'` : null,
};
