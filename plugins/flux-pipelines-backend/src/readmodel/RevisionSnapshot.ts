import { AsyncLocalStorage } from 'node:async_hooks';
import { RevisionStore } from '../database/RevisionStore';
import { BYPASS } from './RevisionedCache';

/** How long a request's snapshot serves; anything later reads the database. */
const SNAPSHOT_MS = 5_000;

/**
 * The revisions one request has read, so that the read models it asks (for
 * deployments, labels, promotions) read each key from the database once.
 * Reading once per request is as fresh as reading on every call: a change
 * committed before the request started (and so before any signal about it
 * reached the browser) is seen.
 */
export class RevisionSnapshot implements RevisionStore {
  private readonly storage = new AsyncLocalStorage<{
    bypass: boolean;
    read: Map<string, Promise<string | undefined>>;
    until: number;
  }>();

  constructor(private readonly revisions: RevisionStore) {}

  /**
   * Runs `work` (one request) with its own snapshot; with `bypass`, every
   * key reads as {@link BYPASS}, so the read models read the database.
   */
  run<T>(work: () => Promise<T>, options: { bypass?: boolean } = {}) {
    return this.storage.run(
      {
        bypass: options.bypass ?? false,
        read: new Map(),
        until: Date.now() + SNAPSHOT_MS,
      },
      work,
    );
  }

  bump(keys: string[]): Promise<void> {
    return this.revisions.bump(keys);
  }

  /** Each key from this request's snapshot, else (outside a request too) from the database. */
  async read(keys: string[]): Promise<Map<string, string>> {
    const store = this.storage.getStore();
    if (store?.bypass) return new Map(keys.map(key => [key, BYPASS]));
    // Work the request left running (timers, follow-ups) reads afresh.
    const snapshot = store && Date.now() < store.until ? store.read : undefined;
    const missing = [...new Set(keys)].filter(k => !snapshot?.has(k));
    if (missing.length) {
      const read = this.revisions.read(missing);
      for (const key of missing) {
        const revision = read.then(found => found.get(key));
        revision.catch(() => {}); // (awaited below, or by a later call)
        snapshot?.set(key, revision);
      }
      if (!snapshot) return read;
    }
    const out = new Map<string, string>();
    for (const key of keys) {
      const revision = await snapshot!.get(key);
      if (revision !== undefined) out.set(key, revision);
    }
    return out;
  }
}
