import { KubeObject } from './listResource';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One object change from a watch. */
export interface WatchChange {
  type: WatchEventType;
  object: KubeObject;
}

/** Most changes handed over in one call. */
export const MAX_BATCH = 2000;

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
  /** Hands over one batch of changes; awaited before the next. */
  deliver(changes: WatchChange[]): Promise<void>;
  /** The resourceVersion to resume from, once everything before it is handled. */
  resumeFrom(resourceVersion: string): void;
}

/**
 * Hands over the object changes among `lines` in order, in batches of at
 * most {@link MAX_BATCH}; applies bookmarks and errors where they fall.
 */
export async function handleWatchLines(
  lines: Array<{ type: string; object: any }>,
  options: WatchLinesOptions,
): Promise<void> {
  const { signal, progress, deliver, resumeFrom } = options;
  let batch: WatchChange[] = [];
  const flush = async () => {
    if (!batch.length || signal.aborted) return;
    const changes = batch;
    batch = [];
    await deliver(changes);
    const rv = changes[changes.length - 1].object?.metadata?.resourceVersion;
    if (rv) resumeFrom(rv);
  };
  for (const { type, object } of lines) {
    if (signal.aborted || progress.expired) return;
    if (type === 'ERROR') {
      await flush();
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
      const rv = object?.metadata?.resourceVersion;
      if (rv) resumeFrom(rv);
    } else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
      batch.push({ type, object });
      if (batch.length >= MAX_BATCH) await flush();
    }
  }
  await flush();
}
