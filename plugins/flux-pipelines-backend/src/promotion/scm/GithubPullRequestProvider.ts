import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
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
import { GithubRepositoryClient } from './GithubRepositoryClient';

/** Options of {@link GithubPullRequestProvider.fromUrl}. */
export interface GithubPullRequestProviderOptions {
  /** The repository, e.g. `https://github.com/org/fleet` or a clone URL. */
  url: string;
  integrations: ScmIntegrationRegistry;
  /** A token to use instead of the integration's (a pipeline `secretRef`). */
  token?: string;
  /** Defaults to `DefaultGithubCredentialsProvider.fromIntegrations`. */
  credentialsProvider?: GithubCredentialsProvider;
}

/** The fields of a GitHub pull request this provider reads. */
interface GithubPull {
  html_url: string;
  number: number;
  state: string;
  merged?: boolean;
  merged_at: string | null;
  title: string;
  body: string | null;
  head: { ref: string };
  base: { ref: string };
}

const EXISTS = 'A pull request already exists';
const PAGE_SIZE = 100;

/** Pull requests on GitHub or GitHub Enterprise, through `@octokit/rest`. */
export class GithubPullRequestProvider implements PullRequestProvider {
  static fromUrl(
    options: GithubPullRequestProviderOptions,
  ): GithubPullRequestProvider {
    const { origin, segments } = parseRepositoryUrl(options.url);
    const [owner, repo] = segments;
    const webUrl = `${origin}/${owner}/${repo}`;
    const integration = options.integrations.github.byUrl(webUrl);
    if (!integration) {
      throw new InputError(
        `No integrations.github entry for ${safeForMessage(options.url)}`,
      );
    }
    const apiBaseUrl = integration.config.apiBaseUrl;
    if (!apiBaseUrl) {
      throw new InputError(
        `The integrations.github entry for ${integration.config.host} has no apiBaseUrl`,
      );
    }
    return new GithubPullRequestProvider(
      new GithubRepositoryClient({
        owner,
        repo,
        webUrl,
        apiBaseUrl,
        token: options.token,
        credentialsProvider:
          options.credentialsProvider ??
          DefaultGithubCredentialsProvider.fromIntegrations(
            options.integrations,
          ),
      }),
    );
  }

  private constructor(private readonly client: GithubRepositoryClient) {}

  async findOpen(headBranch: string): Promise<PullRequestInfo | undefined> {
    const { owner, repo } = this.client;
    const pulls = await this.client.call(
      'looking for an open pull request',
      octokit =>
        octokit.pulls.list({
          owner,
          repo,
          state: 'open',
          head: `${owner}:${headBranch}`,
          per_page: PAGE_SIZE,
        }),
    );
    const pull = pulls.data.find(p => p.head.ref === headBranch);
    return pull && toInfo(pull);
  }

  async create(input: CreatePullRequestInput): Promise<PullRequestInfo> {
    const { owner, repo } = this.client;
    try {
      const created = await this.client.call(
        'opening a pull request',
        octokit =>
          octokit.pulls.create({
            owner,
            repo,
            head: input.headBranch,
            base: input.baseBranch,
            title: input.title,
            body: input.body,
          }),
      );
      return toInfo(created.data);
    } catch (error) {
      if (!(error instanceof InputError && error.message.includes(EXISTS))) {
        throw error;
      }
    }
    return updateOpenPullRequest(this, input, `GitHub (${owner}/${repo})`);
  }

  async update(
    number: number,
    input: UpdatePullRequestInput,
  ): Promise<PullRequestInfo> {
    const { owner, repo } = this.client;
    const updated = await this.client.call(
      `updating pull request #${number}`,
      octokit =>
        octokit.pulls.update({
          owner,
          repo,
          pull_number: number,
          title: input.title,
          body: input.body,
          ...(input.baseBranch !== undefined && { base: input.baseBranch }),
        }),
      `pull request #${number} of ${owner}/${repo}`,
    );
    return toInfo(updated.data);
  }

  async close(number: number, comment: string): Promise<void> {
    const { owner, repo } = this.client;
    const subject = `pull request #${number} of ${owner}/${repo}`;
    await this.client.call(
      `commenting on pull request #${number}`,
      octokit =>
        octokit.issues.createComment({
          owner,
          repo,
          issue_number: number,
          body: comment,
        }),
      subject,
    );
    await this.client.call(
      `closing pull request #${number}`,
      octokit =>
        octokit.pulls.update({
          owner,
          repo,
          pull_number: number,
          state: 'closed',
        }),
      subject,
    );
  }

  async get(number: number): Promise<PullRequestInfo> {
    const { owner, repo } = this.client;
    const pull = await this.client.call(
      `reading pull request #${number}`,
      octokit => octokit.pulls.get({ owner, repo, pull_number: number }),
      `pull request #${number} of ${owner}/${repo}`,
    );
    return toInfo(pull.data);
  }

  async listOpenWithMarker(
    key: PromotionMarkerKey,
  ): Promise<PullRequestInfo[]> {
    const { owner, repo } = this.client;
    const found: PullRequestInfo[] = [];
    for (let page = 1; ; page++) {
      const pulls = await this.client.call(
        'listing open pull requests',
        octokit =>
          octokit.pulls.list({
            owner,
            repo,
            state: 'open',
            per_page: PAGE_SIZE,
            page,
          }),
      );
      for (const pull of pulls.data) {
        if (hasPromotionMarker(pull.body, key)) {
          found.push(toInfo(pull));
        }
      }
      if (pulls.data.length < PAGE_SIZE) {
        return found;
      }
    }
  }
}

function toInfo(pull: GithubPull): PullRequestInfo {
  let state: PullRequestInfo['state'] = 'closed';
  if (pull.merged || pull.merged_at) {
    state = 'merged';
  } else if (pull.state === 'open') {
    state = 'open';
  }
  return {
    url: pull.html_url,
    number: pull.number,
    state,
    headBranch: pull.head.ref,
    baseBranch: pull.base.ref,
    title: pull.title,
    body: pull.body ?? '',
  };
}
