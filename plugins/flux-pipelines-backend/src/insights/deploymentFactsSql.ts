import { SAME_MOMENT_MS } from '../domain/rollback';
import {
  Fragment,
  deployed,
  failed,
  sameObject,
  succeeded,
  unconfirmedSuccess,
} from './insightsRules';
import { InsightsSql } from './insightsSql';

/** The summary table: one row per `deployments` row (target and version). */
export const FACTS = 'deployment_facts';
const KEY = ['cluster', 'namespace', 'kind', 'name', 'chart_version'];
const TARGET = KEY.slice(0, 4);
const flag = (condition: string) => `CASE WHEN ${condition} THEN 1 ELSE 0 END`;
const sameKey = (a: string, b: string) =>
  `${sameObject(a, b)} AND ${a}.chart_version = ${b}.chart_version`;
/**
 * How far before a change another row's facts may depend on it: a success
 * is reinstated by a rollback within {@link SAME_MOMENT_MS} of it, unless a
 * success finished between them (within as long again).
 */
const REACH_MS = 2 * SAME_MOMENT_MS;

/** A saved row's key, and the earliest of its new times (milliseconds). */
export interface ChangedRow {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  chart_version: string;
  t: number;
}

/**
 * The facts of a row `d` of `deployments`, with the rules of
 * insightsRules.ts (the domain's, as SQL): `ok` (`hasSucceeded`), `deployed`
 * (a success of its own, not reinstated by a rollback), `failed`,
 * `unconfirmed`, and for a failure `restored_at`: the next success on its
 * target (a rollback to an older version restores service too).
 */
function factsOf(sql: InsightsSql): string {
  const restored =
    `(SELECT min(s.finished_at) FROM deployments s WHERE ${sameObject(
      's',
      'd',
    )} ` + `AND ${succeeded('s')} AND s.finished_at > d.finished_at)`;
  return [
    ...KEY.map(c => `d.${c}`),
    'd.started_at',
    'd.finished_at',
    'd.updated_at',
    'd.duration_ms',
    flag(succeeded('d')),
    flag(deployed('d', sql.shift)),
    flag(failed('d')),
    flag(unconfirmedSuccess('d')),
    `CASE WHEN ${failed('d')} THEN ${restored} END`,
  ].join(', ');
}

/** The columns of a summary row besides its key. */
export const FACT_COLUMNS = [
  'started_at',
  'finished_at',
  'updated_at',
  'duration_ms',
  'ok',
  'deployed',
  'failed',
  'unconfirmed',
  'restored_at',
];
const COLUMNS = [...KEY, ...FACT_COLUMNS];

/** Writes the facts of the rows `b` (targets, each with `since`) selects. */
function upsert(sql: InsightsSql, with_: string, where: string): string {
  return (
    `WITH ${with_} INSERT INTO ${FACTS} (${COLUMNS.join(', ')}) ` +
    `SELECT ${factsOf(sql)} FROM b ${sql.lookup(
      'deployments',
      'd',
      sameObject('d', 'b'),
    )} ` +
    `WHERE ${where} ON CONFLICT (${KEY.join(
      ', ',
    )}) DO UPDATE SET ${COLUMNS.slice(KEY.length)
      .map(c => `${c} = excluded.${c}`)
      .join(', ')}`
  );
}

/**
 * One statement that brings the facts of the targets of `changed` (rows
 * just saved) up to date: every row of those targets whose facts a change
 * since the earliest of the saved rows' times, old (as the facts last
 * recorded them) and new, may have changed — the rows from then on, the
 * unfinished ones, and the failures not restored before then.
 */
export function refreshFacts(
  sql: InsightsSql,
  changed: ChangedRow[],
): Fragment {
  const rows = sql.jsonRows([...KEY, 't:bigint'], changed);
  const old = (column: string) => `coalesce(${sql.ms(`f.${column}`)}, c.t)`;
  const earliest = sql.least(
    'c.t',
    old('started_at'),
    old('finished_at'),
    old('updated_at'),
  );
  const since = sql.fromMs('b.since');
  const with_ =
    `c AS (${rows.sql}), b AS (SELECT ${TARGET.map(t => `c.${t}`).join(
      ', ',
    )}, min(${earliest}) - ${REACH_MS} AS since ` +
    `FROM c LEFT JOIN ${FACTS} f ON ${sameKey('f', 'c')} GROUP BY ${TARGET.map(
      t => `c.${t}`,
    ).join(', ')})`;
  const where =
    `d.finished_at IS NULL OR d.finished_at >= ${since} OR d.updated_at >= ${since} ` +
    `OR (${failed(
      'd',
    )} AND NOT EXISTS (SELECT 1 FROM ${FACTS} f WHERE ${sameKey('f', 'd')} ` +
    `AND f.restored_at < ${since}))`;
  return { sql: upsert(sql, with_, where), bindings: rows.bindings };
}

/** One statement that writes the facts of every row of `targets`. */
export function rebuildFacts(
  sql: InsightsSql,
  targets: Array<Record<(typeof TARGET)[number], string>>,
): Fragment {
  const rows = sql.jsonRows(TARGET, targets);
  return {
    sql: upsert(sql, `b AS (${rows.sql})`, '1 = 1'),
    bindings: rows.bindings,
  };
}
