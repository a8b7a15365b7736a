import { Clock, parseDuration, systemClock } from '../clock';
import {
  ClusterSim,
  ClusterSimOptions,
  startClusterSim,
} from '../startClusterSim';
import { writeKubeconfig } from '../kubeconfig';
import { localRepositoryPath, seedRepository } from '../gitops/localRepository';
import { Scenario } from './Scenario';
import { ScenarioRunner } from './ScenarioRunner';

export interface StartScenarioOptions {
  /** Port of the first cluster; others use port + portOffset. 0 gives every cluster a free port. */
  port?: number;
  host?: string;
  token?: string;
  tls?: boolean;
  clock?: Clock;
  /** Writes one kubeconfig with a context per cluster. */
  kubeconfigPath?: string;
  /** Event TTL for every cluster (overrides the scenario's). */
  eventTtlMs?: number;
  /** GitOps loop for the first cluster (overrides the scenario's). */
  gitops?: ClusterSimOptions['gitops'];
  /** Overrides of the simulator options, e.g. shorter durations in tests. */
  simulator?: ClusterSimOptions['simulator'];
}

export interface RunningScenario {
  scenario: Scenario;
  clusters: ClusterSim[];
  runner: ScenarioRunner;
  stop(): Promise<void>;
}

/** Starts every cluster of a scenario and plays its timeline. */
export async function startScenario(
  scenario: Scenario,
  options: StartScenarioOptions = {},
): Promise<RunningScenario> {
  const clock = options.clock ?? systemClock;
  const sim = scenario.simulator ?? {};
  const ms = (v?: string) => (v ? parseDuration(v) : undefined);
  const clusters: ClusterSim[] = [];
  for (const c of scenario.clusters) {
    const gitops =
      clusters.length === 0 ? options.gitops ?? c.gitops : c.gitops;
    const repoPath = gitops && localRepositoryPath(gitops.repo);
    if (repoPath)
      seedRepository(repoPath, gitops!.branch ?? 'main', c.objects ?? []);
    const port = options.port
      ? options.port + (c.portOffset ?? clusters.length)
      : 0;
    clusters.push(
      await startClusterSim({
        name: c.name,
        host: options.host,
        port,
        token: options.token,
        tls: options.tls,
        clock,
        seed: scenario.seed,
        eventTtlMs: options.eventTtlMs ?? ms(scenario.eventTtl),
        namespaces: c.namespaces,
        settled: scenario.settled,
        gitops,
        objects: c.objects,
        simulator:
          options.simulator === false
            ? false
            : {
                releaseDurationMs: ms(sim.releaseDuration),
                testDurationMs: ms(sim.testDuration),
                rollbackDurationMs: ms(sim.rollbackDuration),
                retryIntervalMs: ms(sim.retryInterval),
                controller: sim.controller,
                testHooks: sim.testHooks,
                ...(options.simulator ?? {}),
              },
      }),
    );
  }
  const runner = new ScenarioRunner(
    scenario,
    new Map(clusters.map(c => [c.name, c])),
    clock,
  );
  runner.start();
  if (options.kubeconfigPath) {
    writeKubeconfig(
      options.kubeconfigPath,
      clusters.map(c => ({
        name: c.name,
        url: c.url,
        token: c.token,
        ca: c.ca,
      })),
    );
  }
  return {
    scenario,
    clusters,
    runner,
    async stop() {
      runner.stop();
      await Promise.all(clusters.map(c => c.stop()));
    },
  };
}
