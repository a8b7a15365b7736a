import { mockServices } from '@backstage/backend-test-utils';
import { ManualClock } from '@internal/cluster-sim';
import {
  GatesSpec,
  Pipeline,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { pipelineFromWge } from '../follow/pipelineFromWge';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { wgePipeline } from '../__testUtils__/wgePipeline';
import { PromotionService } from './PromotionService';

const databases = createTestDatabases();
const MIN = 60_000;

jest.setTimeout(60_000); // two replicas on PostgreSQL, on a busy machine

/** podinfo's dev and test on cluster main, promoted by notification, with gates on test. */
function pipelineWith(gates: GatesSpec, manual: boolean): Pipeline {
  const parsed = pipelineFromWge(
    'main',
    wgePipeline('podinfo', { strategy: { notification: {} } }),
  );
  if ('error' in parsed) throw new Error(parsed.error);
  const [dev, test] = parsed.pipeline.environments;
  return {
    ...parsed.pipeline,
    environments: [dev, { ...test, gates, promotion: { manual } }],
  };
}

/**
 * Two replicas of promotion on one database and one manual clock; the
 * strategy (a notification receiver's stand-in) counts what it is asked to
 * promote.
 */
async function twoReplicas(
  id: Parameters<typeof databases.init>[0],
  gates: GatesSpec,
  start: string,
  manual = false,
) {
  const knex = await migrateDatabase(
    mockServices.database({ knex: await databases.init(id) }),
  );
  const clock = new ManualClock(Date.parse(start));
  const deployments = new DatabaseDeploymentStore(knex);
  // The store's times come from the same clock (a promotion in progress for
  // "days" would be taken for one a crashed replica abandoned).
  const store = new DatabasePromotionStore(knex, () => new Date(clock.now()));
  const pipeline = pipelineWith(gates, manual);
  const promoted: string[] = [];
  const replica = () =>
    new PromotionService({
      store,
      deployments,
      listPipelines: async () => [pipeline],
      strategyFor: () => ({
        preview: async () => undefined,
        promote: async context => {
          promoted.push(context.promotion.version);
          return { state: 'notified' };
        },
      }),
      resolveAuthor: async () => ({ name: 'pipeline', email: 'p@example.com' }),
      logger: mockServices.logger.mock(),
      now: () => new Date(clock.now()),
      timers: clock,
    });
  const replicas = [replica(), replica()];
  /** A version succeeds on an environment's one target now. */
  const succeeds = (namespace: string, version: string) => {
    const time = new Date(clock.now()).toISOString();
    const d: TargetDeployment = {
      cluster: 'main',
      namespace,
      kind: 'HelmRelease',
      name: 'podinfo',
      chartVersion: version,
      status: 'succeeded',
      startedAt: time,
      finishedAt: time,
      updatedAt: time,
    };
    return deployments.save([d]);
  };
  const processAll = () => Promise.all(replicas.map(r => r.process()));
  /** Ada asks (through a replica) to promote a version into test. */
  const adaPromotes = (which: number, version: string) =>
    replicas[which].request({
      pipeline,
      environment: 'test',
      version,
      actor: { ref: 'user:default/ada' },
    });
  const automatic = async () =>
    (await store.list(pipeline, { environment: 'test' })).filter(
      p => p.trigger === 'automatic',
    );
  const stop = () => replicas.forEach(r => r.stop());
  return {
    clock,
    pipeline,
    replicas,
    promoted,
    succeeds,
    processAll,
    adaPromotes,
    automatic,
    stop,
  };
}

describe.each(databases.eachSupportedId())('gates over time on %s', id => {
  it('promotes once, across two replicas, at the moment the soak ends', async () => {
    const r = await twoReplicas(id, { soak: '30m' }, '2026-12-07T08:00:00Z');
    await r.succeeds('test', '6.5.0');
    await r.succeeds('dev', '6.5.1');
    await r.processAll();
    expect(await r.automatic()).toEqual([]);
    // A person is refused too, with the gate named.
    await expect(r.adaPromotes(0, '6.5.1')).rejects.toThrow(
      'refused by gate soak of test: soak 0 of 30 min in dev',
    );

    await r.clock.advance(29 * MIN);
    await r.processAll();
    expect(r.promoted).toEqual([]);

    // No one polls: the replicas' gate timers fire when the soak ends.
    await r.clock.advance(1 * MIN);
    await eventually(async () => r.promoted.length === 1);
    await r.processAll();
    expect(r.promoted).toEqual(['6.5.1']);
    expect(await r.automatic()).toHaveLength(1);
    r.stop();
  });

  it('promotes while a window is open, holds a version after it closes, and promotes it once when it opens', async () => {
    const office = {
      windows: [
        {
          timeZone: 'Europe/Berlin',
          allow: [{ start: '0 9 * * 1-5', duration: '8h' }],
        },
      ],
    };
    // Friday 11 December, 16:50 in Berlin.
    const r = await twoReplicas(id, office, '2026-12-11T15:50:00Z');
    await r.succeeds('test', '6.5.0');
    await r.succeeds('dev', '6.5.1');
    await r.processAll();
    expect(r.promoted).toEqual(['6.5.1']);
    await r.succeeds('test', '6.5.1');
    await r.processAll();

    await r.clock.advance(20 * MIN); // 17:10, closed
    await r.succeeds('dev', '6.5.2');
    await r.processAll();
    expect(r.promoted).toEqual(['6.5.1']);
    await expect(r.adaPromotes(1, '6.5.2')).rejects.toThrow(
      'refused by gate windows of test: outside deploy window until Mon 09:00 Europe/Berlin',
    );

    // Monday 09:00 in Berlin, two and a half days later.
    await r.clock.advance(Date.parse('2026-12-14T08:00:00Z') - r.clock.now());
    await eventually(async () => r.promoted.length === 2);
    await r.processAll();
    expect(r.promoted).toEqual(['6.5.1', '6.5.2']);
    expect((await r.automatic()).map(p => p.version).sort()).toEqual([
      '6.5.1',
      '6.5.2',
    ]);
    r.stop();
  });

  it('asks for approval into a manual environment once the soak ends, and checks the gates again on approval', async () => {
    const gates = {
      soak: '30m',
      windows: [
        {
          timeZone: 'Europe/Berlin',
          allow: [{ start: '0 9 * * 1-5', duration: '8h' }],
        },
      ],
    };
    // Friday 11 December, 16:00 in Berlin.
    const r = await twoReplicas(id, gates, '2026-12-11T15:00:00Z', true);
    await r.succeeds('test', '6.5.0');
    await r.succeeds('dev', '6.5.1');
    await r.processAll();
    expect(await r.automatic()).toEqual([]);

    await r.clock.advance(30 * MIN);
    const [waiting] = await eventually(async () => {
      const found = await r.automatic();
      return found.length ? found : undefined;
    });
    expect(waiting.state).toBe('waiting-approval');

    await r.clock.advance(30 * MIN); // 17:00: the window closed
    const ada = { ref: 'user:default/ada' };
    await expect(
      r.replicas[0].approve(r.pipeline, waiting.id, ada),
    ).rejects.toThrow(
      'refused by gate windows of test: outside deploy window until Mon 09:00 Europe/Berlin',
    );
    const approved = await r.replicas[0].approve(r.pipeline, waiting.id, ada, {
      override: true,
    });
    expect(approved.overriddenGates).toEqual([
      expect.objectContaining({ gate: 'windows', state: 'waiting' }),
    ]);
    await eventually(async () => r.promoted.length === 1);
    expect(r.promoted).toEqual(['6.5.1']);
    r.stop();
  });
});
