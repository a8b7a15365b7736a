import { deployment } from './__testUtils__/deployment';
import { ListedObjectEvidence } from './gates';
import { HealthFailureInput, healthFailureInSoak } from './healthFailureInSoak';

const HEALTH_CHECK_FAILED =
  'health check failed after 1s: timeout waiting for: [Secret/test/smoke status: NotFound]';

/** flux-system/apps-test, in the state it reached at `updatedAt`. */
const appsTest = (
  status: 'failed' | 'progressing',
  updatedAt: string,
): ListedObjectEvidence => ({
  kind: 'Kustomization',
  cluster: 'c',
  namespace: 'flux-system',
  name: 'apps-test',
  newest: deployment('main@sha1:ab', status, {
    kind: 'Kustomization',
    updatedAt,
    message: HEALTH_CHECK_FAILED,
  }),
});
const failedCanary: ListedObjectEvidence = {
  kind: 'Canary',
  cluster: 'c',
  namespace: 'test',
  name: 'podinfo',
  canary: {
    state: 'failed',
    canaries: [
      { canary: 'podinfo', phase: 'Failed', at: '2026-12-07T08:05:00Z' },
    ],
  },
};

/** 6.5.1 promoted into test at 07:59, Ready there at 08:00; prod soaks 30 min in test. */
const judge = (
  objects: ListedObjectEvidence[],
  extra: Partial<HealthFailureInput> = {},
) =>
  healthFailureInSoak({
    version: '6.5.1',
    promotedAt: '2026-12-07T07:59:00Z',
    environment: 'test',
    targets: [[deployment('6.5.1', 'succeeded')]],
    gates: { soak: '30m', health: { objects: [] } },
    objects,
    onCanaryFailure: false,
    now: Date.parse('2026-12-07T08:10:00Z'),
    ...extra,
  });

describe('healthFailureInSoak', () => {
  it('names a listed object whose health check failed within the soak', () => {
    expect(judge([appsTest('failed', '2026-12-07T08:10:00Z')])).toBe(
      'Kustomization flux-system/apps-test on c: health check failed',
    );
  });

  it('ignores a failure after the soak elapsed, before the promotion, or while still waiting', () => {
    expect(judge([appsTest('failed', '2026-12-07T08:31:00Z')])).toBeUndefined();
    expect(judge([appsTest('failed', '2026-12-07T07:00:00Z')])).toBeUndefined();
    expect(
      judge([appsTest('progressing', '2026-12-07T08:10:00Z')]),
    ).toBeUndefined();
  });

  it('never triggers without a soak (no window to judge in)', () => {
    expect(
      judge([appsTest('failed', '2026-12-07T08:10:00Z')], {
        gates: { health: { objects: [] } },
      }),
    ).toBeUndefined();
  });

  it('counts a listed Canary that failed only with onCanaryFailure', () => {
    expect(judge([failedCanary])).toBeUndefined();
    expect(judge([failedCanary], { onCanaryFailure: true })).toBe(
      'Canary test/podinfo on c: canary failed',
    );
  });

  it('ignores the failure when the version no longer runs on the targets', () => {
    expect(
      judge([appsTest('failed', '2026-12-07T08:10:00Z')], {
        targets: [[deployment('6.5.0', 'succeeded')]],
      }),
    ).toBeUndefined();
  });
});
