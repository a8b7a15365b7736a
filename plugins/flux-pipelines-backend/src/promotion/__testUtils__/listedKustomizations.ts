/** A health gate listing flux-system/apps-test (looked up on test's cluster). */
export const healthListingAppsTest = {
  objects: [
    { kind: 'Kustomization', name: 'apps-test', namespace: 'flux-system' },
  ],
};

/** test's Kustomization, health-checking a Secret `smoke` in test within `timeout`. */
export const appsTestHealthChecked = (timeout: string) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'apps-test', namespace: 'flux-system' },
  spec: {
    path: './apps/test',
    interval: '10m',
    timeout,
    sourceRef: { kind: 'GitRepository', name: 'fleet' },
    healthChecks: [
      { apiVersion: 'v1', kind: 'Secret', name: 'smoke', namespace: 'test' },
    ],
  },
});

/**
 * A tenant of `test` creates a Kustomization of the same name there, with
 * the status it likes: Ready now, or its health check failed.
 */
export const tenantAppsTest = (ready: boolean) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'apps-test', namespace: 'test' },
  spec: {
    path: './',
    interval: '10m',
    sourceRef: { kind: 'GitRepository', name: 'tenant' },
  },
  status: {
    observedGeneration: 1,
    ...(ready
      ? {
          lastAppliedRevision:
            'main@sha1:1111111111111111111111111111111111111111',
        }
      : {}),
    lastAttemptedRevision: 'main@sha1:1111111111111111111111111111111111111111',
    conditions: [
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        reason: ready ? 'ReconciliationSucceeded' : 'HealthCheckFailed',
        message: ready
          ? 'Health check passed in 1s'
          : 'health check failed after 1s: timeout waiting for: [Secret/test/smoke status: NotFound]',
        lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    ],
  },
});
