import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';

/** A deployment of podinfo at 08:00 (unless `extra` says otherwise), for the domain rules' tests. */
export function deployment(
  chartVersion: string,
  status: TargetDeployment['status'],
  extra: Partial<TargetDeployment> = {},
): TargetDeployment {
  return {
    cluster: 'c',
    namespace: 'ns',
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion,
    status,
    updatedAt: '2026-12-07T08:00:00Z',
    ...extra,
  };
}
