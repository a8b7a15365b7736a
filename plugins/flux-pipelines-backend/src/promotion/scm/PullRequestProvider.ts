import { ConflictError } from '@backstage/errors';
import { PromotionMarkerKey } from './promotionMarker';

/**
 * A pull request (GitHub, Bitbucket Server) or merge request (GitLab), as the
 * promotion code sees it. `number` is the repository-scoped number (GitHub
 * `number`, GitLab `iid`, Bitbucket Server `id`), never a global id.
 */
export interface PullRequestInfo {
  /**
   * The page a person opens (GitHub `html_url`, GitLab `web_url`, Bitbucket
   * Server `links.self`).
   */
  url: string;
  number: number;
  state: 'open' | 'merged' | 'closed';
  headBranch: string;
  baseBranch: string;
  title: string;
  body: string;
}

/** What `create` needs. The head branch must already be pushed. */
export interface CreatePullRequestInput {
  headBranch: string;
  baseBranch: string;
  title: string;
  body: string;
}

/** What `update` changes; `baseBranch` only when given. */
export interface UpdatePullRequestInput {
  title: string;
  body: string;
  baseBranch?: string;
}

/**
 * The pull-request side of a git hosting service, for one repository.
 *
 * Errors are typed (`@backstage/errors`) and never carry the token:
 * `AuthenticationError` (401), `NotAllowedError` (403), `NotFoundError`
 * (unknown repository or pull request, or one the token cannot see),
 * `InputError` (the service refused the request, e.g. an unknown branch).
 */
export interface PullRequestProvider {
  /** The open pull request from `headBranch`, if there is one. */
  findOpen(headBranch: string): Promise<PullRequestInfo | undefined>;
  /**
   * Opens a pull request. When one is already open from `headBranch` (GitHub
   * 422, GitLab 409, Bitbucket Server 409 `DuplicatePullRequestException`),
   * that one is updated with the title and body instead and
   * returned, so that calling `create` twice leaves one pull request.
   */
  create(input: CreatePullRequestInput): Promise<PullRequestInfo>;
  update(
    number: number,
    input: UpdatePullRequestInput,
  ): Promise<PullRequestInfo>;
  /**
   * Comments first (saying why), then closes without merging (Bitbucket
   * Server: declines).
   */
  close(number: number, comment: string): Promise<void>;
  get(number: number): Promise<PullRequestInfo>;
  /**
   * Open pull requests whose body carries a promotion marker (see
   * `promotionMarker`) for this pipeline and environment, whatever their
   * version or promotion id: the candidates to close as superseded.
   */
  listOpenWithMarker(key: PromotionMarkerKey): Promise<PullRequestInfo[]>;
}

/**
 * What `create` does when the provider says a pull request from the branch is
 * already open: finds that one and updates it (title, body, and the base
 * branch when it differs), so creating twice leaves one pull request.
 */
export async function updateOpenPullRequest(
  provider: Pick<PullRequestProvider, 'findOpen' | 'update'>,
  input: CreatePullRequestInput,
  where: string,
): Promise<PullRequestInfo> {
  const existing = await provider.findOpen(input.headBranch);
  if (!existing) {
    throw new ConflictError(
      `${where} reports an open pull request from ${input.headBranch}, but none was found`,
    );
  }
  return provider.update(existing.number, {
    title: input.title,
    body: input.body,
    ...(existing.baseBranch !== input.baseBranch && {
      baseBranch: input.baseBranch,
    }),
  });
}
