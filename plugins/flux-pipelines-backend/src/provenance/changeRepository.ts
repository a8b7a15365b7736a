import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { assertCredentialTransport } from '../promotion/git/credentialTransport';
import { DestinationPolicy } from '../promotion/git/DestinationPolicy';
import { GitCloneOptions } from '../promotion/git/GitRepository';
import { resolveRepositoryAccess } from '../promotion/git/repositoryAccess';

/** What finding a pipeline's GitOps repository needs. */
export interface ChangeRepositoryOptions {
  destinations: DestinationPolicy;
  integrations: ScmIntegrationRegistry;
  /** The integrations' hosts written in app-config. */
  integrationHosts: ReadonlySet<string>;
  logger: LoggerService;
}

/**
 * The GitOps repository the backend knows for an environment of a pipeline:
 * the repository and branch its promotions write to (the environment's
 * strategy, else the pipeline's), when the destination rules
 * (`fluxPipelines.promotion.repositories`) allow it and it is reachable
 * (an `integrations` host or a listed repository), with the integration's
 * credentials. Undefined otherwise: then no commit is linked or read.
 */
export async function changeRepository(
  options: ChangeRepositoryOptions,
  pipeline: Pipeline,
  environment: string,
): Promise<GitCloneOptions | undefined> {
  const spec =
    pipeline.environments.find(e => e.name === environment)?.promotion
      ?.strategy ?? pipeline.promotion?.strategy;
  if (!spec || spec.type === 'notification') return undefined;
  const branch = spec.type === 'commit' ? spec.branch : spec.baseBranch;
  try {
    const rules = options.destinations.checkDestination(pipeline, {
      url: spec.url,
      branch,
      selector: spec,
    });
    const { auth } = await resolveRepositoryAccess({
      url: spec.url,
      integrations: options.integrations,
      integrationHosts: options.integrationHosts,
      allowedRepositories: rules
        ? [spec.url]
        : options.destinations.repositoryUrls,
    });
    if (auth) {
      assertCredentialTransport({
        url: spec.url,
        allowInsecureHttp: options.destinations.allowInsecureHttp,
        what: 'the git credentials',
      });
    }
    return { url: spec.url, branch, auth, logger: options.logger };
  } catch (error) {
    options.logger.debug(
      `No known repository for environment ${environment} of pipeline ${pipeline.namespace}/${pipeline.name}: ${error}`,
    );
    return undefined;
  }
}
