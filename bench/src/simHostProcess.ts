/**
 * The stand-in clusters of a benchmark, in a child process of their own so
 * that their work (serialising watch streams, answering lists) is not
 * measured as the plugin's. Driven over IPC by {@link SimHost}.
 */
import {
  ClusterSim,
  KubeObject,
  RESOURCE_TYPES,
  startClusterSim,
} from '@internal/cluster-sim';
import { FLEET_FLUX_TIMING, FleetChurn, upgrade } from './fleetChurn';
import type { ChurnSpec } from './fleetChurn';
import { helmEvent, helmRelease, targetOf } from './fluxEvents';

const EVENT = RESOURCE_TYPES.find(t => t.kind === 'Event' && t.group === '')!;
const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;

/** What to start: `clusters` stand-ins, each with its HelmReleases. */
export interface SimSpec {
  clusters: number;
  namespaces: string[];
  /** Per cluster index, the HelmReleases to create: [namespace, name, kubernetes-id?]. */
  releases?: Array<Array<[string, string, string?]>>;
  /** Write installed status (history) for every HelmRelease at start. */
  settled?: boolean;
  historyLimit?: number;
  /** Keep the Flux simulator running (fleet benchmark: upgrades and churn). */
  flux?: boolean;
}

export type SimCommand =
  | { cmd: 'start'; spec: SimSpec }
  | { cmd: 'pause' | 'resume'; cluster: number }
  | {
      cmd: 'events';
      cluster: number;
      from: number;
      count: number;
      targets: number;
      baseTime: number;
    }
  | { cmd: 'stream'; cluster: number; rate: number; targets: number }
  | { cmd: 'stopStream' }
  | { cmd: 'latency'; ms: number }
  | { cmd: 'bumpReleases' }
  | { cmd: 'resourceVersion'; cluster: number }
  | ({ cmd: 'churn' } & ChurnSpec)
  | { cmd: 'stopChurn' }
  | {
      cmd: 'upgrade' | 'deployedAt';
      cluster: number;
      namespace: string;
      name: string;
      version: string;
    }
  | { cmd: 'upgradeClusters'; clusters: number[]; version: string };

const sims: ClusterSim[] = [];
let streamTimer: NodeJS.Timeout | undefined;
let streamed = 0;
let churn: FleetChurn | undefined;

function createEvents(
  sim: ClusterSim,
  from: number,
  count: number,
  targets: number,
  baseTime: number,
) {
  for (let i = from; i < from + count; i++) {
    const t = targetOf(i, targets);
    sim.store.create(
      EVENT,
      helmEvent({ ...t, at: baseTime + t.index * 60_000 }) as KubeObject,
    );
  }
}

/** Prepends a new deployed version to every HelmRelease's status.history (an upgrade nobody saw). */
function bumpReleases(sim: ClusterSim) {
  let bumped = 0;
  for (const hr of sim.store.list(HELM_RELEASE)) {
    sim.store.mutate(
      HELM_RELEASE,
      hr.metadata.namespace,
      hr.metadata.name,
      obj => {
        const status = (obj.status ??= {});
        const history: any[] = status.history ?? [];
        const top = history[0];
        if (!top) return;
        const chartVersion = `${top.chartVersion}-bumped`;
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        status.history = [
          {
            ...top,
            version: top.version + 1,
            action: 'upgrade',
            status: 'deployed',
            chartVersion,
            appVersion: chartVersion,
            digest: `${top.digest}0`,
            lastDeployed: now,
          },
          ...history.map(h =>
            h.status === 'deployed' ? { ...h, status: 'superseded' } : h,
          ),
        ].slice(0, 5);
        status.lastAttemptedRevision = chartVersion;
        status.lastAttemptedReleaseAction = 'upgrade';
        status.lastAttemptedReleaseActionDuration = '12.5s';
        bumped += 1;
      },
      { subresource: 'status' },
    );
  }
  return bumped;
}

async function handle(message: SimCommand): Promise<unknown> {
  switch (message.cmd) {
    case 'start': {
      const { spec } = message;
      for (let c = 0; c < spec.clusters; c++) {
        const releases = spec.releases?.[c] ?? [];
        sims.push(
          await startClusterSim({
            name: `c${c}`,
            namespaces: spec.namespaces,
            historyLimit: spec.historyLimit ?? 10_000,
            eventTtlMs: 24 * 3_600_000,
            objects: releases.map(
              ([ns, name, id]) =>
                helmRelease(ns, name, '1.0.0', id) as KubeObject,
            ),
            settled: spec.settled,
            simulator: spec.flux ? FLEET_FLUX_TIMING : !!spec.settled && {},
          }),
        );
        // Settled status is written; no simulated Flux beyond that.
        if (!spec.flux) sims[c].simulator?.stop();
      }
      if (spec.flux) churn = new FleetChurn(sims);
      return sims.map(s => ({ name: s.name, url: s.url, token: s.token }));
    }
    case 'pause':
      sims[message.cluster].faults.pause();
      return null;
    case 'resume':
      sims[message.cluster].faults.resume();
      return Date.now();
    case 'events':
      createEvents(
        sims[message.cluster],
        message.from,
        message.count,
        message.targets,
        message.baseTime,
      );
      return sims[message.cluster].store.currentResourceVersion();
    case 'stream': {
      // `rate` events per second in 10 ms ticks, until stopStream.
      const sim = sims[message.cluster];
      const started = Date.now();
      streamed = 0;
      streamTimer = setInterval(() => {
        const due = Math.floor(((Date.now() - started) / 1000) * message.rate);
        if (due > streamed) {
          createEvents(
            sim,
            1_000_000 + streamed,
            due - streamed,
            message.targets,
            started,
          );
          streamed = due;
        }
      }, 10);
      return null;
    }
    case 'stopStream':
      clearInterval(streamTimer);
      return streamed;
    case 'latency':
      for (const s of sims) s.faults.setLatency(message.ms);
      return null;
    case 'bumpReleases':
      return sims.reduce((n, s) => n + bumpReleases(s), 0);
    case 'churn':
      churn!.start(message);
      return null;
    case 'stopChurn':
      return churn!.stop() ?? null;
    case 'upgrade': {
      const { namespace, name, version } = message;
      upgrade(sims[message.cluster], namespace, name, version);
      return Date.now();
    }
    case 'deployedAt': {
      const { cluster, namespace, name, version } = message;
      return churn!.deployedAt(cluster, namespace, name, version) ?? null;
    }
    case 'upgradeClusters': {
      let n = 0;
      for (const c of message.clusters) {
        for (const hr of sims[c].store.list(HELM_RELEASE)) {
          const { namespace, name } = hr.metadata;
          upgrade(sims[c], namespace!, name, message.version);
          n += 1;
        }
      }
      return n;
    }
    case 'resourceVersion':
      return sims[message.cluster].store.currentResourceVersion();
    default:
      throw new Error(`unknown command ${JSON.stringify(message)}`);
  }
}

/** Entry point of the child process. */
export function serve(): void {
  process.on('message', (raw: any) => {
    const { id, message } = raw as { id: number; message: SimCommand };
    handle(message).then(
      result => process.send!({ id, result }),
      error => process.send!({ id, error: String(error?.stack ?? error) }),
    );
  });
  process.on('disconnect', () => {
    churn?.close();
    Promise.all(sims.map(s => s.stop())).finally(() => process.exit(0));
  });
}
