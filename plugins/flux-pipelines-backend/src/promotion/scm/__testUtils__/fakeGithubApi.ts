import {
  ApiViolation,
  FakeReply,
  FakeRequest,
  anyText,
  checkBody,
  checkJsonContentType,
  checkQuery,
  oneOf,
  pageNumber,
  pageSize,
  paginate,
} from './fakeApi';

/** A pull request as the fake GitHub keeps it. */
export interface FakeGithubPull {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  head: string;
  base: string;
  mergedAt: string | null;
  closedAt: string | null;
  comments: string[];
}

interface Repository {
  branches: Set<string>;
  pulls: FakeGithubPull[];
}

const DOCS = 'https://docs.github.com/rest/pulls/pulls';

/**
 * The pull-request part of the GitHub REST API (api.github.com, or GitHub
 * Enterprise's `/api/v3`), as documented: the routes, fields, status codes
 * and response fields the providers rely on.
 */
export class FakeGithubApi {
  private readonly repositories = new Map<string, Repository>();

  constructor(
    private readonly options: { token: string; apiBaseUrl: () => string },
  ) {}

  addRepository(fullName: string, branches: string[] = ['main']): void {
    this.repositories.set(fullName, { branches: new Set(branches), pulls: [] });
  }

  /** What `git push` of a branch would do. */
  pushBranch(fullName: string, branch: string): void {
    this.repository(fullName).branches.add(branch);
  }

  /** Copies of the repository's pull requests, oldest first. */
  pulls(fullName: string): FakeGithubPull[] {
    return this.repository(fullName).pulls.map(p => ({
      ...p,
      comments: [...p.comments],
    }));
  }

  /** Opens a pull request as someone else would, bypassing the API. */
  openPull(
    fullName: string,
    pull: { head: string; base?: string; title: string; body: string },
  ): number {
    const repository = this.repository(fullName);
    repository.branches.add(pull.head);
    const number = repository.pulls.length + 1;
    repository.pulls.push({
      number,
      state: 'open',
      title: pull.title,
      body: pull.body,
      head: pull.head,
      base: pull.base ?? 'main',
      mergedAt: null,
      closedAt: null,
      comments: [],
    });
    return number;
  }

  /** Merges an open pull request, as pressing the button would. */
  merge(fullName: string, number: number): void {
    const pull = this.repository(fullName).pulls[number - 1];
    if (!pull || pull.state !== 'open') {
      throw new Error(`No open pull request #${number} in ${fullName}`);
    }
    pull.state = 'closed';
    pull.mergedAt = new Date().toISOString();
    pull.closedAt = pull.mergedAt;
  }

  handle(request: FakeRequest): FakeReply {
    const what = `GitHub ${request.method} ${request.path}`;
    checkHeaders(what, request);
    const auth = /^(token|bearer) (\S+)$/i.exec(
      String(request.headers.authorization ?? ''),
    );
    if (!auth) {
      throw new ApiViolation(
        `${what}: Authorization must be "token <token>" or "Bearer <token>"`,
      );
    }
    if (auth[2] !== this.options.token) {
      return error(401, 'Bad credentials', 'https://docs.github.com/rest');
    }
    const match =
      /^\/repos\/([^/]+)\/([^/]+)\/(pulls|issues)(?:\/([^/]+))?(\/comments)?$/.exec(
        request.path,
      );
    if (!match) {
      throw new ApiViolation(`${what}: no such route`);
    }
    const [, owner, name, kind, number, comments] = match;
    if (number !== undefined && !/^[1-9]\d*$/.test(number)) {
      throw new ApiViolation(`${what}: the number must be a positive integer`);
    }
    const repository = this.repositories.get(`${owner}/${name}`);
    const route = `${request.method} ${kind}${number ? '/:n' : ''}${
      comments ?? ''
    }`;
    if (!repository) {
      return error(404, 'Not Found', DOCS);
    }
    const pull = number ? repository.pulls[Number(number) - 1] : undefined;
    if (number && !pull) {
      return error(404, 'Not Found', DOCS);
    }
    switch (route) {
      case 'GET pulls':
        return this.list(what, request, owner, name, repository);
      case 'POST pulls':
        return this.create(what, request, owner, name, repository);
      case 'GET pulls/:n':
        return { status: 200, body: this.toJson(owner, name, pull!, true) };
      case 'PATCH pulls/:n':
        return this.update(what, request, owner, name, repository, pull!);
      case 'POST issues/:n/comments': {
        checkJsonContentType(what, request);
        const { body } = checkBody(what, request.body, { body: 'string' });
        pull!.comments.push(body as string);
        return {
          status: 201,
          body: { id: pull!.comments.length, body, user: { login: 'bot' } },
        };
      }
      default:
        throw new ApiViolation(`${what}: no such route`);
    }
  }

  private list(
    what: string,
    request: FakeRequest,
    owner: string,
    name: string,
    repository: Repository,
  ): FakeReply {
    const { query } = request;
    checkQuery(what, query, {
      state: oneOf('open', 'closed', 'all'),
      head: value => /^[^:]+:.+$/.test(value),
      base: anyText,
      sort: oneOf('created', 'updated', 'popularity', 'long-running'),
      direction: oneOf('asc', 'desc'),
      per_page: pageSize,
      page: pageNumber,
    });
    const state = query.get('state') ?? 'open';
    const head = query.get('head');
    const matching = repository.pulls.filter(
      p =>
        (state === 'all' || p.state === state) &&
        (!head || `${owner}:${p.head}` === head) &&
        (!query.has('base') || p.base === query.get('base')),
    );
    const { page, current, last } = paginate(matching, query, 30);
    const headers: Record<string, string> = {};
    if (current < last) {
      const next = new URLSearchParams(query);
      next.set('page', String(current + 1));
      headers.link = `<${this.options.apiBaseUrl()}${
        request.path
      }?${next}>; rel="next"`;
    }
    return {
      status: 200,
      headers,
      body: page.map(p => this.toJson(owner, name, p, false)),
    };
  }

  private create(
    what: string,
    request: FakeRequest,
    owner: string,
    name: string,
    repository: Repository,
  ): FakeReply {
    checkJsonContentType(what, request);
    const input = checkBody(what, request.body, {
      title: 'string',
      head: 'string',
      base: 'string',
      body: 'string?',
      draft: 'boolean?',
      maintainer_can_modify: 'boolean?',
    });
    const head = String(input.head).replace(`${owner}:`, '');
    for (const field of ['head', 'base'] as const) {
      const branch = field === 'head' ? head : String(input.base);
      if (!repository.branches.has(branch)) {
        return error(422, 'Validation Failed', DOCS, [
          { resource: 'PullRequest', field, code: 'invalid' },
        ]);
      }
    }
    if (
      repository.pulls.some(
        p => p.state === 'open' && p.head === head && p.base === input.base,
      )
    ) {
      return error(422, 'Validation Failed', DOCS, [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${owner}:${head}.`,
        },
      ]);
    }
    const pull: FakeGithubPull = {
      number: repository.pulls.length + 1,
      state: 'open',
      title: String(input.title),
      body: (input.body as string | undefined) ?? null,
      head,
      base: String(input.base),
      mergedAt: null,
      closedAt: null,
      comments: [],
    };
    repository.pulls.push(pull);
    return { status: 201, body: this.toJson(owner, name, pull, true) };
  }

  private update(
    what: string,
    request: FakeRequest,
    owner: string,
    name: string,
    repository: Repository,
    pull: FakeGithubPull,
  ): FakeReply {
    checkJsonContentType(what, request);
    const input = checkBody(what, request.body, {
      title: 'string?',
      body: 'string?',
      state: 'string?',
      base: 'string?',
      maintainer_can_modify: 'boolean?',
    });
    if (
      input.state !== undefined &&
      !['open', 'closed'].includes(input.state as string)
    ) {
      throw new ApiViolation(`${what}: state must be open or closed`);
    }
    if (
      input.base !== undefined &&
      !repository.branches.has(input.base as string)
    ) {
      return error(422, 'Validation Failed', DOCS, [
        { resource: 'PullRequest', field: 'base', code: 'invalid' },
      ]);
    }
    if (pull.mergedAt && input.state === 'open') {
      return error(422, 'Validation Failed', DOCS, [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: 'state cannot be changed. The pull request has been merged.',
        },
      ]);
    }
    Object.assign(pull, {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.body !== undefined && { body: input.body }),
      ...(input.state !== undefined && {
        state: input.state,
        closedAt: input.state === 'closed' ? new Date().toISOString() : null,
      }),
      ...(input.base !== undefined && { base: input.base }),
    });
    return { status: 200, body: this.toJson(owner, name, pull, true) };
  }

  /** The pull request object; `merged` only on single-pull answers, as on GitHub. */
  private toJson(
    owner: string,
    name: string,
    pull: FakeGithubPull,
    single: boolean,
  ) {
    return {
      url: `${this.options.apiBaseUrl()}/repos/${owner}/${name}/pulls/${
        pull.number
      }`,
      id: 1000 + pull.number,
      number: pull.number,
      html_url: `https://github.com/${owner}/${name}/pull/${pull.number}`,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      merged_at: pull.mergedAt,
      closed_at: pull.closedAt,
      head: {
        label: `${owner}:${pull.head}`,
        ref: pull.head,
        sha: 'a'.repeat(40),
      },
      base: {
        label: `${owner}:${pull.base}`,
        ref: pull.base,
        sha: 'b'.repeat(40),
      },
      ...(single && { merged: pull.mergedAt !== null }),
    };
  }

  private repository(fullName: string): Repository {
    const repository = this.repositories.get(fullName);
    if (!repository) {
      throw new Error(`The fake GitHub has no repository ${fullName}`);
    }
    return repository;
  }
}

function checkHeaders(what: string, request: FakeRequest) {
  const accept = String(request.headers.accept ?? '');
  if (!/application\/(vnd\.github[^,]*|json)/.test(accept)) {
    throw new ApiViolation(
      `${what}: Accept must be application/vnd.github+json, got "${accept}"`,
    );
  }
  if (!request.headers['user-agent']) {
    throw new ApiViolation(`${what}: GitHub requires a User-Agent header`);
  }
}

function error(
  status: number,
  message: string,
  documentationUrl: string,
  errors?: object[],
): FakeReply {
  return {
    status,
    body: {
      message,
      ...(errors && { errors }),
      documentation_url: documentationUrl,
    },
  };
}
