import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  FLUX_PIPELINES_SIGNAL_CHANNEL,
  FluxPipelinesSignal,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import {
  DependencyList,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
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

/** What {@link useLiveAsync} gives: react-use's `AsyncStateRetry`. */
export interface LiveState<T> {
  /** A load asked for by the component (first load, new deps, retry) runs. */
  loading: boolean;
  value?: T;
  /** The last load failed (the value before it, if any, stays). */
  error?: Error;
  /** Loads again now. */
  retry(): void;
}

/**
 * Loads something from the backend and keeps it current: reloaded on the
 * messages on the flux-pipelines signals channel that concern it
 * (`deployments-changed`, `promotion-changed`, `pipelines-changed`; at once,
 * and a burst of them causes one more reload at its end), or polled when
 * signals are not available. The previous value stays on screen while a
 * reload runs, so nothing flickers.
 *
 * A reload caused by a signal or the poll runs in the background: it does
 * not show `loading`, and an answer equal to what is shown keeps the value
 * as it is (the same object), so the component draws again only when what
 * it shows changed. A page receives many signals per deployment; drawing the
 * cards and tables again for each costs the browser more than the requests.
 */
export function useLiveAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: LiveOptions<T> = {},
): LiveState<T> {
  const {
    enabled = true,
    throttleMs = SIGNAL_THROTTLE_MS,
    leading = true,
  } = options;
  const [state, setState] = useState<Omit<LiveState<T>, 'retry'>>({
    loading: true,
  });
  const signals = useApiHolder().get(signalApiRef);

  // What callbacks outside React's render read: the newest of each.
  const latest = useRef({ load, state, concerns: options.concerns });
  latest.current = { load, state, concerns: options.concerns };
  /** The newest load started (an older one's answer is dropped), and whether it runs. */
  const running = useRef({ call: 0, loading: false });

  const run = useRef(async (_asked: boolean) => {});
  const throttle = useMemo(
    () =>
      new SignalThrottle({
        intervalMs: throttleMs,
        leading,
        reload: () => run.current(false),
        isLoading: () => running.current.loading,
      }),
    [throttleMs, leading],
  );
  useEffect(() => () => throttle.dispose(), [throttle]);

  run.current = async (asked: boolean) => {
    const call = ++running.current.call;
    running.current.loading = true;
    if (asked) setState(s => (s.loading ? s : { ...s, loading: true }));
    let value: T | undefined;
    let error: Error | undefined;
    try {
      value = await latest.current.load();
    } catch (e) {
      error = e as Error;
    }
    if (call !== running.current.call) return; // a newer load answers
    running.current.loading = false;
    const shown = latest.current.state;
    if (error) {
      setState(s => ({ loading: false, value: s.value, error }));
    } else if (shown.loading || shown.error || !sameJson(shown.value, value)) {
      // (an equal answer keeps the object shown: memoised children skip it)
      setState(s => ({
        loading: false,
        value: sameJson(s.value, value) ? s.value : value,
      }));
    }
    throttle.loadFinished();
  };

  const retry = useCallback(() => void run.current(true), []);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(retry, deps);

  // Subscribed directly, not through useSignal: a signal is not kept in
  // state, so one that does not concern this value, or comes within the
  // throttle's interval, does not render the component again.
  useEffect(() => {
    if (!signals || !enabled) return undefined;
    const { unsubscribe } = signals.subscribe(
      FLUX_PIPELINES_SIGNAL_CHANNEL,
      message => {
        const { concerns, state: shown } = latest.current;
        const signal = message as unknown as FluxPipelinesSignal;
        if (!concerns || concerns(signal, shown.value)) throttle.signal();
      },
    );
    return unsubscribe;
  }, [signals, enabled, throttle]);

  useEffect(() => {
    if (signals || !enabled) return undefined;
    const timer = setInterval(() => run.current(false), POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [signals, enabled]);

  return useMemo(() => ({ ...state, retry }), [state, retry]);
}

/** Whether two answers say the same (both came from JSON). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
