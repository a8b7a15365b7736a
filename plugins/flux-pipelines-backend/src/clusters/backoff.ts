/** Reconnect delays: capped exponential backoff with full jitter. */
export interface BackoffOptions {
  /** First delay; default 500 ms. */
  initialMs?: number;
  /** Longest delay; default 30 s. */
  maxMs?: number;
}

/**
 * The delay before retry number `attempt` (0-based): a random value between half
 * and all of `min(max, initial * 2^attempt)`. A server's Retry-After wins when
 * it is longer, still capped by `maxMs`.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  const jittered = ceiling / 2 + (random() * ceiling) / 2;
  return Math.min(max, Math.max(jittered, retryAfterMs ?? 0));
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
