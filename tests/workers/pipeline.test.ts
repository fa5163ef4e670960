import { describe, expect, it } from 'vitest';
import { FormatError, fromWire, toWire } from '../../src/core/errors';
import type { Frame, FrameSource, SourceTree } from '../../src/core/types';
import type { ViewRequest } from '../../src/render/view-model';
import { FramePipeline } from '../../src/workers/pipeline';

/** A FrameSource whose reads wait until released, counting reads and aborts. */
function fakeSource(n = 5, opts: { failAt?: number } = {}) {
  const stats = { reads: 0, aborts: 0, started: [] as number[] };
  const gates = new Map<number, () => void>();
  const source: FrameSource = {
    format: 'fake',
    name: 'fake',
    frames: Array.from({ length: n }, (_, i) => ({ index: i, number: i, time: i * 0.5 })),
    fields: [{ name: 'a', kind: 'scalar', shape: [2, 2], unit: '' }],
    metadata: {},
    timeUnit: 's',
    nearestIndex: (t) => Math.round(t / 0.5),
    close() {},
    readFrame(index, o) {
      stats.reads++;
      stats.started.push(index);
      return new Promise<Frame>((resolve, reject) => {
        const onAbort = () => {
          stats.aborts++;
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        };
        o?.signal?.addEventListener('abort', onAbort, { once: true });
        gates.set(index, () => {
          o?.signal?.removeEventListener('abort', onAbort);
          if (opts.failAt === index) reject(new FormatError('fake', `f${index}.bin`, 'damaged frame', 12));
          else
            resolve({
              info: source.frames[index],
              fields: { a: { kind: 'scalar', shape: [2, 2], values: Float32Array.of(index, 1, 2, 3) } },
              attributes: { k: index },
            });
        });
      });
    },
  };
  return { source, stats, release: (i: number) => gates.get(i)?.(), tick: () => new Promise((r) => setTimeout(r, 0)) };
}

const VIEW: ViewRequest = { field: 'a', plane: 0, component: 'magnitude', colormap: 'gray', limitsMode: 'minmax', stride: 0, quiver: false };
const tree: SourceTree = { name: 't', files: [] };

async function setup(opts?: { failAt?: number }) {
  const f = fakeSource(5, opts);
  const p = new FramePipeline({ open: async () => f.source });
  await p.openTree('d', tree);
  return { ...f, p };
}

describe('FramePipeline', () => {
  it('shares one read between concurrent requests and serves the cache afterwards', async () => {
    const { p, stats, release, tick } = await setup();
    const a = p.view('d', 2, VIEW);
    const b = p.view('d', 2, VIEW);
    const c = p.frame('d', 2);
    await tick();
    release(2);
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    expect(stats.reads).toBe(1);
    expect(ra.model.values![0]).toBe(2);
    expect(rb.model.info.index).toBe(2);
    expect(rc.frame.attributes.k).toBe(2);
    const again = await p.view('d', 2, VIEW);
    expect(again.cached).toBe(true);
    expect(stats.reads).toBe(1);
  });

  it('a cancelled request stops the read when nobody else waits for it', async () => {
    const { p, stats, tick } = await setup();
    const ctl = new AbortController();
    const r = p.view('d', 1, VIEW, ctl.signal);
    await tick();
    ctl.abort();
    await expect(r).rejects.toMatchObject({ name: 'AbortError' });
    await tick();
    expect(stats.aborts).toBe(1);
    expect(p.inFlight).toBe(0);
  });

  it('a cancelled request does not stop a read another request still waits for', async () => {
    const { p, stats, release, tick } = await setup();
    const ctl = new AbortController();
    const mine = p.view('d', 3, VIEW, ctl.signal);
    const theirs = p.view('d', 3, VIEW);
    await tick();
    ctl.abort();
    await expect(mine).rejects.toMatchObject({ name: 'AbortError' });
    release(3);
    expect((await theirs).model.info.index).toBe(3);
    expect(stats.aborts).toBe(0);
  });

  it('prefetch decodes ahead, a new list replaces the old one, and the frame in progress is finished', async () => {
    const { p, stats, release, tick } = await setup();
    p.prefetch('d', [1, 2, 3], VIEW);
    await tick();
    expect(stats.started).toEqual([1]);
    p.prefetch('d', [4]);
    release(1);
    await tick();
    await tick();
    expect(stats.started).toEqual([1, 4]);
    release(4);
    await tick();
    expect((await p.frame('d', 4)).cached).toBe(true);
    expect((await p.view('d', 1, VIEW)).cached).toBe(true);
    expect(stats.aborts).toBe(0);
  });

  it('a request that joins a prefetch gets its frame even when the prefetch list moves on (no lost frame, no retry loop)', async () => {
    const { p, stats, release, tick } = await setup();
    p.prefetch('d', [2], VIEW);
    await tick();
    const asked = p.view('d', 2, VIEW);
    p.prefetch('d', []);
    release(2);
    expect((await asked).model.info.index).toBe(2);
    expect(stats.reads).toBe(1);
  });

  it('a failing frame rejects with its FormatError, which crosses the worker boundary with its fields', async () => {
    const { p, release, tick } = await setup({ failAt: 4 });
    const r = p.view('d', 4, VIEW);
    await tick();
    release(4);
    const e = await r.catch((x) => x);
    expect(e).toBeInstanceOf(FormatError);
    const back = fromWire(structuredClone(toWire(e))) as FormatError;
    expect(back).toBeInstanceOf(FormatError);
    expect([back.path, back.offset, back.reason]).toEqual(['f4.bin', 12, 'damaged frame']);
    // the next good frame still reads
    const ok = p.view('d', 0, VIEW);
    await tick();
    release(0);
    expect((await ok).model.info.index).toBe(0);
  });

  it('an index outside the dataset is an error in words; closing drops the caches', async () => {
    const { p, release, tick } = await setup();
    await expect(p.frame('d', 9)).rejects.toThrow(/outside 0…4/);
    const r = p.frame('d', 0);
    await tick();
    release(0);
    await r;
    expect(p.cacheBytes.frames).toBeGreaterThan(0);
    p.close('d');
    expect(p.cacheBytes.frames).toBe(0);
    expect(() => p.nearest('d', 1)).toThrow(/not open/);
  });
});
