/**
 * Motif out-of-process extra data in HDF5 (`NNNNNN.extra_data.h5`, formats/imgstore.md §7.2),
 * read with h5wasm (the HDF5 C library in WebAssembly, so every HDF5 layout h5py writes opens) and
 * turned into rows the way imgstore's motif_extra_data_h5_to_df does: for every dataset named in
 * the root attribute `datasets` (shape (n_columns, n_samples), column names in its `column_names`
 * attribute), one row per sample with those columns, then every field of the `camera` compound
 * dataset, then `sample_delay`; samples whose camera.frame_number < 0 (pre-allocated, unused) are
 * dropped. The `samplerate` attribute of the single named dataset is returned too.
 */
import type { Dataset, File as H5File } from 'h5wasm';
import { FormatError } from '../errors';
import type { SourceFile } from '../types';

const MAX_H5_BYTES = 512 << 20;
const MAX_ELEMENTS = 1 << 27;

type Value = number | string;

const scalar = (v: unknown): Value =>
  typeof v === 'bigint' ? Number(v) : typeof v === 'number' || typeof v === 'string' ? v : typeof v === 'boolean' ? Number(v) : String(v);
const list = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<unknown>) : v === undefined || v === null ? [] : [v];
const text = (v: unknown): string =>
  list(v)
    .map((x) => String(scalar(x)))
    .join(',');

let seq = 0;

export async function readMotifH5(file: SourceFile): Promise<{ rows: Record<string, unknown>[]; samplerate?: number }> {
  if (file.size > MAX_H5_BYTES) throw new FormatError('imgstore', file.path, `HDF5 extra-data file of ${file.size} bytes is too large`);
  const bytes = await file.read(0, file.size);
  const fail = (reason: string): never => {
    throw new FormatError('imgstore', file.path, reason);
  };
  const h5 = await import('h5wasm');
  const { FS } = await h5.ready;
  const tmp = `/framescope-motif-${Date.now()}-${seq++}.h5`;
  FS.writeFile(tmp, bytes);
  let f: H5File | null = null;
  try {
    f = new h5.File(tmp, 'r');
    if (f.file_id < 0n) fail('HDF5: not a readable HDF5 file (no valid superblock, or truncated)');
    const file5 = f;
    const keys = file5.keys();
    const get = (name: string): Dataset => {
      const d = file5.get(name);
      if (!(d instanceof h5.Dataset)) fail(`Motif extra data: '${name}' is not a dataset`);
      const ds = d as Dataset;
      const n = ds.shape?.reduce((a, b) => a * b, 1) ?? 0;
      if (n > MAX_ELEMENTS) fail(`Motif extra data: '${name}' has ${n} elements (more than ${MAX_ELEMENTS})`);
      return ds;
    };
    const names = text(file5.attrs.datasets?.value)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!keys.includes('camera')) fail("Motif extra data: no 'camera' dataset");
    const camera = get('camera');
    const members = camera.metadata.compound_type?.members.map((m) => m.name);
    if (!members) fail("Motif extra data: 'camera' is not a compound dataset");
    const camRows = list(camera.value) as unknown[][];
    const n = camRows.length;
    const cols: { name: string; values: Value[] }[] = [];
    let samplerate: number | undefined;
    for (const dn of names) {
      if (!keys.includes(dn)) fail(`Motif extra data: dataset '${dn}' named in 'datasets' is missing`);
      const ds = get(dn);
      const vals = list(ds.value).map(scalar);
      const colNames = text(ds.attrs.column_names?.value)
        .split(',')
        .map((s) => s.trim());
      const shape = ds.shape ?? [];
      const nc = shape.length === 2 ? shape[0] : 1;
      const ns = shape.length === 2 ? shape[1] : (shape[0] ?? 0);
      if (ns !== n) fail(`Motif extra data: '${dn}' has ${ns} samples but 'camera' has ${n}`);
      for (let c = 0; c < nc; c++) cols.push({ name: colNames[c] || `${dn}_${c}`, values: vals.slice(c * ns, (c + 1) * ns) });
      const sr = list(ds.attrs.samplerate?.value).map(scalar)[0];
      if (names.length === 1 && typeof sr === 'number') samplerate = sr;
    }
    let delay: Value[] | null = null;
    if (keys.includes('sample_delay')) {
      delay = list(get('sample_delay').value).map(scalar);
      if (delay.length !== n) fail(`Motif extra data: 'sample_delay' has ${delay.length} samples but 'camera' has ${n}`);
    }
    const rows: Record<string, unknown>[] = [];
    const fn = members!.indexOf('frame_number');
    for (let i = 0; i < n; i++) {
      const rec = list(camRows[i]).map(scalar);
      if (fn >= 0 && Number(rec[fn]) < 0) continue;
      const r: Record<string, unknown> = {};
      for (const c of cols) r[c.name] = c.values[i];
      members!.forEach((m, k) => (r[m] = rec[k]));
      if (delay) r.sample_delay = delay[i];
      rows.push(r);
    }
    return samplerate === undefined ? { rows } : { rows, samplerate };
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError('imgstore', file.path, `HDF5: cannot read the file (${(e as Error).message})`);
  } finally {
    try {
      if (f && f.file_id >= 0n) f.close();
    } catch {
      /* already closed */
    }
    FS.unlink(tmp);
  }
}
