import { KubeConfig } from '@kubernetes/client-node';
import { BackoffOptions, backoffDelay, sleep } from './backoff';
import { RequestFailure, describeError } from './describeError';
import {
  KubeObject,
  ResourceRef,
  listResource,
  resourcePath,
} from './listResource';
import { ListPageGate } from './ListPageGate';
import { mustRelist } from './mustRelist';
import { WatchChange, WatchProgress, handleWatchLines } from './watchBatches';
import { openWatchStream } from './watchStream';

export type { WatchChange, WatchEventType } from './watchBatches';
export { MAX_BATCH } from './watchBatches';

/** Connection health of one watch; `lastError` never contains credentials. */
export interface WatchStatus {
  connected: boolean;
  lastError?: string;
  lastEventAt?: Date;
}

export interface ResourceWatcherOptions {
  kubeConfig: KubeConfig;
  resource: ResourceRef;
  /**
   * Called in order with the changes received since the previous call (one
   * change when they arrive slower than they are handled, up to
   * {@link MAX_BATCH} under load); a returned promise is awaited before the
   * next call, and the watch resumes after the last change of a batch only
   * once that promise resolved.
   */
  onEvents(changes: WatchChange[]): void | Promise<void>;
  /**
   * At the start of every list (`relist` is false for the first): where its
   * pages go. A list that fails part way is dropped (its `done` is never
   * called) and the next one starts again from the first page.
   */
  onList(info: { relist: boolean }): ListPages;
  onStatus?(status: WatchStatus): void;
  backoff?: BackoffOptions;
  /**
   * Batches handed to `onEvents` before the previous call's promise resolved
   * (default 1). With 2, `onEvents` must take overlapping calls in call order;
   * the watch still resumes only after each batch was handled, in order.
   */
  deliveriesInFlight?: number;
  /** Server-side watch timeout; default 300 s (each watch adds up to 50% jitter). */
  watchTimeoutSeconds?: number;
  /** Strings to mask in error messages (e.g. the cluster's token). */
  secrets?: string[];
  /** Objects per list request (default 500). */
  listPageSize?: number;
  /** Shared with other watchers: how many list pages may be held at once. */
  pageGate?: ListPageGate;
}

/** The pages of one list, in order; then `done`: the full set was paged. */
export interface ListPages {
  page(items: KubeObject[]): void | Promise<void>;
  done(): void | Promise<void>;
}

type WatchOutcome = { kind: 'ended'; received: number } | { kind: 'expired' };

/**
 * List + watch of one resource across all namespaces: lists with client-node's
 * API clients, watches with our own stream reader ({@link openWatchStream}).
 * Resumes from the last resourceVersion (bookmarks keep it fresh), relists on
 * 410 Gone, reconnects with capped exponential backoff and jitter (honouring
 * Retry-After), and stops when the signal aborts.
 */
export class ResourceWatcher {
  private status: WatchStatus = { connected: false };
  private resourceVersion?: string;
  private listed = false;
  private attempt = 0;

  constructor(private readonly options: ResourceWatcherOptions) {}

  /** Runs until `signal` aborts; never rejects. */
  async run(outer: AbortSignal): Promise<void> {
    // One listener on the caller's signal, however many requests we make.
    const inner = new AbortController();
    const stop = () => inner.abort();
    outer.addEventListener('abort', stop, { once: true });
    if (outer.aborted) inner.abort();
    const signal = inner.signal;
    while (!signal.aborted) {
      try {
        if (!this.resourceVersion) await this.list(signal);
        const started = Date.now();
        const outcome = await this.watch(signal);
        if (outcome.kind === 'expired') {
          this.resourceVersion = undefined;
        } else if (outcome.received === 0 && Date.now() - started < 1000) {
          // A server that closes watches at once must not make us spin.
          await sleep(this.nextDelay(), signal);
        } else {
          this.attempt = 0;
        }
      } catch (error) {
        if (signal.aborted) break;
        const failure = describeError(error, this.options.secrets);
        this.setStatus({ connected: false, lastError: failure.message });
        if (mustRelist(failure)) this.resourceVersion = undefined;
        await sleep(this.nextDelay(failure), signal);
      }
    }
    outer.removeEventListener('abort', stop);
    this.setStatus({ connected: false });
  }

  private async list(signal: AbortSignal) {
    const pages = this.options.onList({ relist: this.listed });
    const resourceVersion = await listResource({
      kubeConfig: this.options.kubeConfig,
      resource: this.options.resource,
      signal,
      pageSize: this.options.listPageSize,
      gate: this.options.pageGate,
      onPage: async items => {
        if (signal.aborted) return;
        this.setStatus({ connected: true, lastError: undefined });
        await pages.page(items);
      },
    });
    if (signal.aborted) return;
    await pages.done();
    this.listed = true;
    this.resourceVersion = resourceVersion;
  }

  /** One watch request; resolves when the stream ends. */
  private watch(signal: AbortSignal): Promise<WatchOutcome> {
    const { kubeConfig, resource } = this.options;
    const timeout = Math.round(
      (this.options.watchTimeoutSeconds ?? 300) * (1 + Math.random() / 2),
    );
    const progress: WatchProgress = { received: 0, expired: false };
    // Lines that arrive while a batch is being handled wait here and are
    // handed over together: no delay when idle, fewer round trips under load.
    let pending: Array<{ type: string; object: any }> = [];
    let queue = Promise.resolve();
    return new Promise<WatchOutcome>((resolve, reject) => {
      let controller: AbortController | undefined;
      let finished = false;
      let timedOut = false;
      const onAbort = () => controller?.abort();
      // A connection that died silently never ends by itself: end it a little
      // after the server should have.
      const deadline = setTimeout(() => {
        timedOut = true;
        controller?.abort();
      }, (timeout + 30) * 1000);
      const finish = (error: unknown) => {
        finished = true;
        clearTimeout(deadline);
        signal.removeEventListener('abort', onAbort);
        queue.then(() => {
          if (progress.expired) resolve({ kind: 'expired' });
          else if (error && !signal.aborted && !timedOut) reject(error);
          else resolve({ kind: 'ended', received: progress.received });
        }, reject);
      };
      const onLine = (type: string, object: any) => {
        pending.push({ type, object });
        if (pending.length > 1) return;
        queue = queue.then(() => {
          const lines = pending;
          pending = [];
          return handleWatchLines(lines, {
            signal,
            progress,
            inFlight: this.options.deliveriesInFlight,
            deliver: async changes => {
              this.setStatus({ connected: true, lastEventAt: new Date() });
              await this.options.onEvents(changes);
            },
            resumeFrom: resourceVersion => {
              this.resourceVersion = resourceVersion;
            },
          });
        });
        queue.catch(error => {
          controller?.abort();
          reject(error);
        });
      };
      openWatchStream({
        kubeConfig,
        path: resourcePath(resource),
        query: {
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: timeout,
        },
        onLine,
        done: finish,
      }).then(
        c => {
          controller = c;
          if (finished) {
            clearTimeout(deadline);
            return;
          }
          if (signal.aborted) {
            c.abort();
            return;
          }
          signal.addEventListener('abort', onAbort, { once: true });
          this.setStatus({ connected: true, lastError: undefined });
        },
        error => {
          clearTimeout(deadline);
          reject(error);
        },
      );
    });
  }

  private nextDelay(failure?: RequestFailure): number {
    const delay = backoffDelay(
      this.attempt,
      this.options.backoff,
      failure?.retryAfterMs,
    );
    this.attempt += 1;
    return delay;
  }

  private setStatus(change: Partial<WatchStatus>) {
    const next = { ...this.status, ...change };
    if (
      next.connected === this.status.connected &&
      next.lastError === this.status.lastError &&
      next.lastEventAt === this.status.lastEventAt
    ) {
      return;
    }
    this.status = next;
    this.options.onStatus?.({ ...next });
  }
}
