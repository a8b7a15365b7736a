import {
  CLUSTER,
  HELM_ROWS,
  HR_UID,
  LEGACY_WEBHOOK_4453,
  T0,
  T1,
  coreEvent,
  helmAnnotations,
  webhookBody,
} from './__fixtures__/events';
import { occurrenceKey } from './dedup';
import { normaliseCoreEvent } from './normaliseCoreEvent';
import { normaliseWebhook } from './normaliseWebhook';
import { one } from './__fixtures__/one';

const ctx = { cluster: CLUSTER };
const upgraded = HELM_ROWS.find(r => r.reason === 'UpgradeSucceeded')!;

describe('normaliseWebhook', () => {
  it('reads Flux ≥ 2.5 bodies (prefix stripped, Alert eventMetadata merged)', () => {
    const body = webhookBody({
      ...upgraded,
      metadata: {
        revision: '6.6.1',
        'app-version': '6.6.1',
        'oci-digest': 'sha256:abc',
        env: 'prod',
        cluster: 'eu-1',
      },
    });
    expect(one(normaliseWebhook(body, ctx))).toMatchObject({
      cluster: CLUSTER,
      namespace: 'apps',
      name: 'podinfo',
      uid: HR_UID,
      kind: 'HelmRelease',
      action: 'upgrade',
      outcome: 'succeeded',
      chartVersion: '6.6.1',
      appVersion: '6.6.1',
      digest: 'sha256:abc',
      time: '2024-05-02T10:15:30.000Z',
      source: 'webhook',
      releaseRevision: 4,
      message: upgraded.message,
    });
  });

  it('reads older bodies with group-prefixed metadata keys', () => {
    const body = webhookBody({
      ...upgraded,
      metadata: helmAnnotations('6.6.1'),
    });
    expect(one(normaliseWebhook(body, ctx))).toMatchObject({
      chartVersion: '6.6.1',
      configDigest: expect.stringMatching(/^sha256:/),
    });
  });

  it('reads the flux2#4453 legacy v2beta1 payload', () => {
    expect(one(normaliseWebhook(LEGACY_WEBHOOK_4453, ctx))).toMatchObject({
      namespace: 'flux-system',
      name: 'appnamehere',
      uid: 'b380efb3-1234-1234-a421-cd1e39b22e93',
      action: 'upgrade',
      outcome: 'succeeded',
      reason: 'info',
      chartVersion: '0.1.3+2',
      time: '2023-12-04T15:44:50.000Z',
      message: 'Helm upgrade succeeded',
      configDigest: 'abcd1234',
    });
  });

  it('legacy error severity is a failure', () => {
    const body = {
      ...LEGACY_WEBHOOK_4453,
      severity: 'error',
      reason: 'error',
      message: 'Helm upgrade failed: timed out waiting for the condition',
    };
    expect(one(normaliseWebhook(body, ctx))).toMatchObject({
      action: 'upgrade',
      outcome: 'failed',
    });
  });

  it('a failure without annotations still yields the chart version from the message', () => {
    const row = HELM_ROWS.find(r => r.reason === 'InstallFailed')!;
    expect(
      one(normaliseWebhook(webhookBody({ ...row, severity: 'error' }), ctx)),
    ).toMatchObject({ outcome: 'failed', chartVersion: '6.5.4' });
  });

  it('the dedup key is stable for the same body and differs for another timestamp', () => {
    const a = one(
      normaliseWebhook(
        webhookBody({ ...upgraded, metadata: { revision: '6.6.1' } }),
        ctx,
      ),
    );
    const b = one(
      normaliseWebhook(
        JSON.parse(
          JSON.stringify(
            webhookBody({ ...upgraded, metadata: { revision: '6.6.1' } }),
          ),
        ),
        ctx,
      ),
    );
    const c = one(
      normaliseWebhook(
        webhookBody({
          ...upgraded,
          metadata: { revision: '6.6.1' },
          timestamp: T1,
        }),
        ctx,
      ),
    );
    expect(a.dedupKey).toMatch(/^webhook:[0-9a-f]{32}$/);
    expect(b.dedupKey).toBe(a.dedupKey);
    expect(c.dedupKey).not.toBe(a.dedupKey);
  });

  it('occurrenceKey matches the same emission seen as an Event and as a webhook', () => {
    const event = one(
      normaliseCoreEvent(
        coreEvent({ ...upgraded, annotations: helmAnnotations('6.6.1') }),
        ctx,
      ),
    );
    const hook = one(
      normaliseWebhook(
        webhookBody({
          ...upgraded,
          metadata: { revision: '6.6.1' },
          timestamp: '2024-05-02T10:15:30.734Z',
        }),
        ctx,
      ),
    );
    expect(event.dedupKey).not.toBe(hook.dedupKey);
    expect(occurrenceKey(event)).toBe(occurrenceKey(hook));
    // An aggregated event of the same message is the same occurrence too.
    const agg = one(
      normaliseCoreEvent(
        coreEvent({
          ...upgraded,
          message: `(combined from similar events): ${upgraded.message}`,
        }),
        ctx,
      ),
    );
    expect(occurrenceKey(agg)).toBe(occurrenceKey(hook));
    // A later occurrence is not.
    const later = one(
      normaliseWebhook(
        webhookBody({
          ...upgraded,
          metadata: { revision: '6.6.1' },
          timestamp: T1,
        }),
        ctx,
      ),
    );
    expect(occurrenceKey(later)).not.toBe(occurrenceKey(hook));
  });

  it('rejects bodies without a timestamp or object, naming what it can', () => {
    const { timestamp: _, ...noTs } = webhookBody(upgraded);
    expect(normaliseWebhook(noTs, ctx)).toMatchObject({
      ok: false,
      object: 'apps/podinfo',
      reason: expect.stringContaining('timestamp'),
    });
    expect(
      normaliseWebhook(
        { ...webhookBody(upgraded), timestamp: 'not a time' },
        ctx,
      ),
    ).toMatchObject({ ok: false, reason: 'event has no valid time' });
    expect(normaliseWebhook([], ctx)).toMatchObject({ ok: false });
    expect(
      normaliseWebhook(
        {
          ...webhookBody(upgraded),
          involvedObject: { kind: 'HelmRelease', name: 'podinfo' },
        },
        ctx,
      ),
    ).toMatchObject({ ok: false, object: 'podinfo' });
  });

  it('uses the timestamp T0 from the body', () => {
    expect(
      one(normaliseWebhook(webhookBody({ ...upgraded, timestamp: T0 }), ctx))
        .time,
    ).toBe('2024-05-02T10:15:30.000Z');
  });

  it('a Kustomization webhook carries the source revision from the stripped key', () => {
    const body = {
      ...webhookBody({
        reason: 'ReconciliationSucceeded',
        message: 'Reconciliation finished in 1.2s, next run in 10m0s',
        metadata: {
          revision: 'main@sha1:2f7a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
          commit_status: 'update',
        },
      }),
      involvedObject: {
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'apps',
        uid: 'k-uid-1',
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      },
      reportingController: 'kustomize-controller',
    };
    expect(one(normaliseWebhook(body, ctx))).toMatchObject({
      kind: 'Kustomization',
      action: 'reconcile',
      outcome: 'succeeded',
      chartVersion: 'main@sha1:2f7a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
    });
  });
});
