/**
 * framescope ↔ PhiFlow itself (scripts/interop/phiflow.py). Runs only when PHIFLOW_PATH names the
 * folders holding PhiFlow's `phi/` and PhiML's `phiml/` (':'-separated; e.g. checked out from
 * github:tum-pbs/PhiFlow and github:tum-pbs/PhiML outside the repo) and Debian's python3 with numpy
 * and scipy is present (PHIFLOW_PYTHON overrides /usr/bin/python3); `npm test` skips it with a
 * message.
 *
 * (a) a PhiFlow 3 scene written by PhiFlow (StaggeredGrids with constant, periodic, zero-gradient
 *     and mixed boundaries, 3-D, CenteredGrids, a vector grid, a batch dim): our reader's values,
 *     bounds and extrapolations equal PhiFlow's reading, including the cell-centred vector of
 *     every StaggeredGrid against PhiFlow's at_centers();
 * (b) that scene exported by exportDataset(…, {target: 'phiflow-scene'}) and read back by PhiFlow
 *     (Scene.at, scene.read): exactly the source's field names and frames, the same grid types
 *     (StaggeredGrid stays StaggeredGrid), extrapolations, bounds and values (bit-exact);
 * (c) PhiFlow-2.0-style files generated here (y-first dims, pickled-None bounds_item_names, no
 *     dim_item_names, legacy mixed extrapolation) and PhiFlow's own legacy test files (when
 *     PHIFLOW_PATH holds its tests/): PhiFlow 3 and our reader agree; exported back, PhiFlow
 *     reads the same again.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpz } from '../../src/codecs/npz';
import { tuple } from '../../src/codecs/pickle';
import { exportDataset } from '../../src/export/index';
import { openDataset } from '../../src/formats/index';
import type { FieldData, FrameSource } from '../../src/formats/types';
import { sourceTreeFromPath } from '../../src/io/node';
import { writeFiles } from '../export/helpers';
import { legacyFieldMembers } from './synth';

const PHIFLOW_PATH = process.env.PHIFLOW_PATH ?? '';
const PY = process.env.PHIFLOW_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'interop', 'phiflow.py');
const SKIP = 'PHIFLOW_PATH is not set (folders holding PhiFlow 3 phi/ and PhiML phiml/): PhiFlow interop checks skipped';

interface GridDump {
  type: string;
  extrapolation: unknown;
  lower: number[];
  upper: number[];
  resolution: number[];
  spatial: string[];
  batch: string[];
  values: Record<string, number[] | Record<string, number[]>>;
}
interface SceneDump {
  fieldnames: string[];
  frames: number[];
  properties: Record<string, unknown>;
  fields: Record<string, Record<string, GridDump>>;
  path?: string;
}

function py(...args: string[]): unknown {
  const out = execFileSync(PY, [SCRIPT, ...args], { env: { ...process.env, PHIFLOW_PATH }, maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.toString());
}

function close(a: ArrayLike<number>, b: number[], label: string, exact: boolean) {
  expect(a.length, label).toBe(b.length);
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (exact ? !(d === 0) : !(d <= 1e-6 * Math.max(1, Math.abs(b[i])))) expect.fail(`${label}: index ${i}: ours ${a[i]}, PhiFlow ${b[i]}`);
  }
}

/** Our frame's viewer fields of source field `name` against PhiFlow's reading of that grid. */
function expectGrid(fields: Record<string, FieldData>, name: string, g: GridDump, label: string) {
  for (const [suffix, want] of Object.entries(g.values)) {
    // the dump names batch entries `[member=0]` and faces `/x` after the field name, as we do
    const key = name + suffix;
    const ours = fields[key];
    expect(ours, `${label}: ${key} missing (have ${Object.keys(fields).join(', ')})`).toBeDefined();
    const face = /\/[xyz]$/.test(key);
    if (Array.isArray(want)) close(ours.values!, want, `${label} ${key}`, true);
    else {
      const comps = { x: ours.u!, y: ours.v!, z: ours.w! };
      for (const [c, arr] of Object.entries(want)) close(comps[c as 'x'], arr, `${label} ${key}.${c}`, g.type === 'CenteredGrid' || face);
    }
  }
}

/**
 * `sameDict`: our metadata's extrapolation equals PhiFlow's `to_dict()`. Not for legacy files:
 * we show the dict as stored (`mixed` with pairs), PhiFlow re-states it (`mixed_v2`); there the
 * face layouts and values prove the same reading.
 */
function expectSameAsPhiflow(src: FrameSource, dump: SceneDump, label: string, frames: FrameSource['frames'] = src.frames, sameDict = true) {
  return (async () => {
    const meta = src.metadata.fields as Record<
      string,
      { field_type: string; extrapolation: unknown; bounds: { lower: number[]; upper: number[]; names: string[] } }
    >;
    for (const info of frames) {
      const frame = await src.readFrame(info.index);
      for (const name of dump.fieldnames) {
        const g = dump.fields[name][String(info.number)];
        if (!g) continue;
        expect(meta[name].field_type, `${label} ${name}`).toBe(g.type);
        if (sameDict) expect(meta[name].extrapolation, `${label} ${name}`).toEqual(g.extrapolation);
        expect(meta[name].bounds.names, `${label} ${name}`).toEqual(g.spatial);
        close(meta[name].bounds.lower, g.lower, `${label} ${name} lower`, true);
        close(meta[name].bounds.upper, g.upper, `${label} ${name} upper`, true);
        expectGrid(frame.fields, name, g, `${label} frame ${info.number}`);
      }
    }
  })();
}

function havePhiflow(): boolean {
  if (!PHIFLOW_PATH) return false;
  try {
    execFileSync(PY, ['-c', 'import sys; sys.path[:0] = sys.argv[1].split(":"); import phi.flow', PHIFLOW_PATH], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const ok = PHIFLOW_PATH ? havePhiflow() : false;
if (!ok) console.warn(PHIFLOW_PATH ? `PHIFLOW_PATH=${PHIFLOW_PATH} but "import phi.flow" fails under ${PY}: PhiFlow interop checks skipped` : SKIP);

describe.skipIf(!ok)('PhiFlow interop (scripts/interop/phiflow.py)', () => {
  const work = mkdtempSync(join(tmpdir(), 'fs-phiflow-'));
  let dump: SceneDump;
  let src: FrameSource;

  it('(a) a PhiFlow 3 scene: our reader equals PhiFlow (faces bit-exact, cell centres = at_centers())', async () => {
    dump = py('generate', join(work, 'gen')) as SceneDump;
    expect(dump.fieldnames).toEqual([
      'centered_vector',
      'density',
      'members',
      'velocity',
      'velocity3d',
      'velocity_mixed',
      'velocity_periodic',
      'velocity_zgrad',
    ]);
    src = await openDataset(await sourceTreeFromPath(dump.path!));
    expect(src.format).toBe('phiflow');
    expect(Object.keys(src.metadata.fields as object)).toEqual(dump.fieldnames);
    expect(src.frames.map((f) => f.number)).toEqual(dump.frames);
    expect(src.frames.map((f) => f.time)).toEqual(dump.frames.map((n) => n * 0.25));
    await expectSameAsPhiflow(src, dump, 'generated');
  }, 120_000);

  it('(b) exported back to a PhiFlow scene: PhiFlow reads the same grids, types, extrapolations, names and values', async () => {
    const files = await exportDataset(src, { target: 'phiflow-scene' });
    const dir = writeFiles(files);
    const back = py('dump', join(dir, 'sim_000000')) as SceneDump;
    expect(back.fieldnames).toEqual(dump.fieldnames);
    expect(back.frames).toEqual(dump.frames);
    expect(back.properties).toEqual(dump.properties);
    for (const name of dump.fieldnames)
      for (const fr of Object.keys(dump.fields[name])) {
        const a = dump.fields[name][fr];
        const b = back.fields[name][fr];
        expect(b.type, `${name}@${fr}`).toBe(a.type);
        expect(b.extrapolation, `${name}@${fr}`).toEqual(a.extrapolation);
        expect(b.resolution, `${name}@${fr}`).toEqual(a.resolution);
        expect(b.batch, `${name}@${fr}`).toEqual(a.batch);
        expect(b.lower, `${name}@${fr}`).toEqual(a.lower);
        expect(b.upper, `${name}@${fr}`).toEqual(a.upper);
        expect(b.values, `${name}@${fr}`).toEqual(a.values);
      }
  }, 120_000);

  it('(c) PhiFlow-2.0-style files (y-first, pickled-None bounds_item_names, no item names): PhiFlow 3 and our reader agree, also after exporting back', async () => {
    const dir = join(work, 'legacy', 'sim_000000');
    mkdirSync(dir, { recursive: true });
    const [ny, nx] = [6, 5];
    const yx = (n0: number, n1: number, nc: number, f: (a: number, b: number, c: number) => number) => {
      const a = new Float32Array(n0 * n1 * nc);
      let o = 0;
      for (let i = 0; i < n0; i++) for (let j = 0; j < n1; j++) for (let c = 0; c < nc; c++) a[o++] = f(i, j, c);
      return a;
    };
    const i32 = (v: number) => ({ __ndarray__: true as const, dtype: '<i4', shape: [], fortranOrder: false, data: Int32Array.of(v) });
    const legacyMixed = {
      type: 'mixed',
      dims: { x: tuple({ type: 'boundary' }, { type: 'boundary' }), y: tuple({ type: 'constant', value: i32(0) }, { type: 'constant', value: i32(0) }) },
    };
    const files: Record<string, Uint8Array> = {
      'dens_000000.npz': encodeNpz(
        legacyFieldMembers({
          dims: [
            { name: 'y', type: 'spatial' },
            { name: 'x', type: 'spatial' },
          ],
          shape: [ny, nx],
          data: yx(ny, nx, 1, (y, x) => Math.sin(x) + 10 * y),
          lower: [0, 0],
          upper: [200, 100],
          boundsItemNames: 'none',
          itemNames: true,
          extrapolation: legacyMixed,
        }),
        { compress: true },
      ),
      'velo_000000.npz': encodeNpz(
        legacyFieldMembers({
          dims: [
            { name: 'y', type: 'spatial' },
            { name: 'x', type: 'spatial' },
            { name: 'vector', type: 'channel' },
          ],
          fieldType: 'StaggeredGrid',
          shape: [ny + 1, nx + 1, 2],
          data: yx(ny + 1, nx + 1, 2, (y, x, c) => (c === 0 ? 1000 + 10 * x + y : -(10 * x + y) + 0.25)),
          lower: [0, 0],
          upper: [200, 100],
          boundsDtype: '<i8',
          boundsItemNames: 'absent',
          extrapolation: { type: 'boundary' },
        }),
        { compress: true },
      ),
      'vmix_000000.npz': encodeNpz(
        legacyFieldMembers({
          dims: [
            { name: 'y', type: 'spatial' },
            { name: 'x', type: 'spatial' },
            { name: 'vector', type: 'channel' },
          ],
          fieldType: 'StaggeredGrid',
          shape: [ny + 1, nx + 1, 2],
          data: yx(ny + 1, nx + 1, 2, (y, x, c) => (c === 0 ? 1000 + 10 * x + y : -(10 * x + y))),
          lower: [0, 0],
          upper: [200, 100],
          boundsItemNames: 'none',
          extrapolation: legacyMixed,
        }),
        { compress: true },
      ),
    };
    // PhiFlow's own legacy test files, read where they are (never copied into the repo)
    const theirs = PHIFLOW_PATH.split(':')
      .map((p) => join(p, 'tests', 'commit', 'field'))
      .find((p) => existsSync(join(p, 'velo_001000.npz')));
    for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, k), v);
    const checks: { path: string; name: string }[] = Object.keys(files).map((k) => ({ path: join(dir, k), name: k.replace(/_\d+\.npz$/, '') }));
    if (theirs) for (const k of ['dens_001000.npz', 'velo_001000.npz']) checks.push({ path: join(theirs, k), name: k.replace(/_\d+\.npz$/, '') });
    else console.warn('PhiFlow tests/commit/field/*.npz not under PHIFLOW_PATH: only the generated legacy files are checked');
    for (const c of checks) {
      const g = py('dump-file', c.path) as GridDump;
      const one = await openDataset({ name: c.name, files: (await sourceTreeFromPath(c.path)).files });
      const d: SceneDump = {
        fieldnames: [c.name],
        frames: [one.frames[0].number],
        properties: {},
        fields: { [c.name]: { [String(one.frames[0].number)]: g } },
      };
      await expectSameAsPhiflow(one, d, c.path, [one.frames[0]], false);
      // and written back by us, PhiFlow reads the same grid
      const out = writeFiles(await exportDataset(one, { target: 'phiflow-scene' }));
      const again = py('dump-file', join(out, 'sim_000000', `${c.name}_${String(one.frames[0].number).padStart(6, '0')}.npz`)) as GridDump;
      expect(again.type, c.path).toBe(g.type);
      expect(again.resolution, c.path).toEqual(g.resolution);
      expect(again.lower, c.path).toEqual(g.lower);
      expect(again.upper, c.path).toEqual(g.upper);
      expect(again.values, c.path).toEqual(g.values);
      expect(JSON.stringify(again.extrapolation), c.path).toBe(JSON.stringify(g.extrapolation));
    }
    expect(readFileSync(join(dir, 'dens_000000.npz')).length).toBeGreaterThan(0);
  }, 180_000);
});
