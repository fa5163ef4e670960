/**
 * Fuzz worker thread: loads the seeds once, then runs the cases it is sent, one at a time, and
 * answers with the plan (so the main thread can write a reproducer) and the outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { byReader, mutatedFiles, planCase, runCase, type CasePlan } from './case';
import type { Patch } from './mutate';
import { loadSeeds, type ReaderName } from './seeds';

export interface WorkerInit {
  fixtures: string;
  readers: ReaderName[];
  fuzzSeed: number;
}
export type WorkerRequest = { caseNo: number; patches?: Patch[] };
export type WorkerReply = { caseNo: number; plan: CasePlan; outcome: Awaited<ReturnType<typeof runCase>>; ms: number } | { ready: true; seeds: number };

const init = workerData as WorkerInit;
const seeds = await loadSeeds(init.fixtures, init.readers);
const groups = byReader(seeds);
const byId = new Map(seeds.map((s) => [s.id, s]));
parentPort!.postMessage({ ready: true, seeds: seeds.length } satisfies WorkerReply);

// a rejection nobody awaits (a reader's stray promise) must not kill the worker silently
process.on('unhandledRejection', () => undefined);

parentPort!.on('message', async (req: WorkerRequest) => {
  let plan: CasePlan;
  try {
    plan = planCase(groups, init.readers, init.fuzzSeed, req.caseNo);
  } catch (e) {
    // a fault of the fuzzer itself, reported as such (never counted as the reader's)
    plan = { caseNo: req.caseNo, seedId: '', reader: init.readers[req.caseNo % init.readers.length], file: '', patches: [] };
    const outcome = { kind: 'error' as const, name: 'FuzzerPlanError', message: String((e as Error)?.message ?? e), stack: (e as Error)?.stack ?? '' };
    parentPort!.postMessage({ caseNo: req.caseNo, plan, outcome, ms: 0 } satisfies WorkerReply);
    return;
  }
  if (req.patches) plan.patches = req.patches;
  const seed = byId.get(plan.seedId)!;
  const t0 = performance.now();
  const outcome = await runCase(seed, mutatedFiles(seed, plan));
  parentPort!.postMessage({ caseNo: req.caseNo, plan, outcome, ms: performance.now() - t0 } satisfies WorkerReply);
});
