import { ClusterSim, RESOURCE_TYPES } from '@internal/cluster-sim';
import {
  ScenarioBackend,
  clusterConfig,
  helmRepository,
  podinfo,
  release,
  startBackend,
  startSim,
  waitForTarget,
} from './__testUtils__/scenarioHelpers';

jest.setTimeout(30_000);

const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;
const EVENT = RESOURCE_TYPES.find(t => t.kind === 'Event' && !t.group)!;

describe('scenarios: event and chart shapes', () => {
  let sim: ClusterSim | undefined;
  let b: ScenarioBackend | undefined;

  afterEach(async () => {
    await b?.stop();
    await sim?.stop();
    b = undefined;
    sim = undefined;
  });

  const events = (ns: string) => sim!.store.list(EVENT, ns);

  it('(5) OCI chart versions carry their +digest', async () => {
    sim = await startSim({
      namespaces: ['dev'],
      objects: [helmRepository('dev', 'oci'), podinfo('dev', '6.5.0')],
    });
    b = await startBackend({
      clusters: [clusterConfig('main', sim)],
      targets: [{ env: 'dev', namespace: 'dev' }],
    });
    const before = await waitForTarget(b, 'dev', t => !!t.deployed);
    expect(before.deployed.chartVersion).toMatch(/^6\.5\.0\+[0-9a-f]{12}$/);
    await release(sim, 'dev', '6.6.1');
    const dev = await waitForTarget(b, 'dev', t =>
      t.deployed?.chartVersion?.startsWith('6.6.1'),
    );
    const history = sim.store.get(HELM_RELEASE, 'dev', 'podinfo').status
      .history;
    expect(dev.deployed).toMatchObject({
      chartVersion: history[0].chartVersion,
      appVersion: '6.6.1',
      status: 'succeeded',
    });
    expect(dev.deployed.chartVersion).toMatch(/^6\.6\.1\+[0-9a-f]{12}$/);
    expect(dev.latest).toEqual(dev.deployed);
  });

  it('(6) legacy v2beta1 controller events', async () => {
    sim = await startSim({
      namespaces: ['dev'],
      simulator: { controller: 'legacy' },
    });
    b = await startBackend({
      clusters: [clusterConfig('main', sim)],
      targets: [{ env: 'dev', namespace: 'dev' }],
    });
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    await release(sim, 'dev', '6.5.1');
    const dev = await waitForTarget(
      b,
      'dev',
      t => t.deployed?.chartVersion === '6.5.1',
    );
    expect(dev.deployed).toMatchObject({
      status: 'succeeded',
      appVersion: '6.5.1',
    });
    expect(dev.deployed.durationMs).toBeGreaterThan(0);
    // the stand-in really spoke the legacy dialect
    expect(events('dev')).toContainEqual(
      expect.objectContaining({
        reason: 'info',
        message: 'Helm upgrade succeeded',
        involvedObject: expect.objectContaining({
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        }),
      }),
    );

    sim.simulator!.planOutcome(
      { namespace: 'dev', name: 'podinfo', version: '6.5.2' },
      'fail',
    );
    await release(sim, 'dev', '6.5.2');
    const failed = await waitForTarget(
      b,
      'dev',
      t => t.latest?.chartVersion === '6.5.2' && t.latest.status === 'failed',
    );
    expect(failed.latest.message).toMatch(/upgrade failed/i);
    expect(failed.deployed).toMatchObject({
      chartVersion: '6.5.1',
      status: 'succeeded',
    });
  });

  it('(7) aggregated "(combined from similar events)" events without annotations', async () => {
    sim = await startSim({
      namespaces: ['dev'],
      simulator: { recorder: { aggregateMaxEvents: 2 } },
    });
    b = await startBackend({
      clusters: [clusterConfig('main', sim)],
      targets: [{ env: 'dev', namespace: 'dev' }],
    });
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    for (const v of ['6.5.1', '6.5.2', '6.5.3']) {
      await release(sim, 'dev', v);
      await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === v);
    }
    const combined = events('dev').filter(e =>
      e.message?.startsWith('(combined from similar events)'),
    );
    expect(combined.length).toBeGreaterThan(0);
    expect(combined.every(e => !e.metadata.annotations)).toBe(true);
    const dev = await b.target('dev');
    expect(dev.deployed).toMatchObject({
      chartVersion: '6.5.3',
      appVersion: '6.5.3',
      status: 'succeeded',
    });
    expect(dev.latest).toEqual(dev.deployed);
  });
});
