import { Knex } from 'knex';
import { isPostgres } from './dialect';
import { GLOBAL_KEY, RevisionStore } from './RevisionStore';

const TABLE = 'read_model_revisions';
/** Keys per SQLite statement, far below its bound-parameter limit. */
const KEYS_PER_QUERY = 500;

/** A {@link RevisionStore} on the plugin's database (or one of its transactions). */
export class DatabaseRevisionStore implements RevisionStore {
  private readonly postgres: boolean;

  constructor(private readonly db: Knex) {
    this.postgres = isPostgres(db);
  }

  async bump(keys: string[]): Promise<void> {
    if (!keys.length) return;
    // Sorted, so concurrent writers lock the rows in the same order (the
    // global one first: writers queue there, each bump is a transaction's
    // last statement, so they wait only for each other's commits).
    const unique = [...new Set([GLOBAL_KEY, ...keys])].sort();
    if (this.postgres) {
      await this.db.raw(
        `INSERT INTO ${TABLE} (key, revision) SELECT k, 1 FROM unnest(?::text[]) AS k
         ON CONFLICT (key) DO UPDATE SET revision = ${TABLE}.revision + 1`,
        [unique],
      );
      return;
    }
    for (let i = 0; i < unique.length; i += KEYS_PER_QUERY) {
      await this.db(TABLE)
        .insert(
          unique
            .slice(i, i + KEYS_PER_QUERY)
            .map(key => ({ key, revision: 1 })),
        )
        .onConflict('key')
        .merge({ revision: this.db.raw(`${TABLE}.revision + 1`) });
    }
  }

  async read(keys: string[]): Promise<Map<string, string>> {
    const revisions = new Map<string, string>();
    const unique = [...new Set(keys)];
    const rows: Array<{ key: string; revision: string | number }> = [];
    if (this.postgres && unique.length) {
      const result = await this.db.raw(
        `SELECT key, revision FROM ${TABLE} WHERE key = ANY(?::text[])`,
        [unique],
      );
      rows.push(...result.rows);
    } else {
      for (let i = 0; i < unique.length; i += KEYS_PER_QUERY) {
        rows.push(
          ...(await this.db(TABLE)
            .whereIn('key', unique.slice(i, i + KEYS_PER_QUERY))
            .select('key', 'revision')),
        );
      }
    }
    for (const row of rows) revisions.set(row.key, String(row.revision));
    return revisions;
  }
}
