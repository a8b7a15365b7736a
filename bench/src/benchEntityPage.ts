import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import { startBenchBackend, untilHealthy } from './backend';
import { migrated } from './benchIngest';
import { DatabaseKind, freshDatabase } from './databases';
import { kubernetesClusterConfig } from './ingestPipeline';
import { SimHost } from './SimHost';
import { percentile, round, sleep, until } from './stats';

export interface EntityPageOptions {
  pipelines: number;
  history: number;
  clusters: number[];
  requests: number;
  fanOutRequests: number;
  latencyMs: number;
  databases: DatabaseKind[];
}

const ENVIRONMENTS = ['dev', 'test', 'prod'];
const ENTITIES = 20;
const HELM_RELEASES = {
  group: 'helm.toolkit.fluxcd.io',
  apiVersion: 'v2',
  plural: 'helmreleases',
};

/** Which stand-in cluster runs environment `e` of pipeline `i`. */
const clusterOf = (i: number, e: number, clusters: number) =>
  (i * ENVIRONMENTS.length + e) % clusters;

/** Deployment history rows for every target, inserted in bulk with knex. */
async function seedHistory(
  knex: Knex,
  options: { pipelines: number; history: number; clusters: number },
) {
  const targets = options.pipelines * ENVIRONMENTS.length;
  const perTarget = Math.max(1, Math.floor(options.history / targets));
  const base = Date.UTC(2025, 0, 1);
  let rows: any[] = [];
  let inserted = 0;
  const flush = async () => {
    if (!rows.length) return;
    await knex.batchInsert('deployments', rows, 1000);
    inserted += rows.length;
    rows = [];
  };
  for (let i = 0; i < options.pipelines; i++) {
    for (let e = 0; e < ENVIRONMENTS.length; e++) {
      for (let v = 0; v < perTarget; v++) {
        const started = new Date(base + v * 3_600_000 + e * 600_000);
        const failed = v % 7 === 6;
        rows.push({
          cluster: `c${clusterOf(i, e, options.clusters)}`,
          namespace: ENVIRONMENTS[e],
          kind: 'HelmRelease',
          name: `app-${i}`,
          chart_version: `1.${v}.0`,
          app_version: `1.${v}.0`,
          digest: null,
          status: failed
            ? 'failed'
            : v === perTarget - 1
            ? 'succeeded'
            : 'superseded',
          message: failed
            ? `Helm upgrade failed for release ${ENVIRONMENTS[e]}/app-${i} with chart app-${i}@1.${v}.0: context deadline exceeded`
            : `Helm upgrade succeeded for release ${
                ENVIRONMENTS[e]
              }/app-${i}.v${v + 1} with chart app-${i}@1.${v}.0`,
          started_at: started,
          finished_at: new Date(started.getTime() + 45_000),
          duration_ms: 45_000,
          updated_at: new Date(started.getTime() + 45_000),
        });
        if (rows.length >= 20_000) await flush();
      }
    }
  }
  await flush();
  return inserted;
}

/**
 * Points the seeded history at `clusters` stand-ins (the same mapping as
 * {@link clusterOf}), so one seed serves every cluster count, and forgets
 * what the previous backend ingested.
 */
async function remapClusters(knex: Knex, clusters: number) {
  const env = `CASE namespace WHEN 'dev' THEN 0 WHEN 'test' THEN 1 ELSE 2 END`;
  await knex('deployments').update({
    cluster: knex.raw(
      `'c' || ((CAST(substr(name, 5) AS INTEGER) * ${ENVIRONMENTS.length} + ${env}) % ${clusters})`,
    ),
  });
  await knex('app_labels').delete();
  await knex('observations').delete();
}

const stats = (samples: number[]) => ({
  p50: round(percentile(samples, 50), 2),
  p99: round(percentile(samples, 99), 2),
  max: round(Math.max(...samples), 2),
  count: samples.length,
});

/**
 * Times `times` sequential requests. A wrong answer is kept out of the
 * samples and counted; more than a tenth of them wrong fails the benchmark.
 */
async function timed(
  times: number,
  request: (i: number) => Promise<Response>,
  check: (body: any) => boolean,
) {
  const samples: number[] = [];
  const wrong: string[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const res = await request(i);
    const body = await res.json();
    const elapsed = performance.now() - t0;
    if (res.status === 200 && check(body)) {
      samples.push(elapsed);
    } else {
      wrong.push(
        `${res.status}: ${JSON.stringify(body, (k, v) =>
          k === 'spec' || k === 'status' || k === 'metadata' ? undefined : v,
        ).slice(0, 1000)}`,
      );
    }
  }
  if (wrong.length > times / 10) {
    throw new Error(
      `${wrong.length} of ${times} answers were wrong, e.g. ${wrong[0]}`,
    );
  }
  return { samples, wrong };
}

async function oneClusterCount(
  options: EntityPageOptions,
  clusters: number,
  knex: Knex,
) {
  await remapClusters(knex, clusters);
  // Each pipeline's app runs in dev, test and prod, spread over the clusters,
  // labelled for its entity as the Kubernetes plugin expects.
  const releases: Array<Array<[string, string, string]>> = Array.from(
    { length: clusters },
    () => [],
  );
  for (let i = 0; i < options.pipelines; i++) {
    ENVIRONMENTS.forEach((env, e) =>
      releases[clusterOf(i, e, clusters)].push([env, `app-${i}`, `app-${i}`]),
    );
  }
  const sim = await SimHost.start({
    clusters,
    namespaces: ENVIRONMENTS,
    releases,
  });
  const pipelines = Array.from({ length: options.pipelines }, (_, i) => ({
    namespace: 'flux-system',
    name: `app-${i}`,
    appRef: { kind: 'HelmRelease', name: `app-${i}` },
    environments: ENVIRONMENTS.map((env, e) => ({
      name: env,
      targets: [{ namespace: env, cluster: `c${clusterOf(i, e, clusters)}` }],
    })),
  }));
  const picked = Array.from(
    { length: Math.min(ENTITIES, options.pipelines) },
    (_, k) =>
      Math.floor(
        (k * options.pipelines) / Math.min(ENTITIES, options.pipelines),
      ),
  );
  const entities: Entity[] = picked.map(i => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `app-${i}`,
      namespace: 'default',
      annotations: {
        'flux-pipelines.io/pipelines': `flux-system/app-${i}`,
        'backstage.io/kubernetes-id': `app-${i}`,
      },
    },
    spec: { type: 'service', owner: 'team', lifecycle: 'production' },
  }));
  await sim.send({ cmd: 'latency', ms: options.latencyMs });
  const backend = await startBenchBackend({
    knex,
    entities,
    kubernetesBackend: true,
    config: {
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          { type: 'config', clusters: kubernetesClusterConfig(sim.clusters) },
        ],
      },
      fluxPipelines: { pipelines },
    },
  });
  try {
    await untilHealthy(backend, 120_000);
    // Quiet before measuring: every cluster's HelmReleases listed and their labels stored.
    await until(
      'the labels of every HelmRelease',
      async () => {
        const [{ n }] = await knex('app_labels').count({ n: '*' });
        return Number(n) >= options.pipelines * ENVIRONMENTS.length
          ? true
          : undefined;
      },
      120_000,
      100,
    );
    await sleep(1000);
    const ref = (k: number) =>
      `component:default/app-${picked[k % picked.length]}`;
    const flux = (k: number) =>
      backend.get(
        `/api/flux-pipelines/pipelines?entityRef=${encodeURIComponent(ref(k))}`,
      );
    const fanOut = (k: number) =>
      backend.post('/api/kubernetes/resources/custom/query', {
        entityRef: ref(k),
        customResources: [HELM_RELEASES],
      });
    const fluxOk = (body: any) =>
      body.items?.[0]?.environments?.length === 3 &&
      body.items[0].environments.every((e: any) => e.targets[0].latest);
    // No cluster failed, and the entity's three HelmReleases are found (the
    // answer leaves out the clusters where the entity has nothing).
    const fanOutOk = (body: any) =>
      Array.isArray(body.items) &&
      body.items.every((c: any) => !c.errors?.length) &&
      body.items.reduce(
        (n: number, c: any) =>
          n +
          c.resources.reduce((m: number, r: any) => m + r.resources.length, 0),
        0,
      ) === 3;
    // Warm-up: answers not checked (the first fan-out may still be connecting).
    await timed(10, flux, () => true);
    await timed(3, fanOut, () => true);
    const fluxRun = await timed(options.requests, flux, fluxOk);
    const fanOutRun = await timed(options.fanOutRequests, fanOut, fanOutOk);
    const f = stats(fluxRun.samples);
    const k = stats(fanOutRun.samples);
    return {
      clusters,
      fluxPipelines: f,
      fanOut: k,
      ratioP50: round(k.p50 / f.p50, 1),
      ratioP99: round(k.p99 / f.p99, 1),
      wrongAnswers: {
        fluxPipelines: fluxRun.wrong.length,
        fanOut: fanOutRun.wrong.length,
        firstWrong: fluxRun.wrong[0] ?? fanOutRun.wrong[0],
      },
    };
  } finally {
    await backend.stop();
    await sim.stop();
  }
}

export async function benchEntityPage(options: EntityPageOptions) {
  const database = options.databases[0] ?? 'sqlite';
  const db = await freshDatabase(database);
  try {
    const knex = await migrated(db.knex);
    const seedStarted = performance.now();
    const historyRows = await seedHistory(knex, { ...options, clusters: 1 });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const byClusters = [];
    for (const clusters of options.clusters) {
      byClusters.push(await oneClusterCount(options, clusters, knex));
    }
    return {
      pipelines: options.pipelines,
      historyRows,
      seedSeconds: round(seedSeconds, 1),
      latencyMs: options.latencyMs,
      database,
      byClusters,
      problems: [] as string[],
    };
  } finally {
    await db.drop();
  }
}
