import { Promotion } from './promotions';
import { DeploymentStatus, TargetDeployment } from './types';

/** The signals channel on which the backend publishes every change. */
export const FLUX_PIPELINES_SIGNAL_CHANNEL = 'flux-pipelines';

/** Published when deployments of some targets changed. */
export interface DeploymentsChangedSignal {
  type: 'deployments-changed';
  targets: Array<
    Pick<TargetDeployment, 'cluster' | 'namespace' | 'kind' | 'name'> & {
      chartVersion: string;
      status: DeploymentStatus;
    }
  >;
}

/** Published on every state change of a promotion. */
export interface PromotionChangedSignal {
  type: 'promotion-changed';
  promotion: Promotion;
}

/** Published when Pipeline objects of a cluster added, changed or removed pipelines. */
export interface PipelinesChangedSignal {
  type: 'pipelines-changed';
  pipelines: Array<{ namespace: string; name: string }>;
}

/** Every message on {@link FLUX_PIPELINES_SIGNAL_CHANNEL}. */
export type FluxPipelinesSignal =
  | DeploymentsChangedSignal
  | PromotionChangedSignal
  | PipelinesChangedSignal;
