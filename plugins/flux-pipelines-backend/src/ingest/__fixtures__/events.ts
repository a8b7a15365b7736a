/**
 * Realistic Flux inputs, built from the exact message formats in
 * /work/shared/FLUX.md (§1 helm-controller, §2 kustomize-controller, §4 webhook).
 */

export const CLUSTER = 'prod-eu';
export const HR_UID = '5f0c3b7e-9d0a-4c61-b2f4-2a9e6c1d7e11';
export const T0 = '2024-05-02T10:15:30Z';
export const T1 = '2024-05-02T10:16:42Z';

const HR = {
  kind: 'HelmRelease',
  namespace: 'apps',
  name: 'podinfo',
  uid: HR_UID,
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  resourceVersion: '81234',
};

export const HELM_LOGS =
  '\n\nLast Helm logs:\n\nwaiting for 1 resource(s) to become ready\nDeployment is not ready: apps/podinfo. 0 out of 1 expected pods are ready';

/** One row of the §1 table: reason, type, message. */
export interface Row {
  reason: string;
  type: 'Normal' | 'Warning';
  message: string;
}

export const HELM_ROWS: Row[] = [
  {
    reason: 'InstallSucceeded',
    type: 'Normal',
    message:
      'Helm install succeeded for release apps/podinfo.v1 with chart podinfo@6.5.4',
  },
  {
    reason: 'InstallFailed',
    type: 'Warning',
    message: `Helm install failed for release apps/podinfo with chart podinfo@6.5.4: context deadline exceeded${HELM_LOGS}`,
  },
  {
    reason: 'UpgradeSucceeded',
    type: 'Normal',
    message:
      'Helm upgrade succeeded for release apps/podinfo.v4 with chart podinfo@6.6.1',
  },
  {
    reason: 'UpgradeFailed',
    type: 'Warning',
    message: `Helm upgrade failed for release apps/podinfo with chart podinfo@6.6.1: timed out waiting for the condition${HELM_LOGS}`,
  },
  {
    reason: 'TestSucceeded',
    type: 'Normal',
    message:
      'Helm test succeeded for release apps/podinfo.v4 with chart podinfo@6.6.1: 2 test hook(s) completed successfully',
  },
  {
    reason: 'TestFailed',
    type: 'Warning',
    message:
      'Helm test failed for release apps/podinfo.v4 with chart podinfo@6.6.1: pod podinfo-grpc-test-x1 failed',
  },
  {
    reason: 'RollbackSucceeded',
    type: 'Normal',
    message:
      'Helm rollback to previous release apps/podinfo.v3 with chart podinfo@6.5.4 succeeded',
  },
  {
    reason: 'RollbackFailed',
    type: 'Warning',
    message:
      'Helm rollback to previous release apps/podinfo.v3 with chart podinfo@6.5.4 failed: no revision for release "podinfo"',
  },
  {
    reason: 'UninstallSucceeded',
    type: 'Normal',
    message:
      'Helm uninstall succeeded for release apps/podinfo.v4 with chart podinfo@6.6.1',
  },
  {
    reason: 'UninstallFailed',
    type: 'Warning',
    message:
      'Helm uninstall failed for release apps/podinfo with chart podinfo@6.6.1: uninstall: Release not loaded',
  },
  {
    reason: 'DriftDetected',
    type: 'Warning',
    message:
      'Cluster state of release apps/podinfo.v4 has drifted from the desired state:\nDeployment/apps/podinfo changed (0 additions, 1 changes, 0 removals)',
  },
  {
    reason: 'DriftCorrected',
    type: 'Normal',
    message:
      'Cluster state of release apps/podinfo.v4 has been corrected:\nDeployment/apps/podinfo changed (0 additions, 1 changes, 0 removals)',
  },
  {
    reason: 'DriftCorrectionFailed',
    type: 'Warning',
    message:
      'Cluster state of release apps/podinfo.v4 has drifted, correction failed: patch rejected',
  },
  {
    reason: 'ArtifactFailed',
    type: 'Warning',
    message:
      "HelmChart 'flux-system/apps-podinfo' is not ready: chart pull error",
  },
  {
    reason: 'ValuesError',
    type: 'Warning',
    message:
      "could not resolve ConfigMap chart values reference 'apps/podinfo-values' with key 'values.yaml'",
  },
  {
    reason: 'AccessDenied',
    type: 'Warning',
    message:
      "cross-namespace references are not allowed: 'flux-system/podinfo'",
  },
  {
    reason: 'DependencyNotReady',
    type: 'Normal',
    message: "dependency 'apps/redis' is not ready",
  },
];

/** Annotations helm-controller puts on events (FLUX.md §1). */
export function helmAnnotations(
  version: string,
  extra: Record<string, string> = {},
) {
  return {
    'helm.toolkit.fluxcd.io/revision': version,
    'helm.toolkit.fluxcd.io/token':
      'sha256:8a3f9cbb6e7d0e2b7c41d7c1c0f6c2e1d6b0a1f3e4d5c6b7a8f9e0d1c2b3a4f5',
    'helm.toolkit.fluxcd.io/app-version': '6.6.1',
    ...extra,
  };
}

/** A core/v1 Event as a watch delivers it. */
export function coreEvent(o: {
  reason: string;
  type?: string;
  message: string;
  annotations?: Record<string, string>;
  name?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  involvedObject?: Record<string, unknown>;
}) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: o.name ?? 'podinfo.17cb1a2b3c4d5e6f',
      namespace: 'apps',
      uid: '0d8e7c6b-1111-2222-3333-444455556666',
      resourceVersion: '99001',
      creationTimestamp: o.firstTimestamp ?? T0,
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    involvedObject: o.involvedObject ?? HR,
    reason: o.reason,
    message: o.message,
    source: { component: 'helm-controller' },
    firstTimestamp: o.firstTimestamp ?? T0,
    lastTimestamp: o.lastTimestamp ?? o.firstTimestamp ?? T0,
    count: o.count ?? 1,
    type: o.type ?? 'Normal',
    eventTime: null,
    reportingComponent: 'helm-controller',
    reportingInstance: 'helm-controller-7d9f8c6b5-abcde',
  };
}

/** The same emission as a notification-controller webhook body (Flux ≥ 2.5: prefixes stripped). */
export function webhookBody(o: {
  reason: string;
  severity?: string;
  message: string;
  metadata?: Record<string, string>;
  timestamp?: string;
}) {
  return {
    involvedObject: HR,
    severity: o.severity ?? 'info',
    timestamp: o.timestamp ?? T0,
    message: o.message,
    reason: o.reason,
    metadata: o.metadata ?? {},
    reportingController: 'helm-controller',
    reportingInstance: 'helm-controller-7d9f8c6b5-abcde',
  };
}

/** The flux2#4453 payload, verbatim (legacy v2beta1 controller). */
export const LEGACY_WEBHOOK_4453 = JSON.parse(
  '{"involvedObject":{"kind":"HelmRelease","namespace":"flux-system","name":"appnamehere","uid":"b380efb3-1234-1234-a421-cd1e39b22e93","apiVersion":"helm.toolkit.fluxcd.io/v2beta1","resourceVersion":"73597309"},"severity":"info","timestamp":"2023-12-04T15:44:50Z","message":"Helm upgrade succeeded","reason":"info","metadata":{"revision":"0.1.3+2","token":"abcd1234"},"reportingController":"helm-controller","reportingInstance":"helm-controller-678f5d99b8-tsxl8"}',
);

/** A Kustomization event (§2). */
export function kustomizationEvent(
  reason: string,
  type: string,
  message: string,
  revision?: string,
) {
  return {
    ...coreEvent({
      reason,
      type,
      message,
      name: 'apps.17cb1a2b3c4d0001',
      annotations: revision
        ? { 'kustomize.toolkit.fluxcd.io/revision': revision }
        : undefined,
      involvedObject: {
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'apps',
        uid: 'k-uid-1',
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      },
    }),
    source: { component: 'kustomize-controller' },
    reportingComponent: 'kustomize-controller',
    reportingInstance: 'kustomize-controller-6c9d7b8f4-fghij',
  };
}
