import { abortError } from '../core/abort';
import { remoteOptions } from './remote-options';

interface Host {
  active: number;
  queue: { start(): void; signal?: AbortSignal; cancel(): void }[];
}

const hosts = new Map<string, Host>();

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** Requests in flight and waiting for a host (tests and the bench look at it). */
export function hostLoad(url: string): { active: number; waiting: number } {
  const h = hosts.get(hostOf(url));
  return { active: h?.active ?? 0, waiting: h?.queue.length ?? 0 };
}

/**
 * Run `fn` once fewer than `remoteOptions.maxPerHost` requests to the same host are in flight
 * (first come, first served). Aborting the signal while waiting gives up the place in the queue.
 */
export async function withHostSlot<T>(url: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const key = hostOf(url);
  let h = hosts.get(key);
  if (!h) hosts.set(key, (h = { active: 0, queue: [] }));
  const host = h;
  if (host.active >= Math.max(1, remoteOptions.maxPerHost)) {
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const entry = {
        signal,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        cancel: () => reject(abortError()),
      };
      const onAbort = () => {
        const i = host.queue.indexOf(entry);
        if (i >= 0) host.queue.splice(i, 1);
        entry.cancel();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      host.queue.push(entry);
    });
  } else host.active++;
  try {
    return await fn();
  } finally {
    const next = host.queue.shift();
    if (next) next.start();
    else host.active--;
  }
}
