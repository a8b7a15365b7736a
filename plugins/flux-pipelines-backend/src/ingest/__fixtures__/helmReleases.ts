/** HelmRelease objects as the API server returns them (FLUX.md §1, status). */

const meta = {
  name: 'podinfo',
  namespace: 'apps',
  uid: '5f0c3b7e-9d0a-4c61-b2f4-2a9e6c1d7e11',
  generation: 7,
};

export function snapshot(
  version: number,
  status: string,
  chartVersion: string,
  firstDeployed: string,
  lastDeployed: string,
  extra: Record<string, unknown> = {},
) {
  return {
    name: 'podinfo',
    namespace: 'apps',
    version,
    status,
    chartName: 'podinfo',
    chartVersion,
    appVersion: chartVersion,
    configDigest: `sha256:cfg${version}`,
    digest: `sha256:rel${version}`,
    firstDeployed,
    lastDeployed,
    ...extra,
  };
}

/** v2: v3 deployed (an upgrade that took 42.5s), v2 superseded, v1 superseded. */
export const HR_V2 = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: meta,
  spec: { chart: { spec: { chart: 'podinfo', version: '6.x' } } },
  status: {
    observedGeneration: 7,
    history: [
      snapshot(
        3,
        'deployed',
        '6.6.1',
        '2024-04-01T08:00:00Z',
        '2024-05-02T10:15:30Z',
      ),
      snapshot(
        2,
        'superseded',
        '6.5.4',
        '2024-04-01T08:00:00Z',
        '2024-04-20T12:00:00Z',
      ),
      snapshot(
        1,
        'superseded',
        '6.5.3',
        '2024-04-01T08:00:00Z',
        '2024-04-01T08:00:00Z',
      ),
    ],
    lastAttemptedReleaseAction: 'upgrade',
    lastAttemptedReleaseActionDuration: '42.5s',
    lastAttemptedRevision: '6.6.1',
    lastAttemptedConfigDigest: 'sha256:cfg3',
    lastAttemptedGeneration: 7,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'UpgradeSucceeded',
        message:
          'Helm upgrade succeeded for release apps/podinfo.v3 with chart podinfo@6.6.1',
        lastTransitionTime: '2024-05-02T10:15:31Z',
      },
      {
        type: 'Released',
        status: 'True',
        reason: 'UpgradeSucceeded',
        message:
          'Helm upgrade succeeded for release apps/podinfo.v3 with chart podinfo@6.6.1',
        lastTransitionTime: '2024-05-02T10:15:31Z',
      },
    ],
  },
};

/** v2 while an upgrade to 6.7.0 is running. */
export const HR_V2_PROGRESSING = {
  ...HR_V2,
  status: {
    ...HR_V2.status,
    lastAttemptedRevision: '6.7.0',
    lastAttemptedReleaseActionDuration: undefined,
    conditions: [
      {
        type: 'Reconciling',
        status: 'True',
        reason: 'Progressing',
        message: "Running 'upgrade' action with timeout of 5m0s",
        lastTransitionTime: '2024-05-03T09:00:00Z',
      },
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'Progressing',
        message: 'Reconciliation in progress',
        lastTransitionTime: '2024-05-03T09:00:00Z',
      },
    ],
  },
};

/** v2beta2, OCI chart, newest upgrade failed (no .vN in the message). */
export const HR_V2BETA2_FAILED = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2beta2',
  kind: 'HelmRelease',
  metadata: meta,
  status: {
    history: [
      snapshot(
        5,
        'failed',
        '6.7.0+0cc9a8446c95',
        '2024-04-01T08:00:00Z',
        '2024-05-04T07:00:00Z',
        { ociDigest: 'sha256:0cc9a8446c95aa' },
      ),
      snapshot(
        4,
        'deployed',
        '6.6.1+1ab2c3d4e5f6',
        '2024-04-01T08:00:00Z',
        '2024-05-02T10:15:30Z',
        { ociDigest: 'sha256:1ab2c3d4e5f6bb' },
      ),
    ],
    lastAttemptedReleaseAction: 'upgrade',
    lastAttemptedReleaseActionDuration: '5m0.012s',
    lastAttemptedRevision: '6.7.0+0cc9a8446c95',
    failures: 1,
    upgradeFailures: 1,
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'UpgradeFailed',
        message:
          'Helm upgrade failed for release apps/podinfo with chart podinfo@6.7.0+0cc9a8446c95: timed out',
        lastTransitionTime: '2024-05-04T07:05:00Z',
      },
    ],
  },
};

/** Legacy v2beta1: lastAppliedRevision, no history. */
export const HR_V2BETA1 = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
  kind: 'HelmRelease',
  metadata: { ...meta, name: 'appnamehere', namespace: 'flux-system' },
  status: {
    lastAppliedRevision: '0.1.3+2',
    lastAttemptedRevision: '0.1.4+3',
    lastReleaseRevision: 6,
    lastAttemptedValuesChecksum: 'abcd1234',
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'UpgradeFailed',
        message: 'Helm upgrade failed: timed out waiting for the condition',
        lastTransitionTime: '2023-12-05T09:00:00Z',
      },
      {
        type: 'Released',
        status: 'True',
        reason: 'UpgradeSucceeded',
        message: 'Helm upgrade succeeded',
        lastTransitionTime: '2023-12-04T15:44:50Z',
      },
    ],
  },
};
