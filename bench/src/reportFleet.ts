/* The fleet benchmark's table (see benchFleet.ts). */
import { fmt, mark, table } from './report';

/** The issue's aim: at most +40 MB of RSS per 10,000 HelmReleases a replica watches. */
const RSS_MB_PER_10K = 40;
/** The issue's aim: a cold resync of 10,000 HelmReleases in at most 2 s. */
const RESYNC_S_PER_10K = 2;
const ENTITY_P99_MS = 20;
const FRESHNESS_P99_MS = 200;

const catchUp = (seconds: number | null | undefined) => {
  if (seconds === undefined) return '';
  if (seconds === null) return 'lost probe not shown 120 s after the change';
  return `lost probe shown ${fmt(seconds, 1)} s after the change stopped`;
};

export function fleetRows(f: any): void {
  const rows: string[][] = [];
  const rssAim = (rss: number, clusters: number) => {
    const watched = clusters * f.releasesPerCluster;
    if (!watched) return 'watches no cluster';
    const added = rss - f.baselineRssMb;
    return `+${fmt(added)} MB for ${fmt(watched)} releases; ≤ +${fmt(
      (watched / 10_000) * RSS_MB_PER_10K,
    )}: ${mark(added <= (watched / 10_000) * RSS_MB_PER_10K)}`;
  };
  const replicaRows = (label: string, list: any[]) =>
    list.forEach((r, i) =>
      rows.push([
        `RSS of replica ${i + 1} ${label} (${r.clusters} clusters), MB`,
        fmt(r.rssMb),
        `${fmt(f.baselineRssMb)} (replica, no clusters)`,
        rssAim(r.rssMb, r.clusters),
      ]),
    );
  const spread = (seconds: number | null) =>
    seconds === null ? 'NOT within 60 s' : `${fmt(seconds, 1)} s later`;
  rows.push([
    'clusters spread evenly over the replicas (after first sync / after the restart)',
    `${spread(f.balancedSeconds)} / ${spread(f.rebalancedSeconds)}`,
    '',
    '',
  ]);
  replicaRows('after first sync', f.afterSync);
  rows.push([
    'first full sync (empty database → every release stored), s',
    fmt(f.firstSyncSeconds, 1),
    `${fmt(f.replicasUpSeconds, 1)} until the replicas answered HTTP`,
    `${fmt(f.releases / f.firstSyncSeconds)} releases/s; quiet ${
      f.settleSeconds === null ? '> 300' : fmt(f.settleSeconds, 1)
    } s later`,
  ]);
  const latencyRow = (name: string, key: string, aim: number) => {
    const l = f.loaded[key];
    const q = f.quiet[key];
    const lost = l.lost ? `; then 1 not visible in 20 s, probing stopped` : '';
    rows.push([
      `${name} p99 (p50) under ${fmt(f.churn.eventsPerSecond)} events/s, ms`,
      `${fmt(l.p99, 1)} (${fmt(l.p50, 1)}), ${l.count} samples${lost}`,
      `${fmt(q.p99, 1)} (${fmt(q.p50, 1)}) quiet${q.lost ? ', 1 lost' : ''}`,
      `p99 < ${aim} ms: ${mark(!l.lost && !q.lost && l.p99 < aim)}`,
    ]);
  };
  latencyRow('entity page', 'entity', ENTITY_P99_MS);
  latencyRow(
    'freshness (deployed status → API)',
    'freshness',
    FRESHNESS_P99_MS,
  );
  rows.push([
    'observations (events and status changes) stored under change, /s',
    fmt(f.churn.observationsPerSecond),
    `${fmt(f.churn.eventsPerSecond)} events/s caused`,
    catchUp(f.churn.catchUpSeconds),
  ]);
  const resyncAim = (f.coldResync.releases / 10_000) * RESYNC_S_PER_10K;
  rows.push([
    `cold resync (replica ${f.coldResync.replica} restarted, ${fmt(
      f.coldResync.releases,
    )} releases on its ${
      f.coldResync.clusters
    } clusters upgraded meanwhile), s`,
    fmt(f.coldResync.seconds, 1),
    `${fmt(f.coldResync.restartSeconds, 1)} until it answered HTTP`,
    `≤ ${fmt(resyncAim, 1)} s: ${mark(f.coldResync.seconds <= resyncAim)}`,
  ]);
  replicaRows('at the end', f.atEnd);
  table(
    `6. Fleet: ${fmt(f.clusters)} stand-in clusters, ${fmt(
      f.releases,
    )} HelmReleases, ${f.replicas} replicas on one PostgreSQL (leases), ` +
      `background change ${fmt(f.churn.eventsPerSecond)} events/s (${fmt(
        f.churn.upgrades,
      )} upgrades, ${fmt(f.churn.failures)} failing, ${fmt(
        f.churn.newReleases,
      )} new releases in ${fmt(f.churn.seconds)} s); load average ${
        f.loadAfterSync
      } after sync, ${f.loaded.load} under change; ${
        f.pipelines
      } pipelines × 3 environments`,
    ['figure', 'value', 'baseline (same run)', 'aim'],
    rows,
  );
  if (f.churn.eventsPerSecond < f.rate * 0.8)
    console.log(
      `   !!! the stand-ins reached ${fmt(
        f.churn.eventsPerSecond,
      )} of the ${fmt(
        f.rate,
      )} events/s asked for (the sim host could not keep up)`,
    );
  console.log(
    `   after the cold resync, the stopped replica's clusters are held: ${f.coldResync.heldAfter
      .map((n: number, i: number) => `replica ${i + 1}: ${n}`)
      .join(', ')}`,
  );
}
