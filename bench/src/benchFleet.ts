import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { migrated } from './benchIngest';
import { freshDatabase } from './databases';
import type { DatabaseKind } from './databases';
import type { ChurnStats } from './fleetChurn';
import type { BenchFlags } from './flags';
import {
  NAMESPACES,
  fleetEntities,
  pipelineCount,
  replicaConfig,
  spreadReleases,
} from './fleetLayout';
import {
  entityPage,
  freshness,
  heldBy,
  observations,
  untilBalanced,
  untilSettled,
  untilStored,
  untilVisible,
} from './fleetMeasure';
import { Replica, ReplicaSpec } from './fleetReplica';
import { SimHost } from './SimHost';
import { round, sleep } from './stats';

/** The fleet flags (flags.ts: `rate` is events/s over all clusters). */
export type FleetOptions = BenchFlags['fleet'] & { databases: DatabaseKind[] };

const load = () => round(loadavg()[0], 1);

/** How long a freshness probe may take before it counts as lost. */
const PROBE_TIMEOUT_MS = 20_000;
/** How long the entity page is asked, at most, per condition. */
const ENTITY_MAX_MS = 20_000;
/** How long a lost probe may take to show once the change stopped. */
const CATCH_UP_MS = 120_000;
/** How long the replicas may take to go quiet after the first sync. */
const SETTLE_MS = 300_000;
/** How long the replicas get to spread the clusters evenly (a few renew intervals). */
const BALANCE_CAP_MS = 60_000;
/** HelmReleases upgraded while the restarted replica is down (the 10,000). */
const RESYNC_RELEASES = 10_000;

/**
 * N stand-in clusters with H HelmReleases (Flux simulator on, so upgrades
 * emit helm-controller's Events and status), R replicas of the real plugin
 * in processes of their own on one PostgreSQL database, sharing the clusters
 * through leases. Measures the first full sync, RSS per replica, the entity
 * page and freshness quiet (the baseline) and under E events/s of background
 * change, then a cold resync: one replica stops, every release on its
 * clusters is upgraded, it starts again; done when every new version is
 * stored (by whichever replica watches those clusters then).
 */
export async function benchFleet(options: FleetOptions) {
  if (!options.databases.includes('postgres'))
    throw new Error('the fleet benchmark needs PostgreSQL (replicas share it)');
  const db = await freshDatabase('postgres');
  const knex = await migrated(db.knex);
  const pipelines = pipelineCount(options.releases, options.clusters);
  const spec = (config: ReplicaSpec['config']): ReplicaSpec => ({
    connection: db.connection!,
    config,
    entities: fleetEntities(pipelines),
  });
  const problems: string[] = [];
  const replicas: Replica[] = [];
  let sim: SimHost | undefined;
  const timeoutMs = 300_000 + options.releases * 10;
  // Where the benchmark's own time goes, seconds per phase.
  const phases: Record<string, number> = {};
  let phaseStart = performance.now();
  const phase = (name: string, figures: unknown = {}) => {
    const now = performance.now();
    phases[name] = round((now - phaseStart) / 1000, 1);
    phaseStart = now;
    // As it goes, so that a run stopped half-way still tells.
    console.log(
      `[fleet] ${name}: ${phases[name]} s ${JSON.stringify(figures)}`,
    );
  };
  try {
    // Baseline: one replica with no clusters (while the stand-ins start).
    const baseline = Replica.baselineRssMb(spec({ fluxPipelines: {} }));
    baseline.catch(() => undefined); // awaited below
    const releases = spreadReleases(options.releases, options.clusters);
    let t = performance.now();
    sim = await SimHost.start({
      clusters: options.clusters,
      namespaces: NAMESPACES,
      releases,
      settled: true,
      flux: true,
    });
    const simStartSeconds = round((performance.now() - t) / 1000, 1);
    const config = replicaConfig(sim.clusters, pipelines);
    const baselineRssMb = await baseline;
    phase('stand-ins and baseline');

    t = performance.now();
    replicas.push(
      ...(await Promise.all(
        Array.from({ length: options.replicas }, () =>
          Replica.start(spec(config)),
        ),
      )),
    );
    const replicasUpSeconds = round((performance.now() - t) / 1000, 1);
    const firstSyncSeconds = await untilStored(knex, options.releases, {
      since: t,
      timeoutMs,
    });
    // Replicas started together hand clusters over once (a renew interval).
    const balancedSeconds = await untilBalanced(
      knex,
      replicas,
      options.clusters,
      BALANCE_CAP_MS,
    );
    const loadAfterSync = load();
    const afterSync = [];
    for (const r of replicas) {
      afterSync.push({
        rssMb: await r.rssMb(),
        clusters: (await heldBy(knex, r)).length,
      });
    }
    phase('first sync', { firstSyncSeconds, afterSync, loadAfterSync });
    // Quiet before measuring: no observation stored for 2 s.
    const settleSeconds = await untilSettled(knex, SETTLE_MS);
    phase('settle', { settleSeconds });
    const perCluster = options.releases / options.clusters;
    const measure = async () => ({
      entity: await entityPage(
        replicas,
        pipelines,
        options.requests,
        ENTITY_MAX_MS,
      ),
      freshness: await freshness(sim!, replicas, {
        probes: options.probes,
        pipelines,
        clusters: options.clusters,
        timeoutMs: PROBE_TIMEOUT_MS,
      }),
      load: load(),
    });
    const quiet = await measure();
    phase('quiet', quiet);

    const stored = await observations(knex);
    await sim.send({ cmd: 'churn', rate: options.rate, reserved: pipelines });
    await sleep(1000);
    const loaded = await measure();
    const churn = await sim.send<ChurnStats>({ cmd: 'stopChurn' });
    const observationsPerSecond = round(
      ((await observations(knex)) - stored) / churn.seconds,
    );
    // A probe lost under change: how long the replicas take to catch up.
    const lost = loaded.freshness.pending;
    t = performance.now();
    // null: not caught up within CATCH_UP_MS (the cold resync relists anyway).
    const catchUpSeconds = lost
      ? await untilVisible(replicas[lost.replica], lost, CATCH_UP_MS).then(
          () => round((performance.now() - t) / 1000, 1),
          () => null,
        )
      : undefined;
    await sleep(1000); // the last upgrades finish
    phase('under change', { loaded, churn, catchUpSeconds });
    // The replica that watches the most clusters restarts.
    const held = await Promise.all(replicas.map(r => heldBy(knex, r)));
    const index = held.reduce(
      (m, h, i) => (h.length > held[m].length ? i : m),
      0,
    );
    // At most RESYNC_RELEASES are upgraded while it is down.
    const clusters = held[index].slice(
      0,
      Math.ceil(RESYNC_RELEASES / perCluster),
    );
    await replicas[index].stop();
    t = performance.now();
    const upgraded = await sim.send<number>({
      cmd: 'upgradeClusters',
      clusters,
      version: '9.0.0',
    });
    const upgradeSeconds = round((performance.now() - t) / 1000, 2);
    t = performance.now();
    replicas[index] = await Replica.start(spec(config));
    const restartSeconds = round((performance.now() - t) / 1000, 1);
    const coldResyncSeconds = await untilStored(knex, upgraded, {
      since: t,
      timeoutMs,
      version: '9.0.0',
    });
    phase('cold resync', { upgraded, coldResyncSeconds, restartSeconds });
    const rebalancedSeconds = await untilBalanced(
      knex,
      replicas,
      options.clusters,
      BALANCE_CAP_MS,
    );
    const resyncedBy = await Promise.all(
      replicas.map(
        async r =>
          (await heldBy(knex, r)).filter(c => clusters.includes(c)).length,
      ),
    );
    const atEnd = [];
    for (const r of replicas) {
      atEnd.push({
        rssMb: await r.rssMb(),
        clusters: (await heldBy(knex, r)).length,
      });
    }
    phase('end', { atEnd, resyncedBy });
    return {
      clusters: options.clusters,
      releases: options.releases,
      replicas: options.replicas,
      rate: options.rate,
      pipelines,
      database: 'postgres',
      simStartSeconds,
      baselineRssMb,
      releasesPerCluster: perCluster,
      afterSync,
      atEnd,
      replicasUpSeconds,
      firstSyncSeconds,
      balancedSeconds,
      rebalancedSeconds,
      settleSeconds,
      loadAfterSync,
      quiet,
      loaded,
      churn: {
        ...churn,
        seconds: round(churn.seconds, 1),
        eventsPerSecond: round(churn.eventsPerSecond),
        observationsPerSecond,
        catchUpSeconds,
      },
      coldResync: {
        clusters: clusters.length,
        heldClusters: held[index].length,
        releases: upgraded,
        replica: index + 1,
        upgradeSeconds,
        restartSeconds,
        seconds: coldResyncSeconds,
        // clusters of the stopped replica, per replica, once current again
        heldAfter: resyncedBy,
        load: load(),
      },
      phases,
      problems,
    };
  } finally {
    await Promise.all(replicas.map(r => r.stop()));
    await sim?.stop();
    await db.drop();
  }
}
