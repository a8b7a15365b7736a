import {
  Pipeline,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { deployedVersion, runsEverywhere } from './deployedVersion';
import { rollbackCandidates } from './rollbackCandidates';

function deployment(
  cluster: string,
  version: string,
  status: TargetDeployment['status'],
  finishedAt: string,
  extra: Partial<TargetDeployment> = {},
): TargetDeployment {
  return {
    cluster,
    namespace: 'prod',
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion: version,
    status,
    updatedAt: finishedAt,
    finishedAt,
    ...extra,
  };
}

const targets = [
  { cluster: 'eu', namespace: 'prod' },
  { cluster: 'us', namespace: 'prod' },
];
const pipeline: Pipeline = {
  source: 'config',
  namespace: 'flux-system',
  name: 'podinfo',
  appRef: {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'podinfo',
  },
  environments: [{ name: 'prod', targets }],
};

// Newest first, as the store lists them.
const deployments = [
  deployment('eu', '6.9.9', 'succeeded', '2026-12-07T08:30:00Z'),
  deployment('us', '6.9.9', 'progressing', '2026-12-07T08:30:00Z'),
  deployment('us', '6.5.2', 'succeeded', '2026-12-07T08:20:00Z'),
  deployment('eu', '6.5.2', 'superseded', '2026-12-07T08:20:00Z'),
  deployment('eu', '6.5.1', 'superseded', '2026-12-07T08:10:00Z'),
  deployment('us', '6.5.1', 'superseded', '2026-12-07T08:10:00Z', {
    unconfirmed: true,
  }),
  deployment('eu', '6.5.0', 'superseded', '2026-12-07T08:00:00Z'),
  deployment('us', '6.5.0', 'superseded', '2026-12-07T08:00:00Z'),
];

describe('what an environment runs', () => {
  it('is the confirmed success on its first target that has one', () => {
    expect(deployedVersion(targets, deployments)?.chartVersion).toBe('6.9.9');
    expect(
      deployedVersion([...targets].reverse(), deployments)?.chartVersion,
    ).toBe('6.5.2');
    expect(deployedVersion(targets, [])).toBeUndefined();
  });

  it('runs a version everywhere only when every target runs it now', () => {
    expect(runsEverywhere(targets, deployments, '6.9.9')).toBe(false);
    expect(runsEverywhere(targets.slice(0, 1), deployments, '6.9.9')).toBe(
      true,
    );
  });

  it('offers as rollback targets the versions that succeeded on every target, newest first, never an unconfirmed one', () => {
    expect(
      rollbackCandidates(pipeline, 'prod', deployments).map(c => c.version),
    ).toEqual(['6.5.2', '6.5.0']);
    expect(rollbackCandidates(pipeline, 'staging', deployments)).toEqual([]);
  });
});
