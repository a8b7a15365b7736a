/** What {@link SignalThrottle} reloads, and how it knows a load is running. */
export interface SignalThrottleOptions {
  /** The least time between the starts of two reloads caused by signals. */
  intervalMs: number;
  /**
   * Whether the first signal after a quiet spell reloads at once (default);
   * when false it waits `intervalMs` too, for what is costly to reload and
   * need not show at once.
   */
  leading?: boolean;
  /** Starts a reload. */
  reload(): void;
  /** Whether a load runs now (a reload then waits for it to finish). */
  isLoading(): boolean;
}

/**
 * When a page reloads for the signals it receives: at once for the first
 * signal after a quiet spell (the leading edge: the change shows without
 * delay), then at most once per `intervalMs` while signals keep coming, the
 * last of them always followed by a reload (the trailing edge: nothing is
 * missed). A reload never overlaps a running load: a signal that arrives
 * meanwhile reloads when the load is done. So a burst of signals costs one
 * reload at once and one at the end of the interval, not one per signal, and
 * a steady stream of them cannot postpone the reload indefinitely.
 */
export class SignalThrottle {
  private lastStart = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A signal arrived that no reload has started for yet. */
  private waiting = false;

  constructor(private readonly options: SignalThrottleOptions) {}

  /** A signal arrived. */
  signal(): void {
    this.waiting = true;
    const quiet = Date.now() - this.lastStart >= this.options.intervalMs;
    if (quiet && this.options.leading === false) {
      if (this.timer === undefined) this.retryIn(this.options.intervalMs);
      return;
    }
    this.tryReload();
  }

  /** The running load finished: a signal that waited for it reloads now. */
  loadFinished(): void {
    if (this.waiting) this.tryReload();
  }

  /** Forgets any reload still due (the page went away). */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = false;
  }

  private tryReload() {
    if (this.timer !== undefined) return; // a trailing reload is due anyway
    const wait = this.lastStart + this.options.intervalMs - Date.now();
    if (wait > 0) {
      this.retryIn(wait);
      return;
    }
    if (this.options.isLoading()) return; // loadFinished() comes back
    this.waiting = false;
    this.lastStart = Date.now();
    this.options.reload();
  }

  private retryIn(ms: number) {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tryReload();
    }, ms);
  }
}
