import { throwIfAborted as coreThrowIfAborted } from '../core/abort';
import type { FieldData, FieldInfo, FieldKind, Frame, FrameSource } from '../core/types';
import type { SyncFile } from './hdf5-sync-file';

/** What exportDataset is asked to do (DESIGN.md "Contracts"). */
export interface ExportJob {
  target: string;
  /** frame indices into source.frames, in output order (default: all) */
  frames?: number[];
  /** field names (default: every field the target can store) */
  fields?: string[];
  options?: Record<string, unknown>;
}

export interface ExportControl {
  /**
   * Progress in frames: `done` of `total` output frames of the current stage; `stage` says which
   * ('scan' = a first pass for colour limits or value ranges, 'write' = reading and writing the
   * frames; absent = 'write').
   */
  onProgress?(done: number, total: number, stage?: ExportStage): void;
  signal?: AbortSignal;
}

export type ExportStage = 'scan' | 'write';

/** One produced file. `note` tells the user what a lossy or rounded path did (error bound, GIF delay). */
export interface ExportedFile {
  path: string;
  bytes: Uint8Array;
  note?: string;
}

/**
 * Where a streaming writer puts a file that must not sit in memory (the hdf5 target): the export
 * worker's Origin Private File System (src/workers/opfs-disk.ts). `create` gives a synchronous
 * random-access handle; `finish` closes it and returns the file as a Blob backed by the disk.
 */
export interface ExportDisk {
  create(path: string): Promise<DiskFile>;
}
export interface DiskFile {
  handle: SyncFile;
  /** close the handle; the file as a disk-backed Blob */
  finish(): Promise<Blob>;
  /** close and delete (after a failure or a cancel) */
  discard(): Promise<void>;
}

/**
 * The part of the File System Access API's `FileSystemDirectoryHandle` a folder store needs: a
 * folder the user chose (`showDirectoryPicker`), an OPFS directory, or a Node adapter.
 */
export interface DirectoryLike {
  name?: string;
  getDirectoryHandle(name: string, o?: { create?: boolean }): Promise<DirectoryLike>;
  getFileHandle(
    name: string,
    o?: { create?: boolean },
  ): Promise<{ createWritable(): Promise<{ write(data: Uint8Array): Promise<void>; close(): Promise<void> }> }>;
}

/** A produced file that lives on disk (OPFS): the Blob reads from there, not from JS memory. */
export interface StoredFile {
  path: string;
  blob: Blob;
  note?: string;
}

/** A Zarr store written into a folder the user chose (the folder is the result: nothing to save). */
export interface FolderResult {
  path: string;
  folder: true;
  files: number;
  size: number;
  note?: string;
}

/** What an export in the worker produces: bytes in memory, a file on disk, or a written folder. */
export type ExportOutput = ExportedFile | StoredFile | FolderResult;

export const outputSize = (f: ExportOutput): number => ('bytes' in f ? f.bytes.length : 'blob' in f ? f.blob.size : f.size);

import { ExportError } from '../core/errors';
export { ExportError };

export function throwIfAborted(signal: AbortSignal | undefined): void {
  coreThrowIfAborted(signal, 'export cancelled');
}

export function resolveFrames(source: FrameSource, job: Pick<ExportJob, 'target' | 'frames'>): number[] {
  const n = source.frames.length;
  const frames = job.frames ?? source.frames.map((_, i) => i);
  for (const i of frames) {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new ExportError(job.target, `frame index ${i} is outside 0…${n - 1}`);
  }
  if (!frames.length) throw new ExportError(job.target, 'no frames selected');
  return frames;
}

/**
 * The fields to export (the one field-selection rule of every target): the job's list (each must
 * exist and be of an accepted kind), else every field of an accepted kind that passes `filter`.
 * With `skipSubFields`, a default selection leaves out sub-fields (`frame0/U0`, `velocity/x`) whose
 * parent field is exported too. Throws when nothing is left.
 */
export function resolveFields(
  source: FrameSource,
  job: Pick<ExportJob, 'target' | 'fields'>,
  kinds: FieldKind[],
  filter?: (f: FieldInfo) => boolean,
  opts: { skipSubFields?: boolean; what?: string } = {},
): FieldInfo[] {
  const what = opts.what ?? `this target stores ${kinds.join('/')} fields`;
  if (job.fields?.length) {
    return job.fields.map((name) => {
      const f = source.fields.find((x) => x.name === name);
      if (!f) throw new ExportError(job.target, `field “${name}” is not in this dataset (has ${source.fields.map((x) => x.name).join(', ')})`);
      if (!kinds.includes(f.kind)) throw new ExportError(job.target, `field “${name}” is ${f.kind}; ${what}`);
      return f;
    });
  }
  const names = new Set(source.fields.map((f) => f.name));
  const isSub = (f: FieldInfo) => f.name.includes('/') && names.has(f.name.slice(0, f.name.lastIndexOf('/')));
  const all = source.fields.filter((f) => kinds.includes(f.kind) && (!filter || filter(f)) && !(opts.skipSubFields && isSub(f)));
  if (!all.length) throw new ExportError(job.target, `this dataset has no ${kinds.join(' or ')} field to export`);
  return all;
}

/**
 * Read the frames one after the other (never more than one in memory here), checking the abort
 * signal between frames and reporting progress (in frames of this stage) after each.
 */
export async function eachFrame(
  source: FrameSource,
  frames: number[],
  ctl: ExportControl | undefined,
  fn: (frame: Frame, k: number) => void | Promise<void>,
  stage: ExportStage = 'write',
): Promise<void> {
  for (let k = 0; k < frames.length; k++) {
    throwIfAborted(ctl?.signal);
    const frame = await source.readFrame(frames[k], { signal: ctl?.signal });
    await fn(frame, k);
    ctl?.onProgress?.(k + 1, frames.length, stage);
  }
  throwIfAborted(ctl?.signal);
}

export function fieldOf(frame: Frame, name: string, target: string): FieldData {
  const f = frame.fields[name];
  if (!f) throw new ExportError(target, `field “${name}” is missing in frame ${frame.info.number} (index ${frame.info.index})`);
  return f;
}

/** A file-system-safe base name: the option, else the source name without extension. */
export function baseName(source: FrameSource, option: unknown, fallback = 'export'): string {
  const raw = typeof option === 'string' && option.trim() ? option.trim() : source.name.replace(/\.[A-Za-z0-9]{1,5}$/, '') || fallback;
  const safe = raw.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/^\.+/, '');
  return safe || fallback;
}

export function pad6(n: number): string {
  return String(n).padStart(6, '0');
}

/** Number of cells of a field shape ([nx], [ny, nx], [nz, ny, nx]; rgb without its trailing 3). */
export function cellCount(f: { kind: FieldKind; shape: number[] }): number {
  const s = f.kind === 'rgb' ? f.shape.slice(0, -1) : f.shape;
  return s.reduce((a, b) => a * b, 1);
}

export function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Min and max over valid (unmasked, finite) samples of one or more arrays. */
export function validRange(
  arrays: (ArrayLike<number> | undefined)[],
  mask: Uint8Array | undefined,
  into: [number, number] = [Infinity, -Infinity],
): [number, number] {
  for (const a of arrays) {
    if (!a) continue;
    for (let i = 0; i < a.length; i++) {
      if (mask?.[i]) continue;
      const x = a[i];
      if (!Number.isFinite(x)) continue;
      if (x < into[0]) into[0] = x;
      if (x > into[1]) into[1] = x;
    }
  }
  return into;
}
