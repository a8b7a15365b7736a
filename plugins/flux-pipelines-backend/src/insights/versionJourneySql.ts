import { ObjectRef } from '../domain/objectKey';
import { EnvironmentPeriod } from './InsightsStore';
import {
  Fragment,
  deployed,
  onTargets,
  sameObject,
  succeeded,
} from './insightsRules';
import { InsightsSql } from './insightsSql';

const TABLE = 'deployments';

/**
 * The SQL of a version's journey to an environment: when it got there, where
 * it started, and the promotion that brought it. Each function returns the
 * values (`x`, milliseconds) or the count a figure is computed from.
 */
export class VersionJourneySql {
  constructor(private readonly sql: InsightsSql) {}

  /** Per version that reached the environment through the first one: its first start there to its arrival here. */
  leadTimes(p: EnvironmentPeriod): Fragment {
    const journey = this.journey(p);
    const { ms } = this.sql;
    return {
      sql: `${journey.sql} SELECT ${ms('r.done')} - ${ms(
        'f.started',
      )} AS x FROM reached r JOIN passed f ON f.chart_version = r.chart_version`,
      bindings: journey.bindings,
    };
  }

  /** How many versions reached the environment without passing through the first one. */
  skippedFirst(p: EnvironmentPeriod): Fragment {
    const journey = this.journey(p);
    return {
      sql: `${journey.sql} SELECT count(*) AS n FROM reached r WHERE r.chart_version NOT IN (SELECT chart_version FROM passed)`,
      bindings: journey.bindings,
    };
  }

  /** Per version that reached the environment: from the newest promotion of it into the environment requested before, to its arrival. */
  promotionTimes(p: EnvironmentPeriod): Fragment {
    const reached = this.reached(p);
    const { ms } = this.sql;
    return {
      sql:
        `WITH ${reached.sql} SELECT ${ms('r.done')} - ${ms(
          'max(p.requested_at)',
        )} AS x ` +
        'FROM reached r JOIN promotions p ON p.version = r.chart_version AND p.pipeline_namespace = ? ' +
        'AND p.pipeline_name = ? AND p.environment = ? AND p.requested_at <= r.done GROUP BY r.chart_version, r.done',
      bindings: [
        ...reached.bindings,
        p.pipeline.namespace,
        p.pipeline.name,
        p.environment,
      ],
    };
  }

  /** `reached` and `passed` as a WITH clause. */
  private journey(p: EnvironmentPeriod): Fragment {
    const reached = this.reached(p);
    const passed = this.passed(p);
    return {
      sql: `WITH ${reached.sql}, ${passed.sql}`,
      bindings: [...reached.bindings, ...passed.bindings],
    };
  }

  /**
   * Per version that reached the environment after it reached the previous
   * one (succeeded on all its targets there, by a deployment of its own):
   * the time between, approval, gates and deploying included.
   */
  hopTimes(p: EnvironmentPeriod, previousTargets: ObjectRef[]): Fragment {
    const reached = this.reached(p);
    const previous = targetsTable('previous', previousTargets);
    const before = this.arrivals(
      'before',
      'SELECT chart_version FROM reached',
      previous,
    );
    const { ms } = this.sql;
    return {
      sql:
        `WITH ${reached.sql}, ${previous.sql}, ${before} ` +
        `SELECT ${ms('r.done')} - ${ms('b.done')} AS x FROM reached r ` +
        'JOIN before b ON b.chart_version = r.chart_version WHERE b.done <= r.done',
      bindings: [...reached.bindings, ...previous.bindings],
    };
  }

  /**
   * The versions that reached the environment in the period: succeeded on
   * every one of its targets (`succeededEverywhere`,
   * correlate/confirmedSuccess.ts) by a deployment of their own (not a
   * rollback to them), the last of them in the period; `done` is when the
   * last target succeeded.
   */
  private reached(p: EnvironmentPeriod): Fragment {
    const recent = this.sql.finishedIn(p, 'r');
    // Candidates: versions with a success here in the period (a range read per target).
    const candidates = `SELECT DISTINCT r.chart_version FROM ${TABLE} r WHERE ${
      recent.sql
    } AND ${succeeded('r')}`;
    const here = targetsTable('here', p.targets);
    const period = 'AND max(d.finished_at) >= ? AND max(d.finished_at) < ?';
    return {
      sql: `${here.sql}, ${this.arrivals('reached', candidates, here, period)}`,
      bindings: [
        ...here.bindings,
        ...recent.bindings,
        this.sql.time(p.from),
        this.sql.time(p.to),
      ],
    };
  }

  /**
   * A WITH clause `name (chart_version, done)`: the `candidates` versions
   * that succeeded on every target of `targets` by a deployment of their own,
   * and when the last one did; each version's row on each target is read by
   * primary key.
   */
  private arrivals(
    name: string,
    candidates: string,
    targets: { name: string; count: number },
    having = '',
  ): string {
    return (
      `${name} AS (SELECT d.chart_version, max(d.finished_at) AS done FROM (${candidates}) v ` +
      `CROSS JOIN ${targets.name} t JOIN ${TABLE} d ON ${sameObject(
        'd',
        't',
      )} ` +
      `AND d.chart_version = v.chart_version WHERE ${deployed(
        'd',
        this.sql.shift,
      )} ` +
      `GROUP BY d.chart_version HAVING count(*) = ${targets.count} ${having})`
    );
  }

  /**
   * Of the versions reached, those that passed through the first environment
   * (`passedThrough`, domain/skipped.ts: succeeded on all its targets), with
   * their first deployment start there. After {@link reached}.
   */
  private passed(p: EnvironmentPeriod): Fragment {
    const first = onTargets('f', p.firstTargets);
    return {
      sql:
        `passed AS (SELECT f.chart_version, min(coalesce(f.started_at, f.finished_at)) AS started FROM ${TABLE} f ` +
        `WHERE ${first.sql} AND f.chart_version IN (SELECT chart_version FROM reached) GROUP BY f.chart_version ` +
        `HAVING sum(CASE WHEN ${succeeded('f')} THEN 1 ELSE 0 END) = ${
          p.firstTargets.length
        })`,
      bindings: first.bindings,
    };
  }
}

/** Targets as a WITH clause `name (cluster, namespace, kind, name)`. */
function targetsTable(
  name: string,
  targets: ObjectRef[],
): Fragment & { name: string; count: number } {
  const rows = targets.map(() => '(?, ?, ?, ?)').join(', ');
  return {
    name,
    count: targets.length,
    sql: `${name} (cluster, namespace, kind, name) AS (VALUES ${rows})`,
    bindings: targets.flatMap(t => [t.cluster, t.namespace, t.kind, t.name]),
  };
}
