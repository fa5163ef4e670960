/**
 * imgstore (loopbio / Motif) reader: metadata.yaml + chunks (directory chunks of image files, or
 * one video per chunk) + per-chunk frame indexes + extra data. See formats/imgstore.md.
 *
 * The returned FrameSource has, beyond the contract:
 *  - `indexOfNumber(number, mode)`: frame_number → frame_index, 'exact' (−1 when absent, where
 *    imgstore raises ValueError) or 'nearest' (imgstore's get_image(n, exact_only=False));
 *  - `verifyChunks()`: (video stores) open every chunk video now and compare its decodable frame
 *    count with its index; mismatches are appended to `warnings` (otherwise that happens lazily
 *    when a chunk is first read);
 *  - `table`: the FrameTable (frame_number / frame_time / chunk / row per frame_index).
 * `warnings` is a live array: chunk problems found while reading are appended to it.
 */
import { FormatError } from '../errors';
import type { Frame, FrameSource, SourceFile, SourceTree } from '../types';
import { discoverChunks, loadChunkIndex, type ChunkIndex, type ChunkLayout } from './chunk-index';
import { decodeFrameFile } from './dir-store';
import { extraSeries, readExtraData } from './extra-data';
import { FrameTable } from './frame-table';
import { formatEpochInZone, parseStoreMetadata, type StoreMetadata } from './metadata';
import { toImageField, type Pixels } from './pixels';
import { storeYamlCandidates } from './sniff';
import { VideoChunks, type VideoChunkRef } from './video-store';

export interface ImgstoreSource extends FrameSource {
  indexOfNumber(number: number, mode?: 'exact' | 'nearest'): number;
  verifyChunks(signal?: AbortSignal): Promise<string[]>;
  readonly table: FrameTable;
  warnings: string[];
}

const INDEX_CONCURRENCY = 8;
const MAX_YAML = 16 << 20;

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function rel(files: SourceFile[], root: string): SourceFile[] {
  if (!root) return files;
  const p = root + '/';
  return files.filter((f) => f.path.startsWith(p)).map((f) => ({ ...f, path: f.path.slice(p.length), read: f.read.bind(f) }));
}

const pad6 = (n: number) => String(n).padStart(6, '0');

export async function open(tree: SourceTree): Promise<ImgstoreSource> {
  const cands = storeYamlCandidates(tree);
  if (!cands.length)
    throw new FormatError('imgstore', tree.name, 'no metadata.yaml in the dropped files (an imgstore folder holds metadata.yaml and its chunks)');
  const yamlFile = cands[0];
  if (yamlFile.size > MAX_YAML) throw new FormatError('imgstore', yamlFile.path, `metadata.yaml of ${yamlFile.size} bytes is too large`);
  const yamlBytes = await yamlFile.read(0, yamlFile.size);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(yamlBytes);
  } catch {
    throw new FormatError('imgstore', yamlFile.path, 'metadata.yaml is not UTF-8 text');
  }
  const meta = parseStoreMetadata(text, yamlFile.path);
  const root = yamlFile.path.includes('/') ? yamlFile.path.slice(0, yamlFile.path.lastIndexOf('/')) : '';
  const files = rel(tree.files, root);
  const prefix = root ? root + '/' : '';
  const warnings: string[] = [];
  const warnOnce = new Set<string>();
  const warn = (m: string) => {
    if (warnOnce.has(m)) return;
    warnOnce.add(m);
    warnings.push(m);
  };
  if (cands.length > 1 && cands[1].path.split('/').length === yamlFile.path.split('/').length)
    warn(`several stores in the dropped files: opened ${yamlFile.path}`);
  if (files.some((f) => f.path === '.lock')) warn('.lock present: the store is being written or was not closed cleanly (the last chunk may be incomplete)');

  // ---- chunks and indexes
  const chunks = discoverChunks(files, meta, warnings);
  const loaded = await mapLimit(chunks, INDEX_CONCURRENCY, async (c): Promise<{ c: ChunkLayout; idx: ChunkIndex | null; err?: FormatError }> => {
    if (!c.indexFile) return { c, idx: null };
    try {
      return { c, idx: await loadChunkIndex(c.indexFile) };
    } catch (e) {
      const fe = e instanceof FormatError ? e : new FormatError('imgstore', c.indexFile.path, String((e as Error).message ?? e));
      return { c, idx: null, err: fe };
    }
  });
  const failures = loaded.filter((l) => l.err);
  for (const l of loaded) {
    const where = meta.cls === 'DirectoryImgStore' ? `chunk ${prefix}${l.c.name}/` : `chunk ${l.c.name}`;
    if (l.err) warn(`${where}: index unreadable, chunk skipped: ${l.err.message}`);
    else if (!l.c.indexFile && (l.c.video || l.c.images.size))
      warn(
        `${where}: no index file (${meta.cls === 'DirectoryImgStore' ? 'index.npz' : l.c.name + '.npz'}), ${l.c.images.size ? l.c.images.size + ' image(s)' : 'its video'} skipped (unfinished recording?)`,
      );
  }
  const good = loaded.filter((l) => l.idx) as { c: ChunkLayout; idx: ChunkIndex }[];
  if (!good.length && failures.length) throw failures[0].err!;
  if (chunks.length) {
    const have = new Set(chunks.map((c) => c.chunk));
    const max = chunks[chunks.length - 1].chunk;
    const missing: number[] = [];
    for (let k = 0; k < max && missing.length <= 20; k++) if (!have.has(k)) missing.push(k);
    if (missing.length)
      warn(
        `missing chunk(s) ${missing.slice(0, 20).map(pad6).join(', ')}${missing.length > 20 ? ', …' : ''} (imgstore's sequential reading stops at the first gap)`,
      );
  }

  const table = new FrameTable(good.map(({ c, idx }) => ({ chunk: c.chunk, frameNumber: idx.frameNumber, frameTime: idx.frameTime })));
  const layoutOf = new Map(good.map(({ c }) => [c.chunk, c]));
  const emptyChunks = good.filter(({ idx }) => idx.frameNumber.length === 0).map(({ c }) => c.chunk);

  // ---- per-class checks and frame access
  let video: VideoChunks | null = null;
  if (meta.cls === 'DirectoryImgStore') {
    for (const { c, idx } of good) {
      const rows = idx.frameNumber.length;
      if (!rows) continue;
      let missing = 0;
      for (let r = 0; r < rows; r++) if (!c.images.has(r)) missing++;
      if (missing) warn(`chunk ${prefix}${c.name}/: ${missing} of ${rows} indexed image file(s) missing (those frames cannot be shown)`);
      const empty = [...c.images.entries()].filter(([r, f]) => r < rows && f.size === 0).map(([r]) => r);
      if (empty.length)
        warn(
          `chunk ${prefix}${c.name}/: ${empty.length} image file(s) are empty (${empty
            .slice(0, 5)
            .map((r) => pad6(r) + '.' + meta.extension)
            .join(', ')}${empty.length > 5 ? ', …' : ''}): those frames cannot be shown`,
        );
      const extra = [...c.images.keys()].filter((r) => r >= rows).length;
      if (extra) warn(`chunk ${prefix}${c.name}/: ${extra} image file(s) beyond the ${rows} indexed frames ignored`);
    }
  } else {
    const refs = new Map<number, VideoChunkRef>();
    for (const { c, idx } of good) {
      if (!idx.frameNumber.length) continue;
      if (!c.video) {
        warn(`chunk ${c.name}: index present but the video ${c.name}${meta.extension} is missing (those frames cannot be shown)`);
        continue;
      }
      if (c.video.size === 0) warn(`${prefix}${c.video.path}: empty video file (those frames cannot be shown)`);
      refs.set(c.chunk, { chunk: c.chunk, file: c.video, rows: idx.frameNumber.length });
    }
    video = new VideoChunks(refs, warn);
  }

  // ---- extra data
  const extra = await readExtraData(
    files,
    meta,
    chunks.map((c) => c.name),
    warn,
  );

  const summary = table.summary();
  const shape = meta.imgshape ? videoShape(meta) : null;
  const fieldShape = shape ? (meta.isColor ? [shape[0], shape[1], 3] : [shape[0], shape[1]]) : meta.isColor ? [0, 0, 3] : [0, 0];
  const dropped = table.droppedFrames(100);
  const interval = table.medianFrameInterval();
  const metadata: Record<string, unknown> = {
    format: 'imgstore',
    class: meta.cls,
    store_class: meta.storeClass,
    store_format: meta.format,
    store: meta.store,
    user: meta.user,
    frame_count: summary.frame_count,
    frame_min: summary.frame_min,
    frame_max: summary.frame_max,
    frame_time_min: summary.frame_time_min,
    frame_time_max: summary.frame_time_max,
    duration: summary.duration,
    chunks: summary.chunks,
    empty_chunks: emptyChunks,
    chunksize: meta.chunksize,
    image_shape: meta.imgshape ? (meta.encoding ? [meta.imgshape[0], meta.imgshape[1], 3] : meta.imgshape) : null,
    lossless: meta.cls === 'DirectoryImgStore' ? meta.format !== 'jpg' : false,
    encoding: meta.encoding,
    uuid: meta.uuid,
    created_utc: meta.createdUtc,
    created: meta.createdUtc ? formatEpochInZone(Date.parse(meta.createdUtc) / 1000, meta.displayTimezone) : null,
    timezone: meta.displayTimezone,
    timezone_local: meta.timezoneLocal,
    frame_time_start: formatEpochInZone(summary.frame_time_min, meta.displayTimezone),
    dropped_frames: dropped,
    fps_estimate: interval ? 1 / interval : null,
    extra_data: extra,
  };
  if (extra?.samplerate !== undefined) metadata.extra_data_samplerate = extra.samplerate;

  const policy = { isColor: meta.isColor, encoding: meta.encoding, raw: meta.format === 'npy' };
  let closed = false;

  const readPixels = async (chunk: number, row: number, signal?: AbortSignal): Promise<{ px: Pixels; file: string }> => {
    if (meta.cls === 'DirectoryImgStore') {
      const c = layoutOf.get(chunk)!;
      const f = c.images.get(row);
      const path = `${prefix}${c.name}/${pad6(row)}.${meta.extension}`;
      if (!f) throw new FormatError('imgstore', path, 'image file missing (listed in the chunk index)');
      try {
        return { px: await decodeFrameFile(f, meta.format), file: prefix + f.path };
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        const fe = e.path.startsWith(prefix) ? e : new FormatError(e.format, prefix + e.path, e.reason, e.offset);
        // a damaged frame file: the store stays open, the frame fails, and the warning list says which
        warn(`chunk ${prefix}${c.name}/: frame file ${pad6(row)}.${meta.extension} is damaged (${fe.reason}); that frame cannot be shown`);
        throw fe;
      }
    }
    const px = await video!.readRow(chunk, row, signal);
    return { px, file: prefix + layoutOf.get(chunk)!.video!.path };
  };

  const frameOf = (index: number, px: Pixels, file: string): Frame => {
    const t = table.times[index];
    return {
      info: { index, number: table.numbers[index], time: Number.isFinite(t) ? t : null },
      fields: { image: toImageField(px, policy, warn) },
      attributes: {
        frame_index: index,
        frame_number: table.numbers[index],
        frame_time: t,
        datetime: formatEpochInZone(t, meta.displayTimezone),
        timezone: meta.displayTimezone,
        chunk: table.chunkOf[index],
        row: table.rowOf[index],
        file,
      },
    };
  };

  const source: ImgstoreSource = {
    format: 'imgstore',
    name: root ? root.split('/').pop()! : tree.name,
    frames: table.frames(),
    fields: [{ name: 'image', kind: meta.isColor ? 'rgb' : 'scalar', shape: fieldShape, unit: '' }],
    metadata,
    timeUnit: 's',
    warnings,
    table,
    series: extra ? extraSeries(extra) : [],
    async readFrame(index: number, opts?: { signal?: AbortSignal }): Promise<Frame> {
      if (closed) throw new Error('imgstore: source closed');
      if (!Number.isInteger(index) || index < 0 || index >= table.length)
        throw new RangeError(`imgstore: frame_index ${index} out of range 0..${table.length - 1}`);
      opts?.signal?.throwIfAborted();
      const chunk = table.chunkOf[index];
      const row = table.rowOf[index];
      const { px, file } = await readPixels(chunk, row, opts?.signal);
      opts?.signal?.throwIfAborted();
      return frameOf(index, px, file);
    },
    ...(video && {
      async previewFrame(index: number, opts?: { signal?: AbortSignal }): Promise<Frame | null> {
        if (closed || !Number.isInteger(index) || index < 0 || index >= table.length) return null;
        const chunk = table.chunkOf[index];
        const near = await video!.nearbyRow(chunk, table.rowOf[index], opts?.signal).catch(() => null);
        if (!near || opts?.signal?.aborted) return null;
        // the store index of that row of the same chunk (rows of a chunk are consecutive in the table)
        const at = index + near.row - table.rowOf[index];
        if (at < 0 || at >= table.length || table.chunkOf[at] !== chunk || table.rowOf[at] !== near.row) return null;
        return frameOf(at, near.px, prefix + layoutOf.get(chunk)!.video!.path);
      },
      async warm(index: number, opts?: { signal?: AbortSignal }): Promise<void> {
        if (closed || !Number.isInteger(index) || index < 0 || index >= table.length) return;
        await video!.warmRow(table.chunkOf[index], table.rowOf[index], opts?.signal).catch(() => undefined);
      },
    }),
    nearestIndex(time: number): number {
      return table.nearestTime(time);
    },
    indexOfNumber(number: number, mode: 'exact' | 'nearest' = 'exact'): number {
      return table.indexOfNumber(number, mode);
    },
    async verifyChunks(signal?: AbortSignal): Promise<string[]> {
      if (video) await video.verifyAll(signal);
      return warnings;
    },
    close() {
      closed = true;
      video?.close();
    },
  };
  return source;
}

/** imgshape, with imgstore's read-side rounding down to even for its own video formats and Motif h264/nvenc. */
function videoShape(meta: StoreMetadata): number[] {
  const s = meta.imgshape!;
  if (meta.cls !== 'VideoImgStore') return s;
  const own = ['mjpeg', 'mjpeg/avi', 'avc1/mp4', 'h264/mkv'].includes(meta.format);
  if (own || /264|nvenc-/.test(meta.format)) return [s[0] - (s[0] % 2), s[1] - (s[1] % 2), ...s.slice(2)];
  return s;
}
