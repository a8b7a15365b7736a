import { parseEntityRef } from '@backstage/catalog-model';
import {
  ChangeAuthor,
  Promotion,
  PromotionState,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { at } from '../domain/time';

/** States of a promotion whose change reached the repository. */
const LANDED: ReadonlySet<PromotionState> = new Set([
  'committed',
  'merged',
  'notified',
  'deployed',
]);

/**
 * Who put `deployment` there through a promotion of ours: the requester of
 * the newest promotion of its version into `environment` that landed and
 * was asked for no later than the deployment started. Undefined when the
 * version came some other way (a commit by hand).
 */
export function promotionRequester(
  promotions: Promotion[],
  environment: string,
  deployment: TargetDeployment,
): ChangeAuthor | undefined {
  const started = at(deployment.startedAt ?? deployment.updatedAt);
  const promotion = promotions
    .filter(
      p =>
        p.environment === environment &&
        p.version === deployment.chartVersion &&
        LANDED.has(p.state) &&
        // Kubernetes times have whole seconds; ours have milliseconds.
        Math.floor(at(p.requestedAt) / 1000) * 1000 <= started,
    )
    .sort((a, b) => at(b.requestedAt) - at(a.requestedAt))[0];
  if (!promotion) return undefined;
  if (promotion.requestedBy === 'pipeline') {
    return { name: 'automatic promotion', via: 'promotion' };
  }
  let name = promotion.requestedBy;
  try {
    name = parseEntityRef(promotion.requestedBy).name;
  } catch {
    // not an entity ref: shown as it is
  }
  return { name, entityRef: promotion.requestedBy, via: 'promotion' };
}
