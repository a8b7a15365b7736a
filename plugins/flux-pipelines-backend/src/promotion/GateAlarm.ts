import { LoggerService } from '@backstage/backend-plugin-api';

/** Timers, as a clock offers them (tests pass a manual clock). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers that do not keep the process alive. */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: handle => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * One timer, armed for the moment the earliest waiting gate changes on its
 * own (a soak ends, a window opens or a freeze ends), re-armed after every
 * pass of automatic promotion: gates are re-evaluated from the clock, at
 * that moment, not by polling. Every replica arms its own; the promotion
 * store's automatic key lets only one of them promote.
 */
export class GateAlarm {
  private handle?: unknown;

  constructor(
    private readonly options: {
      timers: Timers;
      now: () => Date;
      onAlarm: () => void;
      logger: LoggerService;
    },
  ) {}

  /** Rings once at `at` (ms); none for undefined. Replaces the earlier setting. */
  arm(at: number | undefined): void {
    this.stop();
    if (at === undefined) return;
    const delay = Math.max(0, at - this.options.now().getTime());
    this.options.logger.debug(
      `Gates change at ${new Date(
        at,
      ).toISOString()}; promotion is re-evaluated then`,
    );
    this.handle = this.options.timers.setTimeout(() => {
      this.handle = undefined;
      this.options.onAlarm();
    }, delay);
  }

  stop(): void {
    if (this.handle !== undefined)
      this.options.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
