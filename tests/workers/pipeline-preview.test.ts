/**
 * Scrubbing previews and the background decode while paused (FramePipeline.preview, prefetch with
 * `around`): the source's nearby frame comes back as the view of its own index while the exact read
 * is still under way, and is kept as that frame; a paused frame's source decodes on after the
 * neighbours, and a new list stops it and is worked on.
 */
import { describe, expect, it } from 'vitest';
import type { Frame, FrameSource, SourceTree } from '../../src/core/types';
import type { ViewRequest } from '../../src/render/view-model';
import { FramePipeline } from '../../src/workers/pipeline';

const VIEW: ViewRequest = { field: 'a', plane: 0, component: 'magnitude', colormap: 'gray', limitsMode: 'minmax', stride: 0, quiver: false };
const tree: SourceTree = { name: 't', files: [] };
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A video-like source: frames at multiples of `gop` are keyframes (quick), others wait for `release`. */
function gopSource(n: number, gop: number) {
  const log: string[] = [];
  const gates = new Map<number, () => void>();
  const warmed: { index: number; aborted: boolean }[] = [];
  const frameAt = (i: number): Frame => ({
    info: { index: i, number: i, time: i / 30 },
    fields: { a: { kind: 'scalar', shape: [2, 2], values: Float32Array.of(i, 0, 0, 0) } },
    attributes: { i },
  });
  const source: FrameSource = {
    format: 'fake-video',
    name: 'v',
    frames: Array.from({ length: n }, (_, i) => ({ index: i, number: i, time: i / 30 })),
    fields: [{ name: 'a', kind: 'scalar', shape: [2, 2], unit: '' }],
    metadata: {},
    timeUnit: 's',
    nearestIndex: (t) => Math.round(t * 30),
    close() {},
    readFrame(index) {
      log.push(`read ${index}`);
      if (index % gop === 0) return Promise.resolve(frameAt(index));
      return new Promise<Frame>((resolve) => gates.set(index, () => resolve(frameAt(index))));
    },
    async previewFrame(index) {
      log.push(`preview ${index}`);
      return frameAt(index - (index % gop));
    },
    warm(index, o) {
      log.push(`warm ${index}`);
      return new Promise<void>((resolve) => {
        const entry = { index, aborted: false };
        warmed.push(entry);
        o?.signal?.addEventListener('abort', () => {
          entry.aborted = true;
          resolve();
        });
      });
    },
  };
  return { source, log, warmed, release: (i: number) => gates.get(i)?.() };
}

async function setup(n = 100, gop = 25) {
  const g = gopSource(n, gop);
  const p = new FramePipeline({ open: async () => g.source });
  await p.openTree('v', tree);
  return { ...g, p };
}

describe('FramePipeline.preview', () => {
  it('gives the keyframe view at once while the exact frame is still decoding, then the exact one', async () => {
    const { p, release } = await setup();
    const exact = p.view('v', 37, VIEW);
    const pv = await p.preview('v', 37, VIEW);
    expect(pv).not.toBeNull();
    expect(pv!.model.info.index).toBe(25);
    expect(pv!.model.values![0]).toBe(25);
    // the keyframe is a frame of its own now: asking for it is a cache hit
    expect((await p.frame('v', 25)).cached).toBe(true);
    release(37);
    const r = await exact;
    expect(r.model.info.index).toBe(37);
    expect(r.model.values![0]).toBe(37);
  });

  it('is null once the exact frame is here, and for sources without a quick path', async () => {
    const { p, release, log } = await setup();
    const exact = p.view('v', 40, VIEW);
    await tick();
    release(40);
    await exact;
    log.length = 0;
    expect(await p.preview('v', 40, VIEW)).toBeNull();
    expect(log).toEqual([]);

    const plain: FrameSource = { ...(await setup()).source, previewFrame: undefined };
    const q = new FramePipeline({ open: async () => plain });
    await q.openTree('x', tree);
    expect(await q.preview('x', 3, VIEW)).toBeNull();
  });

  it('a difference view has no preview (its reference frame would not match)', async () => {
    const { p } = await setup();
    expect(await p.preview('v', 30, { ...VIEW, reference: { id: 'v', index: 0, field: 'a', abs: false, label: 'a − ref' } })).toBeNull();
  });
});

describe('FramePipeline.prefetch around a paused frame', () => {
  it('warms the source only once the neighbours are decoded', async () => {
    const { p, log, warmed, release } = await setup();
    p.prefetch('v', [51, 49], undefined, 50);
    for (let k = 0; k < 4; k++) await tick();
    expect(log).toEqual(['read 51']);
    release(51);
    for (let k = 0; k < 4; k++) await tick();
    expect(log).toEqual(['read 51', 'read 49']);
    expect(warmed).toEqual([]);
    release(49);
    for (let k = 0; k < 4; k++) await tick();
    expect(log).toEqual(['read 51', 'read 49', 'warm 50']);
  });

  it('warm runs once the list is done, and the next list aborts it', async () => {
    const { p, log, warmed } = await setup();
    p.prefetch('v', [25, 50], undefined, 50);
    for (let k = 0; k < 6; k++) await tick();
    expect(log).toEqual(['read 25', 'read 50', 'warm 50']);
    expect(warmed).toEqual([{ index: 50, aborted: false }]);
    p.prefetch('v', [75]);
    for (let k = 0; k < 6; k++) await tick();
    expect(warmed[0].aborted).toBe(true);
    expect(log).toEqual(['read 25', 'read 50', 'warm 50', 'read 75']);
  });

  it('cancelPrefetch stops a warm under way', async () => {
    const { p, warmed } = await setup();
    p.prefetch('v', [], undefined, 10);
    for (let k = 0; k < 4; k++) await tick();
    expect(warmed).toEqual([{ index: 10, aborted: false }]);
    p.cancelPrefetch();
    expect(warmed[0].aborted).toBe(true);
  });
});
