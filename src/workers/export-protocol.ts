/** Messages between the main thread (export-client.ts) and the export worker (export-worker.ts). */
import type { WireError } from '../core/errors';
import type { ExportedFile, ExportJob, ExportStage } from '../export/job';
import type { ExportPreview } from '../export/preview';
import type { TreeSpec } from '../io/spec';
import type { ComputedDataset } from './memory-source';

export interface ExportRequest {
  op: 'run' | 'preview';
  spec: TreeSpec;
  scene: number;
  /** identifies the dataset + scene: a preview worker keeps that source open between previews */
  key: string;
  job: ExportJob;
  /** a dataset computed in the viewer (time statistics): its frames travel with the request instead of being re-opened from `spec` */
  computed?: ComputedDataset;
}

export type ExportMessage =
  | { type: 'progress'; done: number; total: number; stage: ExportStage }
  | { type: 'done'; files: ExportedFile[] }
  | { type: 'preview'; preview: ExportPreview }
  | { type: 'error'; error: WireError };

export type ExportWorkerInput = ExportRequest | { op: 'cancel' };
