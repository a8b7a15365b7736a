import { Knex } from 'knex';
import { ObjectRef } from '../domain/objectKey';
import {
  Fragment,
  failed,
  onTargets,
  succeeded,
  unconfirmedSuccess,
} from './insightsRules';
import { InsightsSql } from './insightsSql';

/** One environment of one pipeline over a period, as the queries need it. */
export interface EnvironmentPeriod {
  pipeline: { namespace: string; name: string };
  environment: string;
  /** The environment's targets (the pipeline's app on each). */
  targets: ObjectRef[];
  /** The targets of the pipeline's first environment. */
  firstTargets: ObjectRef[];
  from: Date;
  to: Date;
}

/** The raw figures of an environment, before they are described. */
export interface EnvironmentFigures {
  succeeded: number;
  failed: number;
  unconfirmed: number;
  /** Successes per UTC day (days since the epoch), days without any left out. */
  perDay: Array<{ day: number; count: number }>;
  leadTime: Percentiles & { skippedFirstEnvironment: number };
  timeToRestore: Percentiles;
  duration: Percentiles;
  slowestTargets: Array<Percentiles & { cluster: string; namespace: string }>;
  promotionTime: Percentiles;
}

export interface Percentiles {
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}

const TABLE = 'deployments';

/**
 * The insights queries: SQL aggregates over the indexed columns of
 * `deployments` (and `promotions`), one environment at a time. Nothing reads
 * an environment's history into memory.
 */
export class DatabaseInsightsStore {
  private readonly sql: InsightsSql;

  constructor(db: Knex) {
    this.sql = new InsightsSql(db);
  }

  async environmentFigures(p: EnvironmentPeriod): Promise<EnvironmentFigures> {
    const [
      counts,
      perDay,
      leadTime,
      skipped,
      restore,
      duration,
      slowest,
      promotion,
    ] = await Promise.all([
      this.counts(p),
      this.perDay(p),
      this.percentiles(this.leadTimes(p)),
      this.skippedFirst(p),
      this.percentiles(this.restoreTimes(p)),
      this.percentiles(this.durations(p, 'd')),
      this.slowestTargets(p),
      this.percentiles(this.promotionTimes(p)),
    ]);
    return {
      ...counts,
      perDay,
      leadTime: { ...leadTime, skippedFirstEnvironment: skipped },
      timeToRestore: restore,
      duration,
      slowestTargets: slowest,
      promotionTime: promotion,
    };
  }

  /** Deployments of the environment that finished in the period (`alias` names the row). */
  private finishedIn(p: EnvironmentPeriod, alias: string): Fragment {
    const targets = onTargets(alias, p.targets);
    return {
      sql: `${targets.sql} AND ${alias}.finished_at >= ? AND ${alias}.finished_at < ?`,
      bindings: [
        ...targets.bindings,
        this.sql.time(p.from),
        this.sql.time(p.to),
      ],
    };
  }

  private async counts(p: EnvironmentPeriod) {
    const where = this.finishedIn(p, 'd');
    const count = (condition: string) =>
      `coalesce(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;
    const [row] = await this.sql.rows<Record<string, unknown>>({
      sql: `SELECT ${count(succeeded('d'))} AS succeeded, ${count(
        failed('d'),
      )} AS failed, ${count(
        unconfirmedSuccess('d'),
      )} AS unconfirmed FROM ${TABLE} d WHERE ${where.sql}`,
      bindings: where.bindings,
    });
    return {
      succeeded: Number(row.succeeded),
      failed: Number(row.failed),
      unconfirmed: Number(row.unconfirmed),
    };
  }

  private async perDay(p: EnvironmentPeriod) {
    const where = this.finishedIn(p, 'd');
    const day = this.sql.day('d.finished_at');
    const rows = await this.sql.rows<Record<string, unknown>>({
      sql: `SELECT ${day} AS day, count(*) AS count FROM ${TABLE} d WHERE ${
        where.sql
      } AND ${succeeded('d')} GROUP BY ${day} ORDER BY day`,
      bindings: where.bindings,
    });
    return rows.map(r => ({ day: Number(r.day), count: Number(r.count) }));
  }

  /** Successful deployments' durations: the controller's own, else finish − start. */
  private durations(p: EnvironmentPeriod, alias: string): Fragment {
    const where = this.finishedIn(p, alias);
    const ms = this.sql.ms.bind(this.sql);
    return {
      sql: `SELECT ${alias}.cluster, ${alias}.namespace, coalesce(${alias}.duration_ms, ${ms(
        `${alias}.finished_at`,
      )} - ${ms(`${alias}.started_at`)}) AS x FROM ${TABLE} ${alias} WHERE ${
        where.sql
      } AND ${succeeded(
        alias,
      )} AND (${alias}.duration_ms IS NOT NULL OR ${alias}.started_at IS NOT NULL)`,
      bindings: where.bindings,
    };
  }

  private async slowestTargets(p: EnvironmentPeriod) {
    const rows = await this.sql.percentiles(
      this.durations(p, 'd'),
      [0.5, 0.9],
      {
        groupBy: ['cluster', 'namespace'],
        tail: 'ORDER BY p0 DESC, cluster, namespace LIMIT 5',
      },
    );
    return rows.map(r => ({
      cluster: r.cluster,
      namespace: r.namespace,
      n: r.n,
      medianMs: wholeMs(r.p[0]),
      p90Ms: wholeMs(r.p[1]),
    }));
  }

  /**
   * The versions that reached the environment in the period: succeeded on
   * every one of its targets (`succeededEverywhere`), the last of them in the
   * period; `done` is when the last target succeeded. As a `WITH` clause.
   */
  private reached(p: EnvironmentPeriod): Fragment {
    const all = onTargets('d', p.targets);
    const recent = this.finishedIn(p, 'r');
    const from = this.sql.time(p.from);
    const to = this.sql.time(p.to);
    return {
      sql:
        `reached AS (SELECT d.chart_version, max(d.finished_at) AS done FROM ${TABLE} d ` +
        `WHERE ${all.sql} AND ${succeeded('d')} AND d.chart_version IN ` +
        `(SELECT r.chart_version FROM ${TABLE} r WHERE ${
          recent.sql
        } AND ${succeeded('r')}) ` +
        `GROUP BY d.chart_version HAVING count(*) = ${p.targets.length} AND max(d.finished_at) >= ? AND max(d.finished_at) < ?)`,
      bindings: [...all.bindings, ...recent.bindings, from, to],
    };
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

  private leadTimes(p: EnvironmentPeriod): Fragment {
    const reached = this.reached(p);
    const passed = this.passed(p);
    const ms = this.sql.ms.bind(this.sql);
    return {
      sql: `WITH ${reached.sql}, ${passed.sql} SELECT ${ms('r.done')} - ${ms(
        'f.started',
      )} AS x FROM reached r JOIN passed f ON f.chart_version = r.chart_version`,
      bindings: [...reached.bindings, ...passed.bindings],
    };
  }

  private async skippedFirst(p: EnvironmentPeriod): Promise<number> {
    const reached = this.reached(p);
    const passed = this.passed(p);
    const [row] = await this.sql.rows<Record<string, unknown>>({
      sql: `WITH ${reached.sql}, ${passed.sql} SELECT count(*) AS n FROM reached r WHERE r.chart_version NOT IN (SELECT chart_version FROM passed)`,
      bindings: [...reached.bindings, ...passed.bindings],
    });
    return Number(row.n);
  }

  /** From each failure in the period to the next success on the same target; failures not yet restored are left out. */
  private restoreTimes(p: EnvironmentPeriod): Fragment {
    const where = this.finishedIn(p, 'f');
    const ms = this.sql.ms.bind(this.sql);
    const next =
      `(SELECT min(s.finished_at) FROM ${TABLE} s WHERE s.cluster = f.cluster AND s.namespace = f.namespace ` +
      `AND s.kind = f.kind AND s.name = f.name AND s.finished_at > f.finished_at AND ${succeeded(
        's',
      )})`;
    return {
      sql: `SELECT x FROM (SELECT ${ms(next)} - ${ms(
        'f.finished_at',
      )} AS x FROM ${TABLE} f WHERE ${where.sql} AND ${failed(
        'f',
      )}) t WHERE x IS NOT NULL`,
      bindings: where.bindings,
    };
  }

  /** From the newest promotion of a version into the environment (requested before it got there) to its arrival. */
  private promotionTimes(p: EnvironmentPeriod): Fragment {
    const reached = this.reached(p);
    const ms = this.sql.ms.bind(this.sql);
    return {
      sql:
        `WITH ${reached.sql} SELECT ${ms('r.done')} - ${ms(
          'max(p.requested_at)',
        )} AS x FROM reached r JOIN promotions p ` +
        `ON p.version = r.chart_version AND p.pipeline_namespace = ? AND p.pipeline_name = ? AND p.environment = ? AND p.requested_at <= r.done ` +
        `GROUP BY r.chart_version, r.done`,
      bindings: [
        ...reached.bindings,
        p.pipeline.namespace,
        p.pipeline.name,
        p.environment,
      ],
    };
  }

  private async percentiles(values: Fragment): Promise<Percentiles> {
    const [row] = await this.sql.percentiles(values, [0.5, 0.9]);
    return {
      n: row?.n ?? 0,
      medianMs: wholeMs(row?.p[0]),
      p90Ms: wholeMs(row?.p[1]),
    };
  }
}

/** Milliseconds are the finest unit a figure has (interpolation gives fractions). */
function wholeMs(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value);
}
