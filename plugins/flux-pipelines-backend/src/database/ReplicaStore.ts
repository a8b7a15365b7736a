/**
 * The backend replicas on one database, each live until its announcement
 * expires: what the replicas spread the clusters over.
 */
export interface ReplicaStore {
  /**
   * Announces `replica` as live until `now + ttlMs` (a new one or a renewal)
   * and returns every live replica, itself included, sorted by id.
   */
  heartbeat(
    replica: string,
    ttlMs: number,
    options?: { now?: Date },
  ): Promise<string[]>;
  /** Withdraws `replica` at once, for a graceful stop. */
  leave(replica: string): Promise<void>;
}
