/** `npz`: one numpy archive of the raw values, masks and coordinates. */
import { bool, nameOpt, type OptionsOf } from '../options';
import { defineTarget } from '../target';

const schema = {
  compressed: bool('Compressed (savez_compressed)', false, { group: 'file' }),
  coords: bool('Cell-centre coordinates <field>_x/_y/_z.npy', true, { group: 'file' }),
  name: nameOpt(),
} as const;
export type NpzOptions = OptionsOf<typeof schema>;

export const npz = defineTarget({
  id: 'npz',
  label: 'NumPy .npz (raw values + masks)',
  needsBrowser: false,
  produces: '.npz',
  rendered: () => false,
  schema,
});
