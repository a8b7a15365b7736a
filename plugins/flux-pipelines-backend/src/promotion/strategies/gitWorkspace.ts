import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { GitFileSelector } from '@internal/plugin-flux-pipelines-common';
import { Secret } from '../../clusters/ClusterDefinition';
import { PromotionEditRequest } from '../git/editFiles';
import { GitCloneOptions, GitRepository } from '../git/GitRepository';
import { resolveRepositoryAccess } from '../git/repositoryAccess';
import { PromotionContext } from '../types';

/** What the git strategies (commit, pull request) need to reach a repository. */
export interface GitStrategyOptions {
  integrations: ScmIntegrationRegistry;
  /** The integrations' hosts written in app-config (see resolveRepositoryAccess). */
  integrationHosts?: ReadonlySet<string>;
  /** `fluxPipelines.promotion.repositories`: repositories allowed besides the integrations' hosts. */
  allowedRepositories: string[];
  logger: LoggerService;
  /** How a repository is cloned; tests use it to push in between. */
  cloneRepository?: (options: GitCloneOptions) => Promise<GitRepository>;
}

/**
 * Clones `url` at `branch` into a temporary folder, once the URL is allowed
 * (with the `secretRef` token, else the integration's credentials), runs
 * `work` in it and removes it.
 */
export async function withClone<T>(
  options: GitStrategyOptions,
  repository: { url: string; branch: string; token?: Secret },
  work: (clone: GitRepository) => Promise<T>,
): Promise<T> {
  const { auth } = await resolveRepositoryAccess({
    url: repository.url,
    integrations: options.integrations,
    integrationHosts: options.integrationHosts,
    allowedRepositories: options.allowedRepositories,
    token: repository.token?.reveal(),
  });
  const clone = await (options.cloneRepository ?? GitRepository.clone)({
    url: repository.url,
    branch: repository.branch,
    auth,
    logger: options.logger,
  });
  try {
    return await work(clone);
  } finally {
    await clone.dispose();
  }
}

/** The edit a promotion makes: its marker's lines, or the configured file and field. */
export function promotionEdit(
  context: PromotionContext,
  selector: GitFileSelector,
): PromotionEditRequest {
  const { pipeline, promotion } = context;
  return {
    marker: `${pipeline.namespace}:${pipeline.name}:${promotion.environment}`,
    version: promotion.version,
    selector: { path: selector.path, field: selector.field },
  };
}
