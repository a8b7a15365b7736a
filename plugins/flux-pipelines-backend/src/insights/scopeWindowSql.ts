import { SAME_MOMENT_MS } from '../domain/rollback';
import { EnvironmentPeriod } from './InsightsStore';
import {
  Fragment,
  failed,
  sameObject,
  succeeded,
  unconfirmedSuccess,
} from './insightsRules';
import { InsightsSql } from './insightsSql';

const TABLE = 'deployments';
/** A condition as a 0/1 column, the same on both databases. */
const flag = (condition: string) => `CASE WHEN ${condition} THEN 1 ELSE 0 END`;
/** The columns of a deployment row the figures read. */
const ROW = [
  'cluster',
  'namespace',
  'kind',
  'name',
  'chart_version',
  'status',
  'started_at',
  'finished_at',
  'duration_ms',
].map(c => `d.${c}`);

/**
 * The WITH clauses every insights query of a scope starts with: the scope as
 * rows (each environment asked for is `e`, its index in the periods; its
 * targets by role `here`, `first` — the pipeline's first environment — and
 * `previous`), and `w`: every deployment on those targets that finished since
 * the period's start, read once by index range, with the rules of
 * insightsRules.ts as 0/1 columns:
 *
 * - `scope (e, role, cluster, namespace, kind, name)`;
 * - `envs (e, here_n, first_n, previous_n, pipeline_namespace, pipeline_name, environment)`;
 * - `w (…row, ok, failed, unconfirmed, deployed)`: `ok` is `succeeded`,
 *   `deployed` is `deployed` (not the target going back to it by a rollback);
 * - `h`: `w` of each environment's own targets, with `e`.
 *
 * All periods share one `from` and `to`.
 */
export function scopeWindow(
  sql: InsightsSql,
  periods: EnvironmentPeriod[],
): Fragment {
  const { from } = periods[0];
  const scope = periods.flatMap((p, e) =>
    (
      [
        ['here', p.targets],
        ['first', p.firstTargets],
        ['previous', p.previous?.targets ?? []],
      ] as const
    ).flatMap(([role, targets]) => targets.map(t => ({ e, role, ...t }))),
  );
  const envs = periods.map((p, e) => ({
    e,
    here_n: p.targets.length,
    first_n: p.firstTargets.length,
    previous_n: p.previous?.targets.length ?? 0,
    pipeline_namespace: p.pipeline.namespace,
    pipeline_name: p.pipeline.name,
    environment: p.environment,
  }));
  const target = ['cluster', 'namespace', 'kind', 'name'];
  const scopeRows = sql.jsonRows(['e:int', 'role', ...target], scope);
  const envRows = sql.jsonRows(
    [
      'e:int',
      'here_n:int',
      'first_n:int',
      'previous_n:int',
      'pipeline_namespace',
      'pipeline_name',
      'environment',
    ],
    envs,
  );
  const { shift } = sql;
  const clauses = [
    `scope AS (${scopeRows.sql})`,
    `envs AS (${envRows.sql})`,
    `targets AS (SELECT DISTINCT ${target.join(', ')} FROM scope)`,
    `raw AS (SELECT ${ROW.join(', ')}, ${flag(succeeded('d'))} AS ok, ` +
      `${flag(failed('d'))} AS failed, ${flag(
        unconfirmedSuccess('d'),
      )} AS unconfirmed ` +
      `FROM targets t ${sql.lookup(
        TABLE,
        'd',
        `${sameObject('d', 't')} AND d.finished_at >= ?`,
      )})`,
    // The rollbacks that may have reinstated a row of `raw`, and the row
    // each went back to (`rolledBackTo`, domain/rollback.ts: the newest other
    // success by the rollback): that row is not a deployment of its own.
    `rollbacks AS (SELECT d.cluster, d.namespace, d.kind, d.name, d.chart_version, d.updated_at ` +
      `FROM targets t ${sql.lookup(
        TABLE,
        'd',
        `${sameObject(
          'd',
          't',
        )} AND d.status = 'rolled-back' AND d.updated_at >= ?`,
      )})`,
    `reinstated AS (SELECT DISTINCT r.cluster, r.namespace, r.kind, r.name, r.chart_version FROM rollbacks b ` +
      `JOIN raw r ON ${sameObject('r', 'b')} AND r.ok = 1 ` +
      `AND r.chart_version <> b.chart_version AND r.finished_at >= ${shift(
        'b.updated_at',
        -SAME_MOMENT_MS,
      )} ` +
      `AND r.finished_at <= ${shift('b.updated_at', SAME_MOMENT_MS)} ` +
      `WHERE r.finished_at = (SELECT s.finished_at FROM ${TABLE} s WHERE ${sameObject(
        's',
        'b',
      )} AND ${succeeded('s')} ` +
      `AND s.chart_version <> b.chart_version AND s.finished_at <= ${shift(
        'b.updated_at',
        SAME_MOMENT_MS,
      )} ` +
      'ORDER BY s.finished_at DESC LIMIT 1))',
    `w AS (SELECT r.*, CASE WHEN r.ok = 1 AND x.chart_version IS NULL THEN 1 ELSE 0 END AS deployed ` +
      `FROM raw r LEFT JOIN reinstated x ON ${sameObject(
        'x',
        'r',
      )} AND x.chart_version = r.chart_version)`,
    `h AS (SELECT s.e, w.* FROM scope s JOIN w ON ${sameObject(
      'w',
      's',
    )} WHERE s.role = 'here')`,
  ];
  return {
    sql: `WITH ${clauses.join(', ')}`,
    bindings: [
      ...scopeRows.bindings,
      ...envRows.bindings,
      sql.time(from),
      sql.time(new Date(from.getTime() - SAME_MOMENT_MS)),
    ],
  };
}
