/**
 * Batch converter: `npm run convert -- <input path> --target <name> [--out DIR]
 * [--frames start:stop:step] [--fields a,b] [--option k=v ...]`. Opens the input with the same
 * registry as the app (every reader that runs under Node: DaVis, PhiFlow, image-directory
 * imgstores, PIV text, Zarr) and runs `exportDataset` with the same options as the export dialog.
 * The hdf5 target writes straight to disk through h5wasm's Node build, so its memory stays at one
 * frame whatever the file size; other targets return their files, which are then written.
 *
 * Exit codes: 0 done; 1 the input or the export failed (message names the file and the problem);
 * 2 bad usage (unknown target or option, bad frame range, missing input); 130 interrupted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isAbort } from '../src/core/abort';
import { EXPORT_TARGETS, exportDataset, targetById, type ExportTarget } from '../src/export/index';
import { openDataset } from '../src/formats/index';
import type { FrameSource } from '../src/formats/types';
import { sourceTreeFromPath } from '../src/io/node';

class UsageError extends Error {}

const USAGE = 'usage: npm run convert -- <input path> --target <name> [--out DIR] [--frames start:stop:step] [--fields a,b] [--option key=value ...]';

/** FileSystemDirectoryHandle's shape (as the zarr folder writer uses it) over a folder on disk. */
function nodeFolder(path: string): import('../src/export/index').DirectoryLike {
  mkdirSync(path, { recursive: true });
  return {
    name: path,
    getDirectoryHandle: async (n: string) => nodeFolder(join(path, n)),
    getFileHandle: async (n: string) => ({
      createWritable: async () => {
        const parts: Uint8Array[] = [];
        return {
          write: async (d: Uint8Array) => void parts.push(d.slice()),
          close: async () => writeFileSync(join(path, n), Buffer.concat(parts)),
        };
      },
    }),
  };
}

function help(): string {
  const lines = [
    USAGE,
    '',
    'Converts one dataset (a file or a folder: DaVis set or file, PhiFlow scene, image-directory imgstore,',
    'PIV text files, Zarr store) to a target format. Run it once per dataset (see the README for GNU',
    'parallel and SLURM array jobs).',
    '',
    '  --target NAME     the export target (below)',
    '  --out DIR         output folder (default: the current folder)',
    '  --frames A:B:S    frame indices as a Python slice: start (default 0), stop (exclusive, default the',
    '                    frame count), step (default 1); negative start/stop count from the end',
    '  --fields a,b      fields to export (default: every field the target stores)',
    '  --option k=v      a target option (repeatable); values as in the export dialog',
    '  --quiet           no progress bar',
    '  --help            this text',
    '',
    'Targets and their options (a [browser only] target needs the app: ffmpeg.wasm, WebCodecs or canvas):',
  ];
  for (const t of EXPORT_TARGETS) {
    lines.push(
      '',
      `  ${t.id.padEnd(14)} ${t.label} → ${t.produces}${t.needsBrowser === true ? '   [browser only]' : t.needsBrowser === 'depends' ? '   [some options need the browser]' : ''}`,
    );
    for (const o of t.options) {
      const choices = o.choices
        ? ` (${o.choices.join('|')})`
        : o.type === 'number' && (o.min !== undefined || o.max !== undefined)
          ? ` (${o.min ?? ''}…${o.max ?? ''})`
          : '';
      lines.push(`      ${o.key}=${o.type}${choices}, default ${JSON.stringify(o.default)}: ${o.label}`);
    }
  }
  return lines.join('\n');
}

/** Python-slice frame selection over n frames. */
export function sliceFrames(spec: string, n: number): number[] {
  const m = /^\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?)?$/.exec(spec);
  if (!m || spec.trim() === '') throw new UsageError(`--frames ${JSON.stringify(spec)}: expected start:stop:step (integers, any part may be empty)`);
  const single = !spec.includes(':');
  const norm = (x: number) => (x < 0 ? Math.max(0, n + x) : Math.min(x, n));
  const step = m[3] !== undefined ? Number(m[3]) : 1;
  if (step <= 0) throw new UsageError(`--frames ${spec}: step must be > 0`);
  const start = m[1] !== undefined ? norm(Number(m[1])) : 0;
  const stop = single ? start + 1 : m[2] !== undefined ? norm(Number(m[2])) : n;
  const out: number[] = [];
  for (let i = start; i < stop && i < n; i += step) out.push(i);
  if (!out.length) throw new UsageError(`--frames ${spec}: selects no frame of ${n}`);
  return out;
}

function optionValues(t: ExportTarget, pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--option ${JSON.stringify(p)}: expected key=value`);
    const key = p.slice(0, eq);
    const raw = p.slice(eq + 1);
    const spec = t.options.find((o) => o.key === key);
    if (!spec) throw new UsageError(`--option ${key}: target ${t.id} has no such option (has ${t.options.map((o) => o.key).join(', ')})`);
    if (spec.type === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`--option ${key}=${raw}: expected true or false`);
      out[key] = raw === 'true';
    } else if (spec.type === 'number') {
      const x = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(x)) throw new UsageError(`--option ${key}=${raw}: expected a number`);
      out[key] = x;
    } else out[key] = raw;
  }
  return out;
}

function progressBar(enabled: boolean) {
  const t0 = Date.now();
  let last = 0;
  return {
    update(done: number, total: number) {
      if (!enabled) return;
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      const w = 30;
      const fill = Math.round((done / Math.max(1, total)) * w);
      const el = (now - t0) / 1000;
      const eta = done ? (el / done) * (total - done) : 0;
      process.stderr.write(
        `\r[${'#'.repeat(fill)}${'.'.repeat(w - fill)}] ${done}/${total} frames  ${el.toFixed(1)} s${done < total ? `, ${eta.toFixed(0)} s left` : ''}   `,
      );
    },
    end() {
      if (enabled) process.stderr.write('\n');
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        target: { type: 'string', short: 't' },
        out: { type: 'string', short: 'o' },
        frames: { type: 'string' },
        fields: { type: 'string' },
        option: { type: 'string', multiple: true },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`convert: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const a = args.values;
  if (a.help) {
    process.stdout.write(help() + '\n');
    return 0;
  }
  const controller = new AbortController();
  const onSig = () => controller.abort();
  process.once('SIGINT', onSig);
  let source: FrameSource | null = null;
  try {
    if (args.positionals.length !== 1)
      throw new UsageError(args.positionals.length ? `one input path expected, got ${args.positionals.length}` : 'no input path');
    if (!a.target) throw new UsageError('--target is required (see --help for the list)');
    const target = targetById(a.target);
    if (!target) throw new UsageError(`unknown target “${a.target}” (available: ${EXPORT_TARGETS.map((t) => t.id).join(', ')})`);
    if (target.needsBrowser === true)
      throw new UsageError(
        `target ${target.id} needs a browser (ffmpeg.wasm / WebCodecs); use the app, or one of: ${EXPORT_TARGETS.filter((t) => t.needsBrowser !== true)
          .map((t) => t.id)
          .join(', ')}`,
      );
    const options = optionValues(target, a.option ?? []);
    const input = resolve(args.positionals[0]);
    try {
      await stat(input);
    } catch {
      throw new UsageError(`input ${args.positionals[0]} does not exist`);
    }
    source = await openDataset(await sourceTreeFromPath(input));
    const frames = a.frames !== undefined ? sliceFrames(a.frames, source.frames.length) : undefined;
    const fields =
      a.fields !== undefined
        ? a.fields
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined;
    const outDir = resolve(a.out ?? '.');
    mkdirSync(outDir, { recursive: true });
    const bar = progressBar(!a.quiet && process.stderr.isTTY === true);
    const job = { target: target.id, frames, fields, options };
    const ctl = { onProgress: (d: number, t: number) => bar.update(d, t), signal: controller.signal };
    const t0 = Date.now();
    const written: { path: string; bytes: number; note?: string }[] = [];
    if (target.id === 'hdf5') {
      // straight to disk: h5wasm's Node build uses the host file system
      const h5 = await import('h5wasm/node');
      const { writeHdf5File } = await import('../src/export/hdf5');
      const { baseName } = await import('../src/export/job');
      const name = typeof options.name === 'string' ? options.name : undefined;
      const path = join(outDir, `${baseName(source, name)}.nc`);
      await writeHdf5File(h5 as unknown as typeof import('h5wasm'), path, source, job, ctl);
      written.push({ path, bytes: (await stat(path)).size });
    } else if (target.id === 'zarr' && options.store === 'folder') {
      // a Zarr folder store: every chunk its own file under <out>/<name>.zarr/, nothing held in memory
      const { exportDatasetTo } = await import('../src/export/index');
      const out = await exportDatasetTo(source, job, ctl, { folder: nodeFolder(outDir) });
      for (const f of out) written.push({ path: join(outDir, f.path), bytes: 'size' in f ? f.size : 0, note: f.note });
    } else {
      const files = await exportDataset(source, job, ctl);
      for (const f of files) {
        const p = join(outDir, f.path);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, f.bytes);
        written.push({ path: p, bytes: f.bytes.length, note: (f as { note?: string }).note });
      }
    }
    bar.end();
    const total = written.reduce((s, f) => s + f.bytes, 0);
    const frameCount = frames?.length ?? source.frames.length;
    process.stdout.write(
      `${source.format} ${source.name} → ${target.id}: ${frameCount} frames, ${written.length} file${written.length === 1 ? '' : 's'}, ${(total / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    for (const f of written) process.stdout.write(`  ${f.path}${f.note ? `  (${f.note})` : ''}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`convert: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (isAbort(e)) {
      process.stderr.write('\nconvert: interrupted\n');
      return 130;
    }
    const err = e as Error;
    process.stderr.write(`\nconvert: ${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSig);
    source?.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
