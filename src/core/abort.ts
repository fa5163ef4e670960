/** The one abort helper: every cancellable request rejects with an Error named 'AbortError'. */

export class AbortError extends Error {
  constructor(message = 'aborted') {
    super(message);
    this.name = 'AbortError';
  }
}

export function abortError(message = 'aborted'): Error {
  return new AbortError(message);
}

export function isAbort(e: unknown): boolean {
  return !!e && typeof e === 'object' && (e as { name?: string }).name === 'AbortError';
}

/** Throw the signal's reason (when it is an Error) or an AbortError once the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, message?: string): void {
  if (!signal?.aborted) return;
  const r = signal.reason;
  throw r instanceof Error && isAbort(r) ? r : abortError(message);
}

/** A promise that rejects with an AbortError when the signal aborts (for Promise.race). */
export function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(abortError());
    else signal.addEventListener('abort', () => reject(abortError()), { once: true });
  });
}
