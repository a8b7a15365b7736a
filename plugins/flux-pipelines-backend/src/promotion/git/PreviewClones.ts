import { createHash } from 'node:crypto';
import { GitCloneOptions, GitRepository } from './GitRepository';

/** Options of {@link PreviewClones}. */
export interface PreviewClonesOptions {
  /** How a repository is cloned (GitRepository.clone by default). */
  clone?: (options: GitCloneOptions) => Promise<GitRepository>;
  /** Clones kept at most; the least recently used goes first. Default 8. */
  maxClones?: number;
  /** A clone unused this long is removed. Default 5 minutes. */
  idleMs?: number;
  /** A clone fetched this recently is not fetched again. Default 10 seconds. */
  freshMs?: number;
  now?: () => number;
}

interface Entry {
  repository: Promise<GitRepository>;
  /** The previews of this clone, one after the other. */
  queue: Promise<unknown>;
  fetchedAt: number;
  idle?: NodeJS.Timeout;
}

/**
 * One clone per repository, branch and credentials, kept for previews: a
 * preview reuses it (fetching the branch when the last fetch is older than
 * `freshMs`) instead of cloning anew, and previews of one clone run one
 * after the other, so concurrent previews share one fetch. Every preview
 * starts from the remote branch and its changes are discarded afterwards.
 */
export class PreviewClones {
  readonly #entries = new Map<string, Entry>();
  readonly #options: Required<Omit<PreviewClonesOptions, 'clone'>> &
    Pick<PreviewClonesOptions, 'clone'>;

  constructor(options: PreviewClonesOptions = {}) {
    this.#options = {
      maxClones: 8,
      idleMs: 5 * 60_000,
      freshMs: 10_000,
      now: Date.now,
      ...options,
    };
  }

  /** Runs `work` in the kept clone of `options.url` at `options.branch`. */
  use<T>(
    options: GitCloneOptions,
    work: (clone: GitRepository) => Promise<T>,
  ): Promise<T> {
    return this.#queue(options, work, false);
  }

  /**
   * Runs `work` that only reads the repository (e.g. `git log`, which may
   * fetch a missing commit) in the kept clone, in turn with the previews,
   * without the fetch, reset and clean a preview needs before and after it:
   * a commit's author costs one git process, not eight.
   */
  read<T>(
    options: GitCloneOptions,
    work: (clone: GitRepository) => Promise<T>,
  ): Promise<T> {
    return this.#queue(options, work, true);
  }

  #queue<T>(
    options: GitCloneOptions,
    work: (clone: GitRepository) => Promise<T>,
    readOnly: boolean,
  ): Promise<T> {
    const key = keyOf(options);
    const entry = this.#entry(key, options);
    const run = entry.queue.then(async () => {
      let repository: GitRepository;
      try {
        repository = await entry.repository;
        const stale =
          this.#options.now() - entry.fetchedAt > this.#options.freshMs;
        if (stale && !readOnly) {
          await repository.resetToRemote(options.branch);
          entry.fetchedAt = this.#options.now();
        }
      } catch (error) {
        void this.#forget(key, entry); // a clone that cannot fetch is not reused
        throw error;
      }
      if (readOnly) return work(repository);
      try {
        return await work(repository);
      } finally {
        await repository.discardChanges(options.branch).catch(() => {
          void this.#forget(key, entry);
        });
      }
    });
    entry.queue = run.catch(() => undefined);
    this.#touch(key, entry);
    return run;
  }

  /** Removes every kept clone. */
  async dispose(): Promise<void> {
    await Promise.all(
      [...this.#entries].map(([key, entry]) => this.#forget(key, entry)),
    );
  }

  #entry(key: string, options: GitCloneOptions): Entry {
    const existing = this.#entries.get(key);
    if (existing) {
      this.#entries.delete(key); // re-inserted last: most recently used
      this.#entries.set(key, existing);
      return existing;
    }
    if (this.#entries.size >= this.#options.maxClones) {
      const [oldestKey, oldest] = this.#entries.entries().next().value!;
      void this.#forget(oldestKey, oldest);
    }
    const repository = (this.#options.clone ?? GitRepository.clone)(options);
    const entry: Entry = {
      repository,
      queue: repository.catch(() => undefined),
      fetchedAt: this.#options.now(),
    };
    this.#entries.set(key, entry);
    return entry;
  }

  #touch(key: string, entry: Entry) {
    clearTimeout(entry.idle);
    entry.idle = setTimeout(
      () => void this.#forget(key, entry),
      this.#options.idleMs,
    );
    entry.idle.unref?.();
  }

  async #forget(key: string, entry: Entry): Promise<void> {
    if (this.#entries.get(key) === entry) this.#entries.delete(key);
    clearTimeout(entry.idle);
    // Let running and queued previews finish.
    for (let queue = entry.queue; ; queue = entry.queue) {
      await queue;
      if (queue === entry.queue) break;
    }
    const repository = await entry.repository.catch(() => undefined);
    await repository?.dispose();
  }
}

/** Clones differ by URL, branch and credentials (a rotated token gets a new clone). */
function keyOf(options: GitCloneOptions): string {
  return createHash('sha256')
    .update(JSON.stringify([options.url, options.branch, options.auth ?? null]))
    .digest('hex');
}
