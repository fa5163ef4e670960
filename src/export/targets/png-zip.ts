/** `png-zip`: raw 16-bit PNGs of the values (anywhere) or rendered 8-bit PNGs of the view (browser). */
import { choice, nameOpt, type OptionsOf } from '../options';
import { RENDER_LEGACY, RENDER_SCHEMA, renderCheck } from '../render-options';
import { defineTarget } from '../target';

const rendered = (o: Record<string, unknown>) => o.mode === 'rendered';
/** The render options only apply in rendered mode. */
const renderSchema = Object.fromEntries(
  Object.entries(RENDER_SCHEMA).map(([k, o]) => [k, { ...o, applies: (x: Record<string, unknown>) => rendered(x) && (!o.applies || o.applies(x)) }]),
) as unknown as typeof RENDER_SCHEMA;

const schema = {
  mode: choice('Content', ['raw', 'rendered'], 'raw', {
    group: 'file',
    labels: { raw: 'raw values (16-bit, every field)', rendered: 'rendered as the viewer shows it' },
  }),
  ...renderSchema,
  name: nameOpt(),
} as const;
export type PngZipOptions = OptionsOf<typeof schema>;

export const pngZip = defineTarget({
  id: 'png-zip',
  label: 'PNG images (zip)',
  needsBrowser: 'depends',
  produces: '.zip',
  help: 'raw: 16-bit grayscale PNGs of the values with mapping.json (runs anywhere); rendered: 8-bit RGB of what the viewer shows (browser)',
  rendered: (o) => o.mode === 'rendered',
  schema,
  check: (o) => (o.mode === 'rendered' ? renderCheck(o) : null),
  legacy: RENDER_LEGACY,
});
