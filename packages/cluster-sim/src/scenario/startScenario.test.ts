import { ManualClock } from '../clock';
import { HELM_RELEASE } from '../flux/HelmReleaseSimulator';
import { call } from '../__testUtils__/clients';
import { loadScenario } from './loadScenario';
import { startScenario } from './startScenario';

async function playDemo(minutes: number) {
  const clock = new ManualClock();
  const running = await startScenario(loadScenario('demo'), { clock });
  for (let i = 0; i < minutes * 6; i++) await clock.advance(10_000);
  return running;
}

describe('the demo scenario', () => {
  it('starts settled and moves podinfo through new versions in dev on its own', async () => {
    const running = await playDemo(10);
    try {
      const [main, prodEu] = running.clusters;
      const dev = main.store.get(HELM_RELEASE, 'dev', 'podinfo');
      expect(dev.spec.chart.spec.version).not.toBe('6.5.0');
      expect(dev.status.history.length).toBeGreaterThan(2);
      expect(
        main.store.get(HELM_RELEASE, 'prod', 'podinfo').status.history,
      ).toHaveLength(1);
      expect(
        prodEu.store.get(HELM_RELEASE, 'prod', 'checkout').status.history[0]
          .chartVersion,
      ).toMatch(/^1\.2\.0\+[0-9a-f]{12}$/);

      const events = await call(
        main,
        'GET',
        '/api/v1/namespaces/dev/events?fieldSelector=involvedObject.name%3Dpodinfo',
      );
      const reasons = events.json.items.map((e: any) => e.reason);
      expect(reasons).toContain('UpgradeSucceeded');
      // at 30s, then every 3 minutes from 3m30s
      expect(
        running.runner.log.filter(l => l.includes('dev/podinfo')),
      ).toHaveLength(4);
    } finally {
      await running.stop();
    }
  });

  it('is deterministic for a seed', async () => {
    const a = await playDemo(40);
    const b = await playDemo(40);
    try {
      expect(a.runner.log).toEqual(b.runner.log);
      expect(
        a.runner.log.some(
          l => l.endsWith('(fail)') || l.endsWith('(test-fail)'),
        ),
      ).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
