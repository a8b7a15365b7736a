/**
 * Change counters shared by every replica through the database, one per key
 * of the in-memory read model (see `readmodel/`). A writer bumps the keys of
 * what it changed in the same transaction as the change, so a reader that
 * sees a key's new revision can also read the change. Every bump also bumps
 * {@link GLOBAL_KEY} in the same statement: while it stands still, no key
 * changed.
 */
export interface RevisionStore {
  /** Increments the revisions of `keys` and {@link GLOBAL_KEY} (a key seen for the first time starts at 1). */
  bump(keys: string[]): Promise<void>;
  /** The current revisions of `keys`; a key never bumped is absent. */
  read(keys: string[]): Promise<Map<string, string>>;
}

/** The read model key of one object's deployments. */
export function deploymentsKey(objectKey: string): string {
  return `deployments:${objectKey}`;
}

/** The read model key of every app's labels (they change rarely). */
export const LABELS_KEY = 'labels';

/** The read model key of one pipeline's promotions and holds. */
export function promotionsKey(pipeline: {
  namespace: string;
  name: string;
}): string {
  return `promotions:${JSON.stringify([pipeline.namespace, pipeline.name])}`;
}

/**
 * The revision bumped with every key: equal in two reads means no key
 * changed between them. (Sorts before every other key, so writers lock it
 * first.)
 */
export const GLOBAL_KEY = '*';

/** The read model key of the stored pipelines. */
export const PIPELINES_KEY = 'pipelines';
