import {
  AuthenticationError,
  ConflictError,
  InputError,
} from '@backstage/errors';
import {
  ScmIntegrationRegistry,
  getGitLabIntegrationRelativePath,
  getGitLabRequestOptions,
} from '@backstage/integration';
import {
  CreatePullRequestInput,
  PullRequestInfo,
  PullRequestProvider,
  UpdatePullRequestInput,
  updateOpenPullRequest,
} from './PullRequestProvider';
import { PromotionMarkerKey, hasPromotionMarker } from './promotionMarker';
import { parseRepositoryUrl, safeForMessage } from './repositoryUrl';
import { GitlabProjectClient } from './GitlabProjectClient';

/** Options of {@link GitlabPullRequestProvider.fromUrl}. */
export interface GitlabPullRequestProviderOptions {
  /** The project, e.g. `https://gitlab.com/group/sub/fleet` or a clone URL. */
  url: string;
  integrations: ScmIntegrationRegistry;
  /** A token to use instead of the integration's (a pipeline `secretRef`). */
  token?: string;
}

/** The fields of a GitLab merge request this provider reads. */
interface GitlabMergeRequest {
  web_url: string;
  iid: number;
  state: string;
  title: string;
  description: string | null;
  source_branch: string;
  target_branch: string;
}

const EXISTS = 'Another open merge request already exists';
const PAGE_SIZE = 100;

/** Merge requests on GitLab (REST API v4), through `fetch`. */
export class GitlabPullRequestProvider implements PullRequestProvider {
  static fromUrl(
    options: GitlabPullRequestProviderOptions,
  ): GitlabPullRequestProvider {
    const { origin, segments } = parseRepositoryUrl(options.url);
    const integration = options.integrations.gitlab.byUrl(
      `${origin}/${segments.join('/')}`,
    );
    if (!integration) {
      throw new InputError(
        `No integrations.gitlab entry for ${safeForMessage(options.url)}`,
      );
    }
    const { config } = integration;
    const relative = getGitLabIntegrationRelativePath(config)
      .split('/')
      .filter(Boolean);
    const projectSegments = relative.every((s, i) => segments[i] === s)
      ? segments.slice(relative.length)
      : segments;
    const token = options.token || config.token;
    if (!token) {
      throw new AuthenticationError(
        `No GitLab token for ${safeForMessage(
          options.url,
        )}: configure one in integrations.gitlab, or a secretRef on the pipeline`,
      );
    }
    const project = projectSegments.join('/');
    return new GitlabPullRequestProvider(
      new GitlabProjectClient({
        project,
        projectUrl: `${config.apiBaseUrl}/projects/${encodeURIComponent(
          project,
        )}`,
        headers: getGitLabRequestOptions(config, token).headers,
        token,
      }),
    );
  }

  private constructor(private readonly client: GitlabProjectClient) {}

  async findOpen(headBranch: string): Promise<PullRequestInfo | undefined> {
    const query = new URLSearchParams({
      state: 'opened',
      source_branch: headBranch,
      per_page: String(PAGE_SIZE),
    });
    const { data } = await this.client.request<GitlabMergeRequest[]>(
      'GET',
      `/merge_requests?${query}`,
      'looking for an open merge request',
    );
    const mergeRequest = data.find(mr => mr.source_branch === headBranch);
    return mergeRequest && toInfo(mergeRequest);
  }

  async create(input: CreatePullRequestInput): Promise<PullRequestInfo> {
    try {
      const { data } = await this.client.request<GitlabMergeRequest>(
        'POST',
        '/merge_requests',
        'opening a merge request',
        {
          source_branch: input.headBranch,
          target_branch: input.baseBranch,
          title: input.title,
          description: input.body,
        },
      );
      return toInfo(data);
    } catch (error) {
      if (!(error instanceof ConflictError && error.message.includes(EXISTS))) {
        throw error;
      }
    }
    return updateOpenPullRequest(
      this,
      input,
      `GitLab (${this.client.project})`,
    );
  }

  async update(
    number: number,
    input: UpdatePullRequestInput,
  ): Promise<PullRequestInfo> {
    const { data } = await this.client.request<GitlabMergeRequest>(
      'PUT',
      `/merge_requests/${number}`,
      `updating merge request !${number}`,
      {
        title: input.title,
        description: input.body,
        ...(input.baseBranch !== undefined && {
          target_branch: input.baseBranch,
        }),
      },
      number,
    );
    return toInfo(data);
  }

  async close(number: number, comment: string): Promise<void> {
    await this.client.request(
      'POST',
      `/merge_requests/${number}/notes`,
      `commenting on merge request !${number}`,
      { body: comment },
      number,
    );
    await this.client.request(
      'PUT',
      `/merge_requests/${number}`,
      `closing merge request !${number}`,
      { state_event: 'close' },
      number,
    );
  }

  async get(number: number): Promise<PullRequestInfo> {
    const { data } = await this.client.request<GitlabMergeRequest>(
      'GET',
      `/merge_requests/${number}`,
      `reading merge request !${number}`,
      undefined,
      number,
    );
    return toInfo(data);
  }

  async listOpenWithMarker(
    key: PromotionMarkerKey,
  ): Promise<PullRequestInfo[]> {
    const found: PullRequestInfo[] = [];
    let page: string | null = '1';
    while (page) {
      const query = new URLSearchParams({
        state: 'opened',
        per_page: String(PAGE_SIZE),
        page,
      });
      const response: { data: GitlabMergeRequest[]; nextPage: string | null } =
        await this.client.request<GitlabMergeRequest[]>(
          'GET',
          `/merge_requests?${query}`,
          'listing open merge requests',
        );
      for (const mergeRequest of response.data) {
        if (hasPromotionMarker(mergeRequest.description, key)) {
          found.push(toInfo(mergeRequest));
        }
      }
      page = response.nextPage;
    }
    return found;
  }
}

function toInfo(mergeRequest: GitlabMergeRequest): PullRequestInfo {
  let state: PullRequestInfo['state'] = 'open';
  if (mergeRequest.state === 'merged') {
    state = 'merged';
  } else if (mergeRequest.state === 'closed') {
    state = 'closed';
  }
  return {
    url: mergeRequest.web_url,
    number: mergeRequest.iid,
    state,
    headBranch: mergeRequest.source_branch,
    baseBranch: mergeRequest.target_branch,
    title: mergeRequest.title,
    body: mergeRequest.description ?? '',
  };
}
