import type {
  Observation,
  ObservationAction,
  ObservationOutcome,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { at } from '../domain/time';
import { statusDedupKey } from './dedup';
import { readTestHooks } from './helmTestHooks';
import { ObjectHeader, objectFields } from './objectHeader';
import { parseSourceRevision } from './sourceRevision';
import {
  field,
  goDurationMs,
  int,
  isObj,
  isoTime,
  k8sName,
  str,
  truncateMessage,
} from './values';

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

/**
 * When one entry's release finished, and how long it took, as far as the
 * status says. Helm stamps `lastDeployed` when it creates the release
 * revision, i.e. at the start of the install/upgrade/rollback; the end is
 * that start plus `lastAttemptedReleaseActionDuration` (recorded for the last
 * attempt only), and when Helm tests passed they gate success, so the end is
 * when the last test hook completed. Unknown ends are the start. The
 * duration is the recorded one, extended by the tests.
 */
function snapshotTiming(
  s: unknown,
  start: string,
  isLatest: boolean,
  status: unknown,
): { time: string; durationMs?: number } {
  const attempted = str(field(status, 'lastAttemptedRevision'));
  const recorded = isLatest
    ? goDurationMs(field(status, 'lastAttemptedReleaseActionDuration'))
    : undefined;
  const released =
    recorded !== undefined &&
    (!attempted || attempted === str(field(s, 'chartVersion')))
      ? at(start) + recorded
      : undefined;
  const tests = readTestHooks(s);
  const tested =
    tests && !tests.failed.length && tests.completedAt
      ? at(tests.completedAt)
      : undefined;
  if (released === undefined && tested === undefined) return { time: start };
  const end = Math.max(released ?? at(start), tested ?? at(start));
  // Status and event times have second precision: a derived end does too,
  // so it never sorts after an event of the same second (a test failure).
  const time = new Date(Math.floor(end / 1000) * 1000).toISOString();
  if (tested === undefined || end === released) {
    return { time, durationMs: recorded };
  }
  return { time, durationMs: end - at(start) };
}

/** One `status.history[]` snapshot → an observation (newest first in the list). */
export function fromSnapshot(
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
  const start = last ?? first;
  if (version === undefined || !relStatus || !start) return undefined;
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
  const timing =
    known?.outcome === 'progressing'
      ? { time: start }
      : snapshotTiming(s, start, isLatest, status);
  const obs: Observation = {
    ...objectFields(h, 'HelmRelease', cluster),
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
    ...timing,
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
  return obs;
}
