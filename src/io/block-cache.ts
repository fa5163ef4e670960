import { ByteLru } from '../core/byte-lru';
import { onRemoteOptions, remoteOptions } from './remote-options';

/**
 * The blocks of remote files this page or worker has fetched, bounded in bytes (the one ByteLru),
 * keyed by URL and block number. Every remote file shares it, so the budget holds for all of them.
 */
export const blockCache = new ByteLru<string, Uint8Array>(remoteOptions.cacheBytes);
onRemoteOptions((o) => (blockCache.maxBytes = o.cacheBytes));

export const blockKey = (url: string, block: number) => `${block}\u0000${url}`;

/** Forget every block of one URL (a file found changed on the server). */
export function dropBlocks(url: string): void {
  const tail = `\u0000${url}`;
  blockCache.deleteWhere((k) => k.endsWith(tail));
}

/** A run of blocks [first, last] fetched with one request. */
export interface BlockRun {
  first: number;
  last: number;
}

/**
 * Plan requests for the wanted blocks (any order, duplicates allowed): neighbours and blocks at most
 * `gapBlocks` apart share one request (the gap is fetched too: one round trip costs more than a few
 * kilobytes), and no run is longer than `maxBlocks`.
 */
export function planRuns(blocks: Iterable<number>, gapBlocks: number, maxBlocks: number): BlockRun[] {
  const sorted = [...new Set(blocks)].sort((a, b) => a - b);
  const runs: BlockRun[] = [];
  for (const b of sorted) {
    const r = runs[runs.length - 1];
    if (r && b - r.last - 1 <= gapBlocks && b - r.first < maxBlocks) r.last = b;
    else runs.push({ first: b, last: b });
  }
  return runs;
}

/**
 * Read-ahead for one file: reads that go on where the last one ended (within one block) make a
 * sequential run, and once the run held two blocks' worth before a read, as much again is fetched ahead
 * (up to the limit). A jump resets it, so the many tiny reads of a header walk fetch nothing extra.
 */
export class ReadAhead {
  private lastEnd = -1;
  private run = 0;
  next(start: number, end: number, blockBytes: number, maxBytes: number): number {
    const sequential = this.lastEnd >= 0 && start >= this.lastEnd - blockBytes && start <= this.lastEnd + blockBytes;
    this.lastEnd = end;
    if (!sequential) {
      this.run = end - start;
      return 0;
    }
    // what the run held before this read: one large probe read (an index at the head) fetches nothing extra
    const before = this.run;
    this.run += Math.max(0, end - start);
    return before >= 2 * blockBytes ? Math.min(maxBytes, before) : 0;
  }
}
