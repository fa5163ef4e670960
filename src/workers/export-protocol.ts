/** Messages between the main thread (export-client.ts) and the export worker (export-worker.ts). */
import type { WireError } from '../core/errors';
import type { ExportJob, ExportOutput, ExportStage } from '../export/job';
import type { ExportPreview } from '../export/preview';
import type { ComparisonJob } from '../export/compare-job';
import type { DirectoryLike } from '../export/job';
import type { TreeSpec } from '../io/spec';
import type { ComputedDataset } from './memory-source';

/** One dataset the worker opens: its files and scene, and a key naming it (a preview worker keeps it open). */
export interface DatasetRef {
  spec: TreeSpec;
  scene: number;
  key: string;
}

export interface ExportRequest extends DatasetRef {
  op: 'run' | 'preview';
  job: ExportJob;
  /** a dataset computed in the viewer (time statistics): its frames travel with the request instead of being re-opened from `spec` */
  computed?: ComputedDataset;
  /** zarr with store = folder: the folder to write into (a picked FileSystemDirectoryHandle, or an OPFS one) */
  folder?: DirectoryLike;
}

export type ExportMessage =
  | { type: 'progress'; done: number; total: number; stage: ExportStage }
  | { type: 'done'; files: ExportOutput[] }
  | { type: 'preview'; preview: ExportPreview }
  | { type: 'compare-preview'; png: Uint8Array; width: number; height: number }
  | { type: 'error'; error: WireError };

/** A comparison: every panel's dataset opened, the planned grid drawn (op 'compare-preview': the first frame only). */
export interface CompareRequest {
  op: 'compare' | 'compare-preview';
  datasets: DatasetRef[];
  job: ComparisonJob;
}

export type ExportWorkerInput = ExportRequest | CompareRequest | { op: 'cancel' };
