import { CLUSTER } from './__fixtures__/events';
import { normaliseKustomizationStatus } from './normaliseKustomizationStatus';

const ctx = { cluster: CLUSTER };
const ks = (status: Record<string, unknown>) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'apps', namespace: 'flux-system', uid: 'k-uid-1' },
  status,
});

describe('normaliseKustomizationStatus', () => {
  it('Ready True → reconcile succeeded at the applied revision, with the history duration', () => {
    const r = normaliseKustomizationStatus(
      ks({
        lastAppliedRevision:
          'main@sha1:2f7a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
        lastAttemptedRevision:
          'main@sha1:2f7a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
        history: [
          {
            digest: 'sha256:aa',
            firstReconciled: '2024-05-01T00:00:00Z',
            lastReconciled: '2024-05-02T10:00:00Z',
            lastReconciledDuration: '1.234s',
            lastReconciledStatus: 'ReconciliationSucceeded',
            totalReconciliations: 12,
            metadata: {
              revision: 'main@sha1:2f7a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
            },
          },
        ],
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'ReconciliationSucceeded',
            message:
              'Applied revision: main@sha1:2f7a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
            lastTransitionTime: '2024-05-02T10:00:01Z',
          },
        ],
      }),
      ctx,
    );
    expect(r).toMatchObject({
      ok: true,
      observations: [
        {
          kind: 'Kustomization',
          action: 'reconcile',
          outcome: 'succeeded',
          chartVersion: 'main@sha1:2f7a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
          durationMs: 1234,
          time: '2024-05-02T10:00:01.000Z',
        },
      ],
    });
  });

  it('Ready False → failed at the attempted revision; Reconciling → progress', () => {
    const r = normaliseKustomizationStatus(
      ks({
        lastAppliedRevision:
          'main@sha1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        lastAttemptedRevision:
          'main@sha1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'HealthCheckFailed',
            message: 'health check failed after 5m0s: timeout',
            lastTransitionTime: '2024-05-02T11:00:00Z',
          },
          {
            type: 'Reconciling',
            status: 'True',
            reason: 'Progressing',
            message:
              'Detecting drift for revision main@sha1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
            lastTransitionTime: '2024-05-02T11:00:05Z',
          },
        ],
      }),
      ctx,
    );
    expect(r).toMatchObject({
      ok: true,
      observations: [
        {
          outcome: 'failed',
          reason: 'HealthCheckFailed',
          chartVersion: 'main@sha1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
        },
        {
          action: 'progress',
          outcome: 'progressing',
          chartVersion: 'main@sha1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
        },
      ],
    });
  });

  it('rejects a nameless object', () => {
    expect(
      normaliseKustomizationStatus({ kind: 'Kustomization' }, ctx),
    ).toMatchObject({ ok: false });
  });
});
