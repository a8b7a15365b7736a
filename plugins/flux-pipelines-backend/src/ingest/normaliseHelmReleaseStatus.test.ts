import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { CLUSTER } from './__fixtures__/events';
import {
  HR_V2,
  HR_V2BETA1,
  HR_V2BETA2_FAILED,
  HR_V2_PROGRESSING,
} from './__fixtures__/helmReleases';
import { normaliseHelmReleaseStatus } from './normaliseHelmReleaseStatus';
import { NormaliseResult } from './types';

const ctx = { cluster: CLUSTER };

function all(r: NormaliseResult): Observation[] {
  if (!r.ok) throw new Error(`rejected: ${r.reason}`);
  return r.observations;
}

describe('normaliseHelmReleaseStatus', () => {
  it('backfills every history entry with its real finish: Helm stamps lastDeployed at the start, the newest adds its recorded duration (v2)', () => {
    const obs = all(normaliseHelmReleaseStatus(HR_V2, ctx));
    expect(
      obs.map(o => [
        o.chartVersion,
        o.reason,
        o.outcome,
        o.time,
        o.releaseRevision,
      ]),
    ).toEqual([
      ['6.6.1', 'ReleaseDeployed', 'succeeded', '2024-05-02T10:16:12.000Z', 3],
      [
        '6.5.4',
        'ReleaseSuperseded',
        'succeeded',
        '2024-04-20T12:00:00.000Z',
        2,
      ],
      [
        '6.5.3',
        'ReleaseSuperseded',
        'succeeded',
        '2024-04-01T08:00:00.000Z',
        1,
      ],
    ]);
    expect(obs[0]).toMatchObject({
      action: 'upgrade',
      source: 'status',
      namespace: 'apps',
      name: 'podinfo',
      configDigest: 'sha256:cfg3',
      digest: 'sha256:cfg3',
    });
    expect(obs[2].action).toBe('install');
    expect(obs[0].message).toContain('first deployed 2024-04-01T08:00:00.000Z');
    expect(obs[0].message).toContain('last deployed 2024-05-02T10:15:30.000Z');
  });

  it('puts the last attempt duration on the newest entry only', () => {
    const obs = all(normaliseHelmReleaseStatus(HR_V2, ctx));
    expect(obs[0].durationMs).toBe(42_500);
    expect(obs[1].durationMs).toBeUndefined();
  });

  it('dedup keys name the history version and status', () => {
    const obs = all(normaliseHelmReleaseStatus(HR_V2, ctx));
    expect(obs.map(o => o.dedupKey)).toEqual([
      `status:${CLUSTER}/apps/podinfo/3/deployed`,
      `status:${CLUSTER}/apps/podinfo/2/superseded`,
      `status:${CLUSTER}/apps/podinfo/1/superseded`,
    ]);
    // Replaying the same snapshot yields the same keys.
    expect(all(normaliseHelmReleaseStatus(HR_V2, ctx))).toEqual(obs);
  });

  it('v2beta2 with OCI chart: failed newest entry, OCI digest, 5m duration', () => {
    const [failed, deployed] = all(
      normaliseHelmReleaseStatus(HR_V2BETA2_FAILED, ctx),
    );
    expect(failed).toMatchObject({
      outcome: 'failed',
      reason: 'ReleaseFailed',
      chartVersion: '6.7.0+0cc9a8446c95',
      digest: 'sha256:0cc9a8446c95aa',
      durationMs: 300_012,
      time: '2024-05-04T07:05:00.000Z',
    });
    expect(deployed).toMatchObject({
      outcome: 'succeeded',
      chartVersion: '6.6.1+1ab2c3d4e5f6',
      releaseRevision: 4,
    });
    expect(deployed.durationMs).toBeUndefined();
  });

  it('reports a progress observation while Reconciling/Progressing', () => {
    const obs = all(normaliseHelmReleaseStatus(HR_V2_PROGRESSING, ctx));
    const progress = obs.find(o => o.action === 'progress')!;
    expect(progress).toMatchObject({
      outcome: 'progressing',
      chartVersion: '6.7.0',
      message: "Running 'upgrade' action with timeout of 5m0s",
      time: '2024-05-03T09:00:00.000Z',
    });
    // The attempt duration belongs to 6.7.0, still running: not on 6.6.1.
    expect(obs[0].durationMs).toBeUndefined();
  });

  it('v2beta1: lastAppliedRevision is deployed, a newer failed attempt is reported', () => {
    const obs = all(normaliseHelmReleaseStatus(HR_V2BETA1, ctx));
    expect(obs).toHaveLength(2);
    expect(obs[0]).toMatchObject({
      name: 'appnamehere',
      namespace: 'flux-system',
      outcome: 'succeeded',
      chartVersion: '0.1.3+2',
      releaseRevision: 6,
      time: '2023-12-04T15:44:50.000Z',
      dedupKey: `status:${CLUSTER}/flux-system/appnamehere/6/deployed`,
    });
    expect(obs[1]).toMatchObject({
      outcome: 'failed',
      chartVersion: '0.1.4+3',
      reason: 'UpgradeFailed',
      message: 'Helm upgrade failed: timed out waiting for the condition',
    });
  });

  it('reports failed Helm test hooks of a history entry as a test failure of that version', () => {
    const [latest, ...rest] = HR_V2.status.history;
    const withTests = {
      ...HR_V2,
      status: {
        ...HR_V2.status,
        history: [
          {
            ...latest,
            testHooks: {
              'podinfo-test-connection': {
                lastStarted: '2024-05-02T10:15:32Z',
                lastCompleted: '2024-05-02T10:15:40Z',
                phase: 'Failed',
              },
              'podinfo-test-other': {
                lastStarted: '2024-05-02T10:15:32Z',
                lastCompleted: '2024-05-02T10:15:35Z',
                phase: 'Succeeded',
              },
            },
          },
          {
            ...rest[0],
            testHooks: {
              'podinfo-test-connection': {
                lastCompleted: '2024-04-20T12:00:10Z',
                phase: 'Succeeded',
              },
            },
          },
          ...rest.slice(1),
        ],
      },
    };
    const obs = all(normaliseHelmReleaseStatus(withTests, ctx));
    const tests = obs.filter(o => o.action === 'test');
    expect(tests).toEqual([
      expect.objectContaining({
        chartVersion: '6.6.1',
        outcome: 'failed',
        reason: 'TestFailed',
        time: '2024-05-02T10:15:40.000Z',
        releaseRevision: 3,
        source: 'status',
      }),
    ]);
    expect(tests[0].message).toContain('podinfo-test-connection');
    expect(tests[0].dedupKey).not.toEqual(obs[0].dedupKey);
  });

  it('skips malformed history entries and tolerates a missing status', () => {
    const odd = {
      ...HR_V2,
      status: {
        ...HR_V2.status,
        history: [null, 'x', { version: 'two' }, HR_V2.status.history[1]],
      },
    };
    expect(
      all(normaliseHelmReleaseStatus(odd, ctx)).map(o => o.releaseRevision),
    ).toEqual([2]);
    expect(
      all(normaliseHelmReleaseStatus({ ...HR_V2, status: undefined }, ctx)),
    ).toEqual([]);
  });

  it('rejects objects without a name, or of another kind', () => {
    expect(
      normaliseHelmReleaseStatus(
        { kind: 'HelmRelease', metadata: { name: 'x' } },
        ctx,
      ),
    ).toMatchObject({ ok: false, object: 'x' });
    expect(
      normaliseHelmReleaseStatus({ ...HR_V2, kind: 'Kustomization' }, ctx),
    ).toMatchObject({ ok: false, object: 'apps/podinfo' });
  });
});
