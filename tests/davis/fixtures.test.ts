import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeFixtures, fixture } from '../fixtures';
import { nodeSourceFile } from '../../src/io/node';
import { readDavisBuffer } from '../../src/formats/davis/read-buffer';
import type { DavisBuffer, DavisComponent } from '../../src/formats/davis/model';

/** oracle values are printed with 6 decimals: 1e-5 relative plus half a unit of the last digit */
const close = (a: number, b: number, rel = 1e-5) => Math.abs(a - b) <= rel * Math.abs(b) + 6e-7;
const expectClose = (a: number, b: number, what: string, rel = 1e-5) => {
  if (!close(a, b, rel)) throw new Error(`${what}: got ${a}, expected ${b}`);
};

interface Oracle {
  decoded: Record<string, any>;
  lvpyio_style_plane0?: Record<string, any>;
}

const stats = (d: ArrayLike<number>, from = 0, to = d.length) => {
  let mn = Infinity;
  let mx = -Infinity;
  let s = 0;
  for (let i = from; i < to; i++) {
    const v = d[i];
    if (v < mn) mn = v;
    if (v > mx) mx = v;
    s += v;
  }
  return [mn, mx, s / (to - from)];
};

const load = (rel: string): Promise<DavisBuffer> => {
  const abs = fixture('davis', rel);
  return readDavisBuffer(nodeSourceFile(rel, abs, readFileSync(abs).length));
};

const comp = (b: DavisBuffer, name: string, f = 0): DavisComponent => {
  const c = b.frames[f].components.find((x) => x.name === name);
  if (!c) throw new Error(`no component ${name}`);
  return c;
};

describeFixtures('DaVis buffers against ORACLES_computed.json', (dir) => {
  const oracles: Record<string, Oracle> = JSON.parse(readFileSync(`${dir}/davis/ORACLES_computed.json`, 'utf8')).files;
  for (const [rel, o] of Object.entries(oracles)) {
    it(rel, async () => {
      const b = await load(rel);
      const d = o.decoded;
      const h = b.header;
      expect([h.nx, h.ny, h.nz, h.nf]).toEqual([d.nx, d.ny, d.nz, d.nf]);
      if (d.kind === 'IM7/VC7') {
        expect([h.kind, h.packType, h.bufferFormat, h.scalarN, h.vectorGrid, h.extraFlags]).toEqual(['im7', d.pack, d.fmt, d.scalarN, d.vgrid, d.extra]);
        const tail = Object.fromEntries((b.tail ?? []).map((v, i) => [String(i), v]).filter(([, v]) => v));
        expect(tail).toEqual(d.tail ?? {});
        // the oracle counts the END item
        expect(b.attributeItems.length + 1).toBe(d.n_attr_items);
        for (const [k, key] of [
          ['scaleX', 'x'],
          ['scaleY', 'y'],
          ['scaleI', 'i'],
        ] as const) {
          const s = b.frames[0].scales[key];
          expectClose(s.slope, d[k][0], `${k} slope`);
          expectClose(s.offset, d[k][1], `${k} offset`);
          expect([s.unit, s.description]).toEqual([d[k][2], d[k][3]]);
        }
        if (d.DaVisVersion) expect(b.attributes._DaVisVersion ?? b.attributes.DaVisVersion).toBeDefined();
      } else {
        expect(h.kind).toBe('old');
        expect([h.imageType, h.version, h.vectorGrid]).toEqual([d.imagetype, d.version, d.vgrid]);
        expect(b.attributeItems.length).toBe(d.n_attr_items === 0 ? 0 : d.n_attr_items - 1);
        for (const key of ['x', 'y', 'i'] as const) {
          expect(b.frames[0].scales[key].slope).toBe(d.scales_hdr[key][0]);
          expect(b.frames[0].scales[key].offset).toBe(d.scales_hdr[key][1]);
        }
      }
      if (d.frames) {
        // images: raw statistics per frame over all planes, and the physical field
        const n = h.nx * h.ny * h.nz;
        d.frames.forEach((fr: number[], f: number) => {
          const px = comp(b, 'PIXEL', f).data;
          expect(px.length).toBe(n);
          const [mn, mx, mean] = stats(px);
          expect([mn, mx]).toEqual([fr[0], fr[1]]);
          expectClose(mean, fr[2], `frame ${f} mean`);
          const fd = b.fields[`frame${f}`];
          expect(fd.kind).toBe('scalar');
          expect(fd.shape).toEqual(h.nz > 1 ? [h.nz, h.ny, h.nx] : [h.ny, h.nx]);
          expectClose(stats(fd.values!)[2], fr[2] * b.frames[f].scales.i.slope + b.frames[f].scales.i.offset, 'physical mean');
        });
        const px0 = comp(b, 'PIXEL').data;
        expect(px0[0]).toBe(d.pixel_0_0);
        expect(px0[Math.floor(h.ny / 2) * h.nx + Math.floor(h.nx / 2)]).toBe(d.pixel_mid);
      }
      if (d.components) {
        const n = h.nx * h.ny * h.nz;
        for (const [name, [mn, mx, mean]] of Object.entries(d.components as Record<string, number[]>)) {
          if (name === 'CHOICE') continue; // checked through ACTIVE_CHOICE/ENABLED below
          const src = name === 'PEAK' ? 'TS:Peak ratio' : name === 'SCALAR0' ? 'TS:Number of vectors' : name;
          const c = comp(b, src);
          expect(c.data.length).toBe(n);
          const [a, z, m] = stats(c.data);
          expect([a, z]).toEqual([mn, mx]);
          expectClose(m, mean, `${name} mean`);
        }
      }
      if (d.choice_hist) {
        const ac = comp(b, 'ACTIVE_CHOICE').data;
        const en = comp(b, 'ENABLED').data;
        const hist: Record<string, number> = {};
        for (let i = 0; i < ac.length; i++) {
          const k = en[i] ? String(ac[i] + 1) : '0';
          hist[k] = (hist[k] ?? 0) + 1;
        }
        expect(hist).toEqual(d.choice_hist);
      }
      const l = o.lvpyio_style_plane0;
      if (l) {
        const fd = b.fields.frame0;
        expect(fd.kind).toBe('vector');
        const n = h.nx * h.ny; // plane 0
        expect(l.of).toBe(n);
        let inv = fd.mask!;
        let u = fd.u!;
        let v = fd.v!;
        let w = fd.w;
        if (rel.startsWith('lvpyio-example-scripts')) {
          // the oracle applies only MASK here; lvpyio's ENABLED comes from the hidden isValid
          // typed scalar (48 more disabled vectors), which this reader applies (see below)
          const mask = comp(b, 'MASK').data;
          const s = b.frames[0].scales;
          const U = comp(b, 'U0').data;
          const V = comp(b, 'V0').data;
          inv = Uint8Array.from(mask, (m) => (m ? 0 : 1));
          u = Float32Array.from(U, (x, i) => (mask[i] ? x * s.i.slope * Math.sign(s.x.slope) : 0));
          v = Float32Array.from(V, (x, i) => (mask[i] ? x * s.i.slope * Math.sign(s.y.slope) : 0));
          w = undefined;
          let valid = 0;
          for (let i = 0; i < n; i++) valid += fd.mask![i] ? 0 : 1;
          expect(valid).toBe(1227);
        }
        let valid = 0;
        let su = 0;
        let sv = 0;
        let sw = 0;
        for (let i = 0; i < n; i++) {
          if (inv[i]) {
            expect(u[i]).toBe(0);
            continue;
          }
          valid++;
          su += u[i];
          sv += v[i];
          if (w) sw += w[i];
        }
        expect(valid).toBe(l.valid);
        expectClose(su / valid, l.u_mean, 'u_mean');
        expectClose(sv / valid, l.v_mean, 'v_mean');
        if (l.w_mean !== undefined) expectClose(sw / valid, l.w_mean, 'w_mean');
        if (l.u00 === 'masked') expect(inv[0]).toBe(1);
        else expectClose(u[0], l.u00, 'u00');
        expectClose(fd.scales!.x.offset, l.x0, 'x0');
        expectClose(fd.scales!.y.offset, l.y0, 'y0');
        expectClose(fd.scales!.x.slope, b.frames[0].scales.x.slope * h.vectorGrid, 'x step');
      }
    });
  }
});

describeFixtures('DaVis buffers: facts from INDEX.md', () => {
  it('1camera.im7: IMX stream over both frames, first 22 pixels of row 0, per-frame scales and attributes', async () => {
    const b = await load('readim/ReadIM/sample_files/1camera.im7');
    expect(Array.from(comp(b, 'PIXEL').data.subarray(0, 22))).toEqual([23, 24, 27, 24, 28, 21, 20, 24, 28, 28, 25, 23, 28, 29, 23, 29, 23, 24, 26, 23, 27, 33]);
    expect(b.frames[0].attributes.CameraName).toBeDefined();
    expect(b.frames[1].attributes.CameraName).toBeDefined();
    expect(b.attributes.DevDataTrace0).toBeInstanceOf(Float32Array);
    expect(b.fields.frame0.scales!.x.slope).toBeCloseTo(0.250682, 6);
  });
  it('2C.VC7: zlib data (pack 2) inflates to 57*43*10 floats', async () => {
    const b = await load('readim/ReadIM/sample_files/2C.VC7');
    expect(b.header.packType).toBe(2);
    expect(b.frames[0].components.slice(0, 8).map((c) => c.data.length)).toEqual(Array(8).fill(57 * 43));
    expect(b.frames[0].choices).toBe(4);
  });
  it('Turbulence.imx: pixel[143][192] = 214, header scales and Overlay0 attribute', async () => {
    const b = await load('neuromech/analyzepiv/readimx_v2.0_win64/TestImages/Turbulence.imx');
    expect(comp(b, 'PIXEL').data[143 * 384 + 192]).toBe(214);
    expect(b.frames[0].scales.x.unit).toBe('cm');
    expect(String(b.attributes.Overlay0).length).toBeGreaterThan(100);
    expect(b.attributes._COMMENT1).toBe('Aceton Tracer LIF for a turbulent flow');
  });
  it('Volume.im7: IMX volume [64,128,128] x 2 frames, FLOATPLANE attributes', async () => {
    const b = await load('neuromech/analyzepiv/readimx_v2.0_win64/TestImages/Volume.im7');
    expect(b.fields.frame1.shape).toEqual([64, 128, 128]);
    const p = b.attributes['TS:Particles3D'] as { sizeX: number; sizeY: number; data: Float32Array };
    expect([p.sizeX, p.sizeY, p.data.length]).toEqual([7, 3278, 7 * 3278]);
    expect(b.fields.frame0.scales!.z).toBeDefined();
  });
  it('urban_canopy B00001: raw mask 16700 valid, typed scalars, component order, AcqTimeSeries time', async () => {
    const b = await load('pivpy/pivpy/data/urban_canopy/B00001.vc7');
    let m = 0;
    for (const x of comp(b, 'MASK').data) m += x;
    expect(m).toBe(16700);
    expect(b.typedScalars.map((t) => t.name)).toEqual([
      'Correlation value',
      'Peak ratio',
      'IntWin type',
      'IntWin factor X',
      'IntWin factor Y',
      'IntWin angle',
      'Particle size',
      'Uncertainty V',
      'Uncertainty Vx',
      'Uncertainty Vy',
    ]);
    expect(b.frames[0].components.map((c) => c.name)).toEqual([
      'U0',
      'V0',
      'U1',
      'V1',
      'U2',
      'V2',
      'U3',
      'V3',
      'ACTIVE_CHOICE',
      'ENABLED',
      'TS:Peak ratio',
      'MASK',
      'TS:Correlation value',
      'TS:IntWin angle',
      'TS:IntWin factor X',
      'TS:IntWin factor Y',
      'TS:IntWin type',
      'TS:Particle size',
      'TS:Uncertainty V',
      'TS:Uncertainty Vx',
      'TS:Uncertainty Vy',
    ]);
    expect(b.attributes.AcqTimeSeries).toEqual(new Int32Array([0, 178439840]));
    expect(b.time).toBeCloseTo(0.17843984, 9);
    expect(comp(b, 'TS:Uncertainty Vx').scale).toMatchObject({ slope: 0.268812, unit: 'm/s', description: 'Uncertainty Vx' });
    expect(comp(b, 'MASK').scale).toMatchObject({ slope: 1, offset: 0, unit: 'Valid', description: 'Mask' });
    expect(b.fields['frame0/TS:Uncertainty Vx'].kind).toBe('scalar');
  });
  it('PIV_Velocity_Field_with_Uncertainty B00001 (DaVis 10.2): lvpyio component keys, isValid hidden, typed scalars', async () => {
    const b = await load('lvpyio-example-scripts/data/PIV_Velocity_Field_with_Uncertainty/B00001.vc7');
    expect(b.frames[0].components.map((c) => c.name)).toEqual([
      'U0',
      'V0',
      'ACTIVE_CHOICE',
      'ENABLED',
      'MASK',
      'TS:Correlation value',
      'TS:IntWin angle',
      'TS:IntWin factor X',
      'TS:IntWin factor Y',
      'TS:Peak ratio',
      'TS:Uncertainty V',
      'TS:Uncertainty Vx',
      'TS:Uncertainty Vy',
    ]);
    expect(Object.keys(b.fields).filter((k) => k.startsWith('frame0/'))).toEqual(b.frames[0].components.map((c) => `frame0/${c.name}`));
    let m = 0;
    for (const x of comp(b, 'MASK').data) m += x;
    expect(m).toBe(1275);
    const cv = comp(b, 'TS:Correlation value').data;
    expectClose(stats(cv)[2], 0.328816, 'Correlation value mean');
    expect(stats(comp(b, 'TS:Uncertainty Vy').data)[1]).toBeCloseTo(0.7605759, 6);
    expect(comp(b, 'TS:Uncertainty Vy').scale.slope).toBe(0.215304);
    expect(b.attributeItems.filter((i) => i.name === '_DaVisVersion').length).toBe(2);
    expect(b.attributes._TIME).toBe('');
  });
  it('Combinatorial B00001: scalarN plane named from ComponentName0, scaled by ComponentScale0, AcqTimeSeries [391, 716122080]', async () => {
    const b = await load('Combinatorial-Vortex-Detection-Algorithm/B00001.vc7');
    const c = comp(b, 'TS:Number of vectors');
    expect(c.scale).toMatchObject({ slope: 1, offset: 0, unit: 'n', description: 'number of vectors' });
    expect(b.attributes.RealFrameSize0).toEqual(new Int32Array([2048, 2048]));
    expect(b.time).toBeCloseTo(391.71612208, 8);
  });
  it('3D-3C.VC7: volume vectors [14,66,69] with u, v, w and GridZ', async () => {
    const b = await load('neuromech/analyzepiv/readimx_v2.0_win64/TestImages/3D-3C.VC7');
    const fd = b.fields.frame0;
    expect(fd.shape).toEqual([14, 66, 69]);
    expect(fd.w!.length).toBe(14 * 66 * 69);
    expect(b.frames[0].grid).toEqual({ x: 16, y: 16, z: 16 });
    expect(fd.scales!.z!.slope).toBeCloseTo(16 * 0.0265147, 9);
    expect(b.typedScalars.map((t) => t.name)).toContain('Fraction of valid voxel 1');
  });
  it('3D-PIV-SinglePlane.vc7 (format 6): packed mask and packed typed scalars', async () => {
    const b = await load('neuromech/analyzepiv/readimx_v2.0_win64/TestImages/3D-PIV-SinglePlane.vc7');
    expect(b.mask!.length).toBe(66 * 63);
    expect(b.typedScalars.map((t) => t.name)).toEqual(['Peak ratio', 'Correlation value', 'Stereo reconstruction error']);
    expect(b.frames[0].components.length).toBe(12 + 2 + 1 + 3);
    expect(b.frames[0].components.map((c) => c.name).slice(12)).toEqual([
      'ACTIVE_CHOICE',
      'ENABLED',
      'MASK',
      'TS:Correlation value',
      'TS:Peak ratio',
      'TS:Stereo reconstruction error',
    ]);
  });
  it('2D-PIV-Simple.vec (version 43): rows = ny * C, U0/V0 means', async () => {
    const b = await load('neuromech/analyzepiv/readimx_v2.0_win64/TestImages/2D-PIV-Simple.vec');
    expect(b.fields.frame0.shape).toEqual([10, 20]);
    expectClose(stats(b.fields.frame0.u!)[2], 9.705722, 'u mean');
    expectClose(stats(b.fields.frame0.v!)[2], 10.013716, 'v mean');
  });
});
