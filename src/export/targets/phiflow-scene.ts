/** `phiflow-scene`: a PhiFlow scene folder sim_NNNNNN/ (writer: ../phiflow-scene.ts). */
import { choice, jsonObject, num, type OptionsOf } from '../options';
import { defineTarget } from '../target';

const schema = {
  sceneId: num('Scene id (sim_NNNNNN)', 0, { min: 0, max: 999999, integer: true, group: 'file' }),
  extrapolation: choice('Boundary condition', ['zero-gradient', 'periodic', 'zero', 'symmetric'], 'zero-gradient', { group: 'file' }),
  properties: jsonObject('Extra scene properties (JSON object)', { group: 'file' }),
} as const;
export type PhiflowSceneOptions = OptionsOf<typeof schema>;

export const phiflowScene = defineTarget({
  id: 'phiflow-scene',
  label: 'PhiFlow scene',
  needsBrowser: false,
  produces: 'sim_NNNNNN/ folder',
  rendered: () => false,
  schema,
});
