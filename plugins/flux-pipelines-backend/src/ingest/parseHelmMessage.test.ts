import { HELM_LOGS, HELM_ROWS } from './__fixtures__/events';
import { parseHelmMessage } from './parseHelmMessage';

const msg = (reason: string) =>
  HELM_ROWS.find(r => r.reason === reason)!.message;

describe('parseHelmMessage', () => {
  it.each([
    ['InstallSucceeded', 'install', 'succeeded', 1, '6.5.4'],
    ['InstallFailed', 'install', 'failed', undefined, '6.5.4'],
    ['UpgradeSucceeded', 'upgrade', 'succeeded', 4, '6.6.1'],
    ['UpgradeFailed', 'upgrade', 'failed', undefined, '6.6.1'],
    ['TestSucceeded', 'test', 'succeeded', 4, '6.6.1'],
    ['TestFailed', 'test', 'failed', 4, '6.6.1'],
    ['RollbackSucceeded', 'rollback', 'succeeded', 3, '6.5.4'],
    ['RollbackFailed', 'rollback', 'failed', 3, '6.5.4'],
    ['UninstallSucceeded', 'uninstall', 'succeeded', 4, '6.6.1'],
    ['UninstallFailed', 'uninstall', 'failed', undefined, '6.6.1'],
  ])(
    '%s → %s %s, release v%s, chart version %s',
    (reason, action, outcome, rev, version) => {
      const p = parseHelmMessage(msg(reason));
      expect(p).toMatchObject({
        action,
        outcome,
        releaseNamespace: 'apps',
        releaseName: 'podinfo',
        chartName: 'podinfo',
        chartVersion: version,
      });
      expect(p.releaseRevision).toBe(rev);
    },
  );

  it('reads drift messages: release revision, no chart', () => {
    expect(parseHelmMessage(msg('DriftDetected'))).toMatchObject({
      action: 'drift',
      outcome: 'info',
      releaseRevision: 4,
      releaseName: 'podinfo',
    });
    expect(parseHelmMessage(msg('DriftCorrected'))).toMatchObject({
      action: 'drift',
      outcome: 'succeeded',
    });
  });

  it('reads the uninstall remediation message', () => {
    expect(
      parseHelmMessage(
        'Helm uninstall remediation for release apps/podinfo.v5 with chart podinfo@6.7.0 succeeded',
      ),
    ).toMatchObject({
      action: 'uninstall',
      outcome: 'succeeded',
      releaseRevision: 5,
      chartVersion: '6.7.0',
    });
  });

  it('keeps the OCI digest suffix in the chart version', () => {
    const p = parseHelmMessage(
      'Helm upgrade succeeded for release apps/podinfo.v7 with chart podinfo@6.6.1+0cc9a8446c95',
    );
    expect(p.chartVersion).toBe('6.6.1+0cc9a8446c95');
    expect(p.releaseRevision).toBe(7);
  });

  it('stops the version at the error separator of a failure', () => {
    const p = parseHelmMessage(
      'Helm upgrade failed for release apps/podinfo with chart podinfo@6.6.1+0cc9a8446c95: timed out',
    );
    expect(p).toMatchObject({
      outcome: 'failed',
      chartVersion: '6.6.1+0cc9a8446c95',
    });
    expect(p.releaseRevision).toBeUndefined();
  });

  it('reads aggregated events and says so', () => {
    const p = parseHelmMessage(
      `(combined from similar events): ${msg('UpgradeSucceeded')}`,
    );
    expect(p).toMatchObject({
      aggregated: true,
      action: 'upgrade',
      outcome: 'succeeded',
      chartVersion: '6.6.1',
      releaseRevision: 4,
    });
  });

  it('is not fooled by Helm logs or error text mentioning success', () => {
    const p = parseHelmMessage(
      `Helm upgrade failed for release apps/podinfo with chart podinfo@1.0.0: hook succeeded then failed${HELM_LOGS}\nHelm install succeeded for release x/y.v9 with chart z@9.9.9`,
    );
    expect(p).toMatchObject({
      action: 'upgrade',
      outcome: 'failed',
      chartVersion: '1.0.0',
    });
  });

  it('does not take "failed" in a release or chart name as the verdict', () => {
    const p = parseHelmMessage(
      'Helm install succeeded for release apps/failed-app.v1 with chart failed-chart@0.1.0',
    );
    expect(p).toMatchObject({
      outcome: 'succeeded',
      releaseName: 'failed-app',
      chartName: 'failed-chart',
    });
  });

  it('keeps dots in release names', () => {
    expect(
      parseHelmMessage(
        'Helm upgrade succeeded for release apps/my.app.v12 with chart c@1.2.3',
      ),
    ).toMatchObject({ releaseName: 'my.app', releaseRevision: 12 });
  });

  it.each([
    ['Helm upgrade has started', 'progress', 'progressing'],
    ['Helm install has started', 'progress', 'progressing'],
    ['Helm upgrade succeeded', 'upgrade', 'succeeded'],
    [
      'Helm install failed: rendered manifests contain a resource that already exists',
      'install',
      'failed',
    ],
    [
      'reconciliation failed: Helm upgrade failed: timed out',
      'other',
      'failed',
    ],
    [
      "Running 'upgrade' action with timeout of 5m0s",
      'progress',
      'progressing',
    ],
  ])('legacy and progress message %j → %s %s', (text, action, outcome) => {
    expect(parseHelmMessage(text)).toMatchObject({ action, outcome });
  });

  it('returns nothing for unrelated text, and never throws on odd input', () => {
    expect(parseHelmMessage("dependency 'apps/redis' is not ready")).toEqual(
      {},
    );
    expect(parseHelmMessage(undefined as unknown as string)).toEqual({});
    expect(() =>
      parseHelmMessage(`Helm upgrade ${'release a/'.repeat(50_000)}`),
    ).not.toThrow();
  });
});
