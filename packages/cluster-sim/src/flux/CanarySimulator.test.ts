import { fluxHarness } from '../__testUtils__/fluxHarness';
import { KubeObject } from '../store/types';
import { CANARY } from './CanarySimulator';

const canary: KubeObject = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: {
    name: 'podinfo',
    namespace: 'dev',
    labels: { 'helm.toolkit.fluxcd.io/name': 'podinfo' },
  },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    analysis: { interval: '1m', threshold: 2, maxWeight: 20, stepWeight: 10 },
  },
};

function setup() {
  const h = fluxHarness({ objects: [canary], sim: { canaryStepMs: 1000 } });
  const get = () => h.store.get(CANARY, 'dev', 'podinfo');
  const flagger = () =>
    h
      .events()
      .filter(e => e.reason === 'Synced')
      .map(e => `${e.type} ${e.message}`);
  return { ...h, get, flagger };
}

describe('CanarySimulator (Flagger)', () => {
  it('initialises on the installed version, then analyses an upgrade to Succeeded', async () => {
    const h = setup();
    expect(h.get().status).toMatchObject({ phase: 'Initialized' });
    expect(h.get().metadata.labels?.['helm.sh/chart']).toBe('podinfo-6.5.0');
    const initialSpec = h.get().status.lastAppliedSpec;

    h.release('6.5.1');
    await h.clock.advance(2500); // the upgrade is deployed
    expect(h.get().status).toMatchObject({ phase: 'Progressing' });
    expect(h.get().status.lastAppliedSpec).not.toBe(initialSpec);
    expect(h.get().metadata.labels?.['helm.sh/chart']).toBe('podinfo-6.5.1');
    expect(h.get().status.conditions[0]).toMatchObject({
      type: 'Promoted',
      status: 'Unknown',
      reason: 'Progressing',
    });
    await h.clock.advance(10_000);
    const status = h.get().status;
    expect(status).toMatchObject({
      phase: 'Succeeded',
      canaryWeight: 0,
      lastPromotedSpec: status.lastAppliedSpec,
    });
    expect(status.conditions[0]).toMatchObject({
      type: 'Promoted',
      status: 'True',
      message: 'Canary analysis completed successfully, promotion finished.',
    });
    expect(h.flagger()).toEqual([
      'Normal Initialization done! podinfo.dev',
      'Normal New revision detected! Scaling up podinfo.dev',
      'Normal Starting canary analysis for podinfo.dev',
      'Normal Advance podinfo.dev canary weight 10',
      'Normal Advance podinfo.dev canary weight 20',
      'Normal Copying podinfo.dev template spec to podinfo-primary.dev',
      'Normal Routing all traffic to primary',
      'Normal Promotion completed! Scaling down podinfo.dev',
    ]);
  });

  it('fails the analysis of a version the control API says should fail', async () => {
    const h = setup();
    h.simulator.planCanary(
      { namespace: 'dev', name: 'podinfo', version: '6.5.1' },
      'fail',
    );
    h.release('6.5.1');
    await h.clock.advance(20_000);
    expect(h.get().status).toMatchObject({ phase: 'Failed', canaryWeight: 0 });
    expect(h.get().status.conditions[0]).toMatchObject({
      status: 'False',
      reason: 'Failed',
    });
    expect(h.flagger().slice(-2)).toEqual([
      'Warning Rolling back podinfo.dev failed checks threshold reached 2',
      'Warning Canary failed! Scaling down podinfo.dev',
    ]);
  });
});
