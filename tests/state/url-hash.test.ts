import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, fromHash, toHash } from '../../src/state/view';

describe('view state in the URL hash', () => {
  it('round-trips what differs from the defaults', () => {
    const v = { ...DEFAULT_VIEW, dataset: 'sim_000001', frame: 7, field: 'velocity', colormap: 'RdBu', limitsMode: 'manual' as const, vmin: -1.5, vmax: 2, stride: 3, quiver: false };
    const h = toHash(v);
    expect(h).toContain('i=7');
    expect({ ...DEFAULT_VIEW, ...fromHash('#' + h) }).toEqual(v);
  });
  it('ignores garbage', () => {
    expect(fromHash('#i=abc&zzz=1&cmap=gray')).toEqual({ colormap: 'gray' });
  });
});
