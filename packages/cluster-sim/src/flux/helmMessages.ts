/**
 * Event and condition texts of helm-controller v1.x (v2 API) and of the legacy
 * v2beta1 controller, exactly as ../shared/FLUX.md §1 lists them.
 */
export interface ReleaseRef {
  /** Release namespace (targetNamespace or the HelmRelease's namespace). */
  namespace: string;
  /** Release name. */
  name: string;
}

export interface ChartRef {
  chart: string;
  version: string;
}

const full = (r: ReleaseRef, v?: number) =>
  `${r.namespace}/${r.name}${v ? `.v${v}` : ''}`;
const chartOf = (c: ChartRef) => `${c.chart}@${c.version}`;

export const helmMessages = {
  installSucceeded: (r: ReleaseRef, v: number, c: ChartRef) =>
    `Helm install succeeded for release ${full(r, v)} with chart ${chartOf(c)}`,
  installFailed: (r: ReleaseRef, c: ChartRef, error: string) =>
    `Helm install failed for release ${full(r)} with chart ${chartOf(
      c,
    )}: ${error}`,
  upgradeSucceeded: (r: ReleaseRef, v: number, c: ChartRef) =>
    `Helm upgrade succeeded for release ${full(r, v)} with chart ${chartOf(c)}`,
  upgradeFailed: (r: ReleaseRef, c: ChartRef, error: string) =>
    `Helm upgrade failed for release ${full(r)} with chart ${chartOf(
      c,
    )}: ${error}`,
  testSucceeded: (r: ReleaseRef, v: number, c: ChartRef, hooks: number) =>
    `Helm test succeeded for release ${full(r, v)} with chart ${chartOf(c)}: ${
      hooks === 0
        ? 'no test hooks'
        : `${hooks} test ${hooks > 1 ? 'hooks' : 'hook'} completed successfully`
    }`,
  testFailed: (r: ReleaseRef, v: number, c: ChartRef, error: string) =>
    `Helm test failed for release ${full(r, v)} with chart ${chartOf(
      c,
    )}: ${error}`,
  testPending: (r: ReleaseRef, v: number, c: ChartRef) =>
    `Helm release ${full(r, v)} with chart ${chartOf(c)} is awaiting tests`,
  rollbackSucceeded: (r: ReleaseRef, v: number, c: ChartRef) =>
    `Helm rollback to previous release ${full(r, v)} with chart ${chartOf(
      c,
    )} succeeded`,
  rollbackFailed: (r: ReleaseRef, v: number, c: ChartRef, error: string) =>
    `Helm rollback to previous release ${full(r, v)} with chart ${chartOf(
      c,
    )} failed: ${error}`,
  running: (action: string, timeout: string) =>
    `Running '${action}' action with timeout of ${timeout}`,
  retriesExceeded: (action: string, attempts: number) =>
    `Failed to ${action} after ${attempts} attempt(s)`,
  withLogs: (message: string, logs: string[]) =>
    logs.length
      ? `${message}\n\nLast Helm logs:\n\n${logs.join('\n')}`
      : message,
};

/** The legacy (≤ v0.36, API v2beta1) controller: reason is the severity. */
export const legacyMessages = {
  started: (action: string) => `Helm ${action} has started`,
  succeeded: (action: string) => `Helm ${action} succeeded`,
  failed: (action: string, error: string) => `Helm ${action} failed: ${error}`,
  reconciliationFailed: (error: string) => `reconciliation failed: ${error}`,
};

/** Helm's debug log lines for an upgrade or install that timed out waiting for resources. */
export function helmLogs(
  action: 'install' | 'upgrade',
  release: string,
  timeout: string,
): string[] {
  return action === 'install'
    ? [
        `creating 3 resource(s)`,
        `beginning wait for 3 resources with timeout of ${timeout}`,
        `Deployment is not ready: ${release}. 0 out of 1 expected pods are ready`,
      ]
    : [
        `preparing upgrade for ${release}`,
        `performing update for ${release}`,
        `creating upgraded release for ${release}`,
        `waiting for release ${release} resources (created: 0 updated: 3  deleted: 0)`,
        `beginning wait for 3 resources with timeout of ${timeout}`,
        `Deployment is not ready: ${release}. 0 out of 1 expected pods are ready`,
      ];
}
