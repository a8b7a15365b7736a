import { Clock, parseDuration } from '../clock';
import { applyFault } from '../faults/applyFault';
import { HELM_RELEASE, ReleaseOutcome } from '../flux/HelmReleaseSimulator';
import { commitHelmReleaseVersion } from '../gitops/localRepository';
import { seededRandom } from '../random';
import { applyObjects, ClusterSim } from '../startClusterSim';
import { findResourceTypeByKind } from '../store/resourceTypes';
import { ReleaseStep, Scenario, ScenarioStep } from './Scenario';

/** Plays a scenario's timeline on its clusters, on the given clock, with a seeded random source. */
export class ScenarioRunner {
  private readonly random: () => number;
  private readonly timers = new Set<unknown>();
  private stopped = false;
  /** Steps run so far, newest last (for logs and tests). */
  readonly log: string[] = [];

  constructor(
    private readonly scenario: Scenario,
    private readonly clusters: Map<string, ClusterSim>,
    private readonly clock: Clock,
  ) {
    this.random = seededRandom(scenario.seed ?? 1);
  }

  start(): void {
    for (const step of this.scenario.timeline ?? []) {
      const first = parseDuration(String(step.at ?? step.every));
      this.schedule(step, first, 1);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
  }

  private schedule(step: ScenarioStep, delay: number, run: number) {
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      try {
        this.run(step);
      } catch (error) {
        this.log.push(`error: ${(error as Error).message}`);
      }
      if (step.every && (!step.times || run < step.times))
        this.schedule(step, parseDuration(step.every), run + 1);
    }, delay);
    this.timers.add(timer);
  }

  private run(step: ScenarioStep) {
    const cluster = this.clusters.get(
      step.cluster ?? this.scenario.clusters[0].name,
    );
    if (!cluster) throw new Error(`no cluster ${step.cluster}`);
    if (step.release) return this.release(cluster, step.release);
    if (step.fault) {
      applyFault(cluster.faults, step.fault);
      return this.log.push(`${cluster.name}: fault ${step.fault.action}`);
    }
    if (step.apply) {
      applyObjects(cluster.store, step.apply);
      return this.log.push(
        `${cluster.name}: applied ${step.apply.length} object(s)`,
      );
    }
    if (step.delete) {
      const type = findResourceTypeByKind(
        step.delete.apiVersion,
        step.delete.kind,
      );
      if (!type) throw new Error(`unknown kind ${step.delete.kind}`);
      cluster.store.delete(
        type,
        type.namespaced ? step.delete.namespace ?? 'default' : undefined,
        step.delete.name,
      );
      return this.log.push(
        `${cluster.name}: deleted ${step.delete.kind} ${step.delete.name}`,
      );
    }
    return undefined;
  }

  private release(cluster: ClusterSim, step: ReleaseStep) {
    const hr = cluster.store.get(HELM_RELEASE, step.namespace, step.name);
    const current = String(hr.spec?.chart?.spec?.version ?? '0.0.0');
    const version = bump(current, step.version ?? 'next-patch');
    let outcome: ReleaseOutcome = step.outcome ?? 'success';
    if (!step.outcome && step.failureRate && this.random() < step.failureRate) {
      outcome = this.random() < 0.5 ? 'fail' : 'test-fail';
    }
    if (outcome !== 'success') {
      // a broken version stays broken on every retry
      const attempts = 1 + Number(hr.spec?.upgrade?.remediation?.retries ?? 0);
      const outcomes = Array<ReleaseOutcome>(attempts).fill(outcome);
      cluster.simulator?.planOutcome(
        { namespace: step.namespace, name: step.name, version },
        ...outcomes,
      );
    }
    const repo = cluster.gitops?.localPath;
    if (repo && !step.values) {
      // with a GitOps loop, a new version arrives as a commit, like a merged change
      commitHelmReleaseVersion(repo, step.namespace, step.name, version);
    } else {
      cluster.store.mutate(HELM_RELEASE, step.namespace, step.name, obj => {
        obj.spec.chart.spec.version = version;
        if (step.values) obj.spec.values = step.values;
      });
    }
    this.log.push(
      `${cluster.name}: ${step.namespace}/${step.name} -> ${version} (${outcome})`,
    );
  }
}

/** `next-patch` / `next-minor` bump a semver; anything else is taken as the version itself. */
export function bump(current: string, wanted: string): string {
  const m = current.match(/^(\d+)\.(\d+)\.(\d+)/);
  if (!m || !wanted.startsWith('next-')) return wanted;
  const [major, minor, patch] = m.slice(1).map(Number);
  return wanted === 'next-minor'
    ? `${major}.${minor + 1}.0`
    : `${major}.${minor}.${patch + 1}`;
}
