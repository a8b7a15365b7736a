import {
  PipelineTarget,
  PromotableVersion,
  TargetDeployment,
  TargetStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { nextPromotable } from '../domain/promotable';

/**
 * What the card offers to promote into an environment (see
 * {@link nextPromotable}). `previous` is undefined for the first
 * environment, which has nothing to promote.
 */
export function promotableVersion(
  previous: PipelineTarget[] | undefined,
  current: TargetStatus[],
  deploymentsOf: (target: PipelineTarget) => TargetDeployment[],
): PromotableVersion | undefined {
  if (!previous?.length) return undefined;
  const next = nextPromotable(
    previous.map(deploymentsOf),
    current.map(t => t.deployed?.chartVersion),
  );
  if (!next) return undefined;
  const { finishedAt: _finishedAt, ...version } = next;
  return version;
}
