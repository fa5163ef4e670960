/**
 * The target table (defaults, validation in words, every target reachable), the view → render
 * options mapping and the limits scope of the render plan.
 */
import { describe, expect, it } from 'vitest';
import { ExportError } from '../../src/core/errors';
import { EXPORT_TARGETS, exportDataset, readOptions, viewToRenderOptions } from '../../src/export/index';
import { schemaDefaults } from '../../src/export/options';
import { RENDER_SCHEMA, type RenderOptions } from '../../src/export/render-options';
import { displayedValues, globalLimits, planRender } from '../../src/export/render-plan';
import { RUNNERS } from '../../src/export/runners';
import { resolveOptions } from '../../src/export/target';
import { autoLimits, fieldStats } from '../../src/render/colorize';
import { arrowLengthFactor } from '../../src/render/arrows';
import { DEFAULT_VIEW } from '../../src/state/view';
import { syntheticSource } from './synthetic';

const CONTRACT = ['pypde-movie', 'mp4', 'webm', 'gif', 'png-zip', 'npz', 'imgstore', 'davis-set', 'phiflow-scene'];

describe('the target table', () => {
  it('holds every contract target, each with a runner of its own, loadable', async () => {
    for (const id of CONTRACT) expect(EXPORT_TARGETS.map((t) => t.id)).toContain(id);
    for (const t of EXPORT_TARGETS) {
      expect(RUNNERS[t.id], t.id).toBeTypeOf('function');
      expect(await RUNNERS[t.id](), t.id).toBeTypeOf('function');
      expect(new Set(t.options.map((o) => o.key)).size, `${t.id}: option keys are unique`).toBe(t.options.length);
    }
  });

  it('every default passes its own validation, and a job without options gets exactly the defaults', () => {
    for (const t of EXPORT_TARGETS) {
      const d = schemaDefaults(t.schema);
      expect(resolveOptions(t, d), t.id).toEqual(d);
      expect(resolveOptions(t, undefined), t.id).toEqual(d);
      for (const o of t.options) if (o.type === 'enum') expect(o.choices, `${t.id}.${o.key}`).toContain(o.default);
    }
  });

  it('converts text from forms once: numbers, enum numbers, booleans, JSON', () => {
    expect(readOptions('mp4', { quality: '7', fps: '12.5', quiver: 'false', limits: 'p1-99', limitsScope: 'frame' })).toMatchObject({
      quality: 7,
      fps: 12.5,
      quiver: false,
      limits: 'p1-99',
      limitsScope: 'frame',
    });
    expect(readOptions('pypde-movie', { bits: '8', vmin: '{"u": 0}', vmax: '' })).toMatchObject({ bits: 8, vmin: { u: 0 }, vmax: null });
    expect(readOptions('imgstore', { metadata: '{"genotype": "wt"}' }).metadata).toEqual({ genotype: 'wt' });
    expect(readOptions('mp4', { vmin: '', vmax: 'auto' })).toMatchObject({ vmin: null, vmax: null });
  });

  it('refuses bad values with an ExportError in words naming the target and the option', () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['mp4', { quality: 40 }, /^mp4: option quality \(mpeg4 quantiser.*\) is 40, above the largest allowed value 31$/],
      ['mp4', { quality: 2.5 }, /quality .* must be a whole number \(got 2\.5\)/],
      ['gif', { fps: 'fast' }, /gif: option fps \(Frame rate \(frames per second\)\) must be a number \(got “fast”\)/],
      ['webm', { colormap: 'rainbow' }, /option colormap \(Colormap\) must be one of viridis, .* \(got “rainbow”\)/],
      ['npz', { compressed: 'yes' }, /npz: option compressed .* must be true or false \(got “yes”\)/],
      ['imgstore', { metadata: '[1, 2]' }, /imgstore: option metadata .* must be a JSON object/],
      ['imgstore', { metadata: '{oops' }, /option metadata .* is not valid JSON/],
      ['pypde-movie', { vmin: '"low"' }, /pypde-movie: option vmin .* must be empty \(the data range\), a number, a list/],
      ['mp4', { limits: 'manual', vmin: 2, vmax: 1 }, /^mp4: manual colour limits need vmin below vmax \(got vmin 2, vmax 1\)$/],
      ['png-zip', { mode: 'rendered', limits: 'manual' }, /png-zip: manual colour limits need both vmin and vmax/],
      ['mp4', { limits: 'global' }, /option limits “global” is now a scope: use limits: 'minmax'.*limitsScope: 'global'/],
      ['mp4', { frameDurationMs: -5 }, /frame duration must be a positive number of milliseconds \(got -5\)/],
      ['gif', { maskColor: 'pink' }, /gif: mask colour must be auto or a hex colour such as #ff00ff \(got “pink”\)/],
      ['davis-set', { setTime: 'yesterday' }, /davis-set: set time “yesterday” is not a date/],
      ['npz', { compresed: true }, /npz: unknown option “compresed” \(this target takes compressed, coords, name\)/],
    ];
    for (const [target, options, re] of bad) {
      let err: unknown;
      try {
        readOptions(target, options);
      } catch (e) {
        err = e;
      }
      expect(err, `${target} ${JSON.stringify(options)}`).toBeInstanceOf(ExportError);
      expect((err as Error).message).toMatch(re);
    }
    // manual limits are fine without numbers in raw png mode (the render options do not apply)
    expect(readOptions('png-zip', { mode: 'raw', limits: 'manual' }).mode).toBe('raw');
  });

  it('exportDataset validates before reading a frame and says which target is unknown', async () => {
    const src = syntheticSource();
    await expect(exportDataset(src, { target: 'tiff' })).rejects.toThrow(/^tiff: unknown export target \(available: pypde-movie, mp4/);
    await expect(exportDataset(src, { target: 'npz', options: { coords: 3 } })).rejects.toThrow(ExportError);
    expect(src.reads).toEqual([]);
  });

  it('davis-set runs through exportDataset with typed options (no hand parsing)', async () => {
    const files = await exportDataset(syntheticSource(), {
      target: 'davis-set',
      fields: ['c'],
      frames: [0, 1],
      options: { pack: 'raw', grid: '2', name: 'x' },
    });
    expect(files.map((f) => f.path)).toEqual(['x.set', 'x/B00001.im7', 'x/B00002.im7']);
  });
});

describe('viewToRenderOptions', () => {
  const view = {
    ...DEFAULT_VIEW,
    field: 'vel',
    component: 'v',
    plane: 2,
    colormap: 'magma',
    limitsMode: 'p1-99' as const,
    stride: 3,
    quiver: true,
    arrowScale: 2.5,
    arrowColor: 'white',
    fps: 7,
  };
  it('carries every view setting that changes a rendered frame', () => {
    expect(viewToRenderOptions(view)).toEqual({
      field: 'vel',
      component: 'v',
      plane: 2,
      colormap: 'magma',
      limits: 'p1-99',
      limitsScope: 'global',
      vmin: null,
      vmax: null,
      quiver: true,
      stride: 3,
      arrowScale: 2.5,
      arrowColor: 'white',
    });
    expect(viewToRenderOptions({ ...view, maskColor: '#00ff00' }, 'frame')).toMatchObject({ maskColor: '#00ff00', limitsScope: 'frame' });
  });
  it('manual limits keep their numbers; manual without both numbers falls back to min/max', () => {
    expect(viewToRenderOptions({ ...view, limitsMode: 'manual', vmin: -1, vmax: 3 })).toMatchObject({ limits: 'manual', vmin: -1, vmax: 3 });
    expect(viewToRenderOptions({ ...view, limitsMode: 'manual', vmin: -1, vmax: null })).toMatchObject({ limits: 'minmax', vmin: null, vmax: null });
  });
  it('gives options every rendered target accepts as they are', () => {
    for (const id of ['mp4', 'webm', 'gif', 'png-zip']) {
      const o = readOptions(id, { ...viewToRenderOptions({ ...view, limitsMode: 'symmetric' }), ...(id === 'png-zip' ? { mode: 'rendered' } : {}) });
      expect(o).toMatchObject({ colormap: 'magma', limits: 'symmetric', arrowScale: 2.5, arrowColor: 'white' });
    }
    // and only render options: no key a target does not know
    expect(Object.keys(viewToRenderOptions(view)).every((k) => k in RENDER_SCHEMA)).toBe(true);
  });
});

describe('limits: the view modes over a scope', () => {
  const frames = [0, 1, 2, 3, 4];
  const opts = (o: Partial<RenderOptions>): RenderOptions => ({ ...schemaDefaults(RENDER_SCHEMA), field: 'c', ...o });

  async function everyValue(field: string, component = 'magnitude'): Promise<number[]> {
    const src = syntheticSource();
    const all: number[] = [];
    for (const i of frames) {
      const s = displayedValues((await src.readFrame(i)).fields[field], component, 0)!;
      for (let k = 0; k < s.values.length; k++) if (!s.mask?.[k] && Number.isFinite(s.values[k])) all.push(s.values[k]);
    }
    return all;
  }

  it('global minmax = min … max of the displayed values over the exported frames (masked cells left out)', async () => {
    const all = await everyValue('c');
    const plan = await planRender(syntheticSource(), { target: 'mp4', frames }, opts({ limits: 'minmax', limitsScope: 'global' }));
    expect(plan.limits).toEqual([Math.min(...all), Math.max(...all)]);
    expect(plan.compose.limits).toEqual(plan.limits);
  });

  it('global symmetric = ±max |value|; |v| of a vector field by default, a component when asked', async () => {
    const mags = await everyValue('vel');
    const p = await planRender(syntheticSource(), { target: 'mp4', frames }, opts({ field: 'vel', limits: 'symmetric' }));
    const m = Math.max(...mags.map(Math.abs));
    expect(p.limits![0]).toBeCloseTo(-m, 5);
    expect(p.limits![1]).toBeCloseTo(m, 5);
    const us = await everyValue('vel', 'u');
    const pu = await planRender(syntheticSource(), { target: 'mp4', frames }, opts({ field: 'vel', component: 'u', limits: 'minmax' }));
    expect(pu.limits![0]).toBeCloseTo(Math.min(...us), 6);
    expect(pu.limits![1]).toBeCloseTo(Math.max(...us), 6);
  });

  it('global p1-99 = the percentiles of all values of all frames (to 1/4096 of the range), not of one frame', async () => {
    const all = (await everyValue('c')).sort((a, b) => a - b);
    const lim = await globalLimits(syntheticSource(), 'c', 'p1-99', 'magnitude', 0, frames, undefined);
    const span = all[all.length - 1] - all[0];
    const q = (p: number) => all[Math.min(all.length - 1, Math.floor(p * all.length))];
    expect(Math.abs(lim[0] - q(0.01))).toBeLessThanOrEqual(span / 4096 + 1e-9 + (q(0.01) - all[Math.max(0, Math.floor(0.01 * all.length) - 1)]));
    expect(Math.abs(lim[1] - q(0.99))).toBeLessThanOrEqual((2 * span) / 4096 + (all[Math.floor(0.99 * all.length) + 1] - q(0.99)));
    // the same as the viewer's rule applied to all values at once
    const viewer = autoLimits(fieldStats(Float32Array.from(all)), 'p1-99');
    expect(lim[0]).toBeCloseTo(viewer[0], 2);
    expect(lim[1]).toBeCloseTo(viewer[1], 2);
  });

  it('frame scope leaves the limits to each frame (no scan, the mode handed to compose); manual uses vmin/vmax', async () => {
    const src = syntheticSource();
    const progress: string[] = [];
    const p = await planRender(src, { target: 'mp4', frames }, opts({ limits: 'p1-99', limitsScope: 'frame' }), {
      onProgress: (d, t, s) => progress.push(`${s}:${d}/${t}`),
    });
    expect(p.limits).toBeNull();
    expect(p.compose.limitsMode).toBe('p1-99');
    expect(src.reads).toEqual([]);
    const m = await planRender(src, { target: 'mp4', frames }, opts({ limits: 'manual', vmin: -2, vmax: 4 }));
    expect(m.limits).toEqual([-2, 4]);
    expect(src.reads).toEqual([]);
    const g = syntheticSource();
    await planRender(g, { target: 'mp4', frames: [0, 2] }, opts({}), { onProgress: (d, t, s) => progress.push(`${s}:${d}/${t}`) });
    expect(progress).toEqual(['scan:1/2', 'scan:2/2']); // progress counts frames
  });
});

describe('the arrow-length rule', () => {
  it('the longest arrow spans 0.9 of its sampling cell at scale 1', () => {
    expect(arrowLengthFactor({ stride: 4, maxMag: 2 }, 0.5, 0.25, 1) * 2).toBeCloseTo(0.9 * 4 * 0.5, 12);
    expect(arrowLengthFactor({ stride: 1, maxMag: 0 }, 1, 1, 2)).toBeCloseTo(1.8, 12);
  });
});
