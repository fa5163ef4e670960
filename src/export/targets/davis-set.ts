/** `davis-set`: a DaVis set (.set + .im7/.vc7) per field group. */
import { bool, choice, nameOpt, num, str, type OptionsOf } from '../options';
import { defineTarget } from '../target';

const schema = {
  name: nameOpt('Set name (without .set)'),
  pack: choice('Data compression', ['zlib', 'raw'], 'zlib', { group: 'file' }),
  imageFormat: choice('Scalar fields as', ['auto', 'float32', 'uint16'], 'auto', {
    group: 'file',
    help: 'auto = 16-bit counts where they are exact, else float; uint16 quantises floats to 16 bits',
  }),
  grid: num('Vector grid spacing (pixels)', 1, { min: 1, max: 1024, integer: true, group: 'file' }),
  components: bool('Keep DaVis components (disabled vectors, typed scalars)', true, { group: 'file' }),
  setTime: str('Set time (ISO date; empty = now)', '', { group: 'file' }),
} as const;
export type DavisSetOptions = OptionsOf<typeof schema>;

export const davisSet = defineTarget({
  id: 'davis-set',
  label: 'DaVis set (.set + .im7/.vc7)',
  needsBrowser: false,
  produces: '.set + folder',
  rendered: () => false,
  schema,
  check: (o) =>
    o.setTime.trim() && Number.isNaN(new Date(o.setTime).getTime()) ? `set time “${o.setTime}” is not a date (write it as 2024-01-31T12:00:00Z)` : null,
});
