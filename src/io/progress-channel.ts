/**
 * Progress of remote trees opened in workers, to the page: bytes and requests per URL on a
 * BroadcastChannel (no change to the worker protocol). Posts are throttled to ~10 per second.
 */
export const REMOTE_PROGRESS_CHANNEL = 'framescope-remote-progress';

export interface RemoteProgress {
  url: string;
  bytes: number;
  requests: number;
}

let channel: BroadcastChannel | null | undefined;

/** Pages and workers only: in Node an open channel would keep the process alive, and nobody listens. */
function inBrowser(): boolean {
  const g = globalThis as { window?: unknown; WorkerGlobalScope?: unknown };
  return (g.window !== undefined || g.WorkerGlobalScope !== undefined) && typeof BroadcastChannel !== 'undefined';
}

function getChannel(): BroadcastChannel | null {
  if (channel !== undefined) return channel;
  channel = inBrowser() ? new BroadcastChannel(REMOTE_PROGRESS_CHANNEL) : null;
  return channel;
}

/** An onProgress callback that reports `url`'s progress on the channel. */
export function progressPoster(url: string): (bytes: number, requests: number) => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest: RemoteProgress = { url, bytes: 0, requests: 0 };
  const post = () => {
    timer = null;
    last = Date.now();
    getChannel()?.postMessage(latest);
  };
  return (bytes, requests) => {
    latest = { url, bytes, requests };
    if (timer) return;
    const wait = Math.max(0, 100 - (Date.now() - last));
    if (wait === 0) post();
    else timer = setTimeout(post, wait);
  };
}

/** Listen to every remote tree's progress (the datasets store). Returns the unsubscribe function. */
export function onRemoteProgress(f: (p: RemoteProgress) => void): () => void {
  if (!inBrowser()) return () => undefined;
  const ch = new BroadcastChannel(REMOTE_PROGRESS_CHANNEL);
  ch.onmessage = (ev: MessageEvent<RemoteProgress>) => f(ev.data);
  return () => ch.close();
}
