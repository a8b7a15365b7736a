import { FACTS } from './deploymentFactsSql';
import { Fragment, sameObject } from './insightsRules';
import { InsightsSql } from './insightsSql';

/** A promotion `p` of the version `r` reached, into its environment `n` (a row of `envs`), requested before it arrived. */
const promotionOf = ['namespace', 'name']
  .map(c => `p.pipeline_${c} = n.pipeline_${c}`)
  .concat('p.environment = n.environment')
  .join(' AND ');
const requestedBefore = `${promotionOf} AND p.version = r.chart_version AND p.requested_at <= r.done`;
/** When a promotion was approved (one that needed no approval: requested). */
const APPROVED = 'coalesce(p.approved_at, p.requested_at)';

/** Per (e, chart_version): an aggregate of the rows of one role, `condition` met. */
const ofRole = (
  role: string,
  aggregate: string,
  value: string,
  condition = '1 = 1',
) =>
  `${aggregate}(CASE WHEN p.role = '${role}' AND ${condition} THEN ${value} END)`;
const FIRST_START = 'coalesce(v.started_at, v.finished_at)';

/**
 * The SQL of versions' journeys through the pipelines of a scope, after
 * {@link scopeWindow}'s WITH clauses: when each version got to each
 * environment asked for, where it started, and the promotion that brought
 * it. Adds these WITH clauses (each row has `e`, the environment asked for):
 *
 * - `pairs (e, role, t, chart_version)`: each candidate version (a success
 *   here in the period) on each target of each role;
 * - `vrows (t, chart_version, started_at, finished_at, ok, deployed)`: the
 *   summary of those — `w`'s rows, and by primary key the ones `w` has not
 *   (older rows, or unfinished ones);
 * - `journeys`: per version and environment, one pass over its rows by
 *   role: its deployments of its own (not a rollback to it) here, their
 *   count and last finish, its first start here, its successes and first
 *   start in the first environment, its deployments of its own and last
 *   finish in the previous one;
 * - `reached (e, chart_version, done, started_here, passed, before)`: the
 *   versions that reached the environment in the period: succeeded on every
 *   one of its targets (`succeededEverywhere`, correlate/confirmedSuccess.ts)
 *   by a deployment of their own, the last in the period; `done` is when the
 *   last target succeeded. `passed`: the first start in the first environment
 *   when they passed through it (`passedThrough`, domain/skipped.ts:
 *   succeeded on all its targets); `before`: when they reached the previous
 *   environment (all its targets, by deployments of their own), if not after `done`;
 * - `promoted`: the rows of `envs` any promotion went into; `asked`: per
 *   version reached there, the newest promotion of it into the environment
 *   requested before its arrival, and the newest approval (or, for one that
 *   needed none, request) before it;
 * - `rj`: `reached` with `requested` and `approved` of `asked`.
 */
export function versionJourneys(
  sql: InsightsSql,
  period: { from: Date; to: Date },
): Fragment {
  const deployed = 'v.deployed = 1';
  const clauses = [
    'candidates AS (SELECT DISTINCT e, chart_version FROM h WHERE ok = 1 AND finished_at < ?)',
    'pairs AS (SELECT c.e, s.role, s.t, c.chart_version FROM candidates c JOIN scope s ON s.e = c.e)',
    'missing AS MATERIALIZED (SELECT DISTINCT p.t, p.chart_version FROM pairs p ' +
      'WHERE NOT EXISTS (SELECT 1 FROM w WHERE w.t = p.t AND w.chart_version = p.chart_version))',
    'vrows AS (SELECT t, chart_version, started_at, finished_at, ok, deployed FROM w UNION ALL ' +
      'SELECT m.t, m.chart_version, d.started_at, d.finished_at, d.ok, d.deployed ' +
      `FROM missing m JOIN targets t ON t.t = m.t ${sql.lookup(
        FACTS,
        'd',
        `${sameObject('d', 't')} AND d.chart_version = m.chart_version`,
      )})`,
    `journeys AS (SELECT p.e, p.chart_version, ${[
      `${ofRole('here', 'sum', '1', deployed)} AS here_deployed`,
      `${ofRole('here', 'max', 'v.finished_at', deployed)} AS done`,
      `${ofRole('here', 'min', FIRST_START)} AS started_here`,
      `${ofRole('first', 'sum', 'v.ok')} AS first_ok`,
      `${ofRole('first', 'min', FIRST_START)} AS first_started`,
      `${ofRole('previous', 'sum', '1', deployed)} AS previous_deployed`,
      `${ofRole(
        'previous',
        'max',
        'v.finished_at',
        deployed,
      )} AS previous_done`,
    ].join(', ')} ` +
      'FROM pairs p JOIN vrows v ON v.t = p.t AND v.chart_version = p.chart_version GROUP BY p.e, p.chart_version)',
    'reached AS (SELECT j.e, j.chart_version, j.done, j.started_here, ' +
      'CASE WHEN j.first_ok = n.first_n THEN j.first_started END AS passed, ' +
      'CASE WHEN j.previous_deployed = n.previous_n AND j.previous_done <= j.done THEN j.previous_done END AS before ' +
      'FROM journeys j JOIN envs n ON n.e = j.e WHERE j.here_deployed = n.here_n AND j.done >= ? AND j.done < ?)',
    // Environments any promotion went into: only their versions look for one.
    `promoted AS MATERIALIZED (SELECT n.* FROM envs n WHERE (SELECT 1 FROM promotions p WHERE ${promotionOf} LIMIT 1) IS NOT NULL)`,
    `asked AS (SELECT r.e, r.chart_version, max(p.requested_at) AS requested, ` +
      `max(CASE WHEN ${APPROVED} <= r.done THEN ${APPROVED} END) AS approved ` +
      `FROM reached r JOIN promoted n ON n.e = r.e ${sql.lookup(
        'promotions',
        'p',
        requestedBefore,
      )} GROUP BY r.e, r.chart_version)`,
    'rj AS (SELECT r.*, a.requested, a.approved FROM reached r ' +
      'LEFT JOIN asked a ON a.e = r.e AND a.chart_version = r.chart_version)',
  ];
  return {
    sql: clauses.join(', '),
    bindings: [sql.time(period.to), sql.time(period.from), sql.time(period.to)],
  };
}

/**
 * The values (`e, figure, cluster, namespace, x` in milliseconds) of the
 * journey figures, after {@link versionJourneys}, each a scan of `rj`:
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
  const waitedUntil = sql.greatest(
    'coalesce(approved, started_here)',
    'before',
  );
  const values: Array<[string, string, string]> = [
    ['lead', `${ms('done')} - ${ms('passed')}`, 'passed IS NOT NULL'],
    ['skipped', '0', 'passed IS NULL'],
    [
      'promotion',
      `${ms('done')} - ${ms('requested')}`,
      'requested IS NOT NULL',
    ],
    ['hop', `${ms('done')} - ${ms('before')}`, 'before IS NOT NULL'],
    [
      'hop_waiting',
      `${ms(waitedUntil)} - ${ms('before')}`,
      'before IS NOT NULL',
    ],
    [
      'hop_deploying',
      `${ms('done')} - ${ms('started_here')}`,
      'before IS NOT NULL',
    ],
  ];
  return values
    .map(
      ([figure, x, where]) =>
        `SELECT e, '${figure}' AS figure, '' AS cluster, '' AS namespace, ${x} AS x FROM rj WHERE ${where}`,
    )
    .join(' UNION ALL ');
}
