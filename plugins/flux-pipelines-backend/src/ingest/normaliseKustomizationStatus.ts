import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { statusDedupKey } from './dedup';
import { findCondition, readConditions } from './conditions';
import { objectHeader } from './objectHeader';
import { progressObservation } from './progressObservation';
import { REASONS } from './reasons';
import { versionProblem } from './versionFormat';
import {
  NormaliseContext,
  NormaliseResult,
  accepted,
  neverThrows,
  rejected,
} from './types';
import { field, goDurationMs, isObj, str, truncateMessage } from './values';

/** `lastReconciledDuration` of the history entry for `revision` (kustomize-controller ≥ v1.7). */
function durationFor(
  status: unknown,
  revision: string | undefined,
): number | undefined {
  const history = field(status, 'history');
  if (!Array.isArray(history) || !isObj(history[0])) return undefined;
  const entryRevision = str(field(field(history[0], 'metadata'), 'revision'));
  if (revision && entryRevision && entryRevision !== revision) return undefined;
  return goDurationMs(field(history[0], 'lastReconciledDuration'));
}

function impl(input: unknown, ctx: NormaliseContext): NormaliseResult {
  const h = objectHeader(input, 'Kustomization');
  if (!h.ok) return rejected(h.reason, h.object);
  const status = field(input, 'status');
  if (!isObj(status)) return accepted([]);
  for (const key of ['lastAppliedRevision', 'lastAttemptedRevision']) {
    const problem = versionProblem(
      'Kustomization',
      field(status, key),
      `status.${key}`,
    );
    if (problem) return rejected(problem, `${h.namespace}/${h.name}`);
  }
  const conds = readConditions(status);
  const base = {
    cluster: ctx.cluster,
    namespace: h.namespace,
    kind: 'Kustomization' as const,
    name: h.name,
    ...(h.uid ? { uid: h.uid } : {}),
    source: 'status' as const,
  };
  const out: Observation[] = [];
  const ready = findCondition(conds, 'Ready');
  if (ready?.lastTransitionTime && ready.status !== 'Unknown') {
    const succeeded = ready.status === 'True';
    const revision = str(
      field(
        status,
        succeeded ? 'lastAppliedRevision' : 'lastAttemptedRevision',
      ),
    );
    const reason =
      ready.reason ??
      (succeeded ? 'ReconciliationSucceeded' : 'ReconciliationFailed');
    const duration = succeeded ? durationFor(status, revision) : undefined;
    out.push({
      ...base,
      action: REASONS[reason]?.action === 'other' ? 'other' : 'reconcile',
      outcome: succeeded ? 'succeeded' : 'failed',
      reason,
      message: truncateMessage(ready.message),
      time: ready.lastTransitionTime,
      ...(revision ? { chartVersion: revision } : {}),
      ...(duration !== undefined ? { durationMs: duration } : {}),
      dedupKey: statusDedupKey(
        ctx.cluster,
        h.namespace,
        h.name,
        revision ?? '-',
        `${ready.status}-${reason}`,
      ),
    });
  }
  const progress = progressObservation(base, status);
  if (progress) out.push(progress);
  return accepted(out);
}

/**
 * A Kustomization object → observations from its Ready and Reconciling
 * conditions (revision = `lastAppliedRevision`, duration from `history[0]`
 * when present). Never throws.
 */
export const normaliseKustomizationStatus: (
  input: unknown,
  ctx: NormaliseContext,
) => NormaliseResult = neverThrows('normaliseKustomizationStatus', impl);
