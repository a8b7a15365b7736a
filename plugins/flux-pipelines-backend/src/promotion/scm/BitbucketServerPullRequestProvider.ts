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
import { parseRepositoryUrl, safeForMessage } from './repositoryUrl';
import {
  BitbucketServerCallError,
  BitbucketServerRepositoryClient,
} from './BitbucketServerRepositoryClient';

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

/** The fields of a Bitbucket Server pull request this provider reads. */
interface BitbucketPullRequest {
  id: number;
  version: number;
  state: string;
  title: string;
  description?: string;
  fromRef: { id: string };
  toRef: { id: string };
  reviewers?: Array<{ user: { name: string } }>;
  links?: { self?: Array<{ href: string }> };
}

/** One page of a Bitbucket Server list. */
interface BitbucketPage<T> {
  values: T[];
  isLastPage: boolean;
  nextPageStart?: number;
}

const DUPLICATE = 'DuplicatePullRequestException';
const OUT_OF_DATE = 'PullRequestOutOfDateException';
const PAGE_SIZE = 100;
const HEADS = 'refs/heads/';

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
    const pulls = await this.list('looking for an open pull request', {
      state: 'OPEN',
      at: ref,
      direction: 'OUTGOING',
    });
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
        throw unwrap(error);
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
    const pulls = await this.list('listing open pull requests', {
      state: 'OPEN',
    });
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
          throw unwrap(error);
        }
      }
    }
  }

  /** Every item of a paged list (`start`, `isLastPage`, `nextPageStart`). */
  private async list(
    action: string,
    filter: Record<string, string>,
  ): Promise<BitbucketPullRequest[]> {
    const found: BitbucketPullRequest[] = [];
    let start: number | undefined = 0;
    while (start !== undefined) {
      const query = new URLSearchParams({
        ...filter,
        limit: String(PAGE_SIZE),
        ...(start > 0 && { start: String(start) }),
      });
      const page: BitbucketPage<BitbucketPullRequest> =
        await this.client.request<BitbucketPage<BitbucketPullRequest>>(
          'GET',
          `/pull-requests?${query}`,
          action,
        );
      found.push(...page.values);
      start =
        page.isLastPage || page.nextPageStart === undefined
          ? undefined
          : page.nextPageStart;
    }
    return found;
  }

  private ref(branch: string) {
    return {
      id: `${HEADS}${branch}`,
      repository: { slug: this.slug, project: { key: this.projectKey } },
    };
  }
}

function isFailure(error: unknown, status: number, exception: string) {
  return (
    error instanceof BitbucketServerCallError &&
    error.failure.status === status &&
    error.failure.exceptions.some(e => e.endsWith(`.${exception}`))
  );
}

function unwrap(error: unknown): unknown {
  return error instanceof BitbucketServerCallError ? error.typed : error;
}

/** A Bitbucket Server repository, from its clone or web URL. */
export interface BitbucketServerRepository {
  /** `https://host[:port]`, for looking up the `integrations` entry. */
  origin: string;
  /** The project key, or `~user` for a personal repository. */
  projectKey: string;
  slug: string;
}

/**
 * Reads `https://host[/context]/scm/PROJ/repo.git`,
 * `https://host[/context]/projects/PROJ/repos/repo[/browse…]`,
 * `…/users/jdoe/repos/repo…` (project `~jdoe`) and SSH clone URLs
 * (`ssh://git@host:7999/proj/repo.git`, `git@host:proj/repo.git`).
 */
export function parseBitbucketServerUrl(
  url: string,
): BitbucketServerRepository {
  const location = parseRepositoryUrl(url);
  let origin = location.origin;
  try {
    const parsed = new URL(url);
    if (['https:', 'http:'].includes(parsed.protocol)) {
      origin = parsed.origin; // keeps a port, which SSH URLs must not
    }
  } catch {
    // scp-like SSH URL: parseRepositoryUrl read it
  }
  const segments = location.segments;
  // Clone URLs spell project keys in lower case; keys are upper case.
  const key = (k: string) => (k.startsWith('~') ? k : k.toUpperCase());
  const web = segments.findIndex(
    (s, i) =>
      (s === 'projects' || s === 'users') &&
      segments[i + 2] === 'repos' &&
      segments[i + 3],
  );
  if (web >= 0) {
    const owner = segments[web + 1];
    return {
      origin,
      projectKey: segments[web] === 'users' ? `~${owner}` : key(owner),
      slug: segments[web + 3].replace(/\.git$/, ''),
    };
  }
  const scm = segments.lastIndexOf('scm');
  if (scm >= 0 && segments.length === scm + 3) {
    return {
      origin,
      projectKey: key(segments[scm + 1]),
      slug: segments[scm + 2],
    };
  }
  if (segments.length === 2) {
    return { origin, projectKey: key(segments[0]), slug: segments[1] };
  }
  throw new InputError(
    `${safeForMessage(
      url,
    )} is not a Bitbucket Server repository URL (…/scm/PROJECT/repo.git or …/projects/PROJECT/repos/repo)`,
  );
}

function toInfo(pull: BitbucketPullRequest): PullRequestInfo {
  let state: PullRequestInfo['state'] = 'open';
  if (pull.state === 'MERGED') {
    state = 'merged';
  } else if (pull.state === 'DECLINED') {
    state = 'closed';
  }
  return {
    url: pull.links?.self?.[0]?.href ?? '',
    number: pull.id,
    state,
    headBranch: branchName(pull.fromRef.id),
    baseBranch: branchName(pull.toRef.id),
    title: pull.title,
    body: pull.description ?? '',
  };
}

function branchName(ref: string): string {
  return ref.startsWith(HEADS) ? ref.slice(HEADS.length) : ref;
}
