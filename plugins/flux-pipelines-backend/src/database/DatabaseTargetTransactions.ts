import { Knex } from 'knex';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DatabaseObservationStore } from './DatabaseObservationStore';
import { DatabaseRevisionStore } from './DatabaseRevisionStore';
import { FluxObjectRef } from './ObservationStore';
import { TargetStores, TargetTransactions } from './TargetTransactions';
import { isPostgres } from './dialect';
import { lockTargets } from './targetLocks';

/** PostgreSQL: deadlock detected, serialization failure. */
const RETRYABLE_CODES = new Set(['40P01', '40001']);
/** SQLite: another connection holds the database. */
const SQLITE_BUSY = /SQLITE_BUSY|database is locked/;

/**
 * {@link TargetTransactions} on the plugin's database. On PostgreSQL each unit
 * first takes a transaction-scoped advisory lock on each object (cluster,
 * namespace, kind, name), so replicas updating the same object's deployments
 * queue behind each other, even when the object has no rows yet (a row lock
 * with `FOR UPDATE` could not cover that case). Every unit takes its locks in
 * the same (ascending) order in one statement, and before inserting the
 * observations, which orders the waits on their unique keys the same way too,
 * so units cannot deadlock. SQLite has one writer at a time anyway. A deadlock
 * or busy database is retried a few times.
 */
export class DatabaseTargetTransactions implements TargetTransactions {
  private readonly postgres: boolean;

  constructor(
    private readonly db: Knex,
    private readonly options: { attempts?: number } = {},
  ) {
    this.postgres = isPostgres(db);
  }

  async run<T>(
    refs: FluxObjectRef[],
    work: (stores: TargetStores) => Promise<T>,
  ): Promise<T> {
    const attempts = this.options.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async tx => {
          if (this.postgres) await lockTargets(tx, refs);
          return work({
            observations: new DatabaseObservationStore(tx),
            deployments: new DatabaseDeploymentStore(tx),
            revisions: new DatabaseRevisionStore(tx),
          });
        });
      } catch (error) {
        if (attempt >= attempts || !isRetryable(error)) throw error;
        await new Promise(r => setTimeout(r, 20 * attempt * Math.random()));
      }
    }
  }
}

function isRetryable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return (
    (typeof e?.code === 'string' && RETRYABLE_CODES.has(e.code)) ||
    SQLITE_BUSY.test(String(e?.message ?? e?.code ?? ''))
  );
}
