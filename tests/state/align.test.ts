import { describe, expect, it } from 'vitest';
import { align, positionOf } from '../../src/state/align';
import type { FrameInfo } from '../../src/core/types';

const frames = (times: (number | null)[], numbers?: number[]): FrameInfo[] => times.map((t, i) => ({ index: i, number: numbers?.[i] ?? i, time: t }));

describe('align', () => {
  it('by index: the union of positions; a shorter dataset holds its last frame, or shows nothing, or the position is skipped', () => {
    const a = { frames: frames([0, 1, 2, 3]), offset: 0 };
    const b = { frames: frames([0, 1]), offset: 0 };
    const hold = align([a, b], 'index', 'hold');
    expect(hold.keys).toEqual([0, 1, 2, 3]);
    expect(hold.slots.map((r) => r.map((s) => s.index))).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect(hold.slots[3][1].delta).toBe(2);
    const blank = align([a, b], 'index', 'blank');
    expect(blank.slots.map((r) => r[1].index)).toEqual([0, 1, null, null]);
    const skip = align([a, b], 'index', 'skip');
    expect(skip.keys).toEqual([0, 1]);
  });

  it('by number: frames are matched by their own numbers (DaVis B-numbers, imgstore frame_number)', () => {
    const a = { frames: frames([null, null, null], [1, 2, 3]), offset: 0 };
    const b = { frames: frames([null, null], [2, 4]), offset: 0 };
    const r = align([a, b], 'number', 'blank');
    expect(r.keys).toEqual([1, 2, 3, 4]);
    expect(r.slots.map((row) => row.map((s) => s.index))).toEqual([
      [0, null],
      [1, 0],
      [2, null],
      [null, 1],
    ]);
    const h = align([a, b], 'number', 'hold');
    expect(h.slots.map((row) => row.map((s) => s.index))).toEqual([
      [0, null],
      [1, 0],
      [2, 0],
      [2, 1],
    ]);
  });

  it('by time with an offset: each panel shows its nearest frame within half its frame interval, and how far it is from the cursor', () => {
    // a 10 Hz camera and a 4 Hz PIV set whose clock runs 0.25 s late
    const cam = { frames: frames([0, 0.1, 0.2, 0.3, 0.4, 0.5]), offset: 0 };
    const piv = { frames: frames([-0.25, 0, 0.25]), offset: 0.25 };
    const r = align([cam, piv], 'time', 'hold');
    expect(r.keys.map((k) => +k.toFixed(6))).toEqual([0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5]);
    const at = (t: number) => r.slots[r.keys.findIndex((k) => Math.abs(k - t) < 1e-9)];
    // camera frames 0.2 and 0.3 are equally near 0.25: the earlier one; PIV frame 1 sits exactly there
    expect(at(0.25).map((s) => s.index)).toEqual([2, 1]);
    expect(at(0.25)[0].delta).toBeCloseTo(0.05, 12);
    expect(at(0.25)[1].delta).toBeCloseTo(0, 12);
    // within half a PIV interval (0.125 s) of 0.4: PIV frame 2 (at 0.5), 0.1 s after the cursor
    expect(at(0.4)[1].index).toBe(2);
    expect(at(0.4)[1].delta).toBeCloseTo(-0.1, 12);
    expect(positionOf(r, 0.31)).toBe(4);
  });

  it("by time: outside a panel's frames, hold keeps its last frame and blank shows nothing", () => {
    const a = { frames: frames([0, 0.1, 0.2]), offset: 0 };
    const b = { frames: frames([1, 1.1]), offset: 0 };
    const hold = align([a, b], 'time', 'hold');
    const blank = align([a, b], 'time', 'blank');
    const k = hold.keys.indexOf(1);
    expect(hold.slots[k][0]).toEqual({ index: 2, delta: expect.closeTo(0.8, 12) });
    expect(blank.slots[k][0]).toEqual({ index: null, delta: null });
    expect(blank.slots[0][1]).toEqual({ index: null, delta: null });
  });

  it('frames without a time take no position in time alignment; epoch times work as well as small ones', () => {
    const a = { frames: frames([1.7e9, 1.7e9 + 0.04, null]), offset: 0 };
    const b = { frames: frames([0, 0.04]), offset: 1.7e9 };
    const r = align([a, b], 'time', 'skip');
    expect(r.keys.length).toBe(2);
    expect(r.slots.map((row) => row.map((s) => s.index))).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});
