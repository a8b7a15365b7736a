import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { NotificationClaims } from './NotificationClaims';

const TABLE = 'notification_claims';

/** A subject's fixed-length key (subjects hold object names of any length). */
function claimKey(subject: string): string {
  return createHash('sha256').update(subject).digest('hex');
}

/**
 * {@link NotificationClaims} in the plugin's database: insert-if-absent on the
 * subject's key, atomic on SQLite and PostgreSQL alike.
 */
export class DatabaseNotificationClaims implements NotificationClaims {
  constructor(private readonly db: Knex) {}

  async claim(subject: string): Promise<boolean> {
    const inserted = await this.db(TABLE)
      .insert({
        claim_key: claimKey(subject),
        subject,
        claimed_at: new Date(),
      })
      .onConflict('claim_key')
      .ignore()
      .returning(['claim_key']);
    return inserted.length === 1;
  }

  async release(subject: string): Promise<void> {
    await this.db(TABLE)
      .where({ claim_key: claimKey(subject) })
      .delete();
  }

  async deleteOlderThan(time: Date): Promise<number> {
    return this.db(TABLE).where('claimed_at', '<', time).delete();
  }
}
