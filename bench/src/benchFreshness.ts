import { performance } from 'node:perf_hooks';
import { DatabaseKind, freshDatabase } from './databases';
import { helmEvent } from './fluxEvents';
import { kubernetesClusterConfig } from './ingestPipeline';
import { startBenchBackend, untilHealthy } from './backend';
import { SimHost } from './SimHost';
import { rawWatch } from './rawWatch';
import { percentile, round, sleep } from './stats';

export interface FreshnessOptions {
  probes: number;
  loadRate: number;
  databases: DatabaseKind[];
}

interface Latencies {
  p50: number;
  p99: number;
  max: number;
  samples: number[];
}

const latencies = (samples: number[]): Latencies => ({
  p50: round(percentile(samples, 50), 2),
  p99: round(percentile(samples, 99), 2),
  max: round(Math.max(...samples), 2),
  samples: samples.map(s => round(s, 2)),
});

const NAMESPACES = [
  'fresh',
  ...Array.from({ length: 10 }, (_, i) => `team-${i}`),
];

/**
 * Creates HelmRelease events in the stand-in through its API (as
 * helm-controller does) and times, from just before the POST: the event on a
 * raw watch of the stand-in (the floor: what any watcher could see), the
 * plugin's `deployments-changed` signal for it, and the first
 * GET /pipelines/flux-system/probe (issued on the signal) that shows it.
 */
export async function benchFreshness(options: FreshnessOptions) {
  const database = options.databases[0] ?? 'sqlite';
  const db = await freshDatabase(database);
  const sim = await SimHost.start({ clusters: 1, namespaces: NAMESPACES });
  const cluster = sim.clusters[0];
  const waiting = new Map<string, (at: number) => void>();
  const signalled = new Map<string, number>();
  const backend = await startBenchBackend({
    knex: db.knex,
    config: {
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'config', clusters: kubernetesClusterConfig(sim.clusters) },
        ],
      },
      fluxPipelines: {
        pipelines: [
          {
            namespace: 'flux-system',
            name: 'probe',
            appRef: { kind: 'HelmRelease', name: 'probe' },
            environments: [
              { name: 'dev', targets: [{ namespace: 'fresh', cluster: 'c0' }] },
            ],
          },
        ],
      },
    },
    onSignal: (message, at) => {
      for (const t of message?.targets ?? []) {
        if (t.name !== 'probe' || t.status !== 'succeeded') continue;
        if (!signalled.has(t.chartVersion)) signalled.set(t.chartVersion, at);
        waiting.get(t.chartVersion)?.(at);
      }
    },
  });
  // The floor: a raw watch on the stand-in's events in the probe namespace.
  const watchSeen = new Map<string, number>();
  const watchAbort = new AbortController();
  const watching = rawWatch({
    url: `${cluster.url}/api/v1/namespaces/fresh/events`,
    token: cluster.token,
    signal: watchAbort.signal,
    now: () => performance.now(),
    seen: (line, at) => {
      const version =
        line.object?.metadata?.annotations?.['helm.toolkit.fluxcd.io/revision'];
      if (version && !watchSeen.has(version)) watchSeen.set(version, at);
    },
  }).catch(() => undefined);

  let probe = 0;
  const measure = async (name: string) => {
    const raw: number[] = [];
    const signal: number[] = [];
    const api: number[] = [];
    for (let i = 0; i < options.probes; i++) {
      probe += 1;
      const version = `2.0.${String(probe).padStart(5, '0')}`;
      const signalled = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no signal for ${version} within 30 s`)),
          30_000,
        );
        waiting.set(version, at => {
          clearTimeout(timer);
          waiting.delete(version);
          resolve(at);
        });
      });
      const event = helmEvent({
        namespace: 'fresh',
        name: 'probe',
        index: probe,
        at: Date.now(),
        version,
      });
      const t0 = performance.now();
      const created = await fetch(
        `${cluster.url}/api/v1/namespaces/fresh/events`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${cluster.token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(event),
        },
      );
      if (created.status !== 201) {
        throw new Error(
          `creating the event: ${created.status} ${await created.text()}`,
        );
      }
      const tSignal = await signalled;
      let tApi: number | undefined;
      for (let attempt = 0; attempt < 200 && tApi === undefined; attempt++) {
        const res = await backend.get(
          '/api/flux-pipelines/pipelines/flux-system/probe',
        );
        const body: any = await res.json();
        if (
          body.environments?.[0]?.targets?.[0]?.latest?.chartVersion === version
        ) {
          tApi = performance.now();
        }
      }
      if (tApi === undefined)
        throw new Error(`the API never showed ${version}`);
      const tWatch = watchSeen.get(version);
      if (tWatch !== undefined) raw.push(tWatch - t0);
      signal.push(tSignal - t0);
      api.push(tApi - t0);
      // Spread the probes so they do not queue behind each other.
      await sleep(20 + Math.random() * 30);
    }
    return {
      name,
      database,
      rawWatch: latencies(raw),
      signal: latencies(signal),
      api: latencies(api),
    };
  };

  try {
    await untilHealthy(backend, 60_000);
    await measure('warm-up');
    const idle = await measure('idle');
    await sim.send({
      cmd: 'stream',
      cluster: 0,
      rate: options.loadRate,
      targets: 1000,
    });
    await sleep(1000);
    const loaded = await measure('under load');
    const streamed = await sim.send<number>({ cmd: 'stopStream' });
    return {
      probes: options.probes,
      loadRate: options.loadRate,
      backgroundEventsSent: streamed,
      conditions: [idle, loaded],
      problems: [] as string[],
    };
  } finally {
    watchAbort.abort();
    await watching;
    await backend.stop();
    await sim.stop();
    await db.drop();
  }
}
