import {
  ClusterHealth,
  EnvironmentStatus,
  TargetDeployment,
  TargetStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { TargetState } from './status';

/** What one environment looks like from afar: the worst of its targets. */
export interface EnvironmentSummary {
  state: TargetState;
  /** The version its targets run (the newest succeeded deployment), if they agree; else the first target's. */
  version?: string;
  appVersion?: string;
  /** The deployment the state comes from. */
  deployment?: TargetDeployment;
}

/** Worst first: one failing target makes the environment failing. */
const SEVERITY: TargetState[] = [
  'failed',
  'unreachable',
  'progressing',
  'rolled-back',
  'unknown',
  'superseded',
  'succeeded',
];

/** A target's state: `unreachable` when the backend cannot reach its cluster. */
export function targetState(
  target: TargetStatus,
  unreachable: Map<string, ClusterHealth>,
): TargetState {
  if (unreachable.has(target.cluster)) return 'unreachable';
  return target.latest?.status ?? 'unknown';
}

/** Sums up an environment's targets into one state and version. */
export function summarizeEnvironment(
  environment: EnvironmentStatus,
  unreachable: Map<string, ClusterHealth> = new Map(),
): EnvironmentSummary {
  let worst: { state: TargetState; target?: TargetStatus } = {
    state: 'unknown',
  };
  environment.targets.forEach((target, index) => {
    const state = targetState(target, unreachable);
    if (
      index === 0 ||
      SEVERITY.indexOf(state) < SEVERITY.indexOf(worst.state)
    ) {
      worst = { state, target };
    }
  });
  const running = environment.targets.find(t => t.deployed)?.deployed;
  return {
    state: worst.state,
    version: running?.chartVersion,
    appVersion: running?.appVersion,
    deployment: worst.target?.latest,
  };
}

/**
 * An environment in a few words: the version it runs, and when its last
 * deployment went wrong, which version that was and what happened after
 * ("6.5.4 failed, rolled back to 6.5.3", "6.5.4 failed, 6.5.3 still runs",
 * "6.5.3 failed").
 */
export function describeSummary(summary: EnvironmentSummary): string {
  const latest = summary.deployment;
  const running = summary.version;
  if (
    latest &&
    (latest.status === 'failed' || latest.status === 'rolled-back')
  ) {
    if (!running || running === latest.chartVersion) {
      return `${latest.chartVersion} failed`;
    }
    return latest.status === 'rolled-back'
      ? `${latest.chartVersion} failed, rolled back to ${running}`
      : `${latest.chartVersion} failed, ${running} still runs`;
  }
  return running ?? latest?.chartVersion ?? 'none';
}
