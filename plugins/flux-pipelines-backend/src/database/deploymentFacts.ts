import { Knex } from 'knex';
import { rebuildFacts, refreshFacts } from '../insights/deploymentFactsSql';
import { InsightsSql } from '../insights/insightsSql';
import { DeploymentRow } from './deploymentRows';
import { isPostgres } from './dialect';
import { FluxObjectRef } from './ObservationStore';
import { lockTargets } from './targetLocks';
import { toIsoString } from './timestamps';

const BACKFILL = 'deployment_facts_backfill';
/** Targets summarised per statement when building the table for existing rows. */
const TARGETS_PER_BATCH = 100;
const TARGET = ['cluster', 'namespace', 'kind', 'name'] as const;
type Target = Record<(typeof TARGET)[number], string>;

/**
 * Brings the insights' summary of the saved rows' targets up to date, in
 * one statement (run it in the transaction that saved them).
 */
export async function refreshDeploymentFacts(
  db: Knex,
  saved: DeploymentRow[],
): Promise<void> {
  if (!saved.length) return;
  const time = (v: DeploymentRow['started_at']) =>
    v === null ? Infinity : Date.parse(toIsoString(v));
  const changed = saved.map(r => ({
    cluster: r.cluster,
    namespace: r.namespace,
    kind: r.kind,
    name: r.name,
    chart_version: r.chart_version,
    t: Math.min(time(r.started_at), time(r.finished_at), time(r.updated_at)),
  }));
  const { sql, bindings } = refreshFacts(new InsightsSql(db), changed);
  await db.raw(sql, bindings as any);
}

/**
 * Summarises `targets`' rows of `deployments` from scratch, one statement
 * per {@link TARGETS_PER_BATCH} targets.
 */
export async function rebuildDeploymentFacts(
  db: Knex,
  targets: Target[],
): Promise<void> {
  const sql = new InsightsSql(db);
  for (let i = 0; i < targets.length; i += TARGETS_PER_BATCH) {
    const batch = rebuildFacts(sql, targets.slice(i, i + TARGETS_PER_BATCH));
    await db.raw(batch.sql, batch.bindings as any);
  }
}

/**
 * Builds the summary of the rows that existed before the summary table
 * (migration 20261213100000_deployment_facts): target by target in key
 * order, each batch in its own transaction with the cursor, so an
 * interrupted start resumes where it stopped. Does nothing once done.
 *
 * Another replica may ingest meanwhile. On PostgreSQL each batch first takes
 * the advisory locks of its targets that every ingest takes
 * (DatabaseTargetTransactions), so it summarises them wholly after a
 * concurrent ingest's commit or wholly before it: never from rows read
 * before that commit written over the summary that ingest kept (SQLite has
 * one writer at a time).
 */
export async function backfillDeploymentFacts(db: Knex): Promise<number> {
  let done = 0;
  for (;;) {
    const batch = await backfillBatch(db);
    if (!batch) return done;
    done += batch;
  }
}

/** One batch of {@link backfillDeploymentFacts}; returns how many targets it summarised. */
async function backfillBatch(db: Knex): Promise<number> {
  return db.transaction(async tx => {
    const cursor = await tx(BACKFILL).first();
    if (!cursor) return 0;
    let query = tx('deployments')
      .distinct(...TARGET)
      .orderBy([...TARGET])
      .limit(TARGETS_PER_BATCH);
    if (cursor.after_cluster !== null) {
      query = query.where(
        tx.raw('(cluster, namespace, kind, name) > (?, ?, ?, ?)', [
          cursor.after_cluster,
          cursor.after_namespace,
          cursor.after_kind,
          cursor.after_name,
        ]),
      );
    }
    const targets: Target[] = await query;
    if (!targets.length) {
      await tx(BACKFILL).delete();
      return 0;
    }
    if (isPostgres(tx)) {
      // the kind column only holds the kinds the ingest stores
      await lockTargets(tx, targets as FluxObjectRef[]);
    }
    await rebuildDeploymentFacts(tx, targets);
    const last = targets[targets.length - 1];
    await tx(BACKFILL).update({
      after_cluster: last.cluster,
      after_namespace: last.namespace,
      after_kind: last.kind,
      after_name: last.name,
    });
    return targets.length;
  });
}
