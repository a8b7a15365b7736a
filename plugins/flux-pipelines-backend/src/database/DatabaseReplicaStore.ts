import { Knex } from 'knex';
import { ReplicaStore } from './ReplicaStore';

const TABLE = 'backend_replicas';

/** Rows of replicas gone for this many TTLs are deleted. */
const FORGET_AFTER_TTLS = 10;

/**
 * A {@link ReplicaStore} on the plugin's database. Expiry times come from the
 * replicas' clocks, assumed to agree within a few seconds (NTP), as for the
 * cluster leases.
 */
export class DatabaseReplicaStore implements ReplicaStore {
  constructor(private readonly db: Knex) {}

  async heartbeat(
    replica: string,
    ttlMs: number,
    options: { now?: Date } = {},
  ): Promise<string[]> {
    const now = options.now ?? new Date();
    await this.db(TABLE)
      .insert({
        id: replica,
        started_at: now,
        renewed_at: now,
        expires_at: new Date(now.getTime() + ttlMs),
      })
      .onConflict('id')
      .merge(['renewed_at', 'expires_at']);
    await this.db(TABLE)
      .where(
        'expires_at',
        '<',
        new Date(now.getTime() - FORGET_AFTER_TTLS * ttlMs),
      )
      .delete();
    const live = await this.db(TABLE)
      .where('expires_at', '>=', now)
      .orderBy('id')
      .select('id');
    return live.map(row => row.id as string);
  }

  async leave(replica: string): Promise<void> {
    await this.db(TABLE).where({ id: replica }).delete();
  }
}
