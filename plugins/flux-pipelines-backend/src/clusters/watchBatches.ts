import { KubeObject } from './listResource';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One object change from a watch. */
export interface WatchChange {
  type: WatchEventType;
  object: KubeObject;
}

/** Most changes handed over in one call. */
export const MAX_BATCH = 5000;

/** What one watch request has seen so far. */
export interface WatchProgress {
  /** Lines other than errors: object changes and bookmarks. */
  received: number;
  /** The server answered 410 Gone: list again. */
  expired: boolean;
}

/** Options of {@link handleWatchLines}. */
export interface WatchLinesOptions {
  signal: AbortSignal;
  progress: WatchProgress;
  /** Hands over one batch of changes. */
  deliver(changes: WatchChange[]): Promise<void>;
  /**
   * Batches handed over before the oldest one's promise resolved (default 1:
   * each is awaited before the next). With 2, the next batch is prepared
   * while the previous one is stored; the watch still resumes only after
   * each batch, in order, and never past a batch that failed.
   */
  inFlight?: number;
  /** The resourceVersion to resume from, once everything before it is handled. */
  resumeFrom(resourceVersion: string): void;
}

/**
 * Hands over the object changes among `lines` in order, in batches of at
 * most {@link MAX_BATCH}; applies bookmarks and errors where they fall, once
 * every batch before them was handled.
 */
export async function handleWatchLines(
  lines: Array<{ type: string; object: any }>,
  options: WatchLinesOptions,
): Promise<void> {
  const { signal, progress, deliver, resumeFrom } = options;
  const limit = Math.max(1, options.inFlight ?? 1);
  const handed: Array<{ done: Promise<void>; rv?: string }> = [];
  /** Awaits the oldest batch handed over, then resumes after it. */
  const settleOldest = async () => {
    const oldest = handed.shift()!;
    await oldest.done;
    if (oldest.rv) resumeFrom(oldest.rv);
  };
  const settleAll = async () => {
    while (handed.length) await settleOldest();
  };
  let batch: WatchChange[] = [];
  const flush = async () => {
    if (!batch.length || signal.aborted) return;
    const changes = batch;
    batch = [];
    const done = deliver(changes);
    // Awaited in turn below; a failure before it is reported first.
    done.catch(() => {});
    const rv = changes[changes.length - 1].object?.metadata?.resourceVersion;
    handed.push({ done, rv });
    while (handed.length >= limit) await settleOldest();
  };
  try {
    for (const { type, object } of lines) {
      if (signal.aborted || progress.expired) return;
      if (type === 'ERROR') {
        await flush();
        await settleAll();
        if (object?.code === 410) {
          progress.expired = true;
          return;
        }
        throw Object.assign(new Error(object?.message ?? 'watch error'), {
          statusCode: object?.code,
        });
      }
      progress.received += 1;
      if (type === 'BOOKMARK') {
        await flush();
        await settleAll();
        const rv = object?.metadata?.resourceVersion;
        if (rv) resumeFrom(rv);
      } else if (
        type === 'ADDED' ||
        type === 'MODIFIED' ||
        type === 'DELETED'
      ) {
        batch.push({ type, object });
        if (batch.length >= MAX_BATCH) await flush();
      }
    }
    await flush();
  } catch (error) {
    // Nothing handed over after a failed batch may move the watch past it.
    await Promise.allSettled(handed.map(h => h.done));
    handed.length = 0;
    throw error;
  } finally {
    await settleAll();
  }
}
