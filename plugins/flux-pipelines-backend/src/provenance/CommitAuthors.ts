import { LoggerService } from '@backstage/backend-plugin-api';
import { GitCloneOptions } from '../promotion/git/GitRepository';
import { PreviewClones } from '../promotion/git/PreviewClones';
import { redactUrl } from '../promotion/git/repositoryAccess';

/** What git said of a commit: its author, or that the repository lacks it. */
export type CommitLookup = { author: string } | 'missing';

interface Entry {
  result?: CommitLookup;
  /** When a failed lookup (clone or fetch error) may be tried again. */
  retryAt?: number;
}

/**
 * The authors of commits of the GitOps repositories, by sha, read with
 * `git log` in the kept clones ({@link PreviewClones}) and cached, so no
 * page waits for git: {@link CommitAuthors.peek} answers what is known and
 * looks the rest up in the background. A commit the repository lacks is
 * `missing`; a lookup that failed is tried again after a while.
 */
export class CommitAuthors {
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      clones: PreviewClones;
      logger: LoggerService;
      /** Commits remembered at most; the oldest go first. Default 5000. */
      maxEntries?: number;
      /** Wait before a failed lookup is tried again. Default one minute. */
      retryMs?: number;
      now?: () => number;
    },
  ) {}

  /** The commit as known now; undefined while unknown (a lookup is started). */
  peek(repository: GitCloneOptions, sha: string): CommitLookup | undefined {
    const key = JSON.stringify([repository.url, repository.branch, sha]);
    const entry = this.#entries.get(key);
    if (entry?.result) return entry.result;
    const now = (this.options.now ?? Date.now)();
    if (!this.#pending.has(key) && (entry?.retryAt ?? 0) <= now) {
      const lookup = this.#lookup(key, repository, sha).finally(() =>
        this.#pending.delete(key),
      );
      this.#pending.set(key, lookup);
    }
    return undefined;
  }

  /** Resolves once the lookups started so far have ended (for tests and shutdown). */
  async settled(): Promise<void> {
    await Promise.all(this.#pending.values());
  }

  async #lookup(key: string, repository: GitCloneOptions, sha: string) {
    try {
      const author = await this.options.clones.read(repository, clone =>
        clone.commitAuthor(sha),
      );
      this.#remember(key, { result: author ? { author } : 'missing' });
    } catch (error) {
      this.options.logger.warn(
        `Could not read the author of commit ${sha} in ${redactUrl(
          repository.url,
        )}: ${error}`,
        { sha },
      );
      const retryMs = this.options.retryMs ?? 60_000;
      this.#remember(key, {
        retryAt: (this.options.now ?? Date.now)() + retryMs,
      });
    }
  }

  #remember(key: string, entry: Entry) {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    const max = this.options.maxEntries ?? 5000;
    while (this.#entries.size > max) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }
}
