import { Knex } from 'knex';
import {
  EnvironmentFigures,
  EnvironmentPeriod,
  InsightsStore,
  Percentiles,
} from './InsightsStore';
import { Fragment } from './insightsRules';
import { InsightsSql, QUARTER_HOUR_MS } from './insightsSql';
import { scopeWindow } from './scopeWindowSql';
import { journeyValues, versionJourneys } from './versionJourneySql';

const DAY_MS = 86_400_000;
const NONE: Percentiles = { n: 0, medianMs: null, p90Ms: null };
/** How many of an environment's slowest targets are named. */
const SLOWEST = 5;

/** The figures the percentiles fill in as they are, by their name in the SQL. */
const FIGURES = {
  duration: 'duration',
  restore: 'timeToRestore',
  promotion: 'promotionTime',
  hop: 'hopTime',
  hop_waiting: 'hopWaiting',
  hop_deploying: 'hopDeploying',
} as const;

/**
 * The insights queries: set-based SQL over the indexed columns of
 * `deployment_facts`, the summary of `deployments` kept on write (and
 * `promotions`). A request costs two statements whatever
 * the number of pipelines, environments and targets: one for the counts per
 * day, one for every figure's percentiles, each grouped by environment.
 * Nothing reads a history into memory.
 */
export class DatabaseInsightsStore implements InsightsStore {
  private readonly sql: InsightsSql;

  constructor(db: Knex) {
    this.sql = new InsightsSql(db);
  }

  async environmentFigures(p: EnvironmentPeriod): Promise<EnvironmentFigures> {
    const [figures] = await this.scopeFigures([p]);
    return figures;
  }

  async scopeFigures(
    periods: EnvironmentPeriod[],
  ): Promise<EnvironmentFigures[]> {
    const figures = periods.map(emptyFigures);
    if (!periods.some(p => p.targets.length)) return figures;
    const window = scopeWindow(this.sql, periods);
    const { to } = periods[0];
    const [counts, values] = await Promise.all([
      this.counts(window, to),
      this.values(window, periods[0]),
    ]);
    // Ordered by environment and time.
    for (const row of counts) {
      const f = figures[row.e];
      f.succeeded += row.succeeded;
      f.failed += row.failed;
      f.unconfirmed += row.unconfirmed;
      if (!row.succeeded) continue;
      const { quarter, succeeded: count } = row;
      f.perQuarterHour.push({ quarter, count });
      const day = Math.floor((quarter * QUARTER_HOUR_MS) / DAY_MS);
      const last = f.perDay[f.perDay.length - 1];
      if (last?.day === day) last.count += count;
      else f.perDay.push({ day, count });
    }
    // Ordered by environment, figure, slowest median first.
    for (const row of values) {
      const f = figures[Number(row.e)];
      const p = { n: row.n, medianMs: row.p[0], p90Ms: row.p[1] };
      switch (row.figure) {
        case 'slowest':
          if (f.slowestTargets.length < SLOWEST) {
            const { cluster, namespace } = row;
            f.slowestTargets.push({ cluster, namespace, ...p });
          }
          break;
        case 'skipped':
          f.leadTime.skippedFirstEnvironment = row.n;
          break;
        case 'lead':
          f.leadTime = { ...f.leadTime, ...p };
          break;
        default:
          f[FIGURES[row.figure as keyof typeof FIGURES]] = p;
      }
    }
    return figures;
  }

  /** Per environment and quarter of an hour: successes, failures, unconfirmed successes. */
  private async counts(window: Fragment, to: Date) {
    const quarter = this.sql.quarterHour('finished_at');
    const rows = await this.sql.rows<Record<string, unknown>>({
      sql:
        `${window.sql} SELECT e, ${quarter} AS quarter, sum(deployed) AS succeeded, sum(failed) AS failed, ` +
        `sum(unconfirmed) AS unconfirmed FROM h WHERE finished_at < ? GROUP BY e, ${quarter} ORDER BY e, quarter`,
      bindings: [...window.bindings, this.sql.time(to)],
    });
    return rows.map(r => ({
      e: Number(r.e),
      quarter: Number(r.quarter),
      succeeded: Number(r.succeeded),
      failed: Number(r.failed),
      unconfirmed: Number(r.unconfirmed),
    }));
  }

  /** Every figure's values, and their count, median and 90th percentile per environment. */
  private async values(window: Fragment, period: EnvironmentPeriod) {
    const { ms } = this.sql;
    const inPeriod = 'finished_at < ?';
    // Successes' durations: the controller's own, else finish − start.
    const duration = (figure: string, target: string) =>
      `SELECT e, '${figure}' AS figure, ${target}, coalesce(duration_ms, ${ms(
        'finished_at',
      )} - ${ms(
        'started_at',
      )}) AS x FROM h WHERE ${inPeriod} AND deployed = 1 ` +
      'AND (duration_ms IS NOT NULL OR started_at IS NOT NULL)';
    // From each failure to the next success on its target (`restored_at`,
    // decided on write); not yet restored are left out.
    const restore =
      `SELECT e, 'restore' AS figure, '' AS cluster, '' AS namespace, ${ms(
        'restored_at',
      )} - ${ms('finished_at')} AS x ` +
      `FROM h WHERE failed = 1 AND ${inPeriod} AND restored_at IS NOT NULL`;
    const journeys = versionJourneys(this.sql, period);
    const to = this.sql.time(period.to);
    const values = [
      duration('duration', "'' AS cluster, '' AS namespace"),
      duration('slowest', 'cluster, namespace'),
      restore,
      journeyValues(this.sql),
    ];
    return this.sql.percentiles(
      {
        sql: `${window.sql}, ${journeys.sql} ${values.join(' UNION ALL ')}`,
        bindings: [...window.bindings, ...journeys.bindings, to, to, to],
      },
      [0.5, 0.9],
      {
        groupBy: ['e', 'figure', 'cluster', 'namespace'],
        tail: 'ORDER BY e, figure, p0 DESC, cluster, namespace',
      },
    );
  }
}

/** The figures of an environment where nothing happened. */
function emptyFigures(): EnvironmentFigures {
  return {
    succeeded: 0,
    failed: 0,
    unconfirmed: 0,
    perDay: [],
    perQuarterHour: [],
    leadTime: { ...NONE, skippedFirstEnvironment: 0 },
    timeToRestore: NONE,
    duration: NONE,
    slowestTargets: [],
    promotionTime: NONE,
    hopTime: NONE,
    hopWaiting: NONE,
    hopDeploying: NONE,
  };
}
