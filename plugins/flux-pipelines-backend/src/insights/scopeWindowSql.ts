import { EnvironmentPeriod } from './InsightsStore';
import { FACTS, FACT_COLUMNS } from './deploymentFactsSql';
import { Fragment, sameObject } from './insightsRules';
import { InsightsSql } from './insightsSql';

const TARGET = ['cluster', 'namespace', 'kind', 'name'] as const;
type Target = Record<(typeof TARGET)[number], string>;

/** Numbers each distinct target, in the order first seen. */
class TargetNumbers {
  readonly rows: Array<Target & { t: number }> = [];
  private readonly numbers = new Map<string, number>();

  of(target: Target): number {
    const key = JSON.stringify(TARGET.map(c => target[c]));
    let t = this.numbers.get(key);
    if (t === undefined) {
      t = this.rows.length;
      this.numbers.set(key, t);
      const { cluster, namespace, kind, name } = target;
      this.rows.push({ t, cluster, namespace, kind, name });
    }
    return t;
  }
}

/**
 * The WITH clauses every insights query of a scope starts with: the scope as
 * rows (each environment asked for is `e`, its index in the periods; each
 * distinct target is `t`, a number given here, so the joins that follow
 * compare one integer instead of four names; its targets by role `here`,
 * `first` — the pipeline's first environment — and `previous`), and `w`: the
 * summary (deploymentFactsSql.ts) of every deployment on those targets that
 * finished since the period's start, read once by index range, the rules of
 * insightsRules.ts decided on write as 0/1 columns:
 *
 * - `targets (t, cluster, namespace, kind, name)`;
 * - `scope (e, role, t)`;
 * - `envs (e, here_n, first_n, previous_n, pipeline_namespace, pipeline_name, environment)`;
 * - `w (t, cluster, namespace, chart_version, started_at, finished_at,
 *   duration_ms, ok, failed, unconfirmed, deployed, restored_at)`: `ok` is
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
  const targets = new TargetNumbers();
  const scope = periods.flatMap((p, e) =>
    (
      [
        ['here', p.targets],
        ['first', p.firstTargets],
        ['previous', p.previous?.targets ?? []],
      ] as const
    ).flatMap(([role, list]) => list.map(t => ({ e, role, t: targets.of(t) }))),
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
  const targetRows = sql.jsonRows(['t:int', ...TARGET], targets.rows);
  const scopeRows = sql.jsonRows(['e:int', 'role', 't:int'], scope);
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
  // (a window needs no row's update time)
  const columns = [
    'chart_version',
    ...FACT_COLUMNS.filter(c => c !== 'updated_at'),
  ];
  const clauses = [
    `targets AS (${targetRows.sql})`,
    `scope AS (${scopeRows.sql})`,
    `envs AS (${envRows.sql})`,
    `w AS (SELECT t.t, t.cluster, t.namespace, ${columns
      .map(c => `f.${c}`)
      .join(', ')} FROM targets t ${sql.lookup(
      FACTS,
      'f',
      `${sameObject('f', 't')} AND f.finished_at >= ?`,
    )})`,
    "h AS (SELECT s.e, w.* FROM scope s JOIN w ON w.t = s.t WHERE s.role = 'here')",
  ];
  return {
    sql: `WITH ${clauses.join(', ')}`,
    bindings: [
      ...targetRows.bindings,
      ...scopeRows.bindings,
      ...envRows.bindings,
      sql.time(from),
    ],
  };
}
