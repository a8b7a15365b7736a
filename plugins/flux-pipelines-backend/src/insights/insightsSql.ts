import { Knex } from 'knex';
import { isPostgres } from '../database/dialect';
import { Fragment } from './insightsRules';

/** Every time zone's offset is a whole number of them. */
export const QUARTER_HOUR_MS = 900_000;

/**
 * What differs between PostgreSQL and SQLite in the insights queries: how a
 * timestamp column becomes milliseconds, how a time is bound, which UTC day
 * quarter of an hour a time falls in, and percentiles (PostgreSQL's `percentile_cont`; on
 * SQLite the same linear interpolation over an ordered window).
 */
export class InsightsSql {
  readonly postgres: boolean;

  constructor(readonly db: Knex) {
    this.postgres = isPostgres(db);
  }

  /** A timestamp expression as milliseconds since the epoch (SQLite stores them so). */
  ms = (expression: string): string =>
    this.postgres
      ? `(extract(epoch from ${expression}) * 1000)`
      : `(${expression})`;

  /** A timestamp expression moved by `ms` milliseconds. */
  shift = (expression: string, ms: number): string =>
    this.postgres
      ? `(${expression} + interval '${Math.trunc(ms)} milliseconds')`
      : `(${expression} + ${Math.trunc(ms)})`;

  /** The later of two expressions. */
  greatest = (a: string, b: string): string =>
    this.postgres ? `greatest(${a}, ${b})` : `max(${a}, ${b})`;

  /** The earliest of expressions, none of them null. */
  least = (...expressions: string[]): string =>
    `${this.postgres ? 'least' : 'min'}(${expressions.join(', ')})`;

  /** Milliseconds since the epoch (an expression) as a timestamp to compare with a column. */
  fromMs = (expression: string): string =>
    this.postgres
      ? `to_timestamp((${expression}) / 1000.0)`
      : `(${expression})`;

  /** A time bound to compare with a timestamp column. */
  time(date: Date): Date | number {
    return this.postgres ? date : date.getTime();
  }

  /** The quarter of an hour (since the epoch) a timestamp column falls in. */
  quarterHour(column: string): string {
    return this.postgres
      ? `floor(extract(epoch from ${column}) / ${QUARTER_HOUR_MS / 1000})`
      : `(${column} / ${QUARTER_HOUR_MS})`;
  }

  /**
   * `rows` as a SELECT of one bound JSON value (no limit on their number):
   * `columns` are names, `name:int` for integers, `name:bigint` for large
   * ones (milliseconds), text otherwise.
   */
  jsonRows(columns: string[], rows: object[]): Fragment {
    const typed = columns.map(c => {
      const [name, type] = c.split(':');
      return { name, type: ['int', 'bigint'].includes(type) ? type : 'text' };
    });
    const sql = this.postgres
      ? `SELECT * FROM json_to_recordset(?::json) AS j(${typed
          .map(c => `${c.name} ${c.type}`)
          .join(', ')})`
      : `SELECT ${typed
          .map(c => `json_extract(value, '$.${c.name}') AS ${c.name}`)
          .join(', ')} FROM json_each(?)`;
    return { sql, bindings: [JSON.stringify(rows)] };
  }

  /**
   * Joins the rows of `table` (as `alias`) that meet `condition` (on the
   * row before it) by index lookups. On PostgreSQL a LATERAL subquery: the
   * statements run without nested loops otherwise (see {@link rows}).
   */
  lookup(table: string, alias: string, condition: string): string {
    return this.postgres
      ? `CROSS JOIN LATERAL (SELECT * FROM ${table} ${alias} WHERE ${condition} OFFSET 0) ${alias}`
      : `JOIN ${table} ${alias} ON ${condition}`;
  }

  /**
   * Rows of a statement. PostgreSQL cannot estimate the sizes of the WITH
   * clauses built on the scope (it guesses one row, then joins them by
   * nested loops: quadratic on a team's history), so its statements run with
   * `enable_nestloop` off: the WITH clauses join by hashing, the index reads
   * stay where {@link lookup} or a subquery asks for them (`OFFSET 0` keeps
   * the planner from turning a lookup back into a join); without JIT, which
   * the cost of the disabled plans would otherwise switch on.
   */
  async rows<T>(fragment: Fragment): Promise<T[]> {
    if (!this.postgres) {
      const result = await this.db.raw(fragment.sql, fragment.bindings as any);
      return result;
    }
    return this.db.transaction<T[]>(async trx => {
      await trx.raw('SET LOCAL enable_nestloop = off; SET LOCAL jit = off');
      const result = await trx.raw(fragment.sql, fragment.bindings as any);
      return result.rows;
    });
  }

  /**
   * Count and percentiles (`ps`, each in [0, 1]) of the column `x` of
   * `values`, per `groupBy` columns of it (one row without), computed by the
   * database. `tail` is appended (e.g. an ORDER BY on `p0` and a LIMIT).
   */
  async percentiles<G extends string>(
    values: Fragment,
    ps: number[],
    options: { groupBy?: G[]; tail?: string } = {},
  ): Promise<
    Array<Record<G, string> & { n: number; p: Array<number | null> }>
  > {
    const group = options.groupBy ?? [];
    const select = group.map(g => `${g}, `).join('');
    const groupBy = group.length ? ` GROUP BY ${group.join(', ')}` : '';
    const partition = group.length ? `PARTITION BY ${group.join(', ')} ` : '';
    const columns = ps.map((p, i) =>
      this.postgres
        ? `percentile_cont(${p}) WITHIN GROUP (ORDER BY x) AS p${i}`
        : sqlitePercentile(p, `p${i}`),
    );
    const sql = this.postgres
      ? `SELECT ${select}count(*) AS n, ${columns.join(', ')} FROM (${
          values.sql
        }) v${groupBy}`
      : `WITH v AS (SELECT ${select}x, row_number() OVER (${partition}ORDER BY x) - 1 AS i, count(*) OVER (${partition}) AS n FROM (${values.sql}) s) ` +
        `SELECT ${select}coalesce(max(n), 0) AS n, ${columns.join(
          ', ',
        )} FROM v${groupBy}`;
    const rows = await this.rows<Record<string, unknown>>({
      sql: `${sql} ${options.tail ?? ''}`,
      bindings: values.bindings,
    });
    return rows.map(row => ({
      ...(row as Record<G, string>),
      n: Number(row.n),
      // Milliseconds are the finest unit a figure has; interpolation gives fractions.
      p: ps.map((_, i) => wholeMs(toNumber(row[`p${i}`]))),
    }));
  }
}

/** `percentile_cont(p)` on SQLite: interpolates between the rows at floor(p·(n−1)) and the next. */
function sqlitePercentile(p: number, as: string): string {
  const position = `(${p} * (n - 1))`;
  const index = `CAST(${position} AS INTEGER)`;
  const fraction = `(${position} - ${index})`;
  return (
    `sum(CASE WHEN i = ${index} THEN x * (1 - ${fraction}) ` +
    `WHEN i = ${index} + 1 THEN x * ${fraction} ELSE 0 END) AS ${as}`
  );
}

function wholeMs(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

/** A number from the database (PostgreSQL returns numerics and bigints as strings). */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
