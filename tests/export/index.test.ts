import { describe, expect, it } from 'vitest';
import { EXPORT_TARGETS, exportDataset } from '../../src/export/index';
import { readOptions } from '../../src/export/targets';
import { movieTiming } from '../../src/export/targets/movies';
import { mp4Timing, rational } from '../../src/export/h264-mp4';
import { openDataset } from '../../src/formats/index';
import { describeFixtures, treeOf } from '../fixtures';
import { expectSameField, treeFromFiles } from './helpers';
import { syntheticSource } from './synthetic';

describe('export targets', () => {
  it('lists the nine contract targets with option schemas and defaults', () => {
    expect(EXPORT_TARGETS.map((t) => t.id).sort()).toEqual(
      ['davis-set', 'gif', 'hdf5', 'imgstore', 'mp4', 'npz', 'phiflow-scene', 'png-zip', 'pypde-movie', 'webm', 'zarr'].sort(),
    );
    for (const t of EXPORT_TARGETS) {
      for (const o of t.options) {
        expect(o.key, t.id).toMatch(/^\w+$/);
        if (o.type === 'enum') expect(o.choices, `${t.id}.${o.key}`).toContain(o.default);
      }
    }
    expect(EXPORT_TARGETS.find((t) => t.id === 'npz')!.needsBrowser).toBe(false);
    expect(EXPORT_TARGETS.find((t) => t.id === 'mp4')!.needsBrowser).toBe(true);
  });
  it('readOptions fills defaults and validates', () => {
    expect(readOptions('mp4', {})).toMatchObject({
      codec: 'h264',
      frameDurationMs: null,
      fps: 10,
      quality: 2,
      colormap: 'viridis',
      limits: 'minmax',
      limitsScope: 'global',
    });
    expect(readOptions('pypde-movie', { bits: '8', vmin: '[0, -1]' })).toMatchObject({ bits: 8, vmin: [0, -1], container: 'avi' });
    expect(() => readOptions('mp4', { quality: 40 })).toThrow(/above the largest allowed value 31/);
    expect(() => readOptions('mp4', { codec: 'vp9' })).toThrow(/one of h264, mpeg4/);
    expect(() => readOptions('npz', { compressed: 'yes' })).toThrow(/true or false/);
  });
  it('unknown targets and empty frame lists are refused', async () => {
    const src = syntheticSource();
    await expect(exportDataset(src, { target: 'tiff' })).rejects.toThrow(/unknown export target/);
    await expect(exportDataset(src, { target: 'npz', frames: [] })).rejects.toThrow(/no frames/);
    await expect(exportDataset(src, { target: 'npz', frames: [9] })).rejects.toThrow(/outside 0…4/);
  });
});

describe('movie timing', () => {
  it('frame duration in ms per frame means exactly that (ISF tpf done right)', () => {
    expect(movieTiming('mp4', { fps: 10, frameDurationMs: 20 })).toMatchObject({ fps: 50, frameMs: 20 });
    expect(movieTiming('webm', { fps: 10, frameDurationMs: 40 })).toMatchObject({ fps: 25, frameMs: 40 });
    expect(movieTiming('mp4', { fps: 30, frameDurationMs: null }).fps).toBe(30);
  });
  it('GIF delays are whole centiseconds, rounded and reported', () => {
    expect(movieTiming('gif', { fps: 50, frameDurationMs: null })).toMatchObject({ gifDelayCs: 2, frameMs: 20, fps: 50 });
    const t = movieTiming('gif', { fps: 10, frameDurationMs: 33.4 });
    expect(t).toMatchObject({ gifDelayCs: 3, frameMs: 30 });
    expect(t.note).toMatch(/requested 33.4 ms, rounded/);
    expect(movieTiming('gif', { fps: 250, frameDurationMs: null }).note).toMatch(/1 cs = 10 ms.*under 2 cs/);
  });
  it('MP4 time scale makes every frame a whole number of ticks', () => {
    expect(rational(30000 / 1001)).toEqual([30000, 1001]);
    expect(rational(1000 / 30)).toEqual([100, 3]);
    expect(mp4Timing(50)).toEqual({ timescale: 1000, ticks: 20 });
    expect(mp4Timing(1000 / 30)).toEqual({ timescale: 1000, ticks: 30 });
    expect(mp4Timing(30000 / 1001)).toEqual({ timescale: 30000, ticks: 1001 });
  });
});

describeFixtures('davis-set export through exportDataset', () => {
  it('DaVis PIV series → davis-set → our DaVis reader: same vectors, masks, numbers, times', async () => {
    const src = await openDataset(await treeOf('davis', 'pivpy', 'pivpy', 'data', 'urban_canopy'));
    const progress: number[] = [];
    const files = await exportDataset(
      src,
      { target: 'davis-set', fields: ['frame0'], frames: [0, 2, 4], options: { name: 'canopy' } },
      { onProgress: (d) => progress.push(d) },
    );
    expect(progress[progress.length - 1]).toBe(3);
    expect(files.some((f) => f.path === 'canopy.set')).toBe(true);
    const back = await openDataset(treeFromFiles(files, 'canopy'));
    expect(back.format).toBe('davis');
    expect(back.frames.map((f) => f.number)).toEqual([1, 3, 5]);
    back.frames.forEach((f, k) => expect(f.time).toBeCloseTo(src.frames[[0, 2, 4][k]].time!, 9));
    for (const [k, i] of [0, 2, 4].entries())
      expectSameField((await src.readFrame(i)).fields.frame0, (await back.readFrame(k)).fields.frame0, 1e-6, `frame ${i}`);
  });
});
