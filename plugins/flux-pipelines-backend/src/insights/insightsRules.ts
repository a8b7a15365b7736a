import { SAME_MOMENT_MS } from '../domain/rollback';

/**
 * The deployment rules of `src/domain/` and `correlate/confirmedSuccess.ts`,
 * written as SQL conditions on a `deployments` row aliased `alias`, so the
 * database applies the same rules the page does. Each says which rule it
 * mirrors; `insightsRules.test.ts` checks them against those rules.
 */

/** A bound SQL fragment. */
export interface Fragment {
  sql: string;
  bindings: unknown[];
}

/**
 * `hasSucceeded` (correlate/confirmedSuccess.ts): succeeded or since
 * superseded, and confirmed by the object's status (not `unconfirmed`).
 */
export const succeeded = (alias: string) =>
  `(${alias}.status IN ('succeeded', 'superseded') AND NOT ${alias}.unconfirmed)`;

/** A timestamp expression moved by some milliseconds, in the database's dialect. */
export type Shift = (column: string, ms: number) => string;

/** Rows `a` and `b` are of the same Flux object (target). */
export const sameObject = (a: string, b: string) =>
  ['cluster', 'namespace', 'kind', 'name']
    .map(c => `${a}.${c} = ${b}.${c}`)
    .join(' AND ');

/**
 * `reinstatedByRollback` (domain/rollback.ts): the success is the target going
 * back to this version when a newer one was rolled back (a rolled-back row of
 * another version changed within {@link SAME_MOMENT_MS} of its finish, and no
 * other success finished between them). A rollback is an event of the
 * environment: it restores service, but is not a deployment of its own.
 */
export function reinstatedByRollback(alias: string, shift: Shift): string {
  const near = (column: string) =>
    `${column} >= ${shift(
      `${alias}.finished_at`,
      -SAME_MOMENT_MS,
    )} AND ${column} <= ${shift(`${alias}.finished_at`, SAME_MOMENT_MS)}`;
  const newer =
    `SELECT 1 FROM deployments nb WHERE ${sameObject(
      'nb',
      alias,
    )} AND ${succeeded('nb')} ` +
    `AND nb.chart_version <> rb.chart_version AND nb.chart_version <> ${alias}.chart_version ` +
    `AND nb.finished_at > ${alias}.finished_at AND nb.finished_at <= ${shift(
      'rb.updated_at',
      SAME_MOMENT_MS,
    )}`;
  return (
    `EXISTS (SELECT 1 FROM deployments rb WHERE ${sameObject(
      'rb',
      alias,
    )} AND rb.status = 'rolled-back' ` +
    `AND rb.chart_version <> ${alias}.chart_version AND ${near(
      'rb.updated_at',
    )} AND NOT EXISTS (${newer}))`
  );
}

/**
 * A deployment the figures count as one: a success (`hasSucceeded`) that is
 * not the target going back to it by a rollback (`reinstatedByRollback`).
 */
export const deployed = (alias: string, shift: Shift) =>
  `(${succeeded(alias)} AND NOT ${reinstatedByRollback(alias, shift)})`;

/**
 * A success only events report (`unconfirmed`, see `isDeployedNow`): never
 * counted as a success, reported beside the figures.
 */
export const unconfirmedSuccess = (alias: string) =>
  `(${alias}.status IN ('succeeded', 'superseded') AND ${alias}.unconfirmed)`;

/**
 * `environmentState` (domain/executionState.ts): `failed` or `rolled-back`
 * on a target is a failed change.
 */
export const failed = (alias: string) =>
  `(${alias}.status IN ('failed', 'rolled-back'))`;

/** The statuses the two rules above count, for the deployments a figure names. */
export const SUCCEEDED_STATUSES = ['succeeded', 'superseded'] as const;
export const FAILED_STATUSES = ['failed', 'rolled-back'] as const;
