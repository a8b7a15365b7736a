import { ObjectRef } from '../domain/objectKey';

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

/**
 * One of the given targets (`onAnyTarget`, domain/objectKey.ts): equality on
 * the leading columns of the deployments' indexes, so each target is a range
 * read. No targets matches nothing.
 */
export function onTargets(alias: string, targets: ObjectRef[]): Fragment {
  if (!targets.length) return { sql: '(1 = 0)', bindings: [] };
  const one = `(${alias}.cluster = ? AND ${alias}.namespace = ? AND ${alias}.kind = ? AND ${alias}.name = ?)`;
  return {
    sql: `(${targets.map(() => one).join(' OR ')})`,
    bindings: targets.flatMap(t => [t.cluster, t.namespace, t.kind, t.name]),
  };
}
