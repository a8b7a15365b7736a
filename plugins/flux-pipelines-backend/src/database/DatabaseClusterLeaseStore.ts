import { ClusterHealth } from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { ClusterLease, ClusterLeaseStore } from './ClusterLeaseStore';
import { toIsoString } from './timestamps';

const TABLE = 'cluster_leases';

interface LeaseRow {
  cluster: string;
  holder: string;
  expires_at: Date | string | number;
  acquired_at: Date | string | number;
  renewed_at: Date | string | number;
  health: string | null;
}

/**
 * A {@link ClusterLeaseStore} on the plugin's database. Taking a lease is one
 * conditional UPDATE (held by us, or expired) or, for a cluster nobody held
 * yet, an INSERT that loses to a concurrent one: the database decides, so two
 * replicas never both get it. Expiry times come from the clocks of the
 * replicas, which are assumed to agree within a few seconds (NTP).
 */
export class DatabaseClusterLeaseStore implements ClusterLeaseStore {
  constructor(private readonly db: Knex) {}

  async acquire(
    cluster: string,
    holder: string,
    ttlMs: number,
    options: { now?: Date; health?: ClusterHealth } = {},
  ): Promise<boolean> {
    const now = options.now ?? new Date();
    const expiresAt = new Date(now.getTime() + ttlMs);
    const health = options.health ? JSON.stringify(options.health) : null;
    const updated = await this.db<LeaseRow>(TABLE)
      .where({ cluster })
      .andWhere(q => q.where({ holder }).orWhere('expires_at', '<', now))
      .update({
        holder,
        expires_at: expiresAt,
        renewed_at: now,
        // a new holder starts a new lease
        acquired_at: this.db.raw(
          'CASE WHEN holder = ? THEN acquired_at ELSE ? END',
          [holder, now],
        ) as any,
        ...(health ? { health } : {}),
      });
    if (updated > 0) return true;
    const inserted = await this.db<LeaseRow>(TABLE)
      .insert({
        cluster,
        holder,
        expires_at: expiresAt,
        acquired_at: now,
        renewed_at: now,
        health,
      })
      .onConflict('cluster')
      .ignore()
      .returning('cluster');
    return inserted.length > 0;
  }

  async release(cluster: string, holder: string): Promise<void> {
    await this.db<LeaseRow>(TABLE).where({ cluster, holder }).delete();
  }

  async get(cluster: string): Promise<ClusterLease | undefined> {
    const row = await this.db<LeaseRow>(TABLE).where({ cluster }).first();
    if (!row) return undefined;
    return {
      cluster: row.cluster,
      holder: row.holder,
      expiresAt: new Date(toIsoString(row.expires_at)),
      ...(row.health ? { health: JSON.parse(row.health) } : {}),
    };
  }
}
