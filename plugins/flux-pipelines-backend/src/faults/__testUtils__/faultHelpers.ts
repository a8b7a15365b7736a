import { ClusterSim, RESOURCE_TYPES } from '@internal/cluster-sim';
import { Knex } from 'knex';
import {
  eventually,
  release,
} from '../../follow/scenarios/__testUtils__/scenarioHelpers';

export const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;
export const HELM_REPOSITORY = RESOURCE_TYPES.find(
  t => t.kind === 'HelmRepository',
)!;
export const EVENT = RESOURCE_TYPES.find(t => t.kind === 'Event' && !t.group)!;

/** mulberry32: a tiny seeded PRNG, so a failing run reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/** Injects a stand-in fault through its loopback control endpoint. */
export async function fault(
  sim: { url: string },
  action: string,
  body: Record<string, unknown> = {},
) {
  const res = await fetch(`${sim.url}/_sim/faults/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300)
    throw new Error(`fault ${action}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Helm's own history of podinfo in a namespace (newest first, at most 5). */
export function helmHistory(
  sim: ClusterSim,
  namespace: string,
): Array<{
  chartVersion: string;
  status: string;
  lastDeployed: string;
  version: number;
}> {
  return (
    sim.store.get(HELM_RELEASE, namespace, 'podinfo').status?.history ?? []
  );
}

/**
 * Releases the versions one after another on the stand-in, each once Helm
 * deployed the previous one, calling `between` after each.
 */
export async function releaseSequence(
  sim: ClusterSim,
  namespace: string,
  versions: string[],
  between?: (version: string, index: number) => Promise<unknown> | void,
) {
  for (const [i, version] of versions.entries()) {
    await release(sim, namespace, version);
    await eventually(async () => {
      const h = helmHistory(sim, namespace)[0];
      return h?.chartVersion === version && h.status === 'deployed';
    }, 15_000);
    await between?.(version, i);
  }
}

/** The stored deployments of podinfo on one target, by chart version. */
export async function storedDeployments(
  knex: Knex,
  cluster: string,
  namespace: string,
) {
  const rows = await knex('deployments')
    .where({ cluster, namespace, kind: 'HelmRelease', name: 'podinfo' })
    .select('chart_version', 'status', 'finished_at');
  return rows.sort((a, b) =>
    compareVersions(a.chart_version, b.chart_version),
  ) as Array<{ chart_version: string; status: string; finished_at: unknown }>;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map(Number);
  const pb = b.split(/[.+-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * The truth of a planned sequence of successful releases: every version once,
 * the last one succeeded, all earlier ones superseded.
 */
export function expectedDeployments(versions: string[]) {
  return versions.map((v, i) => [
    v,
    i === versions.length - 1 ? 'succeeded' : 'superseded',
  ]);
}

/**
 * Waits until the stored deployments of the target equal the truth of the
 * planned sequence, then checks them against Helm's status.history too: each
 * version Helm still lists was stored with the time Helm deployed it (Kubernetes
 * times have second precision).
 */
export async function expectStoredEqualsTruth(
  knex: Knex,
  sim: ClusterSim,
  options: { cluster: string; namespace: string; versions: string[] },
) {
  const want = expectedDeployments(options.versions);
  const got = await eventually(async () => {
    const rows = await storedDeployments(
      knex,
      options.cluster,
      options.namespace,
    );
    const pairs = rows.map(r => [r.chart_version, r.status]);
    return JSON.stringify(pairs) === JSON.stringify(want) ? rows : undefined;
  }, 20_000).catch(async error => {
    const rows = await storedDeployments(
      knex,
      options.cluster,
      options.namespace,
    );
    throw new Error(
      `${error.message}\nstored: ${JSON.stringify(
        rows.map(r => [r.chart_version, r.status]),
      )}\nwanted: ${JSON.stringify(want)}`,
    );
  });
  const history = helmHistory(sim, options.namespace);
  for (const entry of history) {
    const row = got.find(r => r.chart_version === entry.chartVersion);
    expect(row).toBeDefined();
    // Helm stamps lastDeployed when the action starts (to the second); the
    // stored finish is when it ended: the stand-in's 300 ms upgrade, which a
    // loaded machine stretches by a few seconds.
    const finished = new Date(row!.finished_at as any).getTime();
    const sinceStart = finished - Date.parse(entry.lastDeployed);
    expect(sinceStart).toBeGreaterThanOrEqual(-1000);
    expect(sinceStart).toBeLessThanOrEqual(5000);
  }
  return got;
}

/**
 * Every version's success was recorded once from the events, though the
 * backend may have seen them again after relists, restarts and takeovers:
 * waits until each planned version was observed, then checks none twice.
 */
export async function expectEachSuccessObservedOnce(
  knex: Knex,
  options: { cluster: string; namespace: string; versions: string[] },
) {
  const read = async () => {
    const rows = await knex('observations')
      .where({
        cluster: options.cluster,
        namespace: options.namespace,
        kind: 'HelmRelease',
        name: 'podinfo',
        source: 'event',
      })
      .whereIn('reason', ['InstallSucceeded', 'UpgradeSucceeded'])
      .select('chart_version');
    return rows.map(r => r.chart_version as string);
  };
  await eventually(async () => {
    const seen = await read();
    return options.versions.every(v => seen.includes(v));
  }, 15_000).catch(async error => {
    throw new Error(
      `${error.message}\nobserved: ${JSON.stringify(
        (await read()).sort(),
      )}\nwanted: ${JSON.stringify(options.versions)}`,
    );
  });
  // Late duplicates would arrive now.
  await sleep(300);
  const fromEvents = await read();
  expect(fromEvents.length).toBe(new Set(fromEvents).size);
  return fromEvents;
}

/**
 * The verdict of a fault test on podinfo in main/dev: the stored deployments
 * equal the truth (6.5.0, then `released`), and each released version's
 * success was recorded once, from the events.
 */
export async function expectExactlyReleased(
  knex: Knex,
  sim: ClusterSim,
  released: string[],
) {
  const where = { cluster: 'main', namespace: 'dev' };
  await expectStoredEqualsTruth(knex, sim, {
    ...where,
    versions: ['6.5.0', ...released],
  });
  const observed = await expectEachSuccessObservedOnce(knex, {
    ...where,
    versions: released,
  });
  expect(observed.sort()).toEqual([...released].sort());
}
