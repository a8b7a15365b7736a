import { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import { startBenchBackend, untilHealthy } from './backend';
import { migrated } from './benchIngest';
import { DatabaseKind, freshDatabase } from './databases';
import { kubernetesClusterConfig } from './ingestPipeline';
import {
  allocationProfile,
  heapSnapshot,
  heapUsedMb,
  peakRss,
  settledRssMb,
} from './memoryProbe';
import { SimHost } from './SimHost';
import { round, until } from './stats';

export interface MemoryOptions {
  releases: number;
  clusters: number;
  databases: DatabaseKind[];
}

const NAMESPACES = Array.from({ length: 10 }, (_, i) => `team-${i}`);

async function count(knex: Knex, bumped: boolean): Promise<number> {
  // A subquery, not count(distinct a, b, ...): SQLite counts one column only.
  const targets = knex('deployments')
    .distinct('cluster', 'namespace', 'kind', 'name')
    .as('targets');
  if (bumped) targets.where('chart_version', 'like', '%-bumped');
  const [{ n }] = await knex.from(targets).count({ n: '*' });
  return Number(n);
}

/**
 * The real plugin in a Backstage test backend (this process holds nothing
 * else but the benchmark), following `clusters` stand-ins with `releases`
 * installed HelmReleases in all. Times the first sync into an empty
 * database, then a cold resync: the backend is stopped, every release gets a
 * new version nobody saw (only in status.history), and a new backend starts
 * on the same database; it is done when every new version is stored.
 */
export async function benchMemory(options: MemoryOptions) {
  const database = options.databases[0] ?? 'sqlite';
  const db = await freshDatabase(database);
  const knex = await migrated(db.knex);
  const problems: string[] = [];

  const perCluster = Math.ceil(options.releases / options.clusters);
  const releases = Array.from({ length: options.clusters }, (_, c) =>
    Array.from(
      { length: Math.min(perCluster, options.releases - c * perCluster) },
      (_, k): [string, string] => [
        NAMESPACES[k % NAMESPACES.length],
        `app-${Math.floor(k / NAMESPACES.length)}`,
      ],
    ),
  );

  // Baseline: the same backend with no clusters (the lists above are made
  // first, so the readings differ by what the plugin holds only).
  const empty = await startBenchBackend({
    knex,
    config: { fluxPipelines: {} },
  });
  const baselineRssMb = await settledRssMb();
  const baselineHeapMb = heapUsedMb();
  heapSnapshot('baseline');
  await empty.stop();

  const sim = await SimHost.start({
    clusters: options.clusters,
    namespaces: NAMESPACES,
    releases,
    settled: true,
  });
  const config = {
    kubernetes: {
      clusterLocatorMethods: [
        { type: 'config', clusters: kubernetesClusterConfig(sim.clusters) },
      ],
    },
    fluxPipelines: {},
  };
  const timeout = 120_000 + options.releases * 20;
  try {
    const allocations = await allocationProfile();
    const peak = peakRss();
    let started = performance.now();
    let backend = await startBenchBackend({ knex, config });
    await until(
      'every release stored',
      async () =>
        (await count(knex, false)) >= options.releases ? true : undefined,
      timeout,
      50,
    );
    const firstSyncSeconds = (performance.now() - started) / 1000;
    await untilHealthy(backend, 30_000);
    const peakRssMb = peak.stop();
    await allocations.stop();
    const rssRightAfterSyncMb = process.memoryUsage().rss / 2 ** 20;
    const rssAfterSyncMb = await settledRssMb();
    const heapAfterSyncMb = heapUsedMb();
    heapSnapshot('synced');
    await backend.stop();

    const bumped = await sim.send<number>({ cmd: 'bumpReleases' });
    if (bumped !== options.releases) {
      problems.push(`bumped ${bumped} releases, expected ${options.releases}`);
    }
    started = performance.now();
    backend = await startBenchBackend({ knex, config });
    await until(
      'every new version stored',
      async () =>
        (await count(knex, true)) >= options.releases ? true : undefined,
      timeout,
      50,
    );
    const coldResyncSeconds = (performance.now() - started) / 1000;
    const rssAfterResyncMb = await settledRssMb();
    await backend.stop();
    return {
      releases: options.releases,
      clusters: options.clusters,
      database,
      baselineRssMb: round(baselineRssMb),
      rssAfterSyncMb: round(rssAfterSyncMb),
      rssRightAfterSyncMb: round(rssRightAfterSyncMb),
      peakRssMb: round(peakRssMb),
      baselineHeapMb: round(baselineHeapMb),
      heapAfterSyncMb: round(heapAfterSyncMb),
      firstSyncSeconds: round(firstSyncSeconds, 2),
      coldResyncSeconds: round(coldResyncSeconds, 2),
      rssAfterResyncMb: round(rssAfterResyncMb),
      problems,
    };
  } finally {
    await sim.stop();
    await db.drop();
  }
}
