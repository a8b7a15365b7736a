import { Knex } from 'knex';
import {
  EnvironmentFigures,
  EnvironmentPeriod,
  InsightsStore,
  Percentiles,
} from './InsightsStore';
import {
  Fragment,
  deployed,
  failed,
  sameObject,
  succeeded,
  unconfirmedSuccess,
} from './insightsRules';
import { InsightsSql } from './insightsSql';
import { VersionJourneySql } from './versionJourneySql';

const TABLE = 'deployments';
const NONE: Percentiles = { n: 0, medianMs: null, p90Ms: null };
/** The figures of an environment without targets. */
const NOTHING: EnvironmentFigures = {
  succeeded: 0,
  failed: 0,
  unconfirmed: 0,
  perDay: [],
  leadTime: { ...NONE, skippedFirstEnvironment: 0 },
  timeToRestore: NONE,
  duration: NONE,
  slowestTargets: [],
  promotionTime: NONE,
  hopTime: NONE,
};

/**
 * The insights queries: SQL aggregates over the indexed columns of
 * `deployments` (and `promotions`), one environment at a time. Nothing reads
 * an environment's history into memory.
 */
export class DatabaseInsightsStore implements InsightsStore {
  private readonly sql: InsightsSql;
  private readonly journey: VersionJourneySql;

  constructor(db: Knex) {
    this.sql = new InsightsSql(db);
    this.journey = new VersionJourneySql(this.sql);
  }

  async environmentFigures(p: EnvironmentPeriod): Promise<EnvironmentFigures> {
    if (!p.targets.length) return NOTHING;
    const [
      counts,
      perDay,
      leadTime,
      skipped,
      restore,
      duration,
      slowest,
      promotion,
      hop,
    ] = await Promise.all([
      this.counts(p),
      this.perDay(p),
      this.percentiles(this.journey.leadTimes(p)),
      this.count(this.journey.skippedFirst(p)),
      this.percentiles(this.restoreTimes(p)),
      this.percentiles(this.durations(p)),
      this.slowestTargets(p),
      this.percentiles(this.journey.promotionTimes(p)),
      p.previous?.targets.length
        ? this.percentiles(this.journey.hopTimes(p, p.previous.targets))
        : NONE,
    ]);
    return {
      ...counts,
      perDay,
      leadTime: { ...leadTime, skippedFirstEnvironment: skipped },
      timeToRestore: restore,
      duration,
      slowestTargets: slowest,
      promotionTime: promotion,
      hopTime: hop,
    };
  }

  private async counts(p: EnvironmentPeriod) {
    const where = this.sql.finishedIn(p, 'd');
    const count = (condition: string, as: string) =>
      `coalesce(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0) AS ${as}`;
    const columns = [
      count(deployed('d', this.sql.shift), 'succeeded'),
      count(failed('d'), 'failed'),
      count(unconfirmedSuccess('d'), 'unconfirmed'),
    ];
    const [row] = await this.sql.rows<Record<string, unknown>>({
      sql: `SELECT ${columns.join(', ')} FROM ${TABLE} d WHERE ${where.sql}`,
      bindings: where.bindings,
    });
    return {
      succeeded: Number(row.succeeded),
      failed: Number(row.failed),
      unconfirmed: Number(row.unconfirmed),
    };
  }

  private async perDay(p: EnvironmentPeriod) {
    const where = this.sql.finishedIn(p, 'd');
    const day = this.sql.day('d.finished_at');
    const counted = deployed('d', this.sql.shift);
    const rows = await this.sql.rows<Record<string, unknown>>({
      sql: `SELECT ${day} AS day, count(*) AS count FROM ${TABLE} d WHERE ${where.sql} AND ${counted} GROUP BY ${day} ORDER BY day`,
      bindings: where.bindings,
    });
    return rows.map(r => ({ day: Number(r.day), count: Number(r.count) }));
  }

  /** Successful deployments' durations: the controller's own, else finish − start. */
  private durations(p: EnvironmentPeriod): Fragment {
    const where = this.sql.finishedIn(p, 'd');
    const { ms } = this.sql;
    const x = `coalesce(d.duration_ms, ${ms('d.finished_at')} - ${ms(
      'd.started_at',
    )})`;
    const counted = deployed('d', this.sql.shift);
    return {
      sql:
        `SELECT d.cluster, d.namespace, ${x} AS x FROM ${TABLE} d WHERE ${where.sql} AND ${counted} ` +
        'AND (d.duration_ms IS NOT NULL OR d.started_at IS NOT NULL)',
      bindings: where.bindings,
    };
  }

  private async slowestTargets(p: EnvironmentPeriod) {
    const rows = await this.sql.percentiles(this.durations(p), [0.5, 0.9], {
      groupBy: ['cluster', 'namespace'],
      tail: 'ORDER BY p0 DESC, cluster, namespace LIMIT 5',
    });
    return rows.map(r => ({
      cluster: r.cluster,
      namespace: r.namespace,
      n: r.n,
      medianMs: r.p[0],
      p90Ms: r.p[1],
    }));
  }

  /**
   * From each failure in the period to the next success on the same target
   * (`hasSucceeded`: a rollback to an older version restores service too);
   * failures not yet restored are left out.
   */
  private restoreTimes(p: EnvironmentPeriod): Fragment {
    const where = this.sql.finishedIn(p, 'f');
    const { ms } = this.sql;
    const next =
      `(SELECT min(s.finished_at) FROM ${TABLE} s WHERE ${sameObject(
        's',
        'f',
      )} ` + `AND s.finished_at > f.finished_at AND ${succeeded('s')})`;
    const x = `${ms(next)} - ${ms('f.finished_at')}`;
    return {
      sql: `SELECT x FROM (SELECT ${x} AS x FROM ${TABLE} f WHERE ${
        where.sql
      } AND ${failed('f')}) t WHERE x IS NOT NULL`,
      bindings: where.bindings,
    };
  }

  private async count(values: Fragment): Promise<number> {
    const [row] = await this.sql.rows<{ n: unknown }>(values);
    return Number(row.n);
  }

  private async percentiles(values: Fragment): Promise<Percentiles> {
    const [row] = await this.sql.percentiles(values, [0.5, 0.9]);
    return {
      n: row?.n ?? 0,
      medianMs: row?.p[0] ?? null,
      p90Ms: row?.p[1] ?? null,
    };
  }
}
