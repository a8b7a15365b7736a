import { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { FluxObjectRef, ObservationStore } from './ObservationStore';
import { isPostgres } from './dialect';
import { toDate, toIsoString } from './timestamps';
import { jsonRowsParameter, selectJsonRows } from './jsonRecordset';

const TABLE = 'observations';
/**
 * Rows per insert. PostgreSQL binds one JSON parameter, so a whole
 * transaction's rows go in one statement; knex writes SQLite's multi-row
 * insert as a compound SELECT, which SQLite caps at 500 terms (a bigger
 * batch failed as a whole), at 19 bound values a row.
 */
const BATCH = { postgres: 5000, sqlite: 400 };

interface ObservationRow {
  id?: number | string;
  dedup_key: string;
  occurrence_key: string;
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  uid: string | null;
  chart_version: string | null;
  app_version: string | null;
  digest: string | null;
  config_digest: string | null;
  action: string;
  outcome: string;
  reason: string;
  message: string;
  observed_at: Date | string | number;
  duration_ms: number | string | null;
  source: string;
  recorded_at: Date | string | number;
}

/** The columns an insert writes, with their PostgreSQL types. */
const COLUMNS: Array<[keyof ObservationRow, string]> = [
  ['dedup_key', 'text'],
  ['occurrence_key', 'text'],
  ['cluster', 'text'],
  ['namespace', 'text'],
  ['kind', 'text'],
  ['name', 'text'],
  ['uid', 'text'],
  ['chart_version', 'text'],
  ['app_version', 'text'],
  ['digest', 'text'],
  ['config_digest', 'text'],
  ['action', 'text'],
  ['outcome', 'text'],
  ['reason', 'text'],
  ['message', 'text'],
  ['observed_at', 'timestamptz'],
  ['duration_ms', 'bigint'],
  ['source', 'text'],
  ['recorded_at', 'timestamptz'],
];

/**
 * An {@link ObservationStore} on the plugin's database. Uniqueness of the
 * de-duplication keys is enforced by the database, so concurrent writers
 * (several replicas, a watch and a webhook) record each occurrence once.
 */
export class DatabaseObservationStore implements ObservationStore {
  private readonly postgres: boolean;

  constructor(private readonly db: Knex) {
    this.postgres = isPostgres(db);
  }

  async record(
    items: Array<{ observation: Observation; occurrenceKey: string }>,
  ): Promise<Observation[]> {
    const inserted = new Set<string>();
    const now = new Date();
    const batch = this.postgres ? BATCH.postgres : BATCH.sqlite;
    for (let i = 0; i < items.length; i += batch) {
      const rows = items
        .slice(i, i + batch)
        .map(item => toRow(item.observation, item.occurrenceKey, now));
      const result: Array<{ dedup_key: string }> = this.postgres
        ? await this.insertPostgres(rows)
        : await this.db(TABLE)
            .insert(rows)
            .onConflict()
            .ignore()
            .returning(['dedup_key']);
      for (const row of result) {
        inserted.add(row.dedup_key);
      }
    }
    return items
      .map(item => item.observation)
      .filter(observation => inserted.delete(observation.dedupKey));
  }

  /** PostgreSQL: all rows as one JSON parameter ({@link selectJsonRows}). */
  private async insertPostgres(
    rows: ObservationRow[],
  ): Promise<Array<{ dedup_key: string }>> {
    const columns = COLUMNS.map(([name]) => name).join(', ');
    const result = await this.db.raw(
      `INSERT INTO ${TABLE} (${columns}) ${selectJsonRows(COLUMNS)}
       ON CONFLICT DO NOTHING RETURNING dedup_key`,
      [jsonRowsParameter(rows)],
    );
    return result.rows;
  }

  async listForObject(
    ref: FluxObjectRef,
    options?: { limit?: number; action?: Observation['action'] },
  ): Promise<Observation[]> {
    const rows: ObservationRow[] = await this.db(TABLE)
      .where({
        cluster: ref.cluster,
        namespace: ref.namespace,
        kind: ref.kind,
        name: ref.name,
        ...(options?.action ? { action: options.action } : {}),
      })
      .orderBy([
        { column: 'observed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options?.limit ?? 100);
    return rows.map(fromRow);
  }

  async deleteOlderThan(time: Date): Promise<number> {
    return this.db(TABLE).where('observed_at', '<', time).delete();
  }
}

function toRow(
  o: Observation,
  occurrenceKey: string,
  now: Date,
): ObservationRow {
  return {
    dedup_key: o.dedupKey,
    occurrence_key: occurrenceKey,
    cluster: o.cluster,
    namespace: o.namespace,
    kind: o.kind,
    name: o.name,
    uid: o.uid ?? null,
    chart_version: o.chartVersion ?? null,
    app_version: o.appVersion ?? null,
    digest: o.digest ?? null,
    config_digest: o.configDigest ?? null,
    action: o.action,
    outcome: o.outcome,
    reason: o.reason,
    message: o.message,
    observed_at: toDate(o.time),
    duration_ms: o.durationMs ?? null,
    source: o.source,
    recorded_at: now,
  };
}

function fromRow(row: ObservationRow): Observation {
  const optional = <T>(value: T | null): T | undefined => value ?? undefined;
  return {
    cluster: row.cluster,
    namespace: row.namespace,
    kind: row.kind as Observation['kind'],
    name: row.name,
    uid: optional(row.uid),
    chartVersion: optional(row.chart_version),
    appVersion: optional(row.app_version),
    digest: optional(row.digest),
    configDigest: optional(row.config_digest),
    action: row.action as Observation['action'],
    outcome: row.outcome as Observation['outcome'],
    reason: row.reason,
    message: row.message,
    time: toIsoString(row.observed_at),
    durationMs: row.duration_ms === null ? undefined : Number(row.duration_ms),
    source: row.source as Observation['source'],
    dedupKey: row.dedup_key,
  };
}
