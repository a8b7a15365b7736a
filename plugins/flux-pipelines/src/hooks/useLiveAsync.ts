import { useSignal } from '@backstage/plugin-signals-react';
import { FLUX_PIPELINES_SIGNAL_CHANNEL } from '@flux-pipelines/plugin-flux-pipelines-common';
import { DependencyList, useEffect, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/** How often to poll when the app has no signals. */
export const POLL_INTERVAL_MS = 15_000;

/**
 * A burst of signals (a rollout touches many targets) causes one reload, this
 * long after the last of them.
 */
export const SIGNAL_DEBOUNCE_MS = 250;

/**
 * Loads something from the backend and keeps it current: reloaded on every
 * message on the flux-pipelines signals channel (`deployments-changed`,
 * `promotion-changed`, `pipelines-changed`; a burst of them causes one reload), or polled when
 * signals are not available. The
 * previous value stays on screen while a reload runs, so nothing flickers.
 */
export function useLiveAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  enabled: boolean = true,
  /** How long after the last signal of a burst to reload. */
  debounceMs: number = SIGNAL_DEBOUNCE_MS,
) {
  const state = useAsyncRetry(load, deps);
  const { lastSignal, isSignalsAvailable } = useSignal(
    FLUX_PIPELINES_SIGNAL_CHANNEL,
  );
  const { retry, loading } = state;

  // react-use ignores retry() while a load runs; a signal that arrives then
  // is remembered and reloads once the running load is done.
  const latest = useRef({ retry, loading });
  latest.current = { retry, loading };
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (!lastSignal || !enabled) return undefined;
    const timer = setTimeout(() => {
      if (latest.current.loading) setPending(true);
      else latest.current.retry();
    }, debounceMs);
    return () => clearTimeout(timer);
  }, [lastSignal, enabled, debounceMs]);

  useEffect(() => {
    if (pending && !loading) {
      setPending(false);
      retry();
    }
  }, [pending, loading, retry]);

  useEffect(() => {
    if (isSignalsAvailable || !enabled) return undefined;
    const timer = setInterval(retry, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [isSignalsAvailable, enabled, retry]);

  return state;
}
