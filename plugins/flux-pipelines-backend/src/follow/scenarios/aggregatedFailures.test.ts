import { ClusterSim, RESOURCE_TYPES } from '@internal/cluster-sim';
import { Knex } from 'knex';
import { createTestDatabases } from '../../__testUtils__/databases';
import {
  ScenarioBackend,
  clusterConfig,
  eventually,
  release,
  startBackend,
  startSim,
  waitForTarget,
} from './__testUtils__/scenarioHelpers';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;
const EVENT = RESOURCE_TYPES.find(t => t.kind === 'Event' && !t.group)!;

/**
 * A legacy (v2beta1) controller: its messages never name the version, and
 * Kubernetes aggregates its repeated failures (count bumped on the first
 * Event, whose annotations name the first version; or combined without
 * annotations).
 */
describe('scenarios: aggregated legacy failures end failed with the right version', () => {
  let sim: ClusterSim | undefined;
  let b: ScenarioBackend | undefined;

  afterEach(async () => {
    await b?.stop();
    await sim?.stop();
    b = undefined;
    sim = undefined;
  });

  const stalled = () =>
    sim!.store
      .get(HELM_RELEASE, 'dev', 'podinfo')
      .status.conditions.some((c: any) => c.type === 'Stalled');
  const failureEvents = () =>
    sim!.store
      .list(EVENT, 'dev')
      .filter((e: any) => e.type === 'Warning')
      .map((e: any) => ({
        count: e.count,
        message: e.message.split('\n')[0],
        revision: e.metadata.annotations?.['helm.toolkit.fluxcd.io/revision'],
      }));

  /** Each stored deployment of dev as [version, status], by version. */
  const states = async (knex: Knex) =>
    (
      await knex('deployments')
        .where({ namespace: 'dev' })
        .orderBy('chart_version')
    ).map(r => [r.chart_version, r.status]);

  async function failTwoVersions(
    databaseId: Parameters<typeof databases.init>[0],
    recorder?: { aggregateMaxEvents: number },
  ) {
    const knex = await databases.init(databaseId);
    sim = await startSim({
      namespaces: ['dev'],
      hr: {
        spec: {
          upgrade: { remediation: { retries: 1, strategy: 'uninstall' } },
        },
      },
      simulator: { controller: 'legacy', ...(recorder ? { recorder } : {}) },
    });
    for (const version of ['6.5.1', '6.5.2']) {
      sim.simulator!.planOutcome(
        { namespace: 'dev', name: 'podinfo', version },
        'fail',
        'fail',
      );
    }
    b = await startBackend({
      clusters: [clusterConfig('main', sim)],
      targets: [{ env: 'dev', namespace: 'dev' }],
      knex,
    });
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    await release(sim, 'dev', '6.5.1');
    await eventually(async () => stalled());
    const first = await waitForTarget(
      b,
      'dev',
      t => t.latest?.chartVersion === '6.5.1' && t.latest.status === 'failed',
    );
    await release(sim, 'dev', '6.5.2');
    await eventually(
      async () =>
        stalled() &&
        sim!.store.get(HELM_RELEASE, 'dev', 'podinfo').status
          .lastAttemptedRevision === '6.5.2',
    );
    const second = await waitForTarget(
      b,
      'dev',
      t => t.latest?.chartVersion === '6.5.2' && t.latest.status === 'failed',
    );
    return { knex, first, second };
  }

  it.each(databases.eachSupportedId())(
    '(25) the same failure message again and again (count > 1, first annotations): each version ends failed, %p',
    async databaseId => {
      const { knex, first, second } = await failTwoVersions(databaseId);
      // Kubernetes kept one Event for the repeated message, annotated with
      // the first version that failed.
      expect(failureEvents()).toContainEqual({
        count: 4, // 6.5.1 and its retry, then 6.5.2 and its retry
        message: 'Helm upgrade failed: context deadline exceeded',
        revision: '6.5.1',
      });
      expect(first.latest.status).toBe('failed');
      expect(second.deployed.chartVersion).toBe('6.5.0');
      expect(await states(knex)).toEqual([
        ['6.5.0', 'succeeded'],
        ['6.5.1', 'failed'],
        ['6.5.2', 'failed'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    '(26) combined from similar events, without annotations: each version ends failed, never progressing, %p',
    async databaseId => {
      const { knex } = await failTwoVersions(databaseId, {
        aggregateMaxEvents: 2,
      });
      expect(
        failureEvents().some(
          e =>
            e.message.startsWith('(combined from similar events)') &&
            e.revision === undefined,
        ),
      ).toBe(true);
      expect(await states(knex)).toEqual([
        ['6.5.0', 'succeeded'],
        ['6.5.1', 'failed'],
        ['6.5.2', 'failed'],
      ]);
    },
  );
});
