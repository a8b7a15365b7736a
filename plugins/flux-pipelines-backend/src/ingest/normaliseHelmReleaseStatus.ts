import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { fromSnapshot } from './helmHistorySnapshot';
import { testFailure } from './helmTestHooks';
import { fromLegacyStatus } from './legacyHelmStatus';
import {
  NormaliseContext,
  NormaliseResult,
  accepted,
  neverThrows,
  rejected,
} from './types';
import { field, isObj } from './values';
import { objectFields, objectHeader } from './objectHeader';
import { progressObservation } from './progressObservation';
import { versionProblem } from './versionFormat';

/** The first version field of the status that is no chart version, as a reason. */
function badVersion(status: unknown): string | undefined {
  const history = field(status, 'history');
  const snapshots = Array.isArray(history) ? history.slice(0, 20) : [];
  for (const [i, s] of snapshots.entries()) {
    const problem = versionProblem(
      'HelmRelease',
      field(s, 'chartVersion'),
      `status.history[${i}].chartVersion`,
    );
    if (problem) return problem;
  }
  for (const key of ['lastAppliedRevision', 'lastAttemptedRevision']) {
    const problem = versionProblem(
      'HelmRelease',
      field(status, key),
      `status.${key}`,
    );
    if (problem) return problem;
  }
  return undefined;
}

function impl(input: unknown, ctx: NormaliseContext): NormaliseResult {
  const h = objectHeader(input, 'HelmRelease');
  if (!h.ok) return rejected(h.reason, h.object);
  const status = field(input, 'status');
  if (!isObj(status)) return accepted([]);
  const problem = badVersion(status);
  if (problem) return rejected(problem, `${h.namespace}/${h.name}`);
  const out: Observation[] = [];
  const history = field(status, 'history');
  if (Array.isArray(history) && history.length > 0) {
    history.slice(0, 20).forEach((s, i) => {
      const o = fromSnapshot(s, i === 0, status, h, ctx.cluster);
      if (o) out.push(o);
      const tests = o && testFailure(s, h, ctx.cluster);
      if (tests) out.push(tests);
    });
  } else {
    out.push(...fromLegacyStatus(status, h, ctx.cluster));
  }
  const progress = progressObservation(
    objectFields(h, 'HelmRelease', ctx.cluster),
    status,
  );
  if (progress) out.push(progress);
  return accepted(out);
}

/**
 * A HelmRelease object (v2, v2beta2 or v2beta1) → observations from its status:
 * one per `status.history[]` entry with its real finish time and duration
 * where known (backfill after downtime; see {@link fromSnapshot}), a test
 * failure per entry whose Helm test hooks failed, and a `progress`
 * observation while `Reconciling` is True/Progressing. Never throws.
 */
export const normaliseHelmReleaseStatus: (
  input: unknown,
  ctx: NormaliseContext,
) => NormaliseResult = neverThrows('normaliseHelmReleaseStatus', impl);
