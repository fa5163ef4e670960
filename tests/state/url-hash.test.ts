import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, fromHash, toHash } from '../../src/state/view';

describe('view state in the URL hash', () => {
  it('round-trips what differs from the defaults', () => {
    const v = {
      ...DEFAULT_VIEW,
      dataset: 'sim_000001',
      frame: 7,
      field: 'velocity',
      colormap: 'RdBu',
      limitsMode: 'manual' as const,
      vmin: -1.5,
      vmax: 2,
      stride: 3,
      quiver: false,
    };
    const h = toHash(v);
    expect(h).toContain('i=7');
    expect({ ...DEFAULT_VIEW, ...fromHash('#' + h) }).toEqual(v);
  });
  it('ignores garbage', () => {
    expect(fromHash('#i=abc&zzz=1&cmap=gray')).toEqual({ colormap: 'gray' });
  });
});

describe('playback holds automatic colour limits', async () => {
  const { useView, viewRequestOf } = await import('../../src/state/view');
  const { drawnStore } = await import('../../src/state/drawn');
  it('freezes the drawn limits at play, releases them at pause or when the view changes', () => {
    drawnStore.getState().setDrawn(3, {}, [-1, 2]);
    useView.getState().set({ field: 'density', limitsMode: 'minmax', playing: false });
    useView.getState().set({ playing: true });
    expect(useView.getState().playLimits).toEqual([-1, 2]);
    expect(viewRequestOf(useView.getState())).toMatchObject({ limitsMode: 'manual', manual: [-1, 2] });
    useView.getState().set({ frame: 4 });
    expect(useView.getState().playLimits).toEqual([-1, 2]);
    useView.getState().set({ field: 'velocity' });
    expect(useView.getState().playLimits).toBeNull();
    useView.getState().set({ playing: false });
    useView.getState().set({ limitsMode: 'manual', vmin: 0, vmax: 1 });
    useView.getState().set({ playing: true });
    expect(useView.getState().playLimits).toBeNull();
    expect(viewRequestOf(useView.getState())).toMatchObject({ limitsMode: 'manual', manual: [0, 1] });
  });
});
