import type {
  Observation,
  ObservationAction,
  ObservationOutcome,
} from '@internal/plugin-flux-pipelines-common';
import { statusDedupKey } from './dedup';
import { findCondition, readConditions } from './conditions';
import {
  NormaliseContext,
  NormaliseResult,
  accepted,
  neverThrows,
  rejected,
} from './types';
import {
  field,
  firstTime,
  goDurationMs,
  int,
  isObj,
  isoTime,
  k8sName,
  str,
  truncateMessage,
} from './values';
import { objectHeader, ObjectHeader } from './objectHeader';
import { progressObservation } from './progressObservation';
import { parseSourceRevision } from './sourceRevision';
import { versionProblem } from './versionFormat';

const HISTORY_STATUS: Record<
  string,
  { outcome: ObservationOutcome; action?: ObservationAction }
> = {
  deployed: { outcome: 'succeeded' },
  superseded: { outcome: 'succeeded' },
  failed: { outcome: 'failed' },
  'pending-install': { outcome: 'progressing', action: 'install' },
  'pending-upgrade': { outcome: 'progressing', action: 'upgrade' },
  'pending-rollback': { outcome: 'progressing', action: 'rollback' },
  uninstalling: { outcome: 'progressing', action: 'uninstall' },
  uninstalled: { outcome: 'succeeded', action: 'uninstall' },
};
const SNAPSHOT_ACTIONS = [
  'install',
  'upgrade',
  'rollback',
  'uninstall',
  'test',
];

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function base(h: ObjectHeader, cluster: string) {
  return {
    cluster,
    namespace: h.namespace,
    kind: 'HelmRelease' as const,
    name: h.name,
    ...(h.uid ? { uid: h.uid } : {}),
  };
}

/** One `status.history[]` snapshot → an observation (newest first in the list). */
function fromSnapshot(
  s: unknown,
  isLatest: boolean,
  status: unknown,
  h: ObjectHeader,
  cluster: string,
): Observation | undefined {
  if (!isObj(s)) return undefined;
  const version = int(field(s, 'version'));
  const relStatus = str(field(s, 'status'), 64);
  const first = isoTime(field(s, 'firstDeployed'));
  const last = isoTime(field(s, 'lastDeployed'));
  const time = last ?? first;
  if (version === undefined || !relStatus || !time) return undefined;
  const known = HISTORY_STATUS[relStatus];
  const snapAction = str(field(s, 'action'), 32);
  let action: ObservationAction = version === 1 ? 'install' : 'upgrade';
  if (snapAction && SNAPSHOT_ACTIONS.includes(snapAction))
    action = snapAction as ObservationAction;
  if (known?.action) action = known.action;
  const chartName = str(field(s, 'chartName'));
  const chartVersion = str(field(s, 'chartVersion'));
  const relNs = k8sName(field(s, 'namespace')) ?? h.namespace;
  const relName = k8sName(field(s, 'name')) ?? h.name;
  const obs: Observation = {
    ...base(h, cluster),
    action,
    outcome: known?.outcome ?? 'info',
    reason: `Release${capitalise(relStatus).replace(/-(\w)/g, (_, c: string) =>
      c.toUpperCase(),
    )}`,
    message: truncateMessage(
      `Release ${relNs}/${relName}.v${version} with chart ${chartName ?? '?'}@${
        chartVersion ?? '?'
      } is ${relStatus}` +
        `${first ? `; first deployed ${first}` : ''}${
          last ? `; last deployed ${last}` : ''
        }`,
    ),
    time,
    source: 'status',
    releaseRevision: version,
    dedupKey: statusDedupKey(cluster, h.namespace, h.name, version, relStatus),
  };
  if (chartVersion) obs.chartVersion = chartVersion;
  const appVersion = str(field(s, 'appVersion'));
  if (appVersion) obs.appVersion = appVersion;
  const configDigest = str(field(s, 'configDigest'));
  if (configDigest) obs.configDigest = configDigest;
  const digest = str(field(s, 'ociDigest')) ?? configDigest;
  if (digest) obs.digest = digest;
  const oci = parseSourceRevision(field(s, 'ociDigest'));
  if (oci) obs.sourceRevision = oci.revision;
  // The only duration recorded is that of the last attempted action.
  if (isLatest) {
    const attempted = str(field(status, 'lastAttemptedRevision'));
    const duration = goDurationMs(
      field(status, 'lastAttemptedReleaseActionDuration'),
    );
    if (duration !== undefined && (!attempted || attempted === chartVersion)) {
      obs.durationMs = duration;
    }
  }
  return obs;
}

/**
 * A snapshot whose Helm test hooks failed → a `test` failure of that version,
 * at the time the last hook completed. Events expire after an hour; this
 * keeps a test failure that happened while nothing watched from counting as
 * deployed.
 */
function testFailure(
  s: unknown,
  h: ObjectHeader,
  cluster: string,
): Observation | undefined {
  const hooks = field(s, 'testHooks');
  const version = int(field(s, 'version'));
  const chartVersion = str(field(s, 'chartVersion'));
  if (!isObj(hooks) || version === undefined || !chartVersion) return undefined;
  const failed = Object.entries(hooks).filter(
    ([, hook]) => str(field(hook, 'phase'), 32) === 'Failed',
  );
  if (!failed.length) return undefined;
  const times = Object.values(hooks)
    .map(hook =>
      firstTime(field(hook, 'lastCompleted'), field(hook, 'lastStarted')),
    )
    .filter((t): t is string => !!t)
    .sort();
  const time = times[times.length - 1];
  if (!time) return undefined;
  const relNs = k8sName(field(s, 'namespace')) ?? h.namespace;
  const relName = k8sName(field(s, 'name')) ?? h.name;
  const chartName = str(field(s, 'chartName')) ?? '?';
  return {
    ...base(h, cluster),
    action: 'test',
    outcome: 'failed',
    reason: 'TestFailed',
    message: truncateMessage(
      `Helm test failed for release ${relNs}/${relName}.v${version} with chart ${chartName}@${chartVersion}: ` +
        `test hook(s) ${failed.map(([name]) => name).join(', ')} failed`,
    ),
    time,
    source: 'status',
    releaseRevision: version,
    chartVersion,
    dedupKey: statusDedupKey(
      cluster,
      h.namespace,
      h.name,
      version,
      'test-failed',
    ),
  };
}

/** v2beta1: no history; `lastAppliedRevision`, `lastAttemptedRevision`, `lastReleaseRevision`. */
function fromLegacyStatus(
  status: unknown,
  h: ObjectHeader,
  cluster: string,
  out: Observation[],
) {
  const conds = readConditions(status);
  const released =
    findCondition(conds, 'Released') ?? findCondition(conds, 'Ready');
  const applied = str(field(status, 'lastAppliedRevision'));
  const attempted = str(field(status, 'lastAttemptedRevision'));
  const revision = int(field(status, 'lastReleaseRevision'));
  const time = released?.lastTransitionTime;
  if (!time) return;
  const ready = findCondition(conds, 'Ready');
  const failedAttempt =
    ready?.status === 'False' && attempted && attempted !== applied;
  if (applied) {
    out.push({
      ...base(h, cluster),
      action: revision === 1 ? 'install' : 'upgrade',
      outcome: 'succeeded',
      reason: 'ReleaseDeployed',
      message: truncateMessage(
        `Release of chart version ${applied} is deployed${
          released?.message ? `: ${released.message}` : ''
        }`,
      ),
      time,
      source: 'status',
      chartVersion: applied,
      ...(revision !== undefined ? { releaseRevision: revision } : {}),
      dedupKey: statusDedupKey(
        cluster,
        h.namespace,
        h.name,
        revision ?? applied,
        'deployed',
      ),
    });
  }
  if (failedAttempt && ready) {
    out.push({
      ...base(h, cluster),
      action: applied ? 'upgrade' : 'install',
      outcome: 'failed',
      reason: ready.reason ?? 'ReleaseFailed',
      message: truncateMessage(ready.message),
      time: ready.lastTransitionTime ?? time,
      source: 'status',
      chartVersion: attempted,
      dedupKey: statusDedupKey(
        cluster,
        h.namespace,
        h.name,
        attempted,
        'failed',
      ),
    });
  }
}

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
    fromLegacyStatus(status, h, ctx.cluster, out);
  }
  const progress = progressObservation(base(h, ctx.cluster), status);
  if (progress) out.push(progress);
  return accepted(out);
}

/**
 * A HelmRelease object (v2, v2beta2 or v2beta1) → observations from its status:
 * one per `status.history[]` entry with its real deploy time (backfill after
 * downtime), a test failure per entry whose Helm test hooks failed, the last
 * attempt's duration on the newest entry, and a `progress`
 * observation while `Reconciling` is True/Progressing. Never throws.
 */
export const normaliseHelmReleaseStatus: (
  input: unknown,
  ctx: NormaliseContext,
) => NormaliseResult = neverThrows('normaliseHelmReleaseStatus', impl);
