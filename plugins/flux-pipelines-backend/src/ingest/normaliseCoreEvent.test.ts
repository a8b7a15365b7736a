import {
  CLUSTER,
  HELM_LOGS,
  HELM_ROWS,
  T1,
  coreEvent,
  helmAnnotations,
  kustomizationEvent,
} from './__fixtures__/events';
import { normaliseCoreEvent } from './normaliseCoreEvent';
import { one } from './__fixtures__/one';
import { MAX_MESSAGE_CHARS } from './values';

const ctx = { cluster: CLUSTER };

describe('normaliseCoreEvent', () => {
  it('an aggregated event with no annotations falls back to the message', () => {
    const message =
      '(combined from similar events): Helm upgrade succeeded for release apps/podinfo.v9 with chart podinfo@6.6.2';
    const obs = one(
      normaliseCoreEvent(
        coreEvent({
          reason: 'UpgradeSucceeded',
          message,
          name: 'podinfo.agg',
          count: 3,
        }),
        ctx,
      ),
    );
    expect(obs).toMatchObject({
      action: 'upgrade',
      outcome: 'succeeded',
      chartVersion: '6.6.2',
      releaseRevision: 9,
      message,
    });
    expect(obs.dedupKey).toBe(`event:${CLUSTER}/apps/podinfo.agg/3`);
  });

  it("a repeated event whose message names no version ignores its (first occurrence's) annotations", () => {
    const annotations = {
      'helm.toolkit.fluxcd.io/revision': '6.5.1',
      'helm.toolkit.fluxcd.io/token': 'abcd',
    };
    const first = one(
      normaliseCoreEvent(
        coreEvent({
          reason: 'info',
          message: 'Helm upgrade has started',
          annotations,
          count: 1,
        }),
        ctx,
      ),
    );
    expect(first.chartVersion).toBe('6.5.1');
    // The recorder patched count and time only: the annotations still say 6.5.1.
    const repeated = one(
      normaliseCoreEvent(
        coreEvent({
          reason: 'info',
          message: 'Helm upgrade has started',
          annotations,
          count: 2,
        }),
        ctx,
      ),
    );
    expect(repeated.chartVersion).toBeUndefined();
    expect(repeated.configDigest).toBeUndefined();
  });

  it('a repeated event keeps annotations that agree with its message', () => {
    const message =
      'Helm upgrade succeeded for release apps/podinfo.v5 with chart podinfo@6.6.1';
    const obs = one(
      normaliseCoreEvent(
        coreEvent({
          reason: 'UpgradeSucceeded',
          message,
          annotations: helmAnnotations('6.6.1', {
            'helm.toolkit.fluxcd.io/app-version': '6.6.1',
          }),
          count: 4,
        }),
        ctx,
      ),
    );
    expect(obs).toMatchObject({ chartVersion: '6.6.1', appVersion: '6.6.1' });
  });

  it('OCI: keeps the +digest version and uses the OCI digest', () => {
    const message =
      'Helm upgrade succeeded for release apps/podinfo.v5 with chart podinfo@6.6.1+0cc9a8446c95';
    const annotations = helmAnnotations('6.6.1+0cc9a8446c95', {
      'helm.toolkit.fluxcd.io/oci-digest': 'sha256:0cc9a8446c95deadbeef',
    });
    const obs = one(
      normaliseCoreEvent(
        coreEvent({ reason: 'UpgradeSucceeded', message, annotations }),
        ctx,
      ),
    );
    expect(obs.chartVersion).toBe('6.6.1+0cc9a8446c95');
    expect(obs.digest).toBe('sha256:0cc9a8446c95deadbeef');
  });

  it('a failure keeps the Last Helm logs in the message and reads the version without .vN', () => {
    const row = HELM_ROWS.find(r => r.reason === 'UpgradeFailed')!;
    const obs = one(
      normaliseCoreEvent(coreEvent({ ...row, type: 'Warning' }), ctx),
    );
    expect(obs.message).toContain(HELM_LOGS);
    expect(obs.chartVersion).toBe('6.6.1');
    expect(obs.releaseRevision).toBeUndefined();
  });

  it('a repeated event (MODIFIED, count 2) gets the new time and a new dedup key', () => {
    const row = HELM_ROWS.find(r => r.reason === 'UpgradeFailed')!;
    const obs = one(
      normaliseCoreEvent(
        coreEvent({ ...row, count: 2, lastTimestamp: T1 }),
        ctx,
      ),
    );
    expect(obs.time).toBe('2024-05-02T10:16:42.000Z');
    expect(obs.dedupKey).toBe(
      `event:${CLUSTER}/apps/podinfo.17cb1a2b3c4d5e6f/2`,
    );
  });

  it('orders time by series.lastObservedTime, lastTimestamp, eventTime, firstTimestamp', () => {
    const base = coreEvent({
      reason: 'UpgradeSucceeded',
      message: HELM_ROWS[2].message,
    });
    const withSeries = {
      ...base,
      series: { count: 4, lastObservedTime: '2024-05-02T11:00:00.123456Z' },
    };
    expect(one(normaliseCoreEvent(withSeries, ctx))).toMatchObject({
      time: '2024-05-02T11:00:00.123Z',
      dedupKey: expect.stringMatching(/\/4$/),
    });
    const eventTimeOnly = {
      ...base,
      lastTimestamp: null,
      firstTimestamp: null,
      eventTime: '2024-05-02T12:00:00.000001Z',
    };
    expect(one(normaliseCoreEvent(eventTimeOnly, ctx)).time).toBe(
      '2024-05-02T12:00:00.000Z',
    );
    const creationOnly = { ...base, lastTimestamp: null, firstTimestamp: null };
    expect(one(normaliseCoreEvent(creationOnly, ctx)).time).toBe(
      '2024-05-02T10:15:30.000Z',
    );
  });

  it('legacy v2beta1 events: reason is the severity, the message says what happened', () => {
    const ev = (reason: string, message: string) =>
      one(
        normaliseCoreEvent(
          coreEvent({
            reason,
            message,
            annotations: {
              'helm.toolkit.fluxcd.io/revision': '0.1.3+2',
              'helm.toolkit.fluxcd.io/token': 'abcd1234',
            },
          }),
          ctx,
        ),
      );
    expect(ev('info', 'Helm upgrade has started')).toMatchObject({
      action: 'progress',
      outcome: 'progressing',
      chartVersion: '0.1.3+2',
    });
    expect(ev('info', 'Helm upgrade succeeded')).toMatchObject({
      action: 'upgrade',
      outcome: 'succeeded',
      reason: 'info',
    });
    expect(
      ev('error', 'Helm upgrade failed: timed out waiting for the condition'),
    ).toMatchObject({ action: 'upgrade', outcome: 'failed' });
    expect(
      ev('error', 'reconciliation failed: Helm upgrade failed: timed out'),
    ).toMatchObject({ action: 'other', outcome: 'failed' });
    expect(ev('error', 'something new and unexpected')).toMatchObject({
      action: 'other',
      outcome: 'failed',
    });
  });

  it('ignores trace events and kinds other than HelmRelease/Kustomization', () => {
    const trace = normaliseCoreEvent(
      coreEvent({
        reason: 'HelmChartCreated',
        message:
          "Created HelmChart/flux-system/apps-podinfo with SourceRef 'HelmRepository/flux-system/podinfo'",
      }),
      ctx,
    );
    expect(trace).toMatchObject({
      ok: true,
      observations: [],
      ignored: expect.stringContaining('trace'),
    });
    const chart = coreEvent({
      reason: 'ChartPullSucceeded',
      message: "pulled 'podinfo' chart with version '6.6.1'",
      involvedObject: {
        kind: 'HelmChart',
        namespace: 'flux-system',
        name: 'apps-podinfo',
      },
    });
    expect(normaliseCoreEvent(chart, ctx)).toMatchObject({
      ok: true,
      observations: [],
    });
  });

  it('Kustomization events carry the source revision', () => {
    const obs = one(
      normaliseCoreEvent(
        kustomizationEvent(
          'ReconciliationSucceeded',
          'Normal',
          'Reconciliation finished in 1.2s, next run in 10m0s',
          'main@sha1:2f7a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
        ),
        ctx,
      ),
    );
    expect(obs).toMatchObject({
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
      action: 'reconcile',
      outcome: 'succeeded',
      chartVersion: 'main@sha1:2f7a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
    });
    const hc = one(
      normaliseCoreEvent(
        kustomizationEvent(
          'HealthCheckFailed',
          'Warning',
          'health check failed after 5m0s: timeout waiting for: [Deployment/apps/podinfo status: InProgress]',
        ),
        ctx,
      ),
    );
    expect(hc).toMatchObject({ action: 'reconcile', outcome: 'failed' });
    const prog = one(
      normaliseCoreEvent(
        kustomizationEvent(
          'Progressing',
          'Normal',
          'Service/default/podinfo created\nDeployment/default/podinfo created',
        ),
        ctx,
      ),
    );
    expect(prog).toMatchObject({ action: 'progress', outcome: 'progressing' });
  });

  it('truncates huge messages keeping the start', () => {
    const message = `Helm upgrade failed for release apps/podinfo with chart podinfo@6.6.1: ${'x'.repeat(
      100_000,
    )}`;
    const obs = one(
      normaliseCoreEvent(coreEvent({ reason: 'UpgradeFailed', message }), ctx),
    );
    expect(obs.message.length).toBeLessThan(MAX_MESSAGE_CHARS + 100);
    expect(
      obs.message.startsWith('Helm upgrade failed for release apps/podinfo'),
    ).toBe(true);
    expect(obs.message).toMatch(/truncated \d+ characters/);
  });

  it('rejects malformed events naming the object', () => {
    const noReason = {
      ...coreEvent({ reason: 'x', message: 'y' }),
      reason: 42,
    };
    expect(normaliseCoreEvent(noReason, ctx)).toMatchObject({
      ok: false,
      object: 'apps/podinfo',
      reason: expect.stringContaining('reason'),
    });
    const { involvedObject: _, ...noObject } = coreEvent({
      reason: 'x',
      message: 'y',
    });
    expect(normaliseCoreEvent(noObject, ctx)).toMatchObject({ ok: false });
    const noTime = {
      ...coreEvent({ reason: 'UpgradeSucceeded', message: 'm' }),
      lastTimestamp: 'yesterday',
      firstTimestamp: null,
      metadata: { name: 'e' },
    };
    expect(normaliseCoreEvent(noTime, ctx)).toMatchObject({
      ok: false,
      reason: 'event has no valid time',
      object: 'apps/podinfo',
    });
    expect(normaliseCoreEvent(null, ctx)).toMatchObject({ ok: false });
    expect(normaliseCoreEvent('Event', ctx)).toMatchObject({ ok: false });
  });
});
