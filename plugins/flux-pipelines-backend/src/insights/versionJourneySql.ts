import { FACTS } from './deploymentFactsSql';
import { Fragment, sameObject } from './insightsRules';
import { InsightsSql } from './insightsSql';

/** A promotion `p` into the environment `n` (a row of `envs`). */
const samePipelineEnvironment = ['namespace', 'name']
  .map(c => `p.pipeline_${c} = n.pipeline_${c}`)
  .concat('p.environment = n.environment')
  .join(' AND ');
/** A promotion `p` of the version `r` reached, into its environment `n`, requested before it arrived. */
const promotionOf = `${samePipelineEnvironment} AND p.version = r.chart_version AND p.requested_at <= r.done`;
const HOP_JOIN =
  'JOIN arrived_before b ON b.e = r.e AND b.chart_version = r.chart_version';
const sameVersion = (a: string, b: string) =>
  `${sameObject(a, b)} AND ${a}.chart_version = ${b}.chart_version`;

/**
 * The SQL of versions' journeys through the pipelines of a scope, after
 * {@link scopeWindow}'s WITH clauses: when each version got to each
 * environment asked for, where it started, and the promotion that brought
 * it. Adds these WITH clauses (each row has `e`, the environment asked for):
 *
 * - `vrows (e, role, chart_version, started_at, finished_at, ok, deployed)`:
 *   the row of each candidate version (a success here in the period) on each
 *   target of each role — from `w` when it finished since the period's start,
 *   else its summary read by primary key (older rows, or unfinished ones);
 * - `reached (e, chart_version, done)`: the versions that reached the
 *   environment in the period: succeeded on every one of its targets
 *   (`succeededEverywhere`, correlate/confirmedSuccess.ts) by a deployment of
 *   their own (not a rollback to them), the last in the period; `done` is
 *   when the last target succeeded;
 * - `passed (e, chart_version, started)`: of those, the ones that passed
 *   through the first environment (`passedThrough`, domain/skipped.ts:
 *   succeeded on all its targets), with their first deployment start there;
 * - `arrived_before (e, chart_version, done)`: when they reached the previous
 *   environment (all its targets, by deployments of their own);
 * - `promoted`: the rows of `envs` any promotion went into.
 */
export function versionJourneys(
  sql: InsightsSql,
  period: { from: Date; to: Date },
): Fragment {
  const arrivals = (name: string, role: string, count: string) =>
    `${name} AS (SELECT v.e, v.chart_version, max(v.finished_at) AS done FROM vrows v ` +
    `JOIN envs n ON n.e = v.e WHERE v.role = '${role}' AND v.deployed = 1 ` +
    `GROUP BY v.e, v.chart_version, n.${count} HAVING count(*) = n.${count}`;
  const clauses = [
    'candidates AS (SELECT DISTINCT e, chart_version FROM h WHERE ok = 1 AND finished_at < ?)',
    'pairs AS (SELECT c.e, s.role, c.chart_version, s.cluster, s.namespace, s.kind, s.name ' +
      'FROM candidates c JOIN scope s ON s.e = c.e)',
    `missing AS MATERIALIZED (SELECT p.* FROM pairs p WHERE NOT EXISTS (SELECT 1 FROM w WHERE ${sameVersion(
      'w',
      'p',
    )}))`,
    'vrows AS (SELECT p.e, p.role, p.chart_version, w.started_at, w.finished_at, w.ok, w.deployed ' +
      `FROM pairs p JOIN w ON ${sameVersion('w', 'p')} UNION ALL ` +
      'SELECT m.e, m.role, m.chart_version, d.started_at, d.finished_at, d.ok, d.deployed ' +
      `FROM missing m ${sql.lookup(FACTS, 'd', sameVersion('d', 'm'))})`,
    `${arrivals(
      'reached',
      'here',
      'here_n',
    )} AND max(v.finished_at) >= ? AND max(v.finished_at) < ?)`,
    'passed AS (SELECT v.e, v.chart_version, min(coalesce(v.started_at, v.finished_at)) AS started ' +
      "FROM vrows v JOIN envs n ON n.e = v.e WHERE v.role = 'first' " +
      'GROUP BY v.e, v.chart_version, n.first_n HAVING sum(v.ok) = n.first_n)',
    `${arrivals('arrived_before', 'previous', 'previous_n')})`,
    "started_here AS (SELECT e, chart_version, min(coalesce(started_at, finished_at)) AS started FROM vrows WHERE role = 'here' GROUP BY e, chart_version)",
    // Environments any promotion went into: only their versions look for one.
    `promoted AS MATERIALIZED (SELECT n.* FROM envs n WHERE (SELECT 1 FROM promotions p WHERE ${samePipelineEnvironment} LIMIT 1) IS NOT NULL)`,
    // The approval (or, for one that needed none, the request) of the
    // newest promotion before each arrival.
    'approvals AS (SELECT r.e, r.chart_version, max(coalesce(p.approved_at, p.requested_at)) AS approved ' +
      `FROM reached r JOIN promoted n ON n.e = r.e ${sql.lookup(
        'promotions',
        'p',
        `${promotionOf} AND coalesce(p.approved_at, p.requested_at) <= r.done`,
      )} GROUP BY r.e, r.chart_version)`,
  ];
  return {
    sql: clauses.join(', '),
    bindings: [sql.time(period.to), sql.time(period.from), sql.time(period.to)],
  };
}

/**
 * The values (`e, figure, cluster, namespace, x` in milliseconds) of the
 * journey figures, after {@link versionJourneys}:
 *
 * - `lead`: per version reached through the first environment, its first
 *   start there to its arrival here;
 * - `skipped`: one row per version reached without passing through it;
 * - `promotion`: per version reached, from the newest promotion of it into
 *   the environment requested before, to its arrival;
 * - `hop`: per version reached after it reached the previous environment,
 *   the time between (approval, gates and deploying included);
 * - `hop_waiting`: of that, from the arrival there to the approval of the
 *   newest promotion (its request when it needed none) or, without one, the
 *   first start here (none when those came first);
 * - `hop_deploying`: from the first start here to the arrival.
 */
export function journeyValues(sql: InsightsSql): string {
  const { ms } = sql;
  const value = (figure: string, x: string) =>
    `SELECT r.e, '${figure}' AS figure, '' AS cluster, '' AS namespace, ${x} AS x FROM reached r`;
  return [
    `${value(
      'lead',
      `${ms('r.done')} - ${ms('f.started')}`,
    )} JOIN passed f ON f.e = r.e AND f.chart_version = r.chart_version`,
    `${value(
      'skipped',
      '0',
    )} WHERE NOT EXISTS (SELECT 1 FROM passed f WHERE f.e = r.e AND f.chart_version = r.chart_version)`,
    `${value('promotion', `${ms('r.done')} - ${ms('max(p.requested_at)')}`)} ` +
      `JOIN promoted n ON n.e = r.e ${sql.lookup(
        'promotions',
        'p',
        promotionOf,
      )} GROUP BY r.e, r.chart_version, r.done`,
    `${value(
      'hop',
      `${ms('r.done')} - ${ms('b.done')}`,
    )} ${HOP_JOIN} WHERE b.done <= r.done`,
    ...hopParts(sql).map(
      ([figure, x]) =>
        `${value(
          figure,
          x,
        )} ${HOP_JOIN} LEFT JOIN approvals a ON a.e = r.e AND a.chart_version = r.chart_version ` +
        'JOIN started_here s ON s.e = r.e AND s.chart_version = r.chart_version WHERE b.done <= r.done',
    ),
  ].join(' UNION ALL ');
}

/** A hop's waiting and deploying, as figure and value (needs `a`, `b`, `s`). */
function hopParts(sql: InsightsSql): Array<[string, string]> {
  const { ms } = sql;
  const waitedUntil = sql.greatest('coalesce(a.approved, s.started)', 'b.done');
  return [
    ['hop_waiting', `${ms(waitedUntil)} - ${ms('b.done')}`],
    ['hop_deploying', `${ms('r.done')} - ${ms('s.started')}`],
  ];
}
