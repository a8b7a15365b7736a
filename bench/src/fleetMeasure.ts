/**
 * The fleet benchmark's measurements against running replicas: releases
 * stored, entity page latency, freshness probes (a Flux upgrade in a
 * stand-in → the new version through the API of a replica).
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import { PROBE } from './fleetChurn';
import { targetOf } from './fleetLayout';
import { Replica } from './fleetReplica';
import { SimHost } from './SimHost';
import { percentile, round, sleep, until } from './stats';

const auth = mockCredentials.user.header();

const get = (replica: Replica, path: string) =>
  fetch(`${replica.base}${path}`, { headers: { authorization: auth } });

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

export const latency = (samples: number[]): Latency => ({
  p50: round(percentile(samples, 50), 2),
  p99: round(percentile(samples, 99), 2),
  max: round(Math.max(...samples), 2),
  count: samples.length,
});

/** Observations (events and status changes) stored. */
export async function observations(knex: Knex): Promise<number> {
  const [{ n }] = await knex('observations').count({ n: '*' });
  return Number(n);
}

/** The clusters whose lease the replica (by process id) holds now. */
export async function heldBy(knex: Knex, replica: Replica): Promise<number[]> {
  const rows = await knex('cluster_leases')
    .where('holder', 'like', `%:${replica.pid}:%`)
    .andWhere('expires_at', '>', new Date())
    .select('cluster');
  return rows
    .map(r => Number(String(r.cluster).slice(1)))
    .sort((a, b) => a - b);
}

/**
 * Seconds until the clusters are spread evenly over the replicas (each holds
 * ⌊clusters / replicas⌋ or one more, all held); null after `capMs`.
 */
export async function untilBalanced(
  knex: Knex,
  replicas: Replica[],
  clusters: number,
  capMs: number,
): Promise<number | null> {
  const started = performance.now();
  const even = Math.floor(clusters / replicas.length);
  while (performance.now() - started < capMs) {
    const held = await Promise.all(replicas.map(r => heldBy(knex, r)));
    const counts = held.map(h => h.length);
    const all = counts.reduce((a, b) => a + b, 0);
    if (all === clusters && counts.every(c => c === even || c === even + 1)) {
      return round((performance.now() - started) / 1000, 1);
    }
    await sleep(500);
  }
  return null;
}

/** Seconds until no observation was stored for 2 s; null after `capMs`. */
export async function untilSettled(knex: Knex, capMs: number) {
  const started = performance.now();
  let last = await observations(knex);
  while (performance.now() - started < capMs) {
    await sleep(2000);
    const now = await observations(knex);
    if (now === last) return round((performance.now() - started) / 1000, 1);
    last = now;
  }
  return null;
}

/** Distinct HelmReleases with a stored deployment (of `version`, when given). */
export async function storedReleases(knex: Knex, version?: string) {
  const query = knex('deployments').countDistinct({
    n: ['cluster', 'namespace', 'kind', 'name'],
  });
  if (version) query.where('chart_version', version);
  const [{ n }] = await query;
  return Number(n);
}

/** Waits until `target` releases are stored; seconds since `since` (performance.now()). */
export async function untilStored(
  knex: Knex,
  target: number,
  options: { since: number; timeoutMs: number; version?: string },
) {
  await until(
    `${target} HelmReleases stored${
      options.version ? ` at ${options.version}` : ''
    }`,
    async () =>
      (await storedReleases(knex, options.version)) >= target
        ? true
        : undefined,
    options.timeoutMs,
    250,
  );
  return round((performance.now() - options.since) / 1000, 2);
}

/**
 * Sequential GETs of the entity page, alternating over the replicas and the
 * entities; an answer without three environments and a latest version in
 * each counts as wrong (more than a tenth wrong fails the benchmark).
 */
export async function entityPage(
  replicas: Replica[],
  pipelines: number,
  requests: number,
  /** Stops early after this long (a replica far behind answers slowly). */
  maxMs: number,
): Promise<Latency> {
  const samples: number[] = [];
  const wrong: string[] = [];
  const end = performance.now() + maxMs;
  let k = 0;
  for (; k < requests && performance.now() < end; k++) {
    const ref = encodeURIComponent(`component:default/app-${k % pipelines}`);
    const t0 = performance.now();
    const res = await get(
      replicas[k % replicas.length],
      `/api/flux-pipelines/pipelines?entityRef=${ref}`,
    );
    const body: any = await res.json();
    const elapsed = performance.now() - t0;
    const ok =
      res.status === 200 &&
      body.items?.[0]?.environments?.length === 3 &&
      body.items[0].environments.every((e: any) => e.targets[0]?.latest);
    if (ok) samples.push(elapsed);
    else wrong.push(`${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
  if (wrong.length > k / 10)
    throw new Error(`entity page: ${wrong.length} wrong, e.g. ${wrong[0]}`);
  return latency(samples);
}

let probeNumber = 0;

/** A probe's version through the API of `replica`: the time it showed (ms since epoch). */
export function untilVisible(
  replica: Replica,
  probe: { name: string; version: string },
  timeoutMs: number,
) {
  return until(
    `version ${probe.version} of team-0/${probe.name} through the API`,
    async () => {
      const res = await get(
        replica,
        `/api/flux-pipelines/pipelines/flux-system/${probe.name}`,
      );
      const body: any = await res.json();
      const latest = body.environments?.[0]?.targets?.[0]?.latest;
      return latest?.chartVersion === probe.version &&
        latest.status !== 'progressing'
        ? Date.now()
        : undefined;
    },
    timeoutMs,
    5,
  );
}

export interface Freshness extends Latency {
  /** Probes not visible within the timeout (probing stops at the first). */
  lost: number;
  /** The probe that was not visible, to time the catch-up once change stops. */
  pending?: { name: string; version: string; replica: number };
}

/**
 * Upgrades the dev target of a pipeline in its stand-in (the Flux simulator
 * releases it) and times from the moment the stand-in wrote the deployed
 * status to the first GET on replica `k % R` that shows the version as the
 * target's latest. Replicas take turns, so probes cross replicas.
 */
export async function freshness(
  sim: SimHost,
  replicas: Replica[],
  options: {
    probes: number;
    pipelines: number;
    clusters: number;
    timeoutMs: number;
  },
): Promise<Freshness> {
  const samples: number[] = [];
  for (let k = 0; k < options.probes; k++) {
    const i = k % options.pipelines;
    const t = targetOf(i, 0, options.clusters);
    const version = `${PROBE}${++probeNumber}.0`;
    await sim.send({ cmd: 'upgrade', ...t, version });
    const replica = k % replicas.length;
    let seen: number;
    try {
      seen = await untilVisible(
        replicas[replica],
        { ...t, version },
        options.timeoutMs,
      );
    } catch {
      const pending = { name: t.name, version, replica };
      return { ...latency(samples), lost: 1, pending };
    }
    const deployed = await until(
      `the deployed status of ${version}`,
      async () =>
        (await sim.send<number | null>({ cmd: 'deployedAt', ...t, version })) ??
        undefined,
      10_000,
    );
    samples.push(Math.max(0, seen - deployed));
    await sleep(20 + Math.random() * 30);
  }
  return { ...latency(samples), lost: 0 };
}
