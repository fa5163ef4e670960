/**
 * py-pde MovieStorage reader against py-pde's own read-back (the *.oracle.npz of every fixture),
 * with the real ffmpeg.wasm in Chromium.
 */
import { expect, test } from '@playwright/test';
import { fixtureNames, harness, requireFixtures } from './helpers/fixtures';

requireFixtures();

/** Grids as INDEX.md lists them: cell-centre axes x (grid axis 0) and y (axis 1). */
const GRIDS: Record<string, { cls: string; axes: [number, number, number][]; labels: string[] }> = {
  'scalar2d_8bit.avi': {
    cls: 'CartesianGrid',
    axes: [
      [0, 2, 32],
      [0, 1.5, 24],
    ],
    labels: ['c'],
  },
  'scalar2d_16bit.avi': {
    cls: 'CartesianGrid',
    axes: [
      [0, 2, 32],
      [0, 1.5, 24],
    ],
    labels: ['concentration'],
  },
  'scalar2d_16bit_mkv.mkv': {
    cls: 'CartesianGrid',
    axes: [
      [0, 2, 32],
      [0, 1.5, 24],
    ],
    labels: ['field0'],
  },
  'vector2d_16bit.avi': {
    cls: 'CartesianGrid',
    axes: [
      [0, 2, 32],
      [0, 1.5, 24],
    ],
    labels: ['velocity'],
  },
  'vector2d_8bit.avi': {
    cls: 'CartesianGrid',
    axes: [
      [0, 2, 32],
      [0, 1.5, 24],
    ],
    labels: ['field0'],
  },
  'tensor2d_16bit.avi': {
    cls: 'CartesianGrid',
    axes: [
      [0, 2, 32],
      [0, 1.5, 24],
    ],
    labels: ['field0/00', 'field0/01', 'field0/10', 'field0/11'],
  },
  'collection2d_16bit.avi': {
    cls: 'CartesianGrid',
    axes: [
      [0, 2, 32],
      [0, 1.5, 24],
    ],
    labels: ['u', 'v'],
  },
  'collection2d_mixed_8bit.avi': {
    cls: 'CartesianGrid',
    axes: [
      [0, 2, 32],
      [0, 1.5, 24],
    ],
    labels: ['phi', 'j'],
  },
  'scalar1d_16bit.avi': { cls: 'CartesianGrid', axes: [[0, 10, 64]], labels: ['field0'] },
  'scalar1d_8bit_times.avi': { cls: 'CartesianGrid', axes: [[-1, 1, 50]], labels: ['field0'] },
  'polar_vector_16bit.avi': { cls: 'PolarSymGrid', axes: [[0, 3, 40]], labels: ['field0'] },
};

const movies = fixtureNames('pypde', /\.(avi|mkv|mov)$/);

test('every py-pde fixture has an expectation here', () => {
  expect(movies.sort()).toEqual(Object.keys(GRIDS).sort());
});

for (const movie of movies) {
  test(`${movie}: data, raw pixels, times and grid match py-pde`, async ({ page }) => {
    await harness(page);
    const r = await page.evaluate(async (movie) => {
      const { sourceTreeFromListing } = (await import('/src/io/url.ts' as string)) as typeof import('../src/io/url');
      const { open } = (await import('/src/formats/pypde/open.ts' as string)) as typeof import('../src/formats/pypde/open');
      const { sniff } = (await import('/src/formats/pypde/sniff.ts' as string)) as typeof import('../src/formats/pypde/sniff');
      const { sniff: sniffVideo } = (await import('/src/formats/video/sniff.ts' as string)) as typeof import('../src/formats/video/sniff');
      const { openVideo } = (await import('/src/video/index.ts' as string)) as typeof import('../src/video/index');
      const { openNpz } = (await import('/src/codecs/npz.ts' as string)) as typeof import('../src/codecs/npz');
      const all = await sourceTreeFromListing('/__fixtures/list/pypde', '/__fixtures/file/pypde');
      const tree = { name: movie, files: all.files.filter((f) => f.path === movie || f.path === movie + '.times') };
      const oracleFile = all.files.find((f) => f.path === movie.replace(/\.(avi|mkv|mov)$/, '.oracle.npz'))!;
      const oracle = await openNpz(oracleFile);
      const o = await oracle.readMany(['times', 'decoded', 'raw_frames']);
      const decoded = o.decoded.data as Float64Array;
      const raw = o.raw_frames.data as Uint8Array | Uint16Array;
      const nF = o.times.shape[0];

      const src = await open(tree);
      const md = src.metadata as {
        grid: { class: string; axes: { n: number; lo: number; hi: number }[] };
        fields: Record<string, { quantisationStep: number }>;
        video: { pixFmtData: string };
      };
      // components in channel order = FieldInfo order (vectors u, v, w; tensors name/ij)
      const perFrame = decoded.length / nF;
      const nComp = src.fields.reduce((s, f) => s + (f.kind === 'vector' ? (md.grid.class === 'CartesianGrid' ? md.grid.axes.length : 2) : 1), 0);
      const W = md.grid.axes[0].n;
      const H = md.grid.axes[1]?.n ?? 1;
      let maxDiff = 0;
      let maxSteps = 0;
      let maxScalarDiff = 0;
      const order = [...Array(nF).keys()].reverse(); // out of order on purpose
      for (const i of order) {
        const fr = await src.readFrame(i);
        let k = 0;
        for (const fi of src.fields) {
          const fd = fr.fields[fi.name];
          const comps = fd.kind === 'vector' ? [fd.u!, fd.v!, ...(fd.w ? [fd.w] : [])] : [fd.values as Float64Array];
          const step = md.fields[fi.name].quantisationStep;
          for (const c of comps) {
            for (let x = 0; x < W; x++)
              for (let y = 0; y < H; y++) {
                const want = decoded[i * perFrame + (k * W + x) * H + y];
                const got = c[y * W + x];
                const d = Math.abs(got - want);
                maxDiff = Math.max(maxDiff, d);
                maxSteps = Math.max(maxSteps, d / step);
                if (fd.kind === 'scalar') maxScalarDiff = Math.max(maxScalarDiff, d);
              }
            k++;
          }
        }
      }
      // raw samples in pix_fmt_data, exactly
      const vf = await openVideo(tree.files.find((f) => f.path === movie)!);
      const C = o.raw_frames.shape[3];
      let rawMismatch = 0;
      for (let i = 0; i < nF; i++) {
        const d = await vf.readFrame(i, { pixFmt: md.video.pixFmtData });
        const s = raw.BYTES_PER_ELEMENT === 2 ? new Uint16Array(d.data.buffer, d.data.byteOffset, d.data.length / 2) : d.data;
        const base = i * W * H * C;
        if (s.length !== W * H * C) rawMismatch += W * H * C;
        else for (let q = 0; q < s.length; q++) if (s[q] !== raw[base + q]) rawMismatch++;
      }
      vf.close();
      const fr0 = await src.readFrame(0);
      const f0 = fr0.fields[src.fields[0].name];
      const result = {
        frames: src.frames.length,
        oracleFrames: nF,
        times: src.frames.map((f) => f.time),
        oracleTimes: Array.from(o.times.data as Float64Array),
        fieldNames: src.fields.map((f) => f.name),
        kinds: src.fields.map((f) => f.kind),
        shapes: src.fields.map((f) => f.shape),
        nComp,
        maxDiff,
        maxSteps,
        maxScalarDiff,
        rawMismatch,
        gridClass: md.grid.class,
        scales: f0.scales,
        coordsX: f0.coords?.x ? Array.from(f0.coords.x) : null,
        sniff: await sniff(tree),
        sniffVideo: await sniffVideo(tree),
        nearest: src.nearestIndex(src.frames[7].time! + 1e-9),
        warnings: src.warnings ?? [],
      };
      src.close();
      return result;
    }, movie);

    const g = GRIDS[movie];
    expect(r.frames).toBe(r.oracleFrames);
    expect(r.frames).toBe(20);
    for (let i = 0; i < r.frames; i++) expect(r.times[i]).toBeCloseTo(r.oracleTimes[i], 12);
    expect(r.fieldNames).toEqual(g.labels);
    // py-pde's float64 dequantisation, reproduced: scalars to rounding, float32 vectors within one step
    expect(r.maxSteps).toBeLessThanOrEqual(1);
    expect(r.maxScalarDiff).toBeLessThan(1e-12);
    expect(r.rawMismatch).toBe(0);
    expect(r.gridClass).toBe(g.cls);
    const [lo, hi, n] = g.axes[0];
    expect(r.scales!.x.slope).toBeCloseTo((hi - lo) / n, 12);
    expect(r.scales!.x.offset).toBeCloseTo(lo + (hi - lo) / n / 2, 12);
    if (g.axes[1]) {
      const [lo1, hi1, n1] = g.axes[1];
      expect(r.shapes[0]).toEqual([n1, n]);
      expect(r.scales!.y.slope).toBeCloseTo((hi1 - lo1) / n1, 12);
      expect(r.scales!.y.offset).toBeCloseTo(lo1 + (hi1 - lo1) / n1 / 2, 12);
    } else expect(r.shapes[0]).toEqual([n]);
    if (g.cls !== 'CartesianGrid') {
      expect(r.coordsX).toHaveLength(n);
      expect(r.coordsX![0]).toBeCloseTo(lo + (hi - lo) / n / 2, 12);
      expect(r.coordsX![n - 1]).toBeCloseTo(hi - (hi - lo) / n / 2, 12);
    }
    expect(r.sniff).toBeGreaterThan(r.sniffVideo);
    expect(r.nearest).toBe(7);
    expect(r.warnings).toEqual([]);
  });
}
