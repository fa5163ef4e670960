/**
 * Run tests/analysis/numpy_oracle.py with Debian's python (/usr/bin/python3 + python3-numpy/scipy)
 * on fields written as .npy, and compare our results with numpy's to float32 rounding.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpy, encodeNpy } from '../../src/codecs/npy';
import type { FieldData } from '../../src/core/types';
import { lengthFactor, parseUnit } from '../../src/analysis/units';
import { ulp32 } from './grids';

export const PYTHON = process.env.FRAMESCOPE_PYTHON ?? '/usr/bin/python3';
const here = dirname(fileURLToPath(import.meta.url));

let has: boolean | null = null;
export function hasNumpy(): boolean {
  if (has === null) has = spawnSync(PYTHON, ['-c', 'import numpy, scipy'], { encoding: 'utf8' }).status === 0;
  return has;
}
export const NUMPY_MISSING = `${PYTHON} with numpy and scipy not available (apt-get install python3-numpy python3-scipy): numpy oracle tests skipped`;

export interface OracleCase {
  name: string;
  field: FieldData;
  quantities: string[];
  smooth?: { kind: 'gaussian' | 'box'; size: number };
}

export interface OracleStats {
  name: string;
  frames: FieldData[];
}

/** spacing per axis as the oracle needs it: slope (or coords) times the SI length factor (value unit factor folded in) */
function spacingOf(f: FieldData): Record<string, { slope?: number; coords?: number[]; factor: number }> {
  const s: Record<string, { slope?: number; coords?: number[]; factor: number }> = {};
  const shape = f.shape;
  const n = shape.length;
  const vf = parseUnit(f.scales?.i?.unit ?? '')?.factor ?? 1;
  for (const [a, k] of [
    ['x', n - 1],
    ['y', n - 2],
    ['z', n - 3],
  ] as const) {
    if (k < 0) continue;
    const sc = f.scales?.[a];
    const lf = lengthFactor(sc?.unit ?? '') ?? 1;
    const c = f.coords?.[a];
    if (c && c.length === shape[k]) s[a] = { coords: Array.from(c), factor: lf / vf };
    else s[a] = { slope: sc?.slope ? sc.slope : 1, factor: lf / vf };
  }
  return s;
}

function comps(f: FieldData): [string, Float32Array | Uint8Array | Uint16Array | Float64Array][] {
  if (f.kind === 'vector')
    return (
      [
        ['u', f.u],
        ['v', f.v],
        ['w', f.w],
      ] as const
    )
      .filter(([, a]) => a)
      .map(([n, a]) => [n, a!]);
  return [['f', f.values!]];
}

/** Run the oracle; returns a reader of its outputs. */
export function runOracle(cases: OracleCase[], stats: OracleStats[] = []): { read(name: string): Float64Array; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'fs-analysis-'));
  const meta = { cases: [] as unknown[], stats: [] as unknown[] };
  const put = (name: string, shape: number[], data: Float32Array | Float64Array | Uint8Array | Uint16Array) =>
    writeFileSync(join(dir, `${name}.npy`), encodeNpy({ shape, data }));
  for (const c of cases) {
    const cs = comps(c.field);
    for (const [n, a] of cs) put(`${c.name}__${n}`, c.field.shape, a);
    put(`${c.name}__mask`, c.field.shape, c.field.mask ?? new Uint8Array(a0(cs).length));
    meta.cases.push({
      name: c.name,
      comps: cs.map(([n]) => n),
      spacing: spacingOf(c.field),
      quantities: c.quantities,
      ...(c.smooth ? { smooth: c.smooth } : {}),
    });
  }
  for (const s of stats) {
    const f0 = s.frames[0];
    const cs = comps(f0).map(([n]) => n);
    const per = a0(comps(f0)).length;
    const T = s.frames.length;
    for (const n of cs) {
      const stack = new Float32Array(T * per);
      s.frames.forEach((f, t) => stack.set(comps(f).find(([m]) => m === n)![1] as Float32Array, t * per));
      put(`${s.name}__${n}`, [T, ...f0.shape], stack);
    }
    const mstack = new Uint8Array(T * per);
    s.frames.forEach((f, t) => f.mask && mstack.set(f.mask, t * per));
    put(`${s.name}__mask`, [T, ...f0.shape], mstack);
    meta.stats.push({ name: s.name, comps: cs });
  }
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  const r = spawnSync(PYTHON, [join(here, 'numpy_oracle.py'), dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`numpy oracle failed: ${r.stderr}`);
  return {
    read(name: string) {
      const a = decodeNpy(readFileSync(join(dir, `${name}.npy`)));
      return a.data as Float64Array;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function a0(cs: [string, ArrayLike<number>][]): ArrayLike<number> {
  return cs[0][1];
}

/**
 * Compare our float32 result (with mask) to numpy's float64 (NaN = no value): masks must agree
 * exactly; values within `ulps` float32 ulps, plus `rel`·max|numpy| for results of cancellation.
 */
export function compare(
  ours: ArrayLike<number>,
  mask: Uint8Array | undefined,
  theirs: Float64Array,
  opts: { ulps?: number; rel?: number } = {},
): { compared: number; maskDiff: number; worst: number; worstAt: number; ok: boolean } {
  const ulps = opts.ulps ?? 1;
  let scale = 0;
  for (const x of theirs) if (!Number.isNaN(x)) scale = Math.max(scale, Math.abs(x));
  const abs = (opts.rel ?? 0) * scale;
  let compared = 0;
  let maskDiff = 0;
  let worst = 0;
  let worstAt = -1;
  let ok = true;
  for (let p = 0; p < theirs.length; p++) {
    const t = theirs[p];
    const m = mask ? mask[p] === 1 : false;
    if (Number.isNaN(t) !== m) {
      maskDiff++;
      ok = false;
      continue;
    }
    if (m) continue;
    compared++;
    const d = Math.abs(ours[p] - t);
    const lim = ulps * ulp32(Math.max(Math.abs(ours[p]), Math.abs(t))) + abs;
    const e = d / (ulp32(t) || 1);
    if (e > worst) {
      worst = e;
      worstAt = p;
    }
    if (d > lim) ok = false;
  }
  return { compared, maskDiff, worst, worstAt, ok };
}
