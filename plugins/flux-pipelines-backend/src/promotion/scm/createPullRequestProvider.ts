import { NotImplementedError } from '@backstage/errors';
import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { PullRequestStrategySpec } from '@flux-pipelines/plugin-flux-pipelines-common';
import { GithubPullRequestProvider } from './GithubPullRequestProvider';
import { GitlabPullRequestProvider } from './GitlabPullRequestProvider';
import { BitbucketServerPullRequestProvider } from './BitbucketServerPullRequestProvider';
import { PullRequestProvider } from './PullRequestProvider';

/** Options of {@link createPullRequestProvider}. */
export interface CreatePullRequestProviderOptions {
  provider: PullRequestStrategySpec['provider'];
  /** The repository's web or clone URL. */
  url: string;
  integrations: ScmIntegrationRegistry;
  /** The pipeline's `secretRef` token; else the integration's credentials. */
  token?: string;
  /**
   * Shared across calls so that GitHub App tokens are cached; defaults to a
   * new `DefaultGithubCredentialsProvider` per provider.
   */
  githubCredentialsProvider?: GithubCredentialsProvider;
}

/**
 * The pull-request provider for a pipeline's `pull-request` strategy. Throws
 * `InputError` when no `integrations` entry matches the URL.
 */
export function createPullRequestProvider(
  options: CreatePullRequestProviderOptions,
): PullRequestProvider {
  switch (options.provider) {
    case 'github':
      return GithubPullRequestProvider.fromUrl({
        ...options,
        credentialsProvider: options.githubCredentialsProvider,
      });
    case 'gitlab':
      return GitlabPullRequestProvider.fromUrl(options);
    case 'bitbucket-server':
      return BitbucketServerPullRequestProvider.fromUrl(options);
    default:
      throw new NotImplementedError(
        `${String(options.provider)} pull requests are not supported`,
      );
  }
}
