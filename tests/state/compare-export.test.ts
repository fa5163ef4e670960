import { describe, expect, it } from 'vitest';
import type { FrameInfo } from '../../src/core/types';
import { align } from '../../src/state/align';
import { keyLabel, planComparison, positionRange } from '../../src/state/compare-export';

const frames = (n: number, t0 = 0, dt = 1, num0 = 0): FrameInfo[] => Array.from({ length: n }, (_, i) => ({ index: i, number: num0 + i, time: t0 + i * dt }));

describe('planComparison: which frame of which dataset per panel per output frame', () => {
  it('index alignment of two datasets of different length: hold keeps the last frame, blank shows none, skip drops', () => {
    const panels = [
      { frames: frames(5), offset: 0, mode: 'normal' as const },
      { frames: frames(3), offset: 0, mode: 'normal' as const },
    ];
    const hold = planComparison({ panels, align: 'index', gaps: 'hold' });
    expect(hold.steps.map((s) => s.cells.map((c) => c?.index ?? null))).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 2],
      [4, 2],
    ]);
    expect(hold.steps[3].label).toBe('frame index 3');
    const blank = planComparison({ panels, align: 'index', gaps: 'blank' });
    expect(blank.steps.map((s) => s.cells[1]?.index ?? null)).toEqual([0, 1, 2, null, null]);
    const skip = planComparison({ panels, align: 'index', gaps: 'skip' });
    expect(skip.steps.length).toBe(3);
  });

  it('is the compare view’s alignment: every step is align()’s slot at that position', () => {
    const panels = [
      { frames: frames(6, 0, 0.5), offset: 0, mode: 'normal' as const },
      { frames: frames(4, 10, 1), offset: -9.5, mode: 'normal' as const },
    ];
    const a = align(panels, 'time', 'hold');
    const p = planComparison({ panels, align: 'time', gaps: 'hold', timeUnit: 's' });
    expect(p.keys).toEqual(a.keys);
    expect(p.steps.map((s) => s.cells.map((c) => c?.index ?? null))).toEqual(a.slots.map((row) => row.map((s) => s.index)));
    expect(p.steps.map((s) => s.label)).toEqual(a.keys.map((k) => `t = ${k} s`));
  });

  it('time alignment with an offset: the later recording lines up with the earlier one', () => {
    const cam = frames(4, 100, 1); // epoch-like times 100…103
    const piv = frames(4, 0, 1); // 0…3, shifted by +100
    const p = planComparison({
      panels: [
        { frames: cam, offset: 0, mode: 'normal' },
        { frames: piv, offset: 100, mode: 'normal' },
      ],
      align: 'time',
      gaps: 'hold',
    });
    expect(p.steps.map((s) => s.key)).toEqual([100, 101, 102, 103]);
    expect(p.steps.map((s) => s.cells.map((c) => c?.index))).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('a difference panel carries the reference dataset’s frame at the same key', () => {
    const a = frames(4, 0, 1, 10);
    const b = frames(8, 0, 0.5, 20); // twice as dense in time
    const p = planComparison({
      panels: [
        { frames: a, offset: 0, mode: 'normal' },
        { frames: a, offset: 0, mode: 'difference', ref: { frames: b, offset: 0 } },
      ],
      align: 'time',
      gaps: 'hold',
    });
    // at t = 0, 1, 2, 3 the reference's frames 0, 2, 4, 6
    expect(p.steps.map((s) => s.cells[1]?.ref)).toEqual([0, 2, 4, 6]);
    const byNumber = planComparison({
      panels: [{ frames: a, offset: 0, mode: 'abs-difference', ref: { frames: frames(4, 0, 1, 10), offset: 0 } }],
      align: 'number',
      gaps: 'hold',
    });
    expect(byNumber.steps.map((s) => [s.key, s.cells[0]?.index, s.cells[0]?.ref])).toEqual([
      [10, 0, 0],
      [11, 1, 1],
      [12, 2, 2],
      [13, 3, 3],
    ]);
    expect(byNumber.steps[0].label).toBe('frame number 10');
  });

  it('blink alternates A and B at the rate asked, in output-frame time', () => {
    const a = frames(8);
    const p = planComparison({
      panels: [{ frames: a, offset: 0, mode: 'blink', ref: { frames: frames(8), offset: 0 } }],
      align: 'index',
      gaps: 'hold',
      blink: { hz: 1, fps: 4 }, // half a second each: 2 frames A, 2 frames B
    });
    expect(p.steps.map((s) => !!s.cells[0]?.showRef)).toEqual([false, false, true, true, false, false, true, true]);
    expect(p.steps[2].cells[0]).toEqual({ index: 2, ref: 2, showRef: true });
  });

  it('exports a range of timeline positions, and refuses positions off the timeline', () => {
    const panels = [{ frames: frames(10), offset: 0, mode: 'normal' as const }];
    expect(positionRange(10, 2, 8, 3)).toEqual([2, 5, 8]);
    expect(positionRange(10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(positionRange(10, -5, 99)).toHaveLength(10);
    const p = planComparison({ panels, align: 'index', gaps: 'hold', positions: [2, 5, 8] });
    expect(p.steps.map((s) => s.cells[0]?.index)).toEqual([2, 5, 8]);
    expect(() => planComparison({ panels, align: 'index', gaps: 'hold', positions: [10] })).toThrow(/outside 0…9/);
  });

  it('labels keys by the alignment', () => {
    expect(keyLabel('time', 0.30000000000000004, 's')).toBe('t = 0.3 s');
    expect(keyLabel('time', 1.5e9, null)).toBe('t = 1500000000 s');
    expect(keyLabel('index', 3)).toBe('frame index 3');
  });
});
