/**
 * The FFV1 read-ahead's range planning (src/video/range-pool.ts) with stand-in lanes: a reader
 * stepping through the file gets every frame decoded once, and ranges start on keyframes even
 * where the look-ahead bound cuts a GOP (a range starting inside a GOP decodes the GOP's first
 * frames a second time).
 */
import { describe, expect, it } from 'vitest';
import type { FfmpegLane } from '../../src/video/ffmpeg-loader';
import { RangePool } from '../../src/video/range-pool';

interface Run {
  lane: number;
  start: number;
  count: number;
  background: boolean;
}

function simulate(opts: { frames: number; gop: number; lookahead: number; maxFrames: number; beyond?: number; lanes?: number; order?: number[] }) {
  const cache = new Set<number>();
  const runs: Run[] = [];
  const lanes = Array.from({ length: opts.lanes ?? 2 }, () => ({ busy: 0 }) as unknown as FfmpegLane);
  const keys = Array.from({ length: Math.ceil(opts.frames / opts.gop) }, (_, k) => k * opts.gop);
  const pool = new RangePool({
    frameCount: opts.frames,
    keys,
    maxFrames: opts.maxFrames,
    lookahead: opts.lookahead,
    beyond: opts.beyond,
    lanes,
    cached: (i) => cache.has(i),
    decode: async (lane, start, count, _pixFmt, signal, background) => {
      const l = lane as unknown as { busy: number };
      l.busy++;
      try {
        // a few macrotasks per frame, so the reader runs while ranges decode
        for (let k = 0; k < count; k++) await new Promise((r) => setTimeout(r, 0));
        if (background && signal?.aborted) return;
        runs.push({ lane: lanes.indexOf(lane), start, count, background });
        for (let j = start; j < start + count; j++) cache.add(j);
      } finally {
        l.busy--;
      }
    },
  });
  return { pool, cache, runs, keys };
}

async function read(sim: ReturnType<typeof simulate>, order: number[]) {
  for (const i of order) {
    while (!sim.cache.has(i)) await (sim.pool.pending(i, 'gray16le') ?? sim.pool.foreground(i, 'gray16le'));
    sim.pool.advance(i, 'gray16le');
  }
  sim.pool.close();
}

describe('range pool', () => {
  it('reading in order: each frame decoded once, every background range starts on a keyframe or right after the first frame', async () => {
    for (const [gop, lookahead, maxFrames] of [
      [12, 64, 48],
      [12, 10, 8],
      [7, 33, 16],
      [1, 20, 8],
      [30, 16, 8],
    ]) {
      const frames = 120;
      const sim = simulate({ frames, gop, lookahead, maxFrames, beyond: Math.min(maxFrames, 24) });
      await read(sim, [...Array(frames).keys()]);
      const decoded = sim.runs.reduce((a, r) => a + r.count, 0);
      expect(decoded, `gop ${gop} lookahead ${lookahead}: frames decoded`).toBe(frames);
      const midGop = sim.runs.filter((r) => r.background && r.start % gop !== 0 && r.start !== 1);
      // a GOP longer than the look-ahead window is necessarily cut
      if (gop <= lookahead) expect(midGop, `gop ${gop} lookahead ${lookahead}: ranges starting inside a GOP`).toEqual([]);
      expect(sim.runs.every((r) => r.count <= maxFrames)).toBe(true);
      expect(new Set(sim.runs.map((r) => r.lane)).size).toBe(2);
    }
  });

  it('without room past the bound, a cut GOP is still finished by the next range, not skipped', async () => {
    const sim = simulate({ frames: 60, gop: 12, lookahead: 10, maxFrames: 8, beyond: 0 });
    await read(sim, [...Array(60).keys()]);
    expect(sim.runs.reduce((a, r) => a + r.count, 0)).toBe(60);
  });

  it('jumps: frames read are all decoded, none twice', async () => {
    const sim = simulate({ frames: 200, gop: 12, lookahead: 64, maxFrames: 48, beyond: 48 });
    const order = [150, 151, 152, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 199, 0, 1, 2, 100];
    await read(sim, order);
    for (const i of order) expect(sim.cache.has(i)).toBe(true);
    const seen = new Map<number, number>();
    for (const r of sim.runs) for (let j = r.start; j < r.start + r.count; j++) seen.set(j, (seen.get(j) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
  });
});
