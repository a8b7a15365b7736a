import {
  ClusterSim,
  RESOURCE_TYPES,
  parseDuration,
} from '@internal/cluster-sim';
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

/** Long enough that the test phase cannot hide in Kubernetes' second precision. */
const TIMING = { releaseDurationMs: 1500, testDurationMs: 1500 };

/**
 * What `status.history` says of a release: Helm stamps `lastDeployed` when
 * the install/upgrade starts; the test hooks say when the tests completed;
 * without hooks, the release ended after `lastAttemptedReleaseActionDuration`.
 */
function truthOf(entry: any, status: any) {
  const start = Date.parse(entry.lastDeployed);
  const completed = Object.values(entry.testHooks ?? {}).map((h: any) =>
    Date.parse(h.lastCompleted),
  );
  const end = completed.length
    ? Math.max(...completed)
    : start + parseDuration(status.lastAttemptedReleaseActionDuration);
  return { start, end };
}

/** A deployment's times agree with its history entry (to Kubernetes' second). */
function expectTimesOf(d: any, entry: any, status: any) {
  const { start, end } = truthOf(entry, status);
  const startedAt = Date.parse(d.startedAt);
  const finishedAt = Date.parse(d.finishedAt);
  expect(Math.abs(startedAt - start)).toBeLessThanOrEqual(1000);
  expect(Math.abs(finishedAt - end)).toBeLessThanOrEqual(1000);
  expect(Math.abs(d.durationMs - (end - start))).toBeLessThanOrEqual(1000);
  expect(startedAt).toBeLessThanOrEqual(finishedAt);
}

describe('scenarios: releases with Helm tests, times checked against status.history', () => {
  let sim: ClusterSim | undefined;
  let b: ScenarioBackend | undefined;

  afterEach(async () => {
    await b?.stop();
    await sim?.stop();
    b = undefined;
    sim = undefined;
  });

  const hr = () => sim!.store.get(HELM_RELEASE, 'dev', 'podinfo');
  const entryOf = (version: number) =>
    hr().status.history.find((e: any) => e.version === version);

  async function run(
    databaseId: Parameters<typeof databases.init>[0],
    options: {
      outcome?: 'test-fail';
      spec?: Record<string, unknown>;
      testHooks?: number;
      testDurationMs?: number;
    } = {},
  ) {
    const knex = await databases.init(databaseId);
    sim = await startSim({
      namespaces: ['dev'],
      hr: { spec: { test: { enable: true }, ...options.spec } },
      simulator: {
        ...TIMING,
        ...(options.testDurationMs !== undefined
          ? { testDurationMs: options.testDurationMs }
          : {}),
        ...(options.testHooks !== undefined
          ? { testHooks: options.testHooks }
          : {}),
      },
    });
    if (options.outcome) {
      sim.simulator!.planOutcome(
        { namespace: 'dev', name: 'podinfo', version: '6.5.1' },
        options.outcome,
      );
    }
    b = await startBackend({
      clusters: [clusterConfig('main', sim)],
      targets: [{ env: 'dev', namespace: 'dev' }],
      knex,
    });
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    await release(sim, 'dev', '6.5.1');
  }

  it.each(databases.eachSupportedId())(
    '(20) tests pass: the deployment starts with its upgrade and finishes with its tests, %p',
    async databaseId => {
      await run(databaseId);
      const dev = await waitForTarget(
        b!,
        'dev',
        t =>
          t.deployed?.chartVersion === '6.5.1' &&
          t.deployed.message.startsWith('Helm test succeeded'),
      );
      expectTimesOf(dev.deployed, entryOf(2), hr().status);
    },
  );

  it.each(databases.eachSupportedId())(
    '(21) tests fail: the version failed at the end of its tests, from the start of its upgrade, %p',
    async databaseId => {
      await run(databaseId, { outcome: 'test-fail' });
      const dev = await waitForTarget(
        b!,
        'dev',
        t => t.latest?.chartVersion === '6.5.1' && t.latest.status === 'failed',
      );
      expectTimesOf(dev.latest, entryOf(2), hr().status);
      expect(dev.deployed.chartVersion).toBe('6.5.0');
    },
  );

  it.each(databases.eachSupportedId())(
    '(22) tests fail, then Flux rolls back: the failed version keeps its own times, %p',
    async databaseId => {
      await run(databaseId, {
        outcome: 'test-fail',
        spec: {
          test: { enable: true },
          upgrade: { remediation: { retries: 0, remediateLastFailure: true } },
        },
      });
      const dev = await waitForTarget(
        b!,
        'dev',
        t =>
          t.latest?.chartVersion === '6.5.1' &&
          t.latest.status === 'rolled-back',
      );
      expect(hr().status.history[0].action).toBe('rollback');
      expectTimesOf(dev.latest, entryOf(2), hr().status);
      expect(dev.deployed.chartVersion).toBe('6.5.0');
    },
  );

  it.each(databases.eachSupportedId())(
    '(23) tests enabled, no test hooks: the upgrade times, %p',
    async databaseId => {
      await run(databaseId, { testHooks: 0, testDurationMs: 100 });
      const dev = await waitForTarget(
        b!,
        'dev',
        t =>
          t.deployed?.chartVersion === '6.5.1' &&
          hr().status.conditions.some(
            (c: any) => c.type === 'TestSuccess' && c.status === 'True',
          ),
      );
      expect(entryOf(2).testHooks ?? {}).toEqual({});
      expectTimesOf(dev.deployed, entryOf(2), hr().status);
    },
  );

  it.each(databases.eachSupportedId())(
    '(24) events expired while the backend was down: the same times from status.history alone, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      sim = await startSim({
        namespaces: ['dev'],
        eventTtlMs: 200,
        hr: { spec: { test: { enable: true } } },
        simulator: TIMING,
      });
      const options = {
        clusters: [clusterConfig('main', sim)],
        targets: [{ env: 'dev', namespace: 'dev' }],
        knex,
      };
      b = await startBackend(options);
      await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
      await b.stop();
      b = undefined;
      await release(sim, 'dev', '6.5.1');
      await eventually(
        async () =>
          !hr().status.conditions.some((c: any) => c.type === 'Reconciling') &&
          hr().status.history[0].chartVersion === '6.5.1',
      );
      await new Promise(r => setTimeout(r, 400));
      sim.store.sweepExpired();
      expect(sim.store.list(EVENT, 'dev')).toEqual([]);

      b = await startBackend(options);
      const dev = await waitForTarget(
        b,
        'dev',
        t => t.deployed?.chartVersion === '6.5.1',
      );
      expectTimesOf(dev.deployed, entryOf(2), hr().status);
    },
  );
});
