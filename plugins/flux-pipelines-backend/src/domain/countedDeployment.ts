import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { hasSucceeded } from '../correlate/confirmedSuccess';
import { reinstatedByRollback } from './rollback';

/**
 * A success the insights figures count as a deployment: confirmed
 * (`hasSucceeded`; a success only events report is not) and of its own, not
 * the target going back to it by a rollback (`reinstatedByRollback`).
 * `target` holds all the target's deployments. The database applies the
 * same rule as `deployed` (insights/insightsRules.ts).
 */
export function isCountedDeployment(
  target: TargetDeployment[],
  d: TargetDeployment,
): boolean {
  return hasSucceeded(d) && !reinstatedByRollback(target, d);
}
