import { AuthenticationError, InputError } from '@backstage/errors';
import {
  ScmIntegrationRegistry,
  getBitbucketServerRequestOptions,
} from '@backstage/integration';
import {
  CreatePullRequestInput,
  PullRequestInfo,
  PullRequestProvider,
  UpdatePullRequestInput,
  updateOpenPullRequest,
} from './PullRequestProvider';
import { PromotionMarkerKey, hasPromotionMarker } from './promotionMarker';
import { safeForMessage } from './repositoryUrl';
import {
  BitbucketServerRepositoryClient,
  isBitbucketServerFailure as isFailure,
  typedError,
} from './BitbucketServerRepositoryClient';
import { parseBitbucketServerUrl } from './bitbucketServerUrl';
import {
  BitbucketPullRequest,
  HEADS,
  toPullRequestInfo as toInfo,
} from './bitbucketServerPullRequest';

/** Options of {@link BitbucketServerPullRequestProvider.fromUrl}. */
export interface BitbucketServerPullRequestProviderOptions {
  /**
   * The repository: a clone URL (`https://host/scm/PROJ/repo.git`,
   * `ssh://git@host:7999/proj/repo.git`) or a web URL
   * (`https://host/projects/PROJ/repos/repo/browse`).
   */
  url: string;
  integrations: ScmIntegrationRegistry;
  /**
   * A token to use instead of the integration's credentials (a pipeline
   * `secretRef`): an HTTP access token, sent as a Bearer token.
   */
  token?: string;
}

const DUPLICATE = 'DuplicatePullRequestException';
const OUT_OF_DATE = 'PullRequestOutOfDateException';

/** Pull requests on Bitbucket Server / Data Center (REST API 1.0), through `fetch`. */
export class BitbucketServerPullRequestProvider implements PullRequestProvider {
  static fromUrl(
    options: BitbucketServerPullRequestProviderOptions,
  ): BitbucketServerPullRequestProvider {
    const { origin, projectKey, slug } = parseBitbucketServerUrl(options.url);
    const integration = options.integrations.bitbucketServer.byUrl(origin);
    if (!integration) {
      throw new InputError(
        `No integrations.bitbucketServer entry for ${safeForMessage(
          options.url,
        )}`,
      );
    }
    const { config } = integration;
    const headers = options.token
      ? { Authorization: `Bearer ${options.token}` }
      : getBitbucketServerRequestOptions(config).headers;
    if (!headers.Authorization) {
      throw new AuthenticationError(
        `No Bitbucket Server credentials for ${safeForMessage(
          options.url,
        )}: configure a token or username and password in integrations.bitbucketServer, or a secretRef on the pipeline`,
      );
    }
    return new BitbucketServerPullRequestProvider(
      new BitbucketServerRepositoryClient({
        projectKey,
        slug,
        repositoryUrl: `${config.apiBaseUrl}/projects/${encodeURIComponent(
          projectKey,
        )}/repos/${encodeURIComponent(slug)}`,
        headers,
        secrets: [
          options.token,
          config.token,
          config.password,
          headers.Authorization.replace(/^\S+ /, ''),
        ],
      }),
      projectKey,
      slug,
    );
  }

  private constructor(
    private readonly client: BitbucketServerRepositoryClient,
    private readonly projectKey: string,
    private readonly slug: string,
  ) {}

  async findOpen(headBranch: string): Promise<PullRequestInfo | undefined> {
    const ref = `${HEADS}${headBranch}`;
    const pulls = await this.client.list<BitbucketPullRequest>(
      '/pull-requests',
      'looking for an open pull request',
      {
        state: 'OPEN',
        at: ref,
        direction: 'OUTGOING',
      },
    );
    const pull = pulls.find(p => p.fromRef.id === ref);
    return pull && toInfo(pull);
  }

  async create(input: CreatePullRequestInput): Promise<PullRequestInfo> {
    try {
      const created = await this.client.requestOrFailure<BitbucketPullRequest>(
        'POST',
        '/pull-requests',
        'opening a pull request',
        {
          title: input.title,
          description: input.body,
          fromRef: this.ref(input.headBranch),
          toRef: this.ref(input.baseBranch),
        },
      );
      return toInfo(created);
    } catch (error) {
      if (!isFailure(error, 409, DUPLICATE)) {
        throw typedError(error);
      }
    }
    return updateOpenPullRequest(
      this,
      input,
      `Bitbucket Server (${this.client.name})`,
    );
  }

  async update(
    number: number,
    input: UpdatePullRequestInput,
  ): Promise<PullRequestInfo> {
    const updated = await this.withCurrent(number, current =>
      this.client.requestOrFailure<BitbucketPullRequest>(
        'PUT',
        `/pull-requests/${number}`,
        `updating pull request #${number}`,
        {
          version: current.version,
          title: input.title,
          description: input.body,
          // Sent back as they are, so that the update keeps them.
          ...(current.reviewers && {
            reviewers: current.reviewers.map(r => ({
              user: { name: r.user.name },
            })),
          }),
          ...(input.baseBranch !== undefined && {
            toRef: this.ref(input.baseBranch),
          }),
        },
        number,
      ),
    );
    return toInfo(updated);
  }

  async close(number: number, comment: string): Promise<void> {
    await this.client.request(
      'POST',
      `/pull-requests/${number}/comments`,
      `commenting on pull request #${number}`,
      { text: comment },
      number,
    );
    await this.withCurrent(number, current =>
      this.client.requestOrFailure(
        'POST',
        `/pull-requests/${number}/decline?${new URLSearchParams({
          version: String(current.version),
        })}`,
        `declining pull request #${number}`,
        undefined,
        number,
      ),
    );
  }

  async get(number: number): Promise<PullRequestInfo> {
    return toInfo(await this.read(number));
  }

  async listOpenWithMarker(
    key: PromotionMarkerKey,
  ): Promise<PullRequestInfo[]> {
    const pulls = await this.client.list<BitbucketPullRequest>(
      '/pull-requests',
      'listing open pull requests',
      { state: 'OPEN' },
    );
    return pulls
      .filter(pull => hasPromotionMarker(pull.description, key))
      .map(toInfo);
  }

  private read(number: number): Promise<BitbucketPullRequest> {
    return this.client.request<BitbucketPullRequest>(
      'GET',
      `/pull-requests/${number}`,
      `reading pull request #${number}`,
      undefined,
      number,
    );
  }

  /**
   * Runs a change that needs the pull request's current `version`, reading it
   * again and retrying once when someone changed the pull request in between
   * (Bitbucket's optimistic locking answers 409).
   */
  private async withCurrent<T>(
    number: number,
    change: (current: BitbucketPullRequest) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(number);
      try {
        return await change(current);
      } catch (error) {
        if (attempt > 1 || !isFailure(error, 409, OUT_OF_DATE)) {
          throw typedError(error);
        }
      }
    }
  }

  private ref(branch: string) {
    return {
      id: `${HEADS}${branch}`,
      repository: { slug: this.slug, project: { key: this.projectKey } },
    };
  }
}
