import {
  ExecutionEnvironmentState,
  ExecutionStatus,
  FINAL_PROMOTION_STATES,
  Promotion,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';

/** What is known of one version in one environment. */
export interface VersionInEnvironment {
  /** Its deployment on each target of the environment (undefined where it has none). */
  reached: Array<TargetDeployment | undefined>;
  /** The newest promotion of this version into this environment, if any. */
  promotion?: Promotion;
  /** Whether a later environment got it without it passing through this one. */
  skipped?: boolean;
}

/**
 * The state of a version in an environment, the one rule the executions and
 * the page share. From its deployments first: failed or rolled back on any
 * target wins; progressing (or not yet known) on any target is deploying;
 * superseded when a newer version replaced it everywhere it went; succeeded
 * once it succeeded on every target; deploying while some targets lack it.
 * Without deployments: skipped when a later environment got it; else its
 * promotion says awaiting approval or deploying; else it is waiting.
 */
export function environmentState(
  input: VersionInEnvironment,
): ExecutionEnvironmentState {
  const present = input.reached.filter((d): d is TargetDeployment => !!d);
  if (!present.length) return stateWithoutDeployments(input);
  const has = (status: TargetDeployment['status']) =>
    present.some(d => d.status === status);
  if (has('failed')) return 'failed';
  if (has('rolled-back')) return 'rolled-back';
  if (has('progressing') || has('unknown')) return 'deploying';
  if (!has('succeeded')) return 'superseded';
  return present.length === input.reached.length ? 'succeeded' : 'deploying';
}

function stateWithoutDeployments(
  input: VersionInEnvironment,
): ExecutionEnvironmentState {
  if (input.skipped) return 'skipped';
  const promotion = input.promotion;
  if (!promotion || FINAL_PROMOTION_STATES.includes(promotion.state)) {
    return 'waiting';
  }
  return promotion.state === 'waiting-approval'
    ? 'awaiting-approval'
    : 'deploying';
}

/**
 * The state of a version's journey as a whole, from its state in each
 * environment (in pipeline order) and whether it succeeded on every target of
 * the last one (now or before a newer version replaced it): failed or rolled
 * back anywhere wins; superseded when the furthest environment it reached
 * moved on to a newer version (whatever waits or was skipped after it); then deploying, awaiting approval, waiting,
 * whichever any environment is in, in that order.
 */
export function executionStatus(
  states: ExecutionEnvironmentState[],
  completed: boolean,
): ExecutionStatus {
  if (completed) return 'succeeded';
  if (states.includes('failed')) return 'failed';
  if (states.includes('rolled-back')) return 'rolled-back';
  const furthest = [...states]
    .reverse()
    .find(s => s !== 'waiting' && s !== 'skipped');
  if (furthest === 'superseded') return 'superseded';
  if (states.includes('deploying')) return 'deploying';
  if (states.includes('awaiting-approval')) return 'awaiting-approval';
  return 'waiting';
}
