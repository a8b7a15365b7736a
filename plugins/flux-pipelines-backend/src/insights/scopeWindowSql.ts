import { EnvironmentPeriod } from './InsightsStore';
import { FACTS } from './deploymentFactsSql';
import { Fragment, sameObject } from './insightsRules';
import { InsightsSql } from './insightsSql';

/**
 * The WITH clauses every insights query of a scope starts with: the scope as
 * rows (each environment asked for is `e`, its index in the periods; its
 * targets by role `here`, `first` — the pipeline's first environment — and
 * `previous`), and `w`: the summary (deploymentFactsSql.ts) of every
 * deployment on those targets that finished since the period's start, read
 * once by index range, the rules of insightsRules.ts decided on write as 0/1
 * columns:
 *
 * - `scope (e, role, cluster, namespace, kind, name)`;
 * - `envs (e, here_n, first_n, previous_n, pipeline_namespace, pipeline_name, environment)`;
 * - `w (…row, ok, failed, unconfirmed, deployed, restored_at)`: `ok` is
 *   `succeeded`, `deployed` is `deployed` (not the target going back to it by
 *   a rollback), `restored_at` a failure's next success on its target;
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
  const clauses = [
    `scope AS (${scopeRows.sql})`,
    `envs AS (${envRows.sql})`,
    `targets AS (SELECT DISTINCT ${target.join(', ')} FROM scope)`,
    `w AS (SELECT f.* FROM targets t ${sql.lookup(
      FACTS,
      'f',
      `${sameObject('f', 't')} AND f.finished_at >= ?`,
    )})`,
    `h AS (SELECT s.e, w.* FROM scope s JOIN w ON ${sameObject(
      'w',
      's',
    )} WHERE s.role = 'here')`,
  ];
  return {
    sql: `WITH ${clauses.join(', ')}`,
    bindings: [...scopeRows.bindings, ...envRows.bindings, sql.time(from)],
  };
}
