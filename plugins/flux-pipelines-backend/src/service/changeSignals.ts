import { SignalsService } from '@backstage/plugin-signals-node';
import {
  DeploymentsChangedSignal,
  FLUX_PIPELINES_SIGNAL_CHANNEL,
  FluxPipelinesSignal,
  PipelinesChangedSignal,
  Promotion,
  PromotionChangedSignal,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';

/**
 * The messages the plugin publishes on {@link FLUX_PIPELINES_SIGNAL_CHANNEL}
 * (to everyone: they name what changed, never what a user may not see; the
 * page reloads through the permission-checked API). Each is published after
 * the change is committed, so a page that reloads on it finds the change.
 */
export function changeSignals(signals: SignalsService) {
  const publish = (message: FluxPipelinesSignal) =>
    signals.publish({
      recipients: { type: 'broadcast' },
      channel: FLUX_PIPELINES_SIGNAL_CHANNEL,
      message: message as unknown as Parameters<
        SignalsService['publish']
      >[0]['message'],
    });
  return {
    deploymentsChanged: (changed: TargetDeployment[]) =>
      publish({
        type: 'deployments-changed',
        targets: changed.map(d => ({
          cluster: d.cluster,
          namespace: d.namespace,
          kind: d.kind,
          name: d.name,
          chartVersion: d.chartVersion,
          status: d.status,
        })),
      } satisfies DeploymentsChangedSignal),
    pipelinesChanged: (changed: Array<{ namespace: string; name: string }>) =>
      publish({
        type: 'pipelines-changed',
        pipelines: changed.map(p => ({ namespace: p.namespace, name: p.name })),
      } satisfies PipelinesChangedSignal),
    promotionChanged: (promotion: Promotion) =>
      publish({
        type: 'promotion-changed',
        promotion: JSON.parse(JSON.stringify(promotion)),
      } satisfies PromotionChangedSignal),
  };
}
