import { describe, expect, it } from 'vitest';
import { SpareBuffers } from '../../src/core/spare-buffers';

describe('SpareBuffers', () => {
  it('gives back a kept buffer of the size asked for, the last given first, and keeps at most max', () => {
    const s = new SpareBuffers(2);
    const a = new Uint8Array(4);
    const b = new Uint8Array(4);
    const c = new Uint8Array(8);
    s.give(a);
    s.give(b);
    s.give(c); // beyond max: not kept
    expect(s.take(4)).toBe(b);
    expect(s.take(8)).not.toBe(c);
    expect(s.take(4)).toBe(a);
    expect(s.take(4)).not.toBe(a);
  });
});
