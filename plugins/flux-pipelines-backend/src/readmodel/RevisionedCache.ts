import { RevisionStore } from '../database/RevisionStore';

/** Revision of a key no writer has bumped yet. */
export const NEVER_BUMPED = '0';
/** Revision given to a failed read, which no key ever has. */
const FAILED = 'failed';
/** Revision of every key in a request that bypasses the read model: nothing is read from or kept in memory. */
export const BYPASS = 'bypass';

/**
 * Values kept with the revision they were read at: a value is returned only
 * while its key's revision is still the same. At most `max` values, the
 * least recently used dropped first.
 */
export class RevisionedCache<T> {
  private readonly entries = new Map<string, { revision: string; value: T }>();

  constructor(private readonly max: number) {}

  /** The value of `key` if it was read at `revision` (now the most recently used). */
  get(key: string, revision: string | undefined): T | undefined {
    const entry = this.entries.get(key);
    if (
      revision === BYPASS ||
      !entry ||
      entry.revision !== (revision ?? NEVER_BUMPED)
    ) {
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, revision: string | undefined, value: T): void {
    if (revision === BYPASS) return;
    this.entries.delete(key);
    this.entries.set(key, { revision: revision ?? NEVER_BUMPED, value });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The answer of `read` for `key`, from `cache` while the revision of
 * `revisionKey` has not changed since it was read, else read again. A failed
 * read is not kept.
 */
export async function readThrough<T>(options: {
  cache: RevisionedCache<Promise<T>>;
  key: string;
  revisionKey: string;
  revisions: RevisionStore;
  read: () => Promise<T>;
}): Promise<T> {
  const { cache, key, revisionKey } = options;
  const revision = (await options.revisions.read([revisionKey])).get(
    revisionKey,
  );
  const hit = cache.get(key, revision);
  if (hit) return hit;
  const answer = options.read();
  cache.set(key, revision, answer);
  answer.catch(() => cache.set(key, FAILED, answer));
  return answer;
}
