import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { revisionAt } from './appliedRevision';
import { promotionRequester } from './promotionRequester';

const rev = (n: number) => `main@sha1:${String(n).repeat(40)}`;

function deployment(
  chartVersion: string,
  startedAt: string | undefined,
  extra: Partial<TargetDeployment> = {},
): TargetDeployment {
  return {
    cluster: 'main',
    namespace: 'dev',
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion,
    status: 'succeeded',
    startedAt,
    updatedAt: startedAt ?? '2026-12-07T10:00:00Z',
    ...extra,
  };
}

describe('revisionAt', () => {
  const applier = [
    deployment(rev(1), '2026-12-07T10:00:00Z', { kind: 'Kustomization' }),
    deployment(rev(2), '2026-12-07T10:05:00Z', { kind: 'Kustomization' }),
    deployment(rev(3), '2026-12-07T10:09:00Z', { kind: 'Kustomization' }),
  ];

  it('is the revision the Kustomization had reached when the version started', () => {
    expect(
      revisionAt(applier, deployment('6.5.1', '2026-12-07T10:05:01Z')),
    ).toBe(rev(2));
    expect(
      revisionAt(applier, deployment('6.5.2', '2026-12-07T10:09:00Z')),
    ).toBe(rev(3));
  });

  it('counts a reconciliation whose start was not seen from the end of the one before', () => {
    const k = (n: number, startedAt: string | undefined, finishedAt: string) =>
      deployment(rev(n), startedAt, {
        kind: 'Kustomization',
        finishedAt,
        updatedAt: finishedAt,
      });
    // Revision 2 applied the release and waited for it (health checks): it
    // ended after the release started, and only its end was seen.
    const waited = [
      k(1, '2026-12-07T10:00:37Z', '2026-12-07T10:00:37Z'),
      k(2, undefined, '2026-12-07T10:00:45Z'),
    ];
    expect(
      revisionAt(waited, deployment('6.5.1', '2026-12-07T10:00:38Z')),
    ).toBe(rev(2));
    // Revision 3 began after revision 2 ended, in the release's second: the
    // release came from revision 2.
    const after = [
      k(1, '2026-12-07T10:00:29Z', '2026-12-07T10:00:30Z'),
      k(3, undefined, '2026-12-07T10:00:30Z'),
    ];
    expect(revisionAt(after, deployment('6.5.1', '2026-12-07T10:00:30Z'))).toBe(
      rev(1),
    );
    // Attempts of one revision count as one reconciliation.
    expect(
      revisionAt(
        [...waited, k(2, '2026-12-07T10:00:38Z', '2026-12-07T10:00:39Z')],
        deployment('6.5.1', '2026-12-07T10:00:38Z'),
      ),
    ).toBe(rev(2));
  });

  it('is none for a version that ran before the Kustomization applied anything', () => {
    expect(
      revisionAt(applier, deployment('6.5.0', '2026-12-07T09:00:00Z')),
    ).toBeUndefined();
  });

  it('never answers with a revision that does not parse', () => {
    const forged = [
      deployment('main@sha1:<script>', '2026-12-07T10:00:00Z', {
        kind: 'Kustomization',
      }),
    ];
    expect(
      revisionAt(forged, deployment('6.5.1', '2026-12-07T10:01:00Z')),
    ).toBeUndefined();
  });
});

describe('promotionRequester', () => {
  const promotion = (extra: object) =>
    ({
      id: 'p',
      pipelineNamespace: 'flux-system',
      pipelineName: 'podinfo',
      environment: 'test',
      version: '6.5.1',
      trigger: 'manual',
      strategy: 'commit',
      state: 'deployed',
      requestedBy: 'user:default/ada',
      requestedAt: '2026-12-07T10:00:00Z',
      updatedAt: '2026-12-07T10:00:00Z',
      ...extra,
    } as any);
  const d = deployment('6.5.1', '2026-12-07T10:01:00Z', { namespace: 'test' });

  it('names who asked for the promotion that put the version there', () => {
    expect(promotionRequester([promotion({})], 'test', d)).toEqual({
      name: 'ada',
      entityRef: 'user:default/ada',
      via: 'promotion',
    });
    expect(
      promotionRequester([promotion({ requestedBy: 'pipeline' })], 'test', d),
    ).toEqual({ name: 'automatic promotion', via: 'promotion' });
    // Asked in the second the release started (Kubernetes has whole seconds).
    expect(
      promotionRequester(
        [promotion({ requestedAt: '2026-12-07T10:01:00.400Z' })],
        'test',
        d,
      )?.name,
    ).toBe('ada');
  });

  it('names nobody for a version that came another way', () => {
    for (const other of [
      promotion({ environment: 'prod' }),
      promotion({ version: '6.5.2' }),
      promotion({ state: 'failed' }),
      promotion({ state: 'waiting-approval' }),
      promotion({ requestedAt: '2026-12-07T10:02:00Z' }),
    ]) {
      expect(promotionRequester([other], 'test', d)).toBeUndefined();
    }
  });
});
