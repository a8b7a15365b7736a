import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { HR_V2BETA1 } from './__fixtures__/helmReleases';
import { normaliseHelmReleaseStatus } from './normaliseHelmReleaseStatus';

const ctx = { cluster: 'main' };

/** A v2 HelmRelease whose newest release (6.5.1, v2) ran Helm tests. */
function tested(
  hooks: Record<string, unknown> | undefined,
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { namespace: 'dev', name: 'podinfo', uid: 'u1' },
    status: {
      lastAttemptedRevision: '6.5.1',
      lastAttemptedReleaseActionDuration: '20s',
      history: [
        {
          name: 'podinfo',
          namespace: 'dev',
          version: 2,
          status: 'deployed',
          action: 'upgrade',
          chartName: 'podinfo',
          chartVersion: '6.5.1',
          firstDeployed: '2026-01-01T09:00:00Z',
          lastDeployed: '2026-01-01T10:00:00Z',
          ...(hooks ? { testHooks: hooks } : {}),
        },
        {
          name: 'podinfo',
          namespace: 'dev',
          version: 1,
          status: 'superseded',
          action: 'install',
          chartName: 'podinfo',
          chartVersion: '6.5.0',
          firstDeployed: '2026-01-01T09:00:00Z',
          lastDeployed: '2026-01-01T09:00:00Z',
        },
      ],
      ...extra,
    },
  };
}

const hook = (phase: string, started: string, completed: string) => ({
  'podinfo-test-connection': {
    lastStarted: started,
    lastCompleted: completed,
    phase,
  },
});

function observations(input: unknown): Observation[] {
  const r = normaliseHelmReleaseStatus(input, ctx);
  if (!r.ok) throw new Error(r.reason);
  return r.observations;
}

const of = (list: Observation[], version: string, reason: string) =>
  list.find(o => o.chartVersion === version && o.reason === reason);

describe('status.history timing of releases with Helm tests', () => {
  it('passed tests gate success: finished when the last hook completed, timed from lastDeployed', () => {
    const list = observations(
      tested(hook('Succeeded', '2026-01-01T10:00:20Z', '2026-01-01T10:00:30Z')),
    );
    expect(of(list, '6.5.1', 'ReleaseDeployed')).toMatchObject({
      time: '2026-01-01T10:00:30.000Z',
      durationMs: 30_000,
    });
  });

  it('failed tests: the release ends after its recorded duration, the test failure at the hook', () => {
    const list = observations(
      tested(hook('Failed', '2026-01-01T10:00:20Z', '2026-01-01T10:00:30Z')),
    );
    expect(of(list, '6.5.1', 'ReleaseDeployed')).toMatchObject({
      time: '2026-01-01T10:00:20.000Z',
      durationMs: 20_000,
    });
    expect(of(list, '6.5.1', 'TestFailed')).toMatchObject({
      outcome: 'failed',
      time: '2026-01-01T10:00:30.000Z',
    });
  });

  it('tests enabled but no test hooks, or none recorded: the recorded duration', () => {
    for (const hooks of [{}, undefined]) {
      expect(
        of(observations(tested(hooks)), '6.5.1', 'ReleaseDeployed'),
      ).toMatchObject({ time: '2026-01-01T10:00:20.000Z', durationMs: 20_000 });
    }
  });

  it('an older entry has no recorded duration: its finish is its start', () => {
    const old = of(
      observations(tested(undefined)),
      '6.5.0',
      'ReleaseSuperseded',
    );
    expect(old?.time).toBe('2026-01-01T09:00:00.000Z');
    expect(old?.durationMs).toBeUndefined();
  });
});

describe('v2beta1 status: each failed attempt is its own observation', () => {
  it('a retry of the same version failing again is not dropped as a duplicate', () => {
    const failedAt = (time: string) =>
      observations({
        ...HR_V2BETA1,
        status: {
          ...HR_V2BETA1.status,
          conditions: HR_V2BETA1.status.conditions.map(c =>
            c.type === 'Ready' ? { ...c, lastTransitionTime: time } : c,
          ),
        },
      }).find(o => o.outcome === 'failed')!;
    const first = failedAt('2023-12-05T09:00:00Z');
    const retry = failedAt('2023-12-05T09:10:00Z');
    expect(first.chartVersion).toBe('0.1.4+3');
    expect(retry.chartVersion).toBe('0.1.4+3');
    expect(retry.dedupKey).not.toBe(first.dedupKey);
    expect(retry.time).toBe('2023-12-05T09:10:00.000Z');
  });
});
