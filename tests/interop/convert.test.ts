/** The batch converter's exit codes, messages and outputs (run as a child process, as a user would). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/formats/index';
import { sourceTreeFromPath } from '../../src/io/node';

const ROOT = join(__dirname, '..', '..');
const INSIGHT = join(ROOT, 'tests', 'pivtext', 'data', 'insight');
function convert(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'convert.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run convert', () => {
  it('--help lists the targets and their options, exit 0', () => {
    const r = convert('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage: npm run convert -- <input path> --target <name>/);
    expect(r.out).toMatch(/^ {2}hdf5 +NetCDF-4 \/ HDF5/m);
    expect(r.out).toMatch(/^ {2}zarr +Zarr v2 store/m);
    expect(r.out).toMatch(/mask=enum \(variable\|nan\|both\), default "variable"/);
    expect(r.out).toMatch(/mp4 .*\[browser only\]/);
  });

  it('bad usage exits 2 with a message saying what was wrong', () => {
    const cases: [string[], RegExp][] = [
      [[], /convert: no input path/],
      [[INSIGHT], /--target is required/],
      [[INSIGHT, '--target', 'netcdf'], /unknown target “netcdf” \(available: .*hdf5, zarr/],
      [[INSIGHT, '--target', 'mp4'], /target mp4 needs a browser/],
      [[INSIGHT, '--target', 'zarr', '--option', 'colour=red'], /--option colour: target zarr has no such option/],
      [[INSIGHT, '--target', 'zarr', '--option', 'compression=max'], /--option compression=max: expected a number/],
      [[INSIGHT, '--target', 'zarr', '--frames', '5:'], /--frames 5:: selects no frame of 2/],
      [[INSIGHT, '--target', 'zarr', '--frames', 'a:b'], /expected start:stop:step/],
      [['/no/such/dir', '--target', 'zarr'], /input \/no\/such\/dir does not exist/],
      [[INSIGHT, '--target', 'zarr', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, msg] of cases) {
      const r = convert(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(msg);
    }
  });

  it('unreadable input exits 1 naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convert-'));
    const p = join(dir, 'notes.bin');
    writeFileSync(p, new Uint8Array([1, 2, 3, 4, 5]));
    const r = convert(p, '--target', 'zarr', '--out', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/convert: FormatError: notes\.bin: not a recognised dataset/);
    const bad = convert(INSIGHT, '--target', 'zarr', '--fields', 'pressure', '--out', dir);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/field “pressure” is not in this dataset \(has velocity, CHC\)/);
  });

  it('converts a TSI series to Zarr and NetCDF that open back with the chosen frames', async () => {
    const out = mkdtempSync(join(tmpdir(), 'convert-'));
    const z = convert(INSIGHT, '--target', 'zarr', '--out', out, '--frames', '1:', '--option', 'name=tsi');
    expect(z.code, z.err).toBe(0);
    expect(z.out).toMatch(/pivtext insight → zarr: 1 frames, 1 file/);
    const back = await openDataset(await sourceTreeFromPath(join(out, 'tsi.zarr.zip')));
    expect(back.frames.map((f) => f.number)).toEqual([2]);
    const h = convert(INSIGHT, '--target', 'hdf5', '--out', out, '--fields', 'velocity', '--option', 'compression=9', '--option', 'mask=both');
    expect(h.code, h.err).toBe(0);
    expect(existsSync(join(out, 'insight.nc'))).toBe(true);
    const h5wasm = (await import('h5wasm')).default;
    const { FS } = await h5wasm.ready;
    const { readFileSync } = await import('node:fs');
    FS.writeFile('/convert-back.nc', readFileSync(join(out, 'insight.nc')));
    const f = new h5wasm.File('/convert-back.nc', 'r');
    expect(f.keys()).toEqual(expect.arrayContaining(['velocity_u', 'velocity_v', 'velocity_mask', 'x', 'y', 'time']));
    expect((f.get('velocity_u') as import('h5wasm').Dataset).shape).toEqual([2, 3, 63]);
    f.close();
  });
});
