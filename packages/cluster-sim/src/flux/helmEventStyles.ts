import { DesiredRelease } from './desiredRelease';
import { RecordedEvent } from './EventRecorder';
import { helmMessages as m, legacyMessages as legacy } from './helmMessages';
import { Snapshot } from './releaseHistory';
import { sha256 } from './desiredRelease';

type Action = 'install' | 'upgrade';

/** Which events a controller generation emits at each step of a release. */
export interface HelmEventStyle {
  /** apiVersion of the involvedObject: the controller's served version. */
  apiVersion: string;
  started(action: Action, d: DesiredRelease): RecordedEvent[];
  released(action: Action, d: DesiredRelease, s: Snapshot): RecordedEvent[];
  releaseFailed(
    action: Action,
    d: DesiredRelease,
    error: string,
    logs: string[],
  ): RecordedEvent[];
  tested(d: DesiredRelease, s: Snapshot, hooks: number): RecordedEvent[];
  testFailed(d: DesiredRelease, s: Snapshot, error: string): RecordedEvent[];
  rolledBack(d: DesiredRelease, target: Snapshot): RecordedEvent[];
}

function annotations(
  revision: string,
  token: string,
  appVersion?: string,
  ociDigest?: string,
) {
  const a: Record<string, string> = {
    'helm.toolkit.fluxcd.io/revision': revision,
    'helm.toolkit.fluxcd.io/token': token,
  };
  if (appVersion) a['helm.toolkit.fluxcd.io/app-version'] = appVersion;
  if (ociDigest) a['helm.toolkit.fluxcd.io/oci-digest'] = ociDigest;
  return a;
}

const chartOf = (d: DesiredRelease) => ({ chart: d.chart, version: d.version });
const snapChart = (s: Snapshot) => ({
  chart: s.chartName,
  version: s.chartVersion,
});

/** helm-controller v1.x (API v2): FLUX.md §1's table. No "started" event. */
export function v2EventStyle(
  apiVersion = 'helm.toolkit.fluxcd.io/v2',
): HelmEventStyle {
  return {
    apiVersion,
    started: () => [],
    released: (action, d, s) => [
      {
        type: 'Normal',
        reason: action === 'install' ? 'InstallSucceeded' : 'UpgradeSucceeded',
        message: (action === 'install'
          ? m.installSucceeded
          : m.upgradeSucceeded)(d.release, s.version, snapChart(s)),
        annotations: annotations(
          s.chartVersion,
          s.configDigest,
          s.appVersion,
          s.ociDigest,
        ),
      },
    ],
    releaseFailed: (action, d, error, logs) => [
      {
        type: 'Warning',
        reason: action === 'install' ? 'InstallFailed' : 'UpgradeFailed',
        message: m.withLogs(
          (action === 'install' ? m.installFailed : m.upgradeFailed)(
            d.release,
            chartOf(d),
            error,
          ),
          logs,
        ),
        annotations: annotations(
          d.version,
          d.configDigest,
          d.appVersion,
          d.ociDigest,
        ),
      },
    ],
    tested: (d, s, hooks) => [
      {
        type: 'Normal',
        reason: 'TestSucceeded',
        message: m.testSucceeded(d.release, s.version, snapChart(s), hooks),
        annotations: annotations(
          s.chartVersion,
          s.configDigest,
          undefined,
          s.ociDigest,
        ),
      },
    ],
    testFailed: (d, s, error) => [
      {
        type: 'Warning',
        reason: 'TestFailed',
        message: m.testFailed(d.release, s.version, snapChart(s), error),
        annotations: annotations(
          s.chartVersion,
          s.configDigest,
          undefined,
          s.ociDigest,
        ),
      },
    ],
    rolledBack: (d, target) => [
      {
        type: 'Normal',
        reason: 'RollbackSucceeded',
        message: m.rollbackSucceeded(
          d.release,
          target.version,
          snapChart(target),
        ),
        annotations: annotations(
          target.chartVersion,
          d.configDigest,
          target.appVersion,
          target.ociDigest,
        ),
      },
    ],
  };
}

/** The legacy controller (≤ v0.36, API v2beta1): reason is the severity, short messages. */
export function legacyEventStyle(): HelmEventStyle {
  const info = (
    message: string,
    d: DesiredRelease,
    revision = d.version,
  ): RecordedEvent => ({
    type: 'Normal',
    reason: 'info',
    message,
    annotations: legacyAnnotations(revision, d),
  });
  const error = (message: string, d: DesiredRelease): RecordedEvent => ({
    type: 'Warning',
    reason: 'error',
    message,
    annotations: legacyAnnotations(d.version, d),
  });
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
    started: (action, d) => [info(legacy.started(action), d)],
    released: (action, d) => [info(legacy.succeeded(action), d)],
    releaseFailed: (action, d, err) => [
      error(legacy.failed(action, err), d),
      error(legacy.reconciliationFailed(legacy.failed(action, err)), d),
    ],
    tested: d => [info(legacy.succeeded('test'), d)],
    testFailed: (d, _s, err) => [
      error(legacy.failed('test', err), d),
      error(legacy.reconciliationFailed(legacy.failed('test', err)), d),
    ],
    rolledBack: (d, target) => [
      info(legacy.started('rollback'), d, target.chartVersion),
      info(legacy.succeeded('rollback'), d, target.chartVersion),
    ],
  };
}

/** The legacy token was a SHA1-length hex checksum of the values. */
function legacyAnnotations(revision: string, d: DesiredRelease) {
  return {
    'helm.toolkit.fluxcd.io/revision': revision,
    'helm.toolkit.fluxcd.io/token': sha256(d.configDigest).slice(0, 40),
  };
}
