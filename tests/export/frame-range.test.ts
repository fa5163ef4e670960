import { describe, expect, it } from 'vitest';
import { frameRange, medianSpacing } from '../../src/export/frame-range';
import { syntheticSource } from './synthetic';

describe('frameRange by index', () => {
  const src = syntheticSource({ frames: 10 });
  it('defaults to every frame', () => {
    expect(frameRange(src, { by: 'index' })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('includes stop and honours step', () => {
    expect(frameRange(src, { by: 'index', start: 2, stop: 8, step: 3 })).toEqual([2, 5, 8]);
    expect(frameRange(src, { by: 'index', start: 2, stop: 7, step: 3 })).toEqual([2, 5]);
    expect(frameRange(src, { by: 'index', start: 1, stop: 99, step: 4 })).toEqual([1, 5, 9]);
  });
  it('rejects bad ranges', () => {
    expect(() => frameRange(src, { by: 'index', step: 0 })).toThrow(/step/);
    expect(() => frameRange(src, { by: 'index', start: 10 })).toThrow(/outside/);
    expect(() => frameRange(src, { by: 'index', start: 5, stop: 2 })).toThrow(/before/);
    expect(() => frameRange(src, { by: 'index', start: 1.5 })).toThrow(/integers/);
  });
});

describe('frameRange by time (in-silico-framework t_start/t_stop/t_step)', () => {
  // times 0.5, 0.75, …, 2.75
  const src = syntheticSource({ frames: 10 });
  it('defaults to every frame (step = median spacing)', () => {
    expect(frameRange(src, { by: 'time' })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('t_stop is included despite float rounding (arange(0.5, 2.0 + 0.1, 0.1) style)', () => {
    // 0.5 + k*0.5 for k=0..3 -> 0.5, 1.0, 1.5, 2.0 -> indices 0, 2, 4, 6
    expect(frameRange(src, { by: 'time', start: 0.5, stop: 2.0, step: 0.5 })).toEqual([0, 2, 4, 6]);
    // 0.1 steps: 16 points from 0.5 to 2.0 inclusive although 0.1 is not exact in binary
    const r = frameRange(src, { by: 'time', start: 0.5, stop: 2.0, step: 0.1 });
    expect(r.length).toBe(16);
    expect(r[r.length - 1]).toBe(6);
  });
  it('nearest frame per time point; repeats keep the clock uniform', () => {
    // points 0.5, 0.6, 0.7, 0.8, 0.9, 1.0 -> nearest of 0.5/0.75/1.0
    expect(frameRange(src, { by: 'time', start: 0.5, stop: 1.0, step: 0.1 })).toEqual([0, 0, 1, 1, 2, 2]);
  });
  it('asserts like ISF: start within the times, stop not after the end, step > 0', () => {
    expect(() => frameRange(src, { by: 'time', start: 0.1 })).toThrow(/outside/);
    expect(() => frameRange(src, { by: 'time', stop: 3.5 })).toThrow(/after/);
    expect(() => frameRange(src, { by: 'time', step: -1 })).toThrow(/step/);
    expect(() => frameRange(src, { by: 'time', step: 1e-12 })).toThrow(/limit/);
  });
  it('needs frame times', () => {
    const untimed = syntheticSource({ frames: 3, times: [null, null, null] });
    expect(() => frameRange(untimed, { by: 'time' })).toThrow(/no \(finite\) time/);
  });
  it('median spacing', () => {
    expect(medianSpacing([0, 1, 2, 10])).toBe(1);
    expect(medianSpacing([5])).toBe(1);
    expect(medianSpacing([0, 0.25, 0.5, 1.0])).toBe(0.25);
  });
});
