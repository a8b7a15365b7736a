import { AsyncLocalStorage } from 'node:async_hooks';
import { GLOBAL_KEY, RevisionStore } from '../database/RevisionStore';
import { KnownRevisions, RevisionRead } from './KnownRevisions';
import { BYPASS } from './RevisionedCache';

/** How long a request's snapshot serves; anything later reads the database. */
const SNAPSHOT_MS = 5_000;

/**
 * The revisions a request sees. Each request starts with one small read of
 * the global revision (and of `startKeys`, which every page needs); while
 * the global revision is the one this replica's {@link KnownRevisions} were
 * read at, every key's revision is answered from memory, so a warm page
 * costs that one query. Only keys not known as of the request's start are
 * read (with the global revision, in one statement). A change committed
 * before the request started (and so before any signal about it reached the
 * browser) has bumped the global revision by then, and is seen.
 */
export class RevisionSnapshot implements RevisionStore {
  private readonly storage = new AsyncLocalStorage<{
    bypass: boolean;
    start?: Promise<RevisionRead>;
    until: number;
  }>();
  private readonly known = new KnownRevisions();

  constructor(
    private readonly revisions: RevisionStore,
    private readonly options: { startKeys: string[] } = { startKeys: [] },
  ) {}

  /**
   * Runs `work` (one request) with its own snapshot; with `bypass`, every
   * key reads as {@link BYPASS}, so the read models read the database.
   */
  run<T>(work: () => Promise<T>, options: { bypass?: boolean } = {}) {
    const bypass = options.bypass ?? false;
    const start = bypass
      ? undefined
      : this.readWithGlobal(this.options.startKeys);
    start?.catch(() => {}); // (awaited by the request's first read)
    return this.storage.run(
      { bypass, start, until: Date.now() + SNAPSHOT_MS },
      work,
    );
  }

  bump(keys: string[]): Promise<void> {
    return this.revisions.bump(keys);
  }

  /** Each key as of this request's start or later, else (outside a request too) from the database. */
  async read(keys: string[]): Promise<Map<string, string>> {
    const store = this.storage.getStore();
    if (store?.bypass) return new Map(keys.map(key => [key, BYPASS]));
    // Work the request left running (timers, follow-ups) reads afresh.
    if (!store?.start || Date.now() >= store.until) {
      return this.revisions.read(keys);
    }
    const unique = [...new Set(keys)];
    const { found, missing } = this.known.lookUp(unique, await store.start);
    if (missing.length) {
      const read = await this.readWithGlobal(missing);
      for (const key of missing) {
        const revision = read.get(key);
        if (revision !== undefined) found.set(key, revision);
      }
    }
    return found;
  }

  /** `keys` and the global revision in one statement, remembered. */
  private async readWithGlobal(keys: string[]): Promise<RevisionRead> {
    const read = await this.revisions.read([GLOBAL_KEY, ...keys]);
    this.known.learn(keys, read);
    return read;
  }
}
