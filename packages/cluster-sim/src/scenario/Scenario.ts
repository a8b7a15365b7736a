import { FaultAction } from '../faults/applyFault';
import { ReleaseOutcome } from '../flux/HelmReleaseSimulator';
import { KubeObject } from '../store/types';
import { GitOpsOptions } from '../gitops/GitOpsLoop';

/** One stand-in cluster of a scenario; the first is served on the chosen port, others on port + portOffset. */
export interface ScenarioCluster {
  name: string;
  portOffset?: number;
  namespaces?: string[];
  objects?: KubeObject[];
  /** Reconcile from a local git repository (path or file:// URL) as Flux would. */
  gitops?: GitOpsOptions;
}

/** Sets a HelmRelease's desired chart version (and values), as a merged commit would. */
export interface ReleaseStep {
  namespace: string;
  name: string;
  /** A version, or `next-patch` / `next-minor` to bump the current one. */
  version?: string;
  values?: Record<string, unknown>;
  /** Outcome of the first attempt; default from failureRate (seeded), else success. */
  outcome?: ReleaseOutcome;
  /** Share of releases that fail (half upgrade failures, half test failures). */
  failureRate?: number;
}

export interface ScenarioStep {
  /** When the step runs (`90s`, `4m`); with `every`, the first run. */
  at?: string;
  /** Repeats the step at this interval. */
  every?: string;
  /** With `every`: stop after this many runs. */
  times?: number;
  /** Which cluster the step acts on; default the first. */
  cluster?: string;
  release?: ReleaseStep;
  fault?: FaultAction;
  apply?: KubeObject[];
  delete?: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  };
}

export interface Scenario {
  name: string;
  description?: string;
  seed?: number;
  /** Initial HelmReleases start installed (status written, no events); default false. */
  settled?: boolean;
  /** Event TTL, e.g. `10m`; default 1h. */
  eventTtl?: string;
  simulator?: {
    releaseDuration?: string;
    testDuration?: string;
    rollbackDuration?: string;
    retryInterval?: string;
    controller?: 'v2' | 'legacy';
    testHooks?: number;
  };
  clusters: ScenarioCluster[];
  timeline?: ScenarioStep[];
}
