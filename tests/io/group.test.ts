import { describe, expect, it } from 'vitest';
import { PAIRING_RULES } from '../../src/formats/pairing';
import { groupDropped } from '../../src/io/group';

describe('groupDropped', () => {
  it('keeps folders together, pairs a .set with its folder and a movie with its .times', () => {
    const g = groupDropped(
      [
        'sim_000000/a_000000.npz',
        'sim_000000/description.json',
        'run.set',
        'run/B00001.vc7',
        'movie.avi',
        'movie.avi.times',
        'x.im7',
        'B00001.vc7',
        'B00002.vc7',
      ].map((path) => ({ path })),
      PAIRING_RULES,
    );
    const byName = Object.fromEntries(g.map((x) => [x.name, x.items.map((i) => i.path).sort()]));
    expect(byName.sim_000000).toHaveLength(2);
    expect(byName.run).toEqual(['run.set', 'run/B00001.vc7']);
    expect(byName['movie.avi']).toEqual(['movie.avi', 'movie.avi.times']);
    expect(byName['x.im7']).toEqual(['x.im7']);
    expect(byName.buffers).toEqual(['B00001.vc7', 'B00002.vc7']);
  });
});
