import {
  CLUSTER,
  HELM_ROWS,
  HR_UID,
  coreEvent,
  helmAnnotations,
  webhookBody,
} from './__fixtures__/events';
import { one } from './__fixtures__/one';
import { normaliseCoreEvent } from './normaliseCoreEvent';
import { normaliseWebhook } from './normaliseWebhook';
import { REASONS, classify } from './reasons';

const ctx = { cluster: CLUSTER };

const EXPECTED: Record<string, [string, string]> = {
  InstallSucceeded: ['install', 'succeeded'],
  InstallFailed: ['install', 'failed'],
  UpgradeSucceeded: ['upgrade', 'succeeded'],
  UpgradeFailed: ['upgrade', 'failed'],
  TestSucceeded: ['test', 'succeeded'],
  TestFailed: ['test', 'failed'],
  RollbackSucceeded: ['rollback', 'succeeded'],
  RollbackFailed: ['rollback', 'failed'],
  UninstallSucceeded: ['uninstall', 'succeeded'],
  UninstallFailed: ['uninstall', 'failed'],
  DriftDetected: ['drift', 'info'],
  DriftCorrected: ['drift', 'succeeded'],
  DriftCorrectionFailed: ['drift', 'failed'],
  ArtifactFailed: ['other', 'failed'],
  ValuesError: ['other', 'failed'],
  AccessDenied: ['other', 'failed'],
  DependencyNotReady: ['other', 'info'],
};

describe('every FLUX.md §1 reason row', () => {
  it.each(HELM_ROWS.map(r => [r.reason, r]))(
    '%s with annotations',
    (_, row) => {
      const obs = one(
        normaliseCoreEvent(
          coreEvent({ ...row, annotations: helmAnnotations('6.6.1') }),
          ctx,
        ),
      );
      const [action, outcome] = EXPECTED[row.reason];
      expect(obs).toMatchObject({
        cluster: CLUSTER,
        namespace: 'apps',
        kind: 'HelmRelease',
        name: 'podinfo',
        uid: HR_UID,
        action,
        outcome,
        reason: row.reason,
        message: row.message,
        time: '2024-05-02T10:15:30.000Z',
        chartVersion: '6.6.1',
        appVersion: '6.6.1',
        source: 'event',
        configDigest: expect.stringMatching(/^sha256:/),
        dedupKey: `event:${CLUSTER}/apps/podinfo.17cb1a2b3c4d5e6f/1`,
      });
    },
  );

  it('a rollback reports the version rolled back to, from the annotation', () => {
    const row = HELM_ROWS.find(r => r.reason === 'RollbackSucceeded')!;
    const obs = one(
      normaliseCoreEvent(
        coreEvent({ ...row, annotations: helmAnnotations('6.5.4') }),
        ctx,
      ),
    );
    expect(obs).toMatchObject({
      action: 'rollback',
      outcome: 'succeeded',
      chartVersion: '6.5.4',
      releaseRevision: 3,
    });
  });

  it.each(HELM_ROWS.map(r => [r.reason, r]))(
    '%s by webhook, without metadata: same action and outcome',
    (_, row) => {
      const severity = row.type === 'Warning' ? 'error' : 'info';
      const obs = one(normaliseWebhook(webhookBody({ ...row, severity }), ctx));
      const [action, outcome] = EXPECTED[row.reason];
      expect(obs).toMatchObject({
        action,
        outcome,
        reason: row.reason,
        message: row.message,
      });
    },
  );

  it('never promotes on a rollback or a failure: only install/upgrade/test succeed as deployments', () => {
    const deploying = Object.entries(REASONS)
      .filter(
        ([, v]) =>
          v.outcome === 'succeeded' &&
          ['install', 'upgrade', 'test'].includes(v.action),
      )
      .map(([k]) => k)
      .sort();
    expect(deploying).toEqual([
      'InstallSucceeded',
      'TestSucceeded',
      'UpgradeSucceeded',
    ]);
  });

  it('unknown reasons fall back to the message, then the severity', () => {
    expect(
      classify(
        'HelmRelease',
        'SomethingNew',
        'Helm upgrade succeeded for release a/b.v2 with chart c@1.0.0',
        'normal',
      ),
    ).toEqual({ action: 'upgrade', outcome: 'succeeded' });
    expect(
      classify('HelmRelease', 'SomethingNew', 'opaque', 'warning'),
    ).toEqual({ action: 'other', outcome: 'failed' });
    expect(
      classify(
        'Kustomization',
        'info',
        'Reconciliation finished in 2s, next run in 5m0s',
        undefined,
      ),
    ).toEqual({ action: 'reconcile', outcome: 'succeeded' });
    expect(
      classify(
        'Kustomization',
        'error',
        'kustomize build failed: accumulating resources',
        undefined,
      ),
    ).toEqual({ action: 'reconcile', outcome: 'failed' });
  });
});
