import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { Knex } from 'knex';
import { readPromotionConfig } from '../config/readPromotionConfig';
import { AppLabelStore } from '../database/AppLabelStore';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { PromotionStore } from '../database/PromotionStore';
import { DeploymentStore } from '../database/DeploymentStore';
import { DestinationPolicy } from '../promotion/git/DestinationPolicy';
import { PreviewClones } from '../promotion/git/PreviewClones';
import { configuredIntegrationHosts } from '../promotion/git/repositoryAccess';
import { ChangeSources } from './ChangeSources';
import { changeRepository } from './changeRepository';
import { CommitAuthors } from './CommitAuthors';
import { commitLink } from './commitLink';

/**
 * Builds {@link ChangeSources} from app-config: the repositories are those
 * promotions may write to (`fluxPipelines.promotion.repositories` and the
 * `integrations`), read through the clones kept for previews.
 */
export function setupChangeSources(deps: {
  config: RootConfigService;
  logger: LoggerService;
  knex: Knex;
  deployments: DeploymentStore;
  appLabels: AppLabelStore;
  /** Where promotions are kept (e.g. the read model); else the database. */
  promotionStore?: PromotionStore;
  previewClones: PreviewClones;
}): ChangeSources {
  const { config, logger } = deps;
  const integrations = ScmIntegrations.fromConfig(config);
  const destinations = new DestinationPolicy(
    readPromotionConfig(config).destinations,
  );
  const repositoryOptions = {
    destinations,
    integrations,
    integrationHosts: configuredIntegrationHosts(config),
    logger,
  };
  const promotions =
    deps.promotionStore ?? new DatabasePromotionStore(deps.knex);
  return ChangeSources.create({
    deployments: deps.deployments,
    appLabels: deps.appLabels,
    listPromotions: pipeline => promotions.list(pipeline),
    repositoryFor: (pipeline, environment) =>
      changeRepository(repositoryOptions, pipeline, environment),
    linkFor: (url, sha) =>
      commitLink(url, sha, {
        integrations,
        allowInsecureHttp: destinations.allowInsecureHttp,
      }),
    authors: new CommitAuthors({ clones: deps.previewClones, logger }),
    logger,
  });
}
