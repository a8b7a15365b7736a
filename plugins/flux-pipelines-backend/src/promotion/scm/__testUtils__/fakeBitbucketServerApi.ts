import {
  ApiViolation,
  FakePullInput,
  FakeReply,
  FakeRequest,
  anyText,
  checkAcceptsJson,
  checkBody,
  checkJsonContentType,
  checkQuery,
  oneOf,
  pageNumber,
} from './fakeApi';

/** A pull request as the fake Bitbucket Server keeps it. */
export interface FakeBitbucketPullRequest {
  id: number;
  version: number;
  state: 'OPEN' | 'DECLINED' | 'MERGED';
  title: string;
  description: string | undefined;
  /** Branch names, without `refs/heads/`. */
  fromBranch: string;
  toBranch: string;
  reviewers: string[];
  comments: string[];
}

interface Repository {
  projectKey: string;
  slug: string;
  branches: Set<string>;
  pullRequests: FakeBitbucketPullRequest[];
}

const HEADS = 'refs/heads/';
const EXCEPTION = 'com.atlassian.bitbucket';

/** Bitbucket's error body: `{errors: [{context, message, exceptionName}]}`. */
function failure(
  status: number,
  exception: string,
  message: string,
  extra: object = {},
): FakeReply {
  return {
    status,
    body: {
      errors: [
        {
          context: null,
          message,
          exceptionName: `${EXCEPTION}.${exception}`,
          ...extra,
        },
      ],
    },
  };
}

/** `'0'`, `'1'`, … */
const startIndex = (value: string) => value === '0' || pageNumber(value);

/**
 * The pull-request part of the Bitbucket Server (Data Center) REST API 1.0,
 * as documented: repositories under `/projects/{projectKey}/repos/{slug}`,
 * Bearer (HTTP access token) or Basic authentication, the XSRF check on
 * POSTs, `{errors: [...]}` failures with exception names (401, 404
 * NoSuchRepository/NoSuchPullRequest/NoSuchCommit, 409 DuplicatePullRequest
 * and PullRequestOutOfDate), `version` optimistic locking and
 * `start`/`limit`/`isLastPage`/`nextPageStart` paging.
 */
export class FakeBitbucketServerApi {
  private readonly repositories = new Map<string, Repository>();

  constructor(
    private readonly options: {
      token: string;
      /** Also accepted as Basic credentials, when given. */
      username?: string;
      password?: string;
      /** `https://host[/context]`: the web URLs in `links.self`. */
      webBaseUrl: string;
    },
  ) {}

  /** `name` is `PROJECT/slug`. */
  addRepository(name: string, branches: string[] = ['main']): void {
    const [projectKey, slug] = name.split('/');
    this.repositories.set(name.toLowerCase(), {
      projectKey,
      slug,
      branches: new Set(branches),
      pullRequests: [],
    });
  }

  /** What `git push` of a branch would do. */
  pushBranch(name: string, branch: string): void {
    this.repository(name).branches.add(branch);
  }

  /** Copies of the repository's pull requests, oldest first. */
  pullRequests(name: string): FakeBitbucketPullRequest[] {
    return this.repository(name).pullRequests.map(pr => ({
      ...pr,
      reviewers: [...pr.reviewers],
      comments: [...pr.comments],
    }));
  }

  /** Opens a pull request as someone else would, bypassing the API. */
  openPullRequest(
    name: string,
    pr: FakePullInput & { reviewers?: string[] },
  ): number {
    const repository = this.repository(name);
    repository.branches.add(pr.head);
    const id = repository.pullRequests.length + 1;
    repository.pullRequests.push({
      id,
      version: 0,
      state: 'OPEN',
      title: pr.title,
      description: pr.body,
      fromBranch: pr.head,
      toBranch: pr.base ?? 'main',
      reviewers: pr.reviewers ?? [],
      comments: [],
    });
    return id;
  }

  /** Merges an open pull request, as pressing the button would. */
  merge(name: string, id: number): void {
    const pr = this.repository(name).pullRequests[id - 1];
    if (!pr || pr.state !== 'OPEN') {
      throw new Error(`No open pull request #${id} in ${name}`);
    }
    pr.state = 'MERGED';
    pr.version++;
  }

  /** Someone else edits the pull request: its `version` moves on. */
  touch(name: string, id: number): void {
    this.repository(name).pullRequests[id - 1].version++;
  }

  handle(request: FakeRequest): FakeReply {
    const what = `Bitbucket Server ${request.method} ${request.path}`;
    checkAcceptsJson(what, request);
    const unauthorized = this.authenticate(what, request);
    if (unauthorized) {
      return unauthorized;
    }
    if (
      request.method === 'POST' &&
      !/^application\/json\b/.test(request.headers['content-type'] ?? '') &&
      request.headers['x-atlassian-token'] !== 'no-check'
    ) {
      // What Bitbucket answers a form-like POST (its XSRF protection).
      return failure(403, 'xsrf.XsrfCheckFailedException', 'XSRF check failed');
    }
    const match =
      /^\/projects\/([^/]+)\/repos\/([^/]+)\/pull-requests(?:\/([^/]+))?(?:\/(comments|decline))?$/.exec(
        request.path,
      );
    if (!match) {
      throw new ApiViolation(`${what}: no such route`);
    }
    const [, projectKey, slug, id, action] = match.map(m =>
      m === undefined ? m : decodeURIComponent(m),
    );
    if (id !== undefined && !/^[1-9]\d*$/.test(id)) {
      throw new ApiViolation(`${what}: the pull request id must be a number`);
    }
    const repository = this.repositories.get(
      `${projectKey}/${slug}`.toLowerCase(),
    );
    if (!repository) {
      return failure(
        404,
        'repository.NoSuchRepositoryException',
        `Repository ${projectKey}/${slug} does not exist.`,
      );
    }
    const pr = id ? repository.pullRequests[Number(id) - 1] : undefined;
    if (id && !pr) {
      return failure(
        404,
        'pull.NoSuchPullRequestException',
        `Pull request ${id} does not exist in ${repository.projectKey}/${repository.slug}.`,
      );
    }
    const route = `${request.method} pr${id ? '/:id' : ''}${
      action ? `/${action}` : ''
    }`;
    switch (route) {
      case 'GET pr':
        return this.list(what, request, repository);
      case 'POST pr':
        return this.create(what, request, repository);
      case 'GET pr/:id':
        checkQuery(what, request.query, {});
        return { status: 200, body: this.toJson(repository, pr!) };
      case 'PUT pr/:id':
        return this.update(what, request, repository, pr!);
      case 'POST pr/:id/comments': {
        checkJsonContentType(what, request);
        const input = checkBody(what, request.body, {
          text: 'string',
          severity: 'string?',
          state: 'string?',
        });
        pr!.comments.push(input.text as string);
        return {
          status: 201,
          body: { id: pr!.comments.length, version: 0, text: input.text },
        };
      }
      case 'POST pr/:id/decline':
        return this.decline(what, request, repository, pr!);
      default:
        throw new ApiViolation(`${what}: no such route`);
    }
  }

  /** Bearer (HTTP access token) or Basic; no credentials is anonymous. */
  private authenticate(
    what: string,
    request: FakeRequest,
  ): FakeReply | undefined {
    const authorization = request.headers.authorization;
    if (authorization === undefined) {
      // The repositories are private: anonymous access is refused.
      return failure(
        401,
        'AuthorisationException',
        'You are not permitted to access this resource',
      );
    }
    const [scheme, value, rest] = String(authorization).split(' ');
    let ok = false;
    if (scheme === 'Bearer' && value && rest === undefined) {
      ok = value === this.options.token;
    } else if (scheme === 'Basic' && value && rest === undefined) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      ok =
        this.options.username !== undefined &&
        decoded === `${this.options.username}:${this.options.password}`;
    } else {
      throw new ApiViolation(
        `${what}: Authorization must be "Bearer <token>" or "Basic <base64>"`,
      );
    }
    return ok
      ? undefined
      : failure(
          401,
          'auth.IncorrectPasswordAuthenticationException',
          'Authentication failed. Please check your credentials and try again.',
        );
  }

  private list(
    what: string,
    request: FakeRequest,
    repository: Repository,
  ): FakeReply {
    const { query } = request;
    checkQuery(what, query, {
      state: oneOf('OPEN', 'DECLINED', 'MERGED', 'ALL'),
      at: anyText,
      direction: oneOf('INCOMING', 'OUTGOING'),
      order: oneOf('OLDEST', 'NEWEST'),
      withAttributes: oneOf('true', 'false'),
      withProperties: oneOf('true', 'false'),
      filterText: anyText,
      draft: oneOf('true', 'false'),
      limit: value => pageNumber(value) && Number(value) <= 1000,
      start: startIndex,
    });
    const state = query.get('state') ?? 'OPEN';
    const at = query.get('at');
    const branch = at?.startsWith(HEADS) ? at.slice(HEADS.length) : at;
    const outgoing = query.get('direction') === 'OUTGOING';
    const matching = repository.pullRequests
      .filter(
        pr =>
          (state === 'ALL' || pr.state === state) &&
          (branch === null ||
            (outgoing ? pr.fromBranch : pr.toBranch) === branch),
      )
      // Bitbucket lists newest first unless asked for OLDEST.
      .sort((a, b) =>
        query.get('order') === 'OLDEST' ? a.id - b.id : b.id - a.id,
      );
    const limit = Number(query.get('limit') ?? 25);
    const start = Number(query.get('start') ?? 0);
    const values = matching.slice(start, start + limit);
    const isLastPage = start + limit >= matching.length;
    return {
      status: 200,
      body: {
        size: values.length,
        limit,
        isLastPage,
        values: values.map(pr => this.toJson(repository, pr)),
        start,
        ...(!isLastPage && { nextPageStart: start + values.length }),
      },
    };
  }

  private create(
    what: string,
    request: FakeRequest,
    repository: Repository,
  ): FakeReply {
    checkJsonContentType(what, request);
    checkQuery(what, request.query, {});
    const { fromRef, toRef, reviewers, ...fields } = this.object(
      what,
      request.body,
    );
    checkBody(what, fields, {
      title: 'string',
      description: 'string?',
      state: 'string?',
      open: 'boolean?',
      closed: 'boolean?',
      locked: 'boolean?',
      draft: 'boolean?',
    });
    const from = this.ref(what, 'fromRef', fromRef, repository);
    const to = this.ref(what, 'toRef', toRef, repository);
    const names = this.reviewers(what, reviewers);
    for (const branch of [from, to]) {
      if (!repository.branches.has(branch)) {
        return failure(
          404,
          'commit.NoSuchCommitException',
          `Repository "${repository.slug}" of project with key "${repository.projectKey}" has no branch "${HEADS}${branch}"`,
        );
      }
    }
    const existing = repository.pullRequests.find(
      pr => pr.state === 'OPEN' && pr.fromBranch === from && pr.toBranch === to,
    );
    if (existing) {
      return failure(
        409,
        'pull.DuplicatePullRequestException',
        'Only one pull request may be open for a given source and target branch',
        { existingPullRequest: this.toJson(repository, existing) },
      );
    }
    const pr: FakeBitbucketPullRequest = {
      id: repository.pullRequests.length + 1,
      version: 0,
      state: 'OPEN',
      title: String(fields.title),
      description: (fields.description as string | undefined) || undefined,
      fromBranch: from,
      toBranch: to,
      reviewers: names ?? [],
      comments: [],
    };
    repository.pullRequests.push(pr);
    return { status: 201, body: this.toJson(repository, pr) };
  }

  private update(
    what: string,
    request: FakeRequest,
    repository: Repository,
    pr: FakeBitbucketPullRequest,
  ): FakeReply {
    checkJsonContentType(what, request);
    checkQuery(what, request.query, {});
    const { toRef, reviewers, ...fields } = this.object(what, request.body);
    const input = checkBody(what, fields, {
      version: 'number',
      title: 'string',
      description: 'string?',
      draft: 'boolean?',
    });
    const to =
      toRef === undefined
        ? undefined
        : this.ref(what, 'toRef', toRef, repository);
    const names = this.reviewers(what, reviewers);
    const refused = this.unmodifiable(pr, Number(input.version), 'updated');
    if (refused) {
      return refused;
    }
    if (to !== undefined && !repository.branches.has(to)) {
      return failure(
        404,
        'commit.NoSuchCommitException',
        `Repository "${repository.slug}" of project with key "${repository.projectKey}" has no branch "${HEADS}${to}"`,
      );
    }
    pr.title = input.title as string;
    // Like Bitbucket, an update without a description removes it.
    pr.description = (input.description as string | undefined) || undefined;
    // And one without reviewers removes them.
    pr.reviewers = names ?? [];
    if (to !== undefined) pr.toBranch = to;
    pr.version++;
    return { status: 200, body: this.toJson(repository, pr) };
  }

  private decline(
    what: string,
    request: FakeRequest,
    repository: Repository,
    pr: FakeBitbucketPullRequest,
  ): FakeReply {
    checkQuery(what, request.query, { version: startIndex });
    let version = request.query.get('version');
    if (request.body !== undefined) {
      checkJsonContentType(what, request);
      const input = checkBody(what, request.body, {
        version: 'number?',
        comment: 'string?',
      });
      if (input.version !== undefined) version = String(input.version);
    }
    if (version === null) {
      throw new ApiViolation(`${what}: the version is required`);
    }
    const refused = this.unmodifiable(pr, Number(version), 'declined');
    if (refused) {
      return refused;
    }
    pr.state = 'DECLINED';
    pr.version++;
    return { status: 200, body: this.toJson(repository, pr) };
  }

  /** The 409 Bitbucket answers a change to an older `version` or to a pull request no longer open. */
  private unmodifiable(
    pr: FakeBitbucketPullRequest,
    version: number,
    change: 'updated' | 'declined',
  ): FakeReply | undefined {
    if (version !== pr.version) {
      return failure(
        409,
        'pull.PullRequestOutOfDateException',
        'You are attempting to modify a pull request based on out-of-date information.',
        { expectedVersion: pr.version },
      );
    }
    if (pr.state !== 'OPEN') {
      return failure(
        409,
        'pull.IllegalPullRequestStateException',
        `Pull request ${
          pr.id
        } is ${pr.state.toLowerCase()} and cannot be ${change}.`,
      );
    }
    return undefined;
  }

  private object(what: string, body: unknown): Record<string, unknown> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiViolation(`${what}: the body must be a JSON object`);
    }
    return body as Record<string, unknown>;
  }

  /** A ref `{id, repository?}` of this repository; returns the branch name. */
  private ref(
    what: string,
    field: string,
    value: unknown,
    repository: Repository,
  ): string {
    const { repository: repo, ...ref } = this.object(
      `${what}: ${field}`,
      value,
    );
    checkBody(`${what}: ${field}`, ref, {
      id: 'string',
      displayId: 'string?',
      type: 'string?',
      latestCommit: 'string?',
    });
    if (repo !== undefined) {
      const { project, ...rest } = this.object(
        `${what}: ${field}.repository`,
        repo,
      );
      checkBody(`${what}: ${field}.repository`, rest, {
        slug: 'string',
        name: 'string?',
      });
      const { key } = checkBody(
        `${what}: ${field}.repository.project`,
        project,
        { key: 'string' },
      );
      if (
        `${key}/${rest.slug}`.toLowerCase() !==
        `${repository.projectKey}/${repository.slug}`.toLowerCase()
      ) {
        throw new ApiViolation(
          `${what}: ${field}.repository names another repository (forks are not modelled)`,
        );
      }
    }
    const id = ref.id as string;
    if (!id) {
      throw new ApiViolation(`${what}: ${field}.id must not be empty`);
    }
    return id.startsWith(HEADS) ? id.slice(HEADS.length) : id;
  }

  /** `[{user: {name}}]`, or undefined when not given. */
  private reviewers(what: string, value: unknown): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      throw new ApiViolation(`${what}: reviewers must be an array`);
    }
    return value.map(reviewer => {
      const { user, ...rest } = this.object(`${what}: reviewer`, reviewer);
      checkBody(`${what}: reviewer`, rest, {
        role: 'string?',
        approved: 'boolean?',
        status: 'string?',
      });
      const { name } = checkBody(`${what}: reviewer.user`, user, {
        name: 'string',
        slug: 'string?',
      });
      return name as string;
    });
  }

  private toJson(repository: Repository, pr: FakeBitbucketPullRequest) {
    const repo = {
      slug: repository.slug,
      name: repository.slug,
      project: { key: repository.projectKey },
    };
    const ref = (branch: string) => ({
      id: `${HEADS}${branch}`,
      displayId: branch,
      latestCommit: '0'.repeat(40),
      type: 'BRANCH',
      repository: repo,
    });
    return {
      id: pr.id,
      version: pr.version,
      title: pr.title,
      ...(pr.description !== undefined && { description: pr.description }),
      state: pr.state,
      open: pr.state === 'OPEN',
      closed: pr.state !== 'OPEN',
      createdDate: 1700000000000,
      updatedDate: 1700000000000 + pr.version,
      fromRef: ref(pr.fromBranch),
      toRef: ref(pr.toBranch),
      locked: false,
      reviewers: pr.reviewers.map(name => ({
        user: { name, slug: name },
        role: 'REVIEWER',
        approved: false,
        status: 'UNAPPROVED',
      })),
      participants: [],
      links: {
        self: [
          {
            href: `${this.options.webBaseUrl}/projects/${repository.projectKey}/repos/${repository.slug}/pull-requests/${pr.id}`,
          },
        ],
      },
    };
  }

  private repository(name: string): Repository {
    const repository = this.repositories.get(name.toLowerCase());
    if (!repository) {
      throw new Error(`The fake Bitbucket Server has no repository ${name}`);
    }
    return repository;
  }
}
