/**
 * Generates the built-in "small masked vector field" sample: a DaVis 10-style vector set
 * `public/samples/piv-vortex/piv-vortex.set` + `piv-vortex/B00001.vc7 … B00012.vc7` and the listing
 * `public/samples/piv-vortex.json`. Deterministic (fixed seed, fixed set time).
 *
 *   node --import tsx scripts/make-sample-davis.ts
 *
 * Content: a 2C PIV-like field on a 48×36 grid (16 px vector grid, 0.125 mm/px → 2 mm spacing; y up,
 * row 0 at the top as DaVis stores it) of a decaying Lamb–Oseen vortex pair convecting across the field
 * in a 2 m/s stream that flows around a circular obstacle. The obstacle is masked (MASK = 0); a few
 * spurious vectors per frame are disabled (typed scalar `isValid` = 0, U = V = 0, as DaVis 10 stores
 * them); `TS:Uncertainty V` holds a per-vector uncertainty. Values are stored as pixel displacements
 * with the I scale 1.25 m/s per px (Δt = 100 µs) and rounded to 1/256 px (keeps the files small).
 * Acquisition times are 1 ms apart.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scale } from '../src/formats/types';
import type { DavisVectorFrame } from '../src/formats/davis/write-buffer';
import { writeDavisSet, type SetBuffer } from '../src/formats/davis/write-set';

const NAME = 'piv-vortex';
const NX = 48;
const NY = 36;
const FRAMES = 12;
const DT_FRAMES = 1e-3; // s between buffers
const GRID = 16; // px per vector
const PX = 0.125; // mm per px
const DT_PIV = 100e-6; // s between the two PIV exposures
const SLOPE_I = (PX * 1e-3) / DT_PIV; // m/s per px = 1.25
const H_MM = NY * GRID * PX; // 72 mm

const xScale: Scale = { slope: PX, offset: 0, unit: 'mm', description: 'position' };
const yScale: Scale = { slope: -PX, offset: H_MM, unit: 'mm', description: 'position' };
const zScale: Scale = { slope: PX, offset: 0, unit: 'mm', description: 'z' };
const iScale: Scale = { slope: SLOPE_I, offset: 0, unit: 'm/s', description: 'velocity' };

/** deterministic uniform [0, 1) */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const rand = lcg(20240101);
const gauss = () => {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
};

// flow parameters (SI)
const U_INF = 2; // m/s
const OBST = { x: 0.078, y: 0.016, r: 0.007 }; // obstacle centre and radius (m)
const GAMMA0 = 0.2; // m²/s
const TAU = 0.02; // s, circulation decay
const RC0 = 0.005; // m, initial core radius
const NU = 5.5e-4; // m²/s, effective (turbulent) viscosity for core growth
const HALF_SEP = 0.01; // m, half distance between the vortex centres

/** Lamb–Oseen azimuthal velocity → (u, v) at offset (dx, dy) from a vortex of circulation gamma. */
function lambOseen(dx: number, dy: number, gamma: number, rc: number): [number, number] {
  const r2 = dx * dx + dy * dy;
  if (r2 < 1e-12) return [0, 0];
  const k = (gamma / (2 * Math.PI * r2)) * (1 - Math.exp(-r2 / (rc * rc)));
  return [-k * dy, k * dx];
}

/** Potential flow of the free stream around the circular obstacle. */
function stream(x: number, y: number): [number, number] {
  const dx = x - OBST.x;
  const dy = y - OBST.y;
  const r2 = dx * dx + dy * dy;
  const R2 = OBST.r * OBST.r;
  if (r2 <= R2) return [0, 0];
  const r4 = r2 * r2;
  return [U_INF * (1 - (R2 * (dx * dx - dy * dy)) / r4), (-U_INF * 2 * R2 * dx * dy) / r4];
}

function frame(k: number): DavisVectorFrame {
  const t = k * DT_FRAMES;
  const gamma = GAMMA0 * Math.exp(-t / TAU);
  const rc = Math.sqrt(RC0 * RC0 + 4 * NU * t);
  // the pair drifts with the stream plus its self-induced velocity Γ/(2π·2·HALF_SEP)
  const drift = U_INF + gamma / (2 * Math.PI * 2 * HALF_SEP);
  const cx = 0.02 + drift * t;
  const cy = 0.04;
  const n = NX * NY;
  const u = new Float32Array(n);
  const v = new Float32Array(n);
  const valid = new Uint8Array(n);
  const isValid = new Uint16Array(n);
  const unc = new Float32Array(n);
  const q = (x: number) => Math.round(x * 256) / 256; // 1/256 px
  for (let j = 0; j < NY; j++) {
    for (let i = 0; i < NX; i++) {
      const idx = j * NX + i;
      const x = ((i + 0.5) * GRID * PX) / 1000; // m
      const y = (H_MM - (j + 0.5) * GRID * PX) / 1000;
      const inside = (x - OBST.x) ** 2 + (y - OBST.y) ** 2 <= (OBST.r + 0.001) ** 2;
      if (inside) continue; // masked: MASK 0, isValid 0, U = V = 0
      valid[idx] = 1;
      isValid[idx] = 1;
      let [uu, vv] = stream(x, y);
      const [u1, v1] = lambOseen(x - cx, y - (cy + HALF_SEP), gamma, rc);
      const [u2, v2] = lambOseen(x - cx, y - (cy - HALF_SEP), -gamma, rc);
      uu += u1 + u2;
      vv += v1 + v2;
      // local velocity gradient (vortex cores) raises the measurement uncertainty
      const r2 = Math.min((x - cx) ** 2 + (y - cy - HALF_SEP) ** 2, (x - cx) ** 2 + (y - cy + HALF_SEP) ** 2);
      const sigmaPx = 0.04 + 0.12 * Math.exp(-r2 / (rc * rc));
      // displacement in px; DaVis stores +x right and +y down (row order), physical v = -raw·slope_I
      u[idx] = q(uu / SLOPE_I + sigmaPx * gauss());
      v[idx] = q(-vv / SLOPE_I + sigmaPx * gauss());
      unc[idx] = Math.round(sigmaPx * (1 + 0.2 * gauss() ** 2) * 1024) / 1024;
    }
  }
  // a few spurious vectors, rejected by the validation: disabled (isValid 0), stored as 0
  for (let s = 0; s < 5; s++) {
    const idx = Math.floor(rand() * n);
    if (!valid[idx]) continue;
    isValid[idx] = 0;
    u[idx] = 0;
    v[idx] = 0;
    unc[idx] = 0;
  }
  return {
    kind: 'vector',
    nx: NX,
    ny: NY,
    u,
    v,
    valid,
    time: 0.1 + t,
    scales: { x: xScale, y: yScale, z: zScale, i: iScale },
    attributes: [
      ['CameraName', 'synthetic'],
      ['FrameDt', '100 us'],
      ['InterrogationWindowSize', 32],
      ['CorrelationAlgorithm', 0],
    ],
    typedScalars: [
      { name: 'Uncertainty V', data: unc, scale: { slope: SLOPE_I, offset: 0, unit: 'm/s', description: 'Uncertainty V' } },
      { name: 'isValid', data: isValid, scale: { slope: 1, offset: 0, unit: '', description: 'isValid' } },
    ],
  };
}

const buffers: SetBuffer[] = [];
for (let k = 0; k < FRAMES; k++) {
  buffers.push({
    frames: [frame(k)],
    attributes: [
      ['_Title', 'PIV vortex pair (synthetic)'],
      [
        'SampleDescription',
        'framescope sample: decaying Lamb-Oseen vortex pair in a 2 m/s stream around a masked circular obstacle; synthetic data, not a measurement',
      ],
      ['LoadSetIndex', k + 1],
    ],
  });
}
const files = writeDavisSet(buffers, {
  name: NAME,
  pack: 'zlib',
  level: 9,
  grid: GRID,
  time: new Date(Date.UTC(2024, 0, 1, 12, 0, 0)),
  comments: 'synthetic PIV sample generated by scripts/make-sample-davis.ts',
  info: 'framescope scripts/make-sample-davis.ts: Lamb-Oseen vortex pair, 48x36 vectors, 12 buffers 1 ms apart',
});

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, '../public/samples', NAME);
rmSync(outDir, { recursive: true, force: true });
for (const f of files) {
  const p = join(outDir, f.path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, f.bytes);
}
const listing = { name: NAME, files: files.map((f) => ({ path: f.path, size: f.bytes.length })) };
writeFileSync(resolve(here, '../public/samples', `${NAME}.json`), JSON.stringify(listing, null, 1) + '\n');
const total = files.reduce((s, f) => s + f.bytes.length, 0);
console.log(`wrote ${files.length} files, ${total} bytes, to ${outDir}`);
