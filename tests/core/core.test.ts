import { describe, expect, it } from 'vitest';
import { abortError, isAbort, throwIfAborted } from '../../src/core/abort';
import { ByteLru } from '../../src/core/byte-lru';
import { CodecError, DecodeError, EncodeError, ExportError, FormatError, ProbeError, asError, fromWire, toWire } from '../../src/core/errors';
import { NEAREST_RULES, nearestIndex } from '../../src/core/nearest';

describe('nearestIndex', () => {
  it('sorted times: binary search, the earliest frame on ties and among equal times', () => {
    expect(nearestIndex([0, 1, 2, 3], 1.6)).toBe(2);
    expect(nearestIndex([0, 1, 2, 3], 1.5)).toBe(1);
    expect(nearestIndex([0, 1, 1, 1, 2], 1.2)).toBe(1);
    expect(nearestIndex([0, 1, 2, 2], 9)).toBe(2);
    expect(nearestIndex([0, 1, 2, 3], -5)).toBe(0);
  });
  it('unsorted times and unknown times are scanned; NaN asks for the first frame', () => {
    expect(nearestIndex([3, 0, 2], 0.4)).toBe(1);
    expect(nearestIndex([null, 5, null, 1], 2)).toBe(3);
    expect(nearestIndex([1, 2], NaN)).toBe(0);
  });
  it('each rule answers for tables without times', () => {
    expect(nearestIndex([null, null, null], 1.7, NEAREST_RULES.davis)).toBe(2);
    expect(nearestIndex([null, null, null], 99, NEAREST_RULES.davis)).toBe(2);
    expect(nearestIndex([null, null], 1, NEAREST_RULES.first)).toBe(0);
    expect(nearestIndex([], 1, NEAREST_RULES.imgstore)).toBe(-1);
    expect(nearestIndex(new Float64Array([10, 20, 30]), 26, NEAREST_RULES.imgstore)).toBe(2);
  });
});

describe('ByteLru', () => {
  it('evicts least recently used entries by bytes and releases them', () => {
    const released: string[] = [];
    const c = new ByteLru<string, Uint8Array>(10, undefined, (_v, k) => released.push(k));
    c.set('a', new Uint8Array(4));
    c.set('b', new Uint8Array(4));
    c.get('a');
    c.set('c', new Uint8Array(4));
    expect(c.has('a')).toBe(true);
    expect(c.has('b')).toBe(false);
    expect(released).toEqual(['b']);
    expect(c.bytes).toBe(8);
    c.set('huge', new Uint8Array(11));
    expect(c.has('huge')).toBe(false);
    c.deleteWhere((k) => k === 'a');
    expect(c.size).toBe(1);
    c.maxBytes = 2;
    expect(c.size).toBe(0);
  });
});

describe('error wire table', () => {
  it('every error class keeps its class and fields across the boundary', () => {
    const cases: Error[] = [
      new FormatError('davis', 'a/B00001.vc7', 'truncated', 99),
      new ExportError('mp4', 'no frames'),
      new CodecError('bad run', 17),
      new ProbeError('no stream'),
      new DecodeError('no picture'),
      new EncodeError('encoder failed'),
    ];
    for (const e of cases) {
      const back = fromWire(structuredClone(toWire(e)));
      expect(back.constructor).toBe(e.constructor);
      expect(back.name).toBe(e.name);
      expect(back.message).toBe(e.message);
    }
    const f = fromWire(structuredClone(toWire(cases[0]))) as FormatError;
    expect([f.format, f.path, f.offset, f.reason]).toEqual(['davis', 'a/B00001.vc7', 99, 'truncated']);
    expect((fromWire(toWire(cases[1])) as ExportError).target).toBe('mp4');
    expect((fromWire(toWire(cases[2])) as CodecError).offset).toBe(17);
  });
  it('non-Error throws become Errors with words', () => {
    expect(asError('boom').message).toBe('boom');
    expect(asError({ message: 'wasm says no' }).message).toBe('wasm says no');
    const e = asError({ toString: 1 });
    expect(e).toBeInstanceOf(Error);
    expect(e.message).not.toContain('[object Object]');
    expect(fromWire(toWire('plain string')).message).toBe('plain string');
  });
  it('abort helper', () => {
    expect(isAbort(abortError())).toBe(true);
    const c = new AbortController();
    expect(() => throwIfAborted(c.signal)).not.toThrow();
    c.abort();
    expect(() => throwIfAborted(c.signal)).toThrow(/aborted/);
  });
});
