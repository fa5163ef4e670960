import { describe, expect, it } from 'vitest';
import { serveAnalysis, type AnalysisMessage, type WorkerScope } from '../../src/analysis/index';
import { fromWire } from '../../src/core/errors';
import { frameOf, memorySource, scale, vectorField } from './grids';

function fakeWorker() {
  const got: AnalysisMessage[] = [];
  const scope: WorkerScope = { onmessage: null, postMessage: (m) => got.push(m as AnalysisMessage) };
  const send = (data: unknown) => scope.onmessage!({ data } as MessageEvent);
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
  };
  return { scope, got, send, until };
}

describe('analysis worker host', () => {
  const g = { nx: 6, ny: 5, x: scale(1, 0, 'mm'), y: scale(1, 0, 'mm'), valueUnit: 'm/s' };
  const frames = [0, 1, 2, 3].map((t) => frameOf({ vel: vectorField(g, (x, y) => [x * t, y]) }, t));
  it('runs jobs on a cached source, reports progress, returns results and errors in wire form', async () => {
    const w = fakeWorker();
    let opened = 0;
    serveAnalysis(
      w.scope,
      async (d: { name: string }) => {
        opened++;
        return memorySource(frames, d.name);
      },
      { progressMs: 0 },
    );
    w.send({ type: 'run', id: 1, key: 'a', dataset: { name: 'a' }, job: { kind: 'time-statistics', field: 'vel', stats: ['mean'] } });
    w.send({ type: 'run', id: 2, key: 'a', dataset: { name: 'a' }, job: { kind: 'derive', index: 9, field: 'vel', quantity: 'vorticity' } });
    await w.until(() => w.got.some((m) => m.id === 2 && m.type !== 'progress'));
    expect(opened).toBe(1);
    expect(w.got.filter((m) => m.id === 1 && m.type === 'progress').map((m) => (m as { done: number }).done)).toEqual([1, 2, 3, 4]);
    const done = w.got.find((m) => m.id === 1 && m.type === 'done') as { result: Record<string, { u: Float32Array }> };
    expect(done.result.mean.u[1]).toBeCloseTo(1.5, 6);
    const err = w.got.find((m) => m.id === 2) as Extract<AnalysisMessage, { type: 'error' }>;
    expect(err.type).toBe('error');
    expect(fromWire(err.error).message).toMatch(/frame index 9 is outside 0…3/);
  });
});
