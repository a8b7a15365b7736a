import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * One warning per object per window for refused input. Whoever can write
 * Events in a namespace can write thousands; the log names each object they
 * concern once, then how many more refusals were held back.
 */
export class RefusalWarnings {
  private readonly last = new Map<string, { at: number; held: number }>();
  private readonly windowMs: number;
  private readonly maxObjects: number;

  constructor(
    private readonly options: {
      logger: Pick<LoggerService, 'warn'>;
      /** Quiet time per object after a warning; default ten minutes. */
      windowMs?: number;
      /** Objects remembered at most (oldest forgotten first); default 10000. */
      maxObjects?: number;
      now?: () => number;
    },
  ) {
    this.windowMs = options.windowMs ?? 10 * 60_000;
    this.maxObjects = options.maxObjects ?? 10_000;
  }

  /** Logs `message` unless `object` was warned about within the window. */
  warn(object: string, message: string, meta?: Record<string, unknown>) {
    const now = (this.options.now ?? Date.now)();
    const seen = this.last.get(object);
    if (seen && now - seen.at < this.windowMs) {
      seen.held += 1;
      return;
    }
    const held = seen?.held ?? 0;
    this.last.delete(object);
    this.last.set(object, { at: now, held: 0 });
    if (this.last.size > this.maxObjects) {
      this.last.delete(this.last.keys().next().value as string);
    }
    this.options.logger.warn(
      held
        ? `${message} (${held} more refusals for it held back since the last warning)`
        : message,
      meta as any,
    );
  }
}
