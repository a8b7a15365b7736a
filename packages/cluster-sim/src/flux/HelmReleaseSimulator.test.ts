import { RESOURCE_TYPES } from '../store/resourceTypes';
import { podinfoRelease } from '../__testUtils__/clients';
import { valuesDigest } from './desiredRelease';
import { HELM_RELEASE } from './HelmReleaseSimulator';
import { fluxHarness } from '../__testUtils__/fluxHarness';

const EVENTS = RESOURCE_TYPES.find(t => t.kind === 'Event' && !t.group)!;

const TOKEN = valuesDigest({ replicaCount: 1 });
const annotations = (revision: string, extra: Record<string, string> = {}) => ({
  'helm.toolkit.fluxcd.io/revision': revision,
  'helm.toolkit.fluxcd.io/token': TOKEN,
  ...extra,
});
const LOGS = [
  'preparing upgrade for podinfo',
  'performing update for podinfo',
  'creating upgraded release for podinfo',
  'waiting for release podinfo resources (created: 0 updated: 3  deleted: 0)',
  'beginning wait for 3 resources with timeout of 5m0s',
  'Deployment is not ready: podinfo. 0 out of 1 expected pods are ready',
].join('\n');

describe('the simulated helm-controller (golden sequences of FLUX.md §1)', () => {
  it('installs a new HelmRelease: Reconciling while it runs, then InstallSucceeded and TestSucceeded', async () => {
    const h = fluxHarness({ hr: { test: { enable: true } } });
    h.store.delete(HELM_RELEASE, 'dev', 'podinfo');
    h.store.create(
      HELM_RELEASE,
      podinfoRelease('dev', '6.5.0', { test: { enable: true } }),
    );
    await h.clock.advance(1000);
    expect(h.condition('Reconciling')).toMatchObject({
      status: 'True',
      reason: 'Progressing',
      message: "Running 'install' action with timeout of 5m0s",
    });
    expect(h.condition('Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'Progressing',
    });
    await h.clock.advance(5000);
    expect(h.events()).toEqual([
      {
        type: 'Normal',
        reason: 'InstallSucceeded',
        message:
          'Helm install succeeded for release dev/podinfo.v1 with chart podinfo@6.5.0',
        annotations: annotations('6.5.0', {
          'helm.toolkit.fluxcd.io/app-version': '6.5.0',
        }),
        count: 1,
      },
      {
        type: 'Normal',
        reason: 'TestSucceeded',
        message:
          'Helm test succeeded for release dev/podinfo.v1 with chart podinfo@6.5.0: 1 test hook completed successfully',
        annotations: annotations('6.5.0'),
        count: 1,
      },
    ]);
    const status = h.hr().status;
    expect(status).toMatchObject({
      lastAttemptedReleaseAction: 'install',
      lastAttemptedReleaseActionDuration: '2s',
      lastAttemptedRevision: '6.5.0',
      lastAttemptedConfigDigest: TOKEN,
      observedGeneration: 1,
      history: [
        {
          version: 1,
          status: 'deployed',
          chartVersion: '6.5.0',
          configDigest: TOKEN,
          testHooks: { 'podinfo-test-connection': { phase: 'Succeeded' } },
        },
      ],
    });
    expect(h.condition('Ready')).toMatchObject({
      status: 'True',
      reason: 'TestSucceeded',
    });
    expect(h.condition('Reconciling')).toBeUndefined();
  });

  it("stamps a release's lastDeployed when its action starts, as Helm does; its tests complete later", async () => {
    const h = fluxHarness({ hr: { test: { enable: true } } });
    h.store.delete(HELM_RELEASE, 'dev', 'podinfo');
    h.store.create(
      HELM_RELEASE,
      podinfoRelease('dev', '6.5.0', { test: { enable: true } }),
    );
    await h.clock.advance(1000);
    const started = h.condition('Reconciling')!.lastTransitionTime;
    await h.clock.advance(5000);
    const [entry] = h.hr().status.history;
    expect(entry.lastDeployed).toBe(started);
    const hooks = entry.testHooks['podinfo-test-connection'];
    expect(Date.parse(hooks.lastStarted)).toBe(
      Date.parse(started) + 2000, // the recorded 2s install
    );
    expect(Date.parse(hooks.lastCompleted)).toBeGreaterThan(
      Date.parse(hooks.lastStarted),
    );
  });

  it('upgrades on a new chart version or new values, keeping history newest first', async () => {
    const h = fluxHarness();
    h.release('6.5.1');
    await h.clock.advance(2000);
    h.release('6.5.1', { replicaCount: 2 });
    await h.clock.advance(2000);
    const [first, second] = h.events();
    expect(first).toMatchObject({
      reason: 'UpgradeSucceeded',
      message:
        'Helm upgrade succeeded for release dev/podinfo.v2 with chart podinfo@6.5.1',
    });
    expect(second.message).toBe(
      'Helm upgrade succeeded for release dev/podinfo.v3 with chart podinfo@6.5.1',
    );
    expect(second.annotations['helm.toolkit.fluxcd.io/token']).toBe(
      valuesDigest({ replicaCount: 2 }),
    );
    expect(
      h
        .hr()
        .status.history.map(
          (s: any) => `${s.version}:${s.status}:${s.chartVersion}`,
        ),
    ).toEqual(['3:deployed:6.5.1', '2:superseded:6.5.1', '1:superseded:6.5.0']);
    expect(h.condition('Ready')).toMatchObject({
      status: 'True',
      reason: 'UpgradeSucceeded',
    });
  });

  it('fails an upgrade without remediation: UpgradeFailed with Last Helm logs, then Stalled', async () => {
    const h = fluxHarness();
    h.simulator.planOutcome({ namespace: 'dev', name: 'podinfo' }, 'fail');
    h.release('6.5.1');
    await h.clock.advance(10_000);
    expect(h.events()).toEqual([
      {
        type: 'Warning',
        reason: 'UpgradeFailed',
        message: `Helm upgrade failed for release dev/podinfo with chart podinfo@6.5.1: context deadline exceeded\n\nLast Helm logs:\n\n${LOGS}`,
        annotations: annotations('6.5.1', {
          'helm.toolkit.fluxcd.io/app-version': '6.5.1',
        }),
        count: 1,
      },
    ]);
    expect(h.condition('Stalled')).toMatchObject({
      status: 'True',
      reason: 'RetriesExceeded',
      message: 'Failed to upgrade after 1 attempt(s)',
    });
    expect(h.condition('Ready')).toMatchObject({
      status: 'False',
      reason: 'UpgradeFailed',
      message:
        'Helm upgrade failed for release dev/podinfo with chart podinfo@6.5.1: context deadline exceeded',
    });
    expect(h.hr().status).toMatchObject({
      failures: 1,
      upgradeFailures: 1,
      history: [
        { version: 2, status: 'failed' },
        { version: 1, status: 'deployed' },
      ],
    });
  });

  it('rolls back a failed upgrade and retries until retries are exhausted', async () => {
    const h = fluxHarness({ hr: { upgrade: { remediation: { retries: 1 } } } });
    h.simulator.planOutcome(
      { namespace: 'dev', name: 'podinfo', version: '6.5.1' },
      'fail',
      'fail',
    );
    h.release('6.5.1');
    await h.clock.advance(60_000);
    // the second, identical UpgradeFailed bumps count on the first Event object
    expect(
      h.events().map(e => [e.reason, e.message.split('\n')[0], e.count]),
    ).toEqual([
      [
        'UpgradeFailed',
        'Helm upgrade failed for release dev/podinfo with chart podinfo@6.5.1: context deadline exceeded',
        2,
      ],
      [
        'RollbackSucceeded',
        'Helm rollback to previous release dev/podinfo.v1 with chart podinfo@6.5.0 succeeded',
        1,
      ],
      [
        'RollbackSucceeded',
        'Helm rollback to previous release dev/podinfo.v3 with chart podinfo@6.5.0 succeeded',
        1,
      ],
    ]);
    expect(h.events()[1].annotations).toEqual(
      annotations('6.5.0', { 'helm.toolkit.fluxcd.io/app-version': '6.5.0' }),
    );
    expect(h.condition('Stalled')).toMatchObject({
      reason: 'RetriesExceeded',
      message: 'Failed to upgrade after 2 attempt(s)',
    });
    expect(h.condition('Remediated')).toMatchObject({
      status: 'True',
      reason: 'RollbackSucceeded',
    });
    expect(h.condition('Ready')).toMatchObject({
      status: 'False',
      reason: 'RollbackSucceeded',
    });
    expect(
      h
        .hr()
        .status.history.map(
          (s: any) => `${s.version}:${s.status}:${s.chartVersion}`,
        ),
    ).toEqual([
      '5:deployed:6.5.0',
      '4:failed:6.5.1',
      '3:superseded:6.5.0',
      '2:failed:6.5.1',
      '1:superseded:6.5.0',
    ]);
  });

  it('recovers when a retry after rollback succeeds', async () => {
    const h = fluxHarness({ hr: { upgrade: { remediation: { retries: 2 } } } });
    h.simulator.planOutcome({ namespace: 'dev', name: 'podinfo' }, 'fail');
    h.release('6.5.1');
    await h.clock.advance(60_000);
    expect(h.events().map(e => e.reason)).toEqual([
      'UpgradeFailed',
      'RollbackSucceeded',
      'UpgradeSucceeded',
    ]);
    expect(h.events()[2].message).toBe(
      'Helm upgrade succeeded for release dev/podinfo.v4 with chart podinfo@6.5.1',
    );
    expect(h.condition('Ready')).toMatchObject({
      status: 'True',
      reason: 'UpgradeSucceeded',
    });
    expect(h.condition('Remediated')).toBeUndefined();
    expect(h.hr().status.upgradeFailures).toBe(0);
  });

  it('remediates a failed Helm test with a rollback', async () => {
    const h = fluxHarness({
      hr: { test: { enable: true }, upgrade: { remediation: { retries: 1 } } },
    });
    h.simulator.planOutcome(
      { namespace: 'dev', name: 'podinfo' },
      'test-fail',
      'test-fail',
    );
    h.release('6.5.1');
    await h.clock.advance(2000);
    expect(h.condition('TestSuccess')).toMatchObject({
      status: 'Unknown',
      reason: 'AwaitingTests',
      message:
        'Helm release dev/podinfo.v2 with chart podinfo@6.5.1 is awaiting tests',
    });
    await h.clock.advance(60_000);
    const events = h.events();
    expect(events.slice(0, 3)).toEqual([
      expect.objectContaining({
        reason: 'UpgradeSucceeded',
        message:
          'Helm upgrade succeeded for release dev/podinfo.v2 with chart podinfo@6.5.1',
      }),
      {
        type: 'Warning',
        reason: 'TestFailed',
        message:
          'Helm test failed for release dev/podinfo.v2 with chart podinfo@6.5.1: 1 error occurred:\n\t* pod podinfo-test-connection failed',
        annotations: annotations('6.5.1'),
        count: 1,
      },
      expect.objectContaining({
        reason: 'RollbackSucceeded',
        message:
          'Helm rollback to previous release dev/podinfo.v1 with chart podinfo@6.5.0 succeeded',
      }),
    ]);
    expect(events.slice(3).map(e => e.message)).toEqual([
      'Helm upgrade succeeded for release dev/podinfo.v4 with chart podinfo@6.5.1',
      'Helm test failed for release dev/podinfo.v4 with chart podinfo@6.5.1: 1 error occurred:\n\t* pod podinfo-test-connection failed',
      'Helm rollback to previous release dev/podinfo.v3 with chart podinfo@6.5.0 succeeded',
    ]);
    expect(h.condition('Stalled')).toMatchObject({
      message: 'Failed to upgrade after 2 attempt(s)',
    });
  });

  it('gives OCI charts a digest suffix and the oci-digest annotation', async () => {
    const h = fluxHarness({
      objects: [
        {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'HelmRepository',
          metadata: { name: 'podinfo', namespace: 'dev' },
          spec: { type: 'oci', url: 'oci://ghcr.io/stefanprodan/charts' },
        },
      ],
    });
    h.release('6.6.1');
    await h.clock.advance(2000);
    const [event] = h.events();
    expect(event.message).toMatch(
      /^Helm upgrade succeeded for release dev\/podinfo\.v2 with chart podinfo@6\.6\.1\+[0-9a-f]{12}$/,
    );
    const revision = event.annotations['helm.toolkit.fluxcd.io/revision'];
    const digest = event.annotations['helm.toolkit.fluxcd.io/oci-digest'];
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(revision).toBe(`6.6.1+${digest.slice(7, 19)}`);
    expect(event.annotations['helm.toolkit.fluxcd.io/app-version']).toBe(
      '6.6.1',
    );
    expect(h.hr().status.lastAttemptedRevisionDigest).toBe(digest);
    expect(h.hr().status.history[0]).toMatchObject({
      chartVersion: revision,
      ociDigest: digest,
    });
  });

  it('speaks like the legacy v2beta1 controller when asked', async () => {
    const h = fluxHarness();
    h.store.mutate(HELM_RELEASE, 'dev', 'podinfo', o => {
      o.metadata.annotations = { 'cluster-sim/controller': 'legacy' };
    });
    h.simulator.planOutcome(
      { namespace: 'dev', name: 'podinfo', version: '6.5.2' },
      'fail',
    );
    h.release('6.5.1');
    await h.clock.advance(5000);
    h.release('6.5.2');
    await h.clock.advance(5000);
    // the second "has started" is identical to the first, so it bumps the first Event's count
    expect(
      h
        .events()
        .map(e => [
          e.type,
          e.reason,
          e.message,
          e.annotations['helm.toolkit.fluxcd.io/revision'],
          e.count,
        ]),
    ).toEqual([
      ['Normal', 'info', 'Helm upgrade has started', '6.5.1', 2],
      ['Normal', 'info', 'Helm upgrade succeeded', '6.5.1', 1],
      [
        'Warning',
        'error',
        'Helm upgrade failed: context deadline exceeded',
        '6.5.2',
        1,
      ],
      [
        'Warning',
        'error',
        'reconciliation failed: Helm upgrade failed: context deadline exceeded',
        '6.5.2',
        1,
      ],
    ]);
    const involved = h.store.list(EVENTS, 'dev')[0].involvedObject;
    expect(involved.apiVersion).toBe('helm.toolkit.fluxcd.io/v2beta1');
  });
});
