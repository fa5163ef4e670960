/**
 * Motif out-of-process extra data in HDF5 (`NNNNNN.extra_data.h5`, formats/imgstore.md §7.2),
 * turned into rows the way imgstore's motif_extra_data_h5_to_df does: for every dataset named in
 * the root attribute `datasets` (shape (n_columns, n_samples), column names in its `column_names`
 * attribute), one row per sample with those columns, then every field of the `camera` compound
 * dataset, then `sample_delay`; samples whose camera.frame_number < 0 (pre-allocated, unused) are
 * dropped. The `samplerate` attribute of the single named dataset is returned too.
 */
import { FormatError } from '../errors';
import type { SourceFile } from '../types';
import { openH5, type H5Value } from './hdf5-lite';

const MAX_H5_BYTES = 512 << 20;

const text = (v: H5Value | undefined): string => (Array.isArray(v) ? v.map(String).join(',') : v === undefined ? '' : String(v));

export async function readMotifH5(file: SourceFile): Promise<{ rows: Record<string, unknown>[]; samplerate?: number }> {
  if (file.size > MAX_H5_BYTES) throw new FormatError('imgstore', file.path, `HDF5 extra-data file of ${file.size} bytes is too large`);
  const bytes = await file.read(0, file.size);
  const h5 = openH5(bytes, file.path);
  const names = text(h5.rootAttrs.datasets)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!h5.names.includes('camera')) throw new FormatError('imgstore', file.path, "Motif extra data: no 'camera' dataset");
  const camera = h5.dataset('camera');
  if (camera.type.cls !== 'compound') throw new FormatError('imgstore', file.path, "Motif extra data: 'camera' is not a compound dataset");
  const cam = camera.read() as Record<string, H5Value>[];
  const n = cam.length;
  const cols: { name: string; values: H5Value[] }[] = [];
  let samplerate: number | undefined;
  for (const dn of names) {
    if (!h5.names.includes(dn)) throw new FormatError('imgstore', file.path, `Motif extra data: dataset '${dn}' named in 'datasets' is missing`);
    const ds = h5.dataset(dn);
    const vals = ds.read();
    const colNames = text(ds.attrs.column_names)
      .split(',')
      .map((s) => s.trim());
    const nc = ds.shape.length === 2 ? ds.shape[0] : 1;
    const ns = ds.shape.length === 2 ? ds.shape[1] : ds.shape[0] ?? 0;
    if (ns !== n) throw new FormatError('imgstore', file.path, `Motif extra data: '${dn}' has ${ns} samples but 'camera' has ${n}`);
    for (let c = 0; c < nc; c++) cols.push({ name: colNames[c] || `${dn}_${c}`, values: vals.slice(c * ns, (c + 1) * ns) });
    if (names.length === 1 && typeof ds.attrs.samplerate === 'number') samplerate = ds.attrs.samplerate;
    else if (names.length === 1 && Array.isArray(ds.attrs.samplerate) && typeof ds.attrs.samplerate[0] === 'number') samplerate = ds.attrs.samplerate[0];
  }
  const camFields = camera.type.members!.map((m) => m.name);
  let delay: H5Value[] | null = null;
  if (h5.names.includes('sample_delay')) {
    delay = h5.dataset('sample_delay').read();
    if (delay.length !== n) throw new FormatError('imgstore', file.path, `Motif extra data: 'sample_delay' has ${delay.length} samples but 'camera' has ${n}`);
  }
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    if (Number(cam[i].frame_number) < 0) continue;
    const r: Record<string, unknown> = {};
    for (const c of cols) r[c.name] = c.values[i];
    for (const f of camFields) r[f] = cam[i][f];
    if (delay) r.sample_delay = delay[i];
    rows.push(r);
  }
  return samplerate === undefined ? { rows } : { rows, samplerate };
}
