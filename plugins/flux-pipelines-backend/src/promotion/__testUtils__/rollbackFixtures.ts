import { mockServices } from '@backstage/backend-test-utils';
import {
  Pipeline,
  PromotionState,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { DatabaseDeploymentStore } from '../../database/DatabaseDeploymentStore';
import { PromotionStore } from '../../database/PromotionStore';
import { PromotionServiceOptions } from '../promotionOptions';

/** podinfo through test and prod on cluster main; prod rolls back on its own, by commit. */
export const rollbackPipeline = {
  namespace: 'flux-system',
  name: 'podinfo',
  appRef: { kind: 'HelmRelease', name: 'podinfo' },
  environments: [
    { name: 'test', targets: [{ cluster: 'main', namespace: 'test' }] },
    {
      name: 'prod',
      targets: [{ cluster: 'main', namespace: 'prod' }],
      promotion: {
        automatic: false,
        rollback: { automatic: true },
        strategy: { type: 'commit', url: 'file:///fleet.git', branch: 'main' },
      },
    },
  ],
} as Pipeline;

/** Promotion's options over the database, for {@link rollbackPipeline}; nothing is carried out. */
export function rollbackOptions(
  store: PromotionStore,
  knex: Knex,
): PromotionServiceOptions {
  return {
    store,
    deployments: new DatabaseDeploymentStore(knex),
    listPipelines: async () => [rollbackPipeline],
    strategyFor: () => {
      throw new Error('nothing is carried out here');
    },
    resolveAuthor: async () => ({ name: 'p', email: 'p@example.com' }),
    logger: mockServices.logger.mock(),
  };
}

/** Ada's promotion of 6.5.1 from 6.5.0 to prod, in `state`. */
export async function promotionToProd(
  store: PromotionStore,
  state: PromotionState,
) {
  return (
    await store.create({
      pipelineNamespace: 'flux-system',
      pipelineName: 'podinfo',
      environment: 'prod',
      fromEnvironment: 'test',
      version: '6.5.1',
      previousVersion: '6.5.0',
      trigger: 'manual',
      strategy: 'commit',
      state,
      requestedBy: 'user:default/ada',
    })
  ).promotion;
}
