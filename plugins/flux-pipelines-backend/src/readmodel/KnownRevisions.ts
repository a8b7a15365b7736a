import { GLOBAL_KEY } from '../database/RevisionStore';

/** How many keys' revisions are remembered before starting afresh. */
const MAX_KEYS = 100_000;

/** Revisions read in one statement, with the global one among them. */
export type RevisionRead = Map<string, string>;

/**
 * The revisions this replica has read, all as of one global revision (see
 * {@link GLOBAL_KEY}): while the database's global revision is still that
 * one, they are all current, and a request needs no further read. Only
 * revisions read in the same statement as the global one are kept (a
 * statement reads one consistent state), so none is older than the global
 * revision it is kept under. Keys never bumped are remembered as absent.
 *
 * Memory: a key and a revision per key read, at most 100,000.
 */
export class KnownRevisions {
  private global?: bigint;
  private readonly revisions = new Map<string, string | undefined>();

  /**
   * Takes `keys` as read in one statement together with the global
   * revision: kept when they are as new as what is known, and all else
   * forgotten when they are newer.
   */
  learn(keys: string[], read: RevisionRead): void {
    const global = BigInt(read.get(GLOBAL_KEY) ?? 0);
    if (this.global === undefined || global > this.global) {
      this.global = global;
      this.revisions.clear();
    } else if (global < this.global) {
      return; // read before what is known now
    }
    if (this.revisions.size + keys.length > MAX_KEYS) this.revisions.clear();
    for (const key of keys) this.revisions.set(key, read.get(key));
  }

  /**
   * The revisions of `keys` known as of the global revision read in
   * `atLeast` or a later one (absent: never bumped), and the keys not known.
   */
  lookUp(
    keys: string[],
    atLeast: RevisionRead,
  ): { found: Map<string, string>; missing: string[] } {
    const found = new Map<string, string>();
    const missing: string[] = [];
    const since = BigInt(atLeast.get(GLOBAL_KEY) ?? 0);
    for (const key of keys) {
      if (
        this.global === undefined ||
        this.global < since ||
        !this.revisions.has(key)
      ) {
        missing.push(key);
        continue;
      }
      const revision = this.revisions.get(key);
      if (revision !== undefined) found.set(key, revision);
    }
    return { found, missing };
  }
}
