/**
 * Generates the built-in PhiFlow sample (public/samples/phiflow-vortex/): a small scene written by
 * our own PhiFlow exporter from analytic fields — a Gaussian dye blob carried around by a decaying
 * Lamb–Oseen vortex. Deterministic; run with `node --import tsx scripts/make-sample-phiflow.ts`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportDataset } from '../src/export/index';
import type { Frame, FrameInfo, FrameSource } from '../src/formats/types';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '../public/samples/phiflow-vortex');

const nx = 64,
  ny = 48,
  lx = 4,
  ly = 3,
  nFrames = 24,
  dt = 0.05;
const dx = lx / nx,
  dy = ly / ny;
const cx = 2,
  cy = 1.5;

function fields(k: number) {
  const t = k * dt;
  const gamma = 6 * Math.exp(-t / 2); // circulation decays
  const core = 0.35 + 0.1 * t;
  const omega = gamma / (2 * Math.PI * 0.6 * 0.6); // angular speed at the blob's orbit radius (r = 0.6)
  const bx = cx + 0.6 * Math.cos(omega * t),
    by = cy + 0.6 * Math.sin(omega * t);
  const density = new Float32Array(nx * ny);
  const u = new Float32Array(nx * ny),
    v = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const x = (i + 0.5) * dx,
        y = (j + 0.5) * dy;
      const rx = x - cx,
        ry = y - cy,
        r2 = rx * rx + ry * ry;
      const vt = r2 > 1e-12 ? (gamma / (2 * Math.PI * r2)) * (1 - Math.exp(-r2 / (core * core))) : 0;
      u[j * nx + i] = -vt * ry;
      v[j * nx + i] = vt * rx;
      const gx = x - bx,
        gy = y - by;
      density[j * nx + i] = Math.exp(-(gx * gx + gy * gy) / (2 * 0.25 * 0.25)) + 0.15 * Math.exp(-r2 / 0.5);
    }
  return { density, u, v };
}

const frames: FrameInfo[] = Array.from({ length: nFrames }, (_, i) => ({ index: i, number: i, time: i * dt }));
const scale = (d: number, unit = '') => ({ slope: d, offset: d / 2, unit, description: '' });
const source: FrameSource = {
  format: 'synthetic',
  name: 'phiflow-vortex',
  frames,
  fields: [
    { name: 'density', kind: 'scalar', shape: [ny, nx], unit: '' },
    { name: 'velocity', kind: 'vector', shape: [ny, nx], unit: '' },
  ],
  metadata: { properties: { dt, description: 'dye blob in a decaying Lamb-Oseen vortex (framescope sample)' } },
  timeUnit: null,
  async readFrame(index): Promise<Frame> {
    const f = fields(index);
    const scales = { x: scale(dx), y: scale(dy) };
    return {
      info: frames[index],
      fields: {
        density: { kind: 'scalar', shape: [ny, nx], values: f.density, scales },
        velocity: { kind: 'vector', shape: [ny, nx], u: f.u, v: f.v, scales },
      },
      attributes: {},
    };
  },
  nearestIndex: (t) => Math.max(0, Math.min(nFrames - 1, Math.round(t / dt))),
  close() {},
};

const files = await exportDataset(source, { target: 'phiflow-scene', options: { properties: { dt, name: 'vortex sample' } } });
rmSync(out, { recursive: true, force: true });
const listing: { path: string; size: number }[] = [];
for (const f of files) {
  const rel = f.path;
  mkdirSync(dirname(join(out, rel)), { recursive: true });
  writeFileSync(join(out, rel), f.bytes);
  listing.push({ path: rel, size: f.bytes.length });
}
// a PhiFlow-style scalar log curve and the generating script, as PhiFlow's SceneLog and Scene would leave them
const sceneDir = dirname(files.find((f) => f.path.endsWith('.npz'))!.path);
const log =
  Array.from({ length: nFrames }, (_, k) => {
    const { u, v } = fields(k);
    let e = 0;
    for (let i = 0; i < u.length; i++) e += 0.5 * (u[i] * u[i] + v[i] * v[i]) * dx * dy;
    return `${k} ${e.toPrecision(8)}`;
  }).join('\n') + '\n';
const extra: [string, string][] = [
  [join(sceneDir, 'log_kinetic_energy.txt'), log],
  [join(sceneDir, 'src/context.json'), JSON.stringify({ phi_version: '3.4.0', argv: ['scripts/make-sample-phiflow.ts'] })],
];
for (const [rel, text] of extra) {
  mkdirSync(dirname(join(out, rel)), { recursive: true });
  writeFileSync(join(out, rel), text);
  listing.push({ path: rel.split('\\').join('/'), size: Buffer.byteLength(text) });
}
listing.sort((a, b) => (a.path < b.path ? -1 : 1));
writeFileSync(join(out, '..', 'phiflow-vortex.json'), JSON.stringify({ name: 'phiflow-vortex', files: listing }, null, 1));
console.log(`wrote ${listing.length} files to ${out}`);
