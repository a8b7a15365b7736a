import { useSignal } from '@backstage/plugin-signals-react';
import {
  FLUX_PIPELINES_SIGNAL_CHANNEL,
  FluxPipelinesSignal,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { DependencyList, useEffect, useMemo, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { SignalThrottle } from './SignalThrottle';

/** How often to poll when the app has no signals. */
export const POLL_INTERVAL_MS = 15_000;

/**
 * After a signal the page reloads at once; while signals keep coming (a
 * rollout touches many targets), at most once this often, and once more
 * after the last of them (see {@link SignalThrottle}).
 */
export const SIGNAL_THROTTLE_MS = 250;

/** How {@link useLiveAsync} keeps its value current. */
export interface LiveOptions<T> {
  /** Without it nothing reloads (default true). */
  enabled?: boolean;
  /** The least time between two reloads caused by signals. */
  throttleMs?: number;
  /** Whether a signal after a quiet spell reloads at once (default true). */
  leading?: boolean;
  /**
   * Whether a signal can change the value shown (default: every signal
   * can); a page ignores changes of what it does not show.
   */
  concerns?: (signal: FluxPipelinesSignal, shown: T | undefined) => boolean;
}

/**
 * Loads something from the backend and keeps it current: reloaded on the
 * messages on the flux-pipelines signals channel that concern it
 * (`deployments-changed`, `promotion-changed`, `pipelines-changed`; at once,
 * and a burst of them causes one more reload at its end), or polled when
 * signals are not available. The previous value stays on screen while a
 * reload runs, so nothing flickers.
 */
export function useLiveAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: LiveOptions<T> = {},
) {
  const {
    enabled = true,
    throttleMs = SIGNAL_THROTTLE_MS,
    leading = true,
  } = options;
  const state = useAsyncRetry(load, deps);
  const { lastSignal, isSignalsAvailable } = useSignal(
    FLUX_PIPELINES_SIGNAL_CHANNEL,
  );
  const { retry, loading, value } = state;

  // react-use ignores retry() while a load runs: the throttle waits for it.
  const latest = useRef({ retry, loading, value, concerns: options.concerns });
  latest.current = { retry, loading, value, concerns: options.concerns };
  const throttle = useMemo(
    () =>
      new SignalThrottle({
        intervalMs: throttleMs,
        leading,
        reload: () => latest.current.retry(),
        isLoading: () => latest.current.loading,
      }),
    [throttleMs, leading],
  );
  useEffect(() => () => throttle.dispose(), [throttle]);

  useEffect(() => {
    if (!lastSignal || !enabled) return;
    const { concerns, value: shown } = latest.current;
    const signal = lastSignal as unknown as FluxPipelinesSignal;
    if (!concerns || concerns(signal, shown)) throttle.signal();
  }, [lastSignal, enabled, throttle]);

  useEffect(() => {
    if (!loading) throttle.loadFinished();
  }, [loading, throttle]);

  useEffect(() => {
    if (isSignalsAvailable || !enabled) return undefined;
    const timer = setInterval(retry, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [isSignalsAvailable, enabled, retry]);

  return state;
}
