/**
 * Background change for the fleet benchmark, inside the sim host process:
 * Flux upgrades (some failing), and new releases, driven through each
 * stand-in's Flux simulator so that the Events and status changes are the
 * ones helm-controller writes. Also the probes: one upgrade whose deployed
 * status time is remembered.
 */
import { ClusterSim, KubeObject, RESOURCE_TYPES } from '@internal/cluster-sim';
import { helmRelease } from './fluxEvents';

const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;
const EVENT = RESOURCE_TYPES.find(t => t.kind === 'Event' && t.group === '')!;

/** Flux simulator timing in the fleet: short, so that change keeps flowing. */
export const FLEET_FLUX_TIMING = {
  releaseDurationMs: 100,
  testDurationMs: 50,
  rollbackDurationMs: 50,
  retryIntervalMs: 3_600_000,
};

/** Events helm-controller writes per upgrade here (measured: no Helm tests, one event). */
const EVENTS_PER_UPGRADE = 1;
/** Every FAIL_EVERY-th upgrade fails; every NEW_EVERY-th change is a new release. */
const FAIL_EVERY = 7;
/** Probe versions start with this; their deployed time is remembered. */
export const PROBE = '5.';
const NEW_EVERY = 20;

export interface ChurnSpec {
  /** Events per second to cause, over all clusters. */
  rate: number;
  /** team-0/app-0 … app-(reserved-1) are left alone (the probes upgrade them). */
  reserved: number;
}

export interface ChurnStats {
  seconds: number;
  upgrades: number;
  failures: number;
  newReleases: number;
  events: number;
  eventsPerSecond: number;
}

/** Sets a new chart version on one HelmRelease; the simulator releases it. */
export function upgrade(
  sim: ClusterSim,
  namespace: string,
  name: string,
  version: string,
  fail = false,
) {
  if (fail) sim.simulator?.planOutcome({ namespace, name, version }, 'fail');
  sim.store.mutate(HELM_RELEASE, namespace, name, obj => {
    obj.spec.chart.spec.version = version;
  });
}

const probed = (name: string, reserved: number) =>
  /^app-\d+$/.test(name) && Number(name.slice(4)) < reserved;

export class FleetChurn {
  private timer?: NodeJS.Timeout;
  private events = 0;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly deployed = new Map<string, number>();
  private stats = { upgrades: 0, failures: 0, newReleases: 0 };
  private started = 0;
  private counter = 0;

  constructor(private readonly sims: ClusterSim[]) {
    for (const [c, sim] of sims.entries()) {
      this.unsubscribe.push(
        sim.store.subscribe(change => {
          if (change.storage === EVENT.storage && change.type === 'ADDED')
            this.events += 1;
          if (change.storage !== HELM_RELEASE.storage) return;
          const top = change.object.status?.history?.[0];
          if (
            top?.status !== 'deployed' ||
            !top.chartVersion?.startsWith(PROBE)
          )
            return;
          const key = `${c}/${change.object.metadata.namespace}/${change.object.metadata.name}@${top.chartVersion}`;
          if (!this.deployed.has(key)) this.deployed.set(key, Date.now());
        }),
      );
    }
  }

  /** When the probe's version was written as deployed (ms since epoch), if yet. */
  deployedAt(cluster: number, namespace: string, name: string, v: string) {
    const key = `${cluster}/${namespace}/${name}@${v}`;
    const at = this.deployed.get(key);
    if (at !== undefined) this.deployed.delete(key);
    return at;
  }

  start(spec: ChurnSpec): void {
    this.stop();
    this.started = Date.now();
    this.events = 0;
    this.stats = { upgrades: 0, failures: 0, newReleases: 0 };
    const perSecond = spec.rate / EVENTS_PER_UPGRADE;
    let done = 0;
    const names = this.sims.map(s =>
      s.store
        .list(HELM_RELEASE)
        .map(hr => [hr.metadata.namespace!, hr.metadata.name] as const)
        .filter(([ns, n]) => !(ns === 'team-0' && probed(n, spec.reserved))),
    );
    this.timer = setInterval(() => {
      const due = Math.floor(((Date.now() - this.started) / 1000) * perSecond);
      // At most one tick's share at once: a backlog the stand-ins could not
      // keep up with is dropped (the rate reached is reported), so that
      // they still answer the benchmark's commands.
      done = Math.max(done, due - Math.ceil(perSecond / 50));
      for (; done < due; done++) this.change(names);
    }, 20);
  }

  private change(names: Array<Array<readonly [string, string]>>) {
    const n = (this.counter += 1);
    const c = n % this.sims.length;
    const sim = this.sims[c];
    if (n % NEW_EVERY === 0) {
      const ns = `team-${n % 10}`;
      const name = `new-${n}`;
      sim.store.create(
        HELM_RELEASE,
        helmRelease(ns, name, '1.0.0') as KubeObject,
      );
      names[c].push([ns, name]);
      this.stats.newReleases += 1;
      return;
    }
    const list = names[c];
    if (!list.length) return;
    const [ns, name] = list[Math.floor(Math.random() * list.length)];
    const fail = n % FAIL_EVERY === 0;
    upgrade(sim, ns, name, `3.${n}.0`, fail);
    this.stats.upgrades += 1;
    if (fail) this.stats.failures += 1;
  }

  stop(): ChurnStats | undefined {
    if (!this.timer) return undefined;
    clearInterval(this.timer);
    this.timer = undefined;
    const seconds = (Date.now() - this.started) / 1000;
    return {
      seconds,
      ...this.stats,
      events: this.events,
      eventsPerSecond: this.events / seconds,
    };
  }

  close(): void {
    this.stop();
    this.unsubscribe.forEach(u => u());
  }
}
