import {
  GateState,
  HealthObject,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { isDeployedNow } from '../../correlate/confirmedSuccess';
import { CanaryVerdict } from '../canaryVerdict';

/**
 * What is known of one object a health gate lists, on one cluster of the
 * previous environment: exactly the object named (kind, namespace, name) —
 * a same-named object elsewhere is another object and never counts.
 */
export interface ListedObjectEvidence {
  kind: HealthObject['kind'];
  cluster: string;
  namespace: string;
  name: string;
  /** Kustomization or HelmRelease: its newest state (none when never seen). */
  newest?: TargetDeployment;
  /** Canary: its verdict on the version being promoted. */
  canary?: CanaryVerdict;
}

/** How kustomize-controller words a failed health check (FLUX.md §2). */
const HEALTH_CHECK_FAILED = /health check failed/i;

/**
 * A listed object's current state among its records (newest change first):
 * the newest one no newer revision has superseded. Superseding an old
 * revision's record changes it after the new revision's own record was
 * written, so the newest change alone can be the old revision.
 */
export function currentRecord(
  records: TargetDeployment[],
): TargetDeployment | undefined {
  return records.find(r => r.status !== 'superseded') ?? records[0];
}

/** The object as a card line names it: `Kustomization flux-system/apps-test on main`. */
export function describeListedObject(o: ListedObjectEvidence): string {
  return `${o.kind} ${o.namespace}/${o.name} on ${o.cluster}`;
}

/**
 * Whether one listed object lets the version through: a Kustomization or
 * HelmRelease must be Ready as its status confirms (its newest state: a
 * reconciliation or health check still running waits, and so does a newest
 * record that is superseded or unknown; a failed one — e.g.
 * `HealthCheckFailed` — or a Helm rollback fails); a Canary must have `Succeeded` for the
 * version (a failed one fails, none yet or analysing waits). An object never
 * seen waits: a listed object must be there and healthy.
 */
export function listedObjectState(
  o: ListedObjectEvidence,
  version: string,
): { state: GateState; why: string } {
  const what = describeListedObject(o);
  if (o.kind === 'Canary') {
    switch (o.canary?.state) {
      case 'succeeded':
        return { state: 'passed', why: `${what}: canary succeeded` };
      case 'failed':
        return { state: 'failed', why: `${what}: canary failed` };
      case 'analysing':
        return { state: 'waiting', why: `${what}: canary analysing` };
      default:
        return {
          state: 'waiting',
          why: `${what}: no canary verdict on ${version} yet`,
        };
    }
  }
  const newest = o.newest;
  if (!newest) return { state: 'waiting', why: `${what}: not seen yet` };
  if (isDeployedNow(newest)) return { state: 'passed', why: `${what}: Ready` };
  // Only the object's own failure fails the gate: a newest record that is
  // superseded (a newer revision seen, its record not yet) or unknown says
  // nothing about its health.
  if (newest.status !== 'failed' && newest.status !== 'rolled-back') {
    return { state: 'waiting', why: `${what}: not Ready yet` };
  }
  if (HEALTH_CHECK_FAILED.test(newest.message ?? '')) {
    return { state: 'failed', why: `${what}: health check failed` };
  }
  return { state: 'failed', why: `${what}: ${newest.status}` };
}
