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
 * Read-ahead for one file: a read that starts where the last one ended (within one block) doubles the
 * window, up to the limit; a jump resets it.
 */
export class ReadAhead {
  private lastEnd = -1;
  private window = 0;
  next(start: number, end: number, blockBytes: number, maxBytes: number): number {
    const sequential = this.lastEnd >= 0 && start >= this.lastEnd - blockBytes && start <= this.lastEnd + blockBytes;
    this.window = sequential ? Math.min(maxBytes, Math.max(blockBytes, this.window * 2)) : 0;
    this.lastEnd = end;
    return this.window;
  }
}
