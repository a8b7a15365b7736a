import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import {
  DeploymentStore,
  WORKING_SET_RECENT,
  newestFirst,
} from './DeploymentStore';
import { FluxObjectRef } from './ObservationStore';
import { isPostgres } from './dialect';
import { COLUMNS, DeploymentRow, fromRow, toRow } from './deploymentRows';
import { jsonRowsParameter, selectJsonRows } from './jsonRecordset';
import { refreshDeploymentFacts } from './deploymentFacts';
import { objectKey } from '../domain/objectKey';

const TABLE = 'deployments';
const KEY = ['cluster', 'namespace', 'kind', 'name', 'chart_version'];
const OBJECT = ['cluster', 'namespace', 'kind', 'name'];
/** Objects per query: four bound values each stays far below SQLite's limit. */
const REFS_PER_QUERY = 200;
/**
 * Rows per insert. PostgreSQL binds one array per column, so any number fits;
 * knex writes SQLite's multi-row insert as a compound SELECT, which SQLite
 * caps at 500 terms.
 */
const SAVE_BATCH = { postgres: 5000, sqlite: 400 };
/**
 * {@link newestFirst} in SQL. (knex's `nulls: 'last'` drops the column
 * itself on SQLite, so the unknown starts go last by hand.)
 */
const NEWEST_FIRST = `updated_at DESC, started_at IS NULL, started_at DESC, chart_version DESC`;

/** A {@link DeploymentStore} on the plugin's database. */
export class DatabaseDeploymentStore implements DeploymentStore {
  private readonly postgres: boolean;

  constructor(private readonly db: Knex) {
    this.postgres = isPostgres(db);
  }

  async listForObject(ref: FluxObjectRef): Promise<TargetDeployment[]> {
    const rows: DeploymentRow[] = await this.db(TABLE)
      .where({
        cluster: ref.cluster,
        namespace: ref.namespace,
        kind: ref.kind,
        name: ref.name,
      })
      .orderByRaw(NEWEST_FIRST);
    return rows.map(fromRow);
  }

  async listForObjects(refs: FluxObjectRef[]): Promise<TargetDeployment[]> {
    const unique = [
      ...new Map(
        refs.map(r => [objectKey(r), [r.cluster, r.namespace, r.kind, r.name]]),
      ).values(),
    ];
    const rows: DeploymentRow[] = [];
    for (let i = 0; i < unique.length; i += REFS_PER_QUERY) {
      rows.push(
        ...(await this.db(TABLE)
          .whereIn(OBJECT, unique.slice(i, i + REFS_PER_QUERY))
          .orderByRaw(NEWEST_FIRST)),
      );
    }
    const deployments = rows.map(fromRow);
    if (unique.length > REFS_PER_QUERY) {
      deployments.sort(newestFirst);
    }
    return deployments;
  }

  async listWorkingSet(
    targets: Array<{ ref: FluxObjectRef; versions: string[] }>,
  ): Promise<TargetDeployment[]> {
    if (!targets.length) return [];
    const rows = this.postgres
      ? await this.workingSetRowsPostgres(targets)
      : await this.workingSetRows(targets);
    const unique = new Map<string, DeploymentRow>();
    for (const row of rows) {
      unique.set(objectKey(row, row.chart_version), row);
    }
    return [...unique.values()].map(fromRow);
  }

  /**
   * PostgreSQL: one statement for any number of objects, with the objects
   * and versions as arrays; per object, index range reads under LATERAL.
   */
  private async workingSetRowsPostgres(
    targets: Array<{ ref: FluxObjectRef; versions: string[] }>,
  ): Promise<DeploymentRow[]> {
    const column = (pick: (r: FluxObjectRef) => string) =>
      targets.map(t => pick(t.ref));
    const versions = targets.flatMap(t =>
      t.versions.map(version => ({ ref: t.ref, version })),
    );
    const vcolumn = (pick: (r: FluxObjectRef) => string) =>
      versions.map(v => pick(v.ref));
    const same = `d.cluster = o.cluster AND d.namespace = o.namespace AND d.kind = o.kind AND d.name = o.name`;
    const result = await this.db.raw(
      `SELECT r.* FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS o(cluster, namespace, kind, name)
       CROSS JOIN LATERAL (
         (SELECT d.* FROM ${TABLE} d WHERE ${same} ORDER BY d.updated_at DESC LIMIT ${WORKING_SET_RECENT})
         UNION ALL
         (SELECT d.* FROM ${TABLE} d WHERE ${same} AND d.status IN ('succeeded', 'progressing'))
       ) AS r
       UNION ALL
       SELECT d.* FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS o(cluster, namespace, kind, name, chart_version)
       JOIN ${TABLE} d ON ${same} AND d.chart_version = o.chart_version`,
      [
        column(r => r.cluster),
        column(r => r.namespace),
        column(r => r.kind),
        column(r => r.name),
        vcolumn(r => r.cluster),
        vcolumn(r => r.namespace),
        vcolumn(r => r.kind),
        vcolumn(r => r.name),
        versions.map(v => v.version),
      ],
    );
    return result.rows;
  }

  /** SQLite: a few queries per few hundred objects. */
  private async workingSetRows(
    targets: Array<{ ref: FluxObjectRef; versions: string[] }>,
  ): Promise<DeploymentRow[]> {
    const rows: DeploymentRow[] = [];
    const keep = (found: DeploymentRow[]) => {
      rows.push(...found);
    };
    for (let i = 0; i < targets.length; i += REFS_PER_QUERY) {
      const chunk = targets.slice(i, i + REFS_PER_QUERY);
      const objects = chunk.map(({ ref: r }) => [
        r.cluster,
        r.namespace,
        r.kind,
        r.name,
      ]);
      // Each object's newest versions: one index range read per object.
      const recent = chunk.map(
        (_, n) =>
          `SELECT * FROM (SELECT * FROM ${TABLE} WHERE cluster = ? AND namespace = ? AND kind = ? AND name = ? ORDER BY updated_at DESC LIMIT ${WORKING_SET_RECENT}) AS recent_${n}`,
      );
      keep(await this.db.raw(recent.join(' UNION ALL '), objects.flat()));
      keep(
        await this.db(TABLE)
          .whereIn(OBJECT, objects)
          .whereIn('status', ['succeeded', 'progressing']),
      );
      const versions = chunk.flatMap(({ ref: r, versions: v }) =>
        v.map(version => [r.cluster, r.namespace, r.kind, r.name, version]),
      );
      for (let j = 0; j < versions.length; j += REFS_PER_QUERY) {
        keep(
          await this.db(TABLE).whereIn(
            KEY,
            versions.slice(j, j + REFS_PER_QUERY),
          ),
        );
      }
    }
    return rows;
  }

  /** Saves the rows, and the insights' summary of them in one more statement. */
  async save(deployments: TargetDeployment[]): Promise<void> {
    const batch = this.postgres ? SAVE_BATCH.postgres : SAVE_BATCH.sqlite;
    const all = deployments.map(toRow);
    for (let i = 0; i < all.length; i += batch) {
      const rows = all.slice(i, i + batch);
      if (this.postgres) {
        await this.upsertPostgres(rows);
      } else {
        await this.db(TABLE).insert(rows).onConflict(KEY).merge();
      }
    }
    await refreshDeploymentFacts(this.db, all);
  }

  /** PostgreSQL: all rows as one JSON parameter ({@link selectJsonRows}). */
  private async upsertPostgres(rows: DeploymentRow[]) {
    const names = COLUMNS.map(([name]) => name);
    await this.db.raw(
      `INSERT INTO ${TABLE} (${names.join(', ')}) ${selectJsonRows(COLUMNS)}
       ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET ${names
        .filter(n => !KEY.includes(n))
        .map(n => `${n} = EXCLUDED.${n}`)
        .join(', ')}`,
      [jsonRowsParameter(rows)],
    );
  }
}
