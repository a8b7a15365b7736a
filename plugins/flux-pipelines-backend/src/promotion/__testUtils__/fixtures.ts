import {
  Pipeline,
  Promotion,
  PullRequestStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { PromotionContext } from '../types';

/**
 * The podinfo HelmRelease in namespace `environment` at chart `version`,
 * marked for promotion into that environment, with comments and a blank line
 * an edit must keep.
 */
export const podinfoRelease = (
  environment: string,
  version: string,
) => `# podinfo in the ${environment} environment
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: ${environment}

spec:
  chart:
    spec:
      chart: podinfo
      version: ${version} # {"$promotion": "flux-system:podinfo:${environment}"}
      sourceRef: { kind: HelmRepository, name: podinfo } # the source
`;

/** The flux-system/podinfo pipeline from a cluster: test, then prod, both on cluster `main`. */
export const podinfoPipeline: Pipeline = {
  namespace: 'flux-system',
  name: 'podinfo',
  source: 'cluster',
  appRef: {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'podinfo',
  },
  environments: [
    { name: 'test', targets: [{ cluster: 'main', namespace: 'test' }] },
    { name: 'prod', targets: [{ cluster: 'main', namespace: 'prod' }] },
  ],
};

/** Ada's promotion of podinfo `version` from test into prod by pull request, in progress. */
export const prodPromotion = (version: string, id: string): Promotion => ({
  id,
  pipelineNamespace: 'flux-system',
  pipelineName: 'podinfo',
  environment: 'prod',
  fromEnvironment: 'test',
  version,
  trigger: 'manual',
  strategy: 'pull-request',
  state: 'in-progress',
  requestedBy: 'user:default/ada',
  requestedAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
});

/** What a strategy gets to carry out `promotion` of {@link podinfoPipeline} by pull request into `main` of `repository`. */
export const pullRequestContext = (
  repository: Pick<PullRequestStrategySpec, 'provider' | 'url'>,
  promotion: Promotion,
): PromotionContext => ({
  pipeline: podinfoPipeline,
  promotion,
  spec: { type: 'pull-request', ...repository, baseBranch: 'main' },
  author: { name: 'Ada Lovelace', email: 'ada@example.com' },
});
