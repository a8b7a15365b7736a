import {
  ClusterSim,
  RESOURCE_TYPES,
  parseDuration,
} from '@internal/cluster-sim';
import {
  ScenarioBackend,
  clusterConfig,
  release,
  startBackend,
  startSim,
  waitForTarget,
} from './__testUtils__/scenarioHelpers';

jest.setTimeout(30_000);

const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;

describe('scenarios: single-cluster releases', () => {
  let sim: ClusterSim | undefined;
  let b: ScenarioBackend | undefined;

  afterEach(async () => {
    await b?.stop();
    await sim?.stop();
    b = undefined;
    sim = undefined;
  });

  const hrStatus = (ns: string) =>
    sim!.store.get(HELM_RELEASE, ns, 'podinfo').status;

  it('(1) a successful upgrade with the recorded duration', async () => {
    sim = await startSim();
    b = await startBackend({ clusters: [clusterConfig('main', sim)] });
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    await release(sim, 'dev', '6.5.1');
    const dev = await waitForTarget(
      b,
      'dev',
      t => t.deployed?.chartVersion === '6.5.1',
    );
    const status = hrStatus('dev');
    expect(dev.latest).toEqual(dev.deployed);
    expect(dev.deployed).toMatchObject({
      chartVersion: '6.5.1',
      appVersion: '6.5.1',
      status: 'succeeded',
      durationMs: parseDuration(status.lastAttemptedReleaseActionDuration),
    });
    expect(dev.deployed.message).toMatch(
      /^Helm upgrade succeeded for release dev\/podinfo\.v2 with chart podinfo@6\.5\.1/,
    );
    // Kubernetes times have second precision.
    const span =
      Date.parse(dev.deployed.finishedAt) - Date.parse(dev.deployed.startedAt);
    expect(Math.abs(span - dev.deployed.durationMs)).toBeLessThanOrEqual(1000);
    expect(Object.keys(await b.pipeline()).length).toBeGreaterThan(0);
    expect((await b.target('test')).deployed).toMatchObject({
      chartVersion: '6.5.0',
      status: 'succeeded',
    });
  });

  it('(2) upgrade failures with Helm logs, then retries exhausted', async () => {
    sim = await startSim({
      hr: {
        spec: {
          upgrade: { remediation: { retries: 1, strategy: 'uninstall' } },
        },
      },
    });
    sim.simulator!.planOutcome(
      { namespace: 'dev', name: 'podinfo', version: '6.5.1' },
      'fail',
      'fail',
    );
    b = await startBackend({ clusters: [clusterConfig('main', sim)] });
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    await release(sim, 'dev', '6.5.1');
    await waitForTarget(b, 'dev', () =>
      hrStatus('dev').conditions?.some((c: any) => c.type === 'Stalled'),
    );
    const dev = await waitForTarget(
      b,
      'dev',
      t => t.latest?.status === 'failed',
    );
    expect(hrStatus('dev').upgradeFailures).toBe(2);
    expect(dev.latest).toMatchObject({
      chartVersion: '6.5.1',
      status: 'failed',
    });
    expect(dev.latest.message).toContain(
      'Helm upgrade failed for release dev/podinfo with chart podinfo@6.5.1: context deadline exceeded',
    );
    expect(dev.latest.message).toContain('Last Helm logs:');
    expect(dev.deployed).toMatchObject({
      chartVersion: '6.5.0',
      status: 'succeeded',
    });
  });

  it('(3) a failure remediated by rollback: failed version rolled back, previous deployed', async () => {
    sim = await startSim({
      hr: {
        spec: {
          upgrade: { remediation: { retries: 0, remediateLastFailure: true } },
        },
      },
    });
    sim.simulator!.planOutcome(
      { namespace: 'dev', name: 'podinfo', version: '6.5.1' },
      'fail',
    );
    b = await startBackend({ clusters: [clusterConfig('main', sim)] });
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    await release(sim, 'dev', '6.5.1');
    const dev = await waitForTarget(
      b,
      'dev',
      t => t.latest?.status === 'rolled-back',
    );
    expect(dev.latest).toMatchObject({
      chartVersion: '6.5.1',
      status: 'rolled-back',
    });
    expect(dev.latest.message).toContain('Helm upgrade failed');
    expect(dev.deployed).toMatchObject({
      chartVersion: '6.5.0',
      status: 'succeeded',
    });
    expect(dev.deployed.message).toContain(
      'Helm rollback to previous release dev/podinfo.v1 with chart podinfo@6.5.0 succeeded',
    );
  });

  it('(4) a Helm test failure', async () => {
    sim = await startSim({ hr: { spec: { test: { enable: true } } } });
    sim.simulator!.planOutcome(
      { namespace: 'dev', name: 'podinfo', version: '6.5.1' },
      'test-fail',
    );
    b = await startBackend({ clusters: [clusterConfig('main', sim)] });
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    await release(sim, 'dev', '6.5.1');
    const dev = await waitForTarget(
      b,
      'dev',
      t => t.latest?.status === 'failed',
    );
    expect(dev.latest).toMatchObject({
      chartVersion: '6.5.1',
      status: 'failed',
    });
    expect(dev.latest.message).toContain(
      'Helm test failed for release dev/podinfo.v2 with chart podinfo@6.5.1',
    );
    // The upgrade itself succeeded, but its tests failed: the version it
    // superseded counts as deployed again.
    expect(dev.deployed).toMatchObject({
      chartVersion: '6.5.0',
      status: 'succeeded',
    });
  });
});
