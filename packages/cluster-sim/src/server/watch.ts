import type { ServerResponse } from 'node:http';
import { ApiError, statusObject } from '../store/ApiError';
import { ResourceStore } from '../store/ResourceStore';
import { ResourceType } from '../store/resourceTypes';
import { Selector } from '../store/selectors';
import { StoreChange } from '../store/types';
import { WatchStream } from './WatchStream';

export interface WatchRequest {
  type: ResourceType;
  version: string;
  namespace?: string;
  matches: Selector;
  resourceVersion?: string;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  /** kubectl get --watch asks for Table rows; the clock gives their ages. */
  table?: { now: () => number };
}

/**
 * Open watch streams. Streams newline-delimited `{type, object}` JSON like the apiserver:
 * ADDED / MODIFIED / DELETED, BOOKMARK when allowed, ERROR with a 410 Status for versions too old.
 */
export class WatchHub {
  private readonly open = new Set<WatchStream>();
  private forcedExpiries = 0;
  private held = false;

  constructor(
    private readonly store: ResourceStore,
    private readonly options: {
      bookmarkIntervalMs?: number;
      defaultTimeoutSeconds?: number;
      /** How long a watch from a future resourceVersion waits before 504; 3 s like the apiserver. */
      tooLargeWaitMs?: number;
    } = {},
  ) {}

  get openCount() {
    return this.open.size;
  }

  async serve(req: WatchRequest, res: ServerResponse): Promise<void> {
    const asked = Number(req.resourceVersion);
    if (asked > this.store.currentResourceVersion()) {
      // Like the apiserver's watch cache: wait a while for that version (it
      // may be on its way), then answer 504 — e.g. after etcd was restored
      // from a backup older than what the client saw.
      const until = Date.now() + (this.options.tooLargeWaitMs ?? 3000);
      while (
        asked > this.store.currentResourceVersion() &&
        Date.now() < until
      ) {
        await new Promise(r => setTimeout(r, 20));
      }
      const current = this.store.currentResourceVersion();
      if (asked > current) {
        throw new ApiError({
          code: 504,
          reason: 'Timeout',
          message: `Too large resource version: ${asked}, current: ${current}`,
          details: {
            causes: [
              {
                reason: 'ResourceVersionTooLarge',
                message: 'Too large resource version',
              },
            ],
            retryAfterSeconds: 1,
          },
        });
      }
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    const rv = req.resourceVersion;
    const startFrom = rv && rv !== '0' ? Number(rv) : undefined;
    if (startFrom !== undefined && Number.isNaN(startFrom)) {
      writeError(res, ApiError.badRequest(`invalid resource version "${rv}"`));
      return;
    }
    let backlog: StoreChange[] | undefined;
    if (startFrom !== undefined) {
      backlog =
        this.forcedExpiries > 0
          ? undefined
          : this.store.changesSince(req.type.storage, startFrom);
      if (this.forcedExpiries > 0) this.forcedExpiries -= 1;
      if (!backlog) {
        const oldest = this.store.oldestResourceVersion();
        writeError(
          res,
          ApiError.expired(
            `too old resource version: ${startFrom} (${Math.max(
              oldest,
              startFrom + 1,
            )})`,
          ),
        );
        return;
      }
    }
    const stream = new WatchStream(req, res, this.held);
    this.open.add(stream);
    const unsubscribe = this.store.subscribe(change => stream.onChange(change));
    const finish = () => {
      unsubscribe();
      stream.stop();
      this.open.delete(stream);
    };
    res.on('close', finish);
    if (backlog) backlog.forEach(c => stream.onChange(c));
    else {
      for (const obj of this.store.list(req.type, req.namespace))
        stream.sendObject('ADDED', obj);
    }
    const timeout =
      (req.timeoutSeconds ?? this.options.defaultTimeoutSeconds ?? 1800) * 1000;
    stream.start(
      timeout,
      req.allowWatchBookmarks ? this.options.bookmarkIntervalMs ?? 60_000 : 0,
      () => String(this.store.currentResourceVersion()),
    );
  }

  /** Ends every open watch, as a dropped connection or apiserver restart would. */
  closeAll(): number {
    const n = this.open.size;
    for (const s of [...this.open]) s.end();
    return n;
  }

  /** The next `count` watches that resume from a version get 410 Expired. */
  expireNext(count = 1) {
    this.forcedExpiries += count;
  }

  /** While held, watch events queue up instead of being sent. */
  hold(held: boolean) {
    this.held = held;
    for (const s of this.open) s.hold(held);
  }
}

function writeError(res: ServerResponse, error: ApiError) {
  const status = statusObject(error.code, error.reason, error.message);
  res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
}
