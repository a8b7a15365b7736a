import { ApiError } from '../store/ApiError';
import { ResourceStore, StoreBackup } from '../store/ResourceStore';
import { WatchHub } from '../server/watch';
import { seededRandom } from '../random';

/** Which requests fail, and how. */
export interface FailureRule {
  /** 500 (InternalError) or 429 (TooManyRequests, with Retry-After). */
  status: 500 | 429;
  /** Share of API requests that fail, 0..1 (seeded, so repeatable). Default 1. */
  ratio?: number;
  /** Fail only this many requests, then stop failing. */
  count?: number;
  /** Retry-After seconds for 429; default 1. */
  retryAfterSeconds?: number;
}

export interface FaultState {
  latencyMs: number;
  failure?: FailureRule;
  paused: boolean;
  openWatches: number;
  resourceVersion: number;
  oldestResourceVersion: number;
}

/**
 * Faults the stand-in can inject into its API: dropped watches, expired versions,
 * restarts, latency, failing requests and a full pause.
 */
export class FaultController {
  private latencyMs = 0;
  private failure?: FailureRule;
  private paused = false;
  private waiting: (() => void)[] = [];
  private readonly random: () => number;

  constructor(
    private readonly store: ResourceStore,
    private readonly watches: WatchHub,
    options: { seed?: number } = {},
  ) {
    this.random = seededRandom(options.seed ?? 1);
  }

  /** Ends every open watch; returns how many were open. */
  closeWatches(): number {
    return this.watches.closeAll();
  }

  /** The next `count` watches that resume from a resourceVersion get 410 Expired. */
  expireNextWatch(count = 1): void {
    this.watches.expireNext(count);
  }

  /** Like an apiserver restart: drops every watch and forgets old resourceVersions (they give 410). */
  restart(): void {
    this.store.forgetHistory();
    this.watches.closeAll();
  }

  /** An etcd backup of the cluster as it is now, for {@link restoreBackup}. */
  backup(): StoreBackup {
    return this.store.backup();
  }

  /**
   * Like restoring etcd from that backup: objects and resourceVersions go
   * back, every watch drops, and resuming from a later version gets 504 Too
   * large resource version.
   */
  restoreBackup(backup: StoreBackup): void {
    this.store.restore(backup);
    this.watches.closeAll();
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  failRequests(rule: FailureRule | undefined): void {
    this.failure = rule ? { ...rule } : undefined;
  }

  /** Holds every API request and watch event until {@link resume}. */
  pause(): void {
    this.paused = true;
    this.watches.hold(true);
  }

  resume(): void {
    this.paused = false;
    this.watches.hold(false);
    for (const release of this.waiting.splice(0)) release();
  }

  /** Clears latency, failures and pause. */
  clear(): void {
    this.setLatency(0);
    this.failRequests(undefined);
    this.resume();
  }

  state(): FaultState {
    return {
      latencyMs: this.latencyMs,
      failure: this.failure,
      paused: this.paused,
      openWatches: this.watches.openCount,
      resourceVersion: this.store.currentResourceVersion(),
      oldestResourceVersion: this.store.oldestResourceVersion(),
    };
  }

  /** Applied to each API request before it is handled: waits, delays, or throws the injected error. */
  async beforeRequest(): Promise<void> {
    if (this.paused)
      await new Promise<void>(resolve => this.waiting.push(resolve));
    if (this.latencyMs > 0)
      await new Promise(r => setTimeout(r, this.latencyMs));
    const rule = this.failure;
    if (!rule) return;
    if (rule.count !== undefined && rule.count <= 0) return;
    if (this.random() >= (rule.ratio ?? 1)) return;
    if (rule.count !== undefined) rule.count -= 1;
    if (rule.status === 429) {
      const retryAfter = String(rule.retryAfterSeconds ?? 1);
      throw new ApiError({
        code: 429,
        reason: 'TooManyRequests',
        message: 'Too many requests, please try again later.',
        details: { retryAfterSeconds: Number(retryAfter) },
        headers: { 'Retry-After': retryAfter },
      });
    }
    throw new ApiError({
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: injected by cluster-sim',
    });
  }
}
