import { mockServices } from '@backstage/backend-test-utils';
import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { DeploymentTracker } from '../correlate/DeploymentTracker';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DatabaseObservationStore } from './DatabaseObservationStore';
import { DatabaseTargetTransactions } from './DatabaseTargetTransactions';
import { backfillDeploymentFacts } from './deploymentFacts';
import { migrateDatabase } from './migrateDatabase';
import { applyRetention } from './retention';

const databases = createTestDatabases();
const START = Date.UTC(2026, 10, 1);
const TARGETS = [
  ['main', 'dev'],
  ['main', 'test'],
  ['edge', 'prod'],
  ['main', 'prod'],
];

type Item = { observation: Observation; occurrenceKey: string };

function actionOf(reason: string): Observation['action'] {
  if (reason.startsWith('Rollback')) return 'rollback';
  return reason === 'Progressing' ? 'progress' : 'upgrade';
}

/** A deterministic pseudo-random number in [0, 1). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/**
 * A target's history as Flux reports it: upgrades that succeed or fail,
 * failures rolled back within a second or two (the previous version
 * reinstated) or fixed later by the next version, and hand commits back to
 * an older version (the same version deployed again, finishing later).
 */
function targetHistory([cluster, namespace]: string[], seed: number): Item[] {
  const next = random(seed);
  const items: Item[] = [];
  let t = START;
  let current = 0;
  let newest = 0;
  const emit = (
    version: number,
    reason: string,
    outcome: Observation['outcome'],
  ) => {
    const observation: Observation = {
      cluster,
      namespace,
      kind: 'HelmRelease',
      name: 'podinfo',
      chartVersion: `1.${version}.0`,
      action: actionOf(reason),
      outcome,
      reason,
      message: `${reason} 1.${version}.0`,
      time: new Date(t).toISOString(),
      source: 'event',
      dedupKey: `${cluster}-${namespace}-${items.length}`,
    };
    items.push({ observation, occurrenceKey: observation.dedupKey });
  };
  for (let step = 0; step < 40; step++) {
    const r = next();
    const version =
      r < 0.15 && newest > 2 ? Math.floor(next() * newest) : ++newest;
    t += Math.floor(next() * 3) * 1000 + (next() < 0.5 ? 3_600_000 : 1000);
    emit(version, 'Progressing', 'progressing');
    t += 1000 + Math.floor(next() * 60_000);
    if (next() < 0.3) {
      emit(version, 'UpgradeFailed', 'failed');
      if (next() < 0.6) {
        t += 1000 * Math.floor(next() * 3);
        emit(current, 'RollbackSucceeded', 'succeeded');
      }
    } else {
      emit(version, 'UpgradeSucceeded', 'succeeded');
      current = version;
    }
  }
  return items;
}

/** Every target's history, interleaved in time order. */
function fleetHistory(): Item[] {
  return TARGETS.flatMap((t, i) => targetHistory(t, i + 7)).sort(
    (a, b) => Date.parse(a.observation.time) - Date.parse(b.observation.time),
  );
}

const facts = async (knex: Knex) =>
  (
    await knex('deployment_facts').orderBy([
      'cluster',
      'namespace',
      'chart_version',
    ])
  ).map(r => ({
    ...r,
    duration_ms: r.duration_ms === null ? null : Number(r.duration_ms),
  }));

/** The summary the migration's build of existing rows gives. */
async function fromScratch(knex: Knex) {
  await knex('deployment_facts').delete();
  await knex('deployment_facts_backfill').insert({ after_cluster: null });
  await backfillDeploymentFacts(knex);
  return facts(knex);
}

/** A row as the store saves it, at minutes after START. */
function row(
  namespace: string,
  version: string,
  status: TargetDeployment['status'],
  minute: number | undefined,
  updatedMs?: number,
): TargetDeployment {
  const time = (m: number) => new Date(START + m * 60_000).toISOString();
  return {
    cluster: 'main',
    namespace,
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion: version,
    status,
    ...(minute === undefined
      ? {}
      : { startedAt: time(minute), finishedAt: time(minute + 1) }),
    updatedAt:
      updatedMs === undefined
        ? time((minute ?? 0) + 1)
        : new Date(START + updatedMs).toISOString(),
  };
}

describe.each(databases.eachSupportedId())('deployment_facts on %s', id => {
  async function ingested() {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    const tracker = new DeploymentTracker({
      transactions: new DatabaseTargetTransactions(knex),
      logger: mockServices.logger.mock(),
      // Status confirms most successes; a few only events report.
      needsConfirmation: o => o.dedupKey.endsWith('3'),
    });
    const history = fleetHistory();
    const sizes = random(3);
    for (let i = 0; i < history.length; ) {
      const n = 1 + Math.floor(sizes() * 6);
      await tracker.ingest(history.slice(i, i + n));
      i += n;
    }
    return knex;
  }

  it('keeps, ingest by ingest, the summary a rebuild from the whole history gives', async () => {
    const knex = await ingested();
    const kept = await facts(knex);
    // The history exercises every fact.
    const sum = (column: string) =>
      kept.reduce((n, r) => n + Number(r[column]), 0);
    expect(kept.length).toBe(
      await knex('deployments')
        .count({ n: '*' })
        .then(([r]) => Number(r.n)),
    );
    expect(sum('failed')).toBeGreaterThan(10);
    expect(sum('ok') - sum('deployed')).toBeGreaterThan(3);
    expect(kept.filter(r => r.restored_at !== null).length).toBeGreaterThan(10);

    // The migration's build of existing rows gives the same, once.
    expect(await fromScratch(knex)).toEqual(kept);
    expect(await knex('deployment_facts_backfill')).toEqual([]);
    expect(await backfillDeploymentFacts(knex)).toBe(0);
  });

  it('updates the facts a save changes further back than the rows saved', async () => {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    const store = new DatabaseDeploymentStore(knex);
    // dev: the first deployment fails; the next version restores service,
    // a newer one follows, then a hand commit goes back to the second (its
    // success moves on: the failure was restored by the newer one).
    await store.save([row('dev', '1.0.0', 'failed', 0)]);
    await store.save([row('dev', '1.1.0', 'succeeded', 60)]);
    await store.save([
      row('dev', '1.1.0', 'superseded', 60),
      row('dev', '1.2.0', 'succeeded', 120),
    ]);
    await store.save([
      row('dev', '1.2.0', 'superseded', 120),
      row('dev', '1.1.0', 'succeeded', 180),
    ]);
    // test: a rollback recorded by itself, a second and a half after the
    // success it went back to: that success is not a deployment of its own.
    await store.save([row('test', '1.0.0', 'succeeded', 0)]);
    await store.save([row('test', '1.1.0', 'rolled-back', undefined, 61_500)]);

    const kept = await facts(knex);
    const restored = kept.find(
      r => r.chart_version === '1.0.0' && r.namespace === 'dev',
    );
    expect(new Date(restored.restored_at).getTime()).toBe(START + 121 * 60_000);
    const reinstated = kept.find(
      r => r.chart_version === '1.0.0' && r.namespace === 'test',
    );
    expect(reinstated).toMatchObject({ ok: 1, deployed: 0 });
    expect(await fromScratch(knex)).toEqual(kept);
  });

  it('stays consistent when retention deletes the observations behind it', async () => {
    const knex = await ingested();
    const kept = await facts(knex);
    const deleted = await applyRetention({
      observations: new DatabaseObservationStore(knex),
      settings: { observationDays: 1 },
      logger: mockServices.logger.mock(),
      now: new Date(START + 400 * 86_400_000),
    });
    expect(deleted).toBeGreaterThan(0);
    expect(await facts(knex)).toEqual(kept);
  });
});
