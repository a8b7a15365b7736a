import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { toRfc3339 } from '../clock';
import {
  ApiViolation,
  ScmReply,
  ScmRequest,
  anyText,
  checkBody,
  checkJsonContentType,
  checkQuery,
  oneOf,
  pageNumber,
  pageSize,
  paginate,
} from './apiChecks';
import { PullRepository } from './FleetRepository';

/** A comment on a pull request. */
export interface GithubComment {
  id: number;
  body: string;
  createdAt: string;
}

/** A pull request as the GitHub stand-in keeps it. */
export interface GithubPull {
  number: number;
  /** `owner/repo` as it was opened (every name maps to the one repository). */
  repository: string;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  draft: boolean;
  head: string;
  base: string;
  /** The head and base commits, as of the last look at the branches. */
  headSha: string;
  baseSha: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  comments: GithubComment[];
}

export interface GithubApiOptions {
  /** The token clients must send (`token <t>` or `Bearer <t>`). */
  token: string;
  repository: PullRepository;
  /** `http://host:port/api/v3`, for the `url` fields and `Link` headers. */
  apiBaseUrl: () => string;
  /** `http://host:port`, for `html_url` (`<web>/<owner>/<repo>/pull/<n>`). */
  webBaseUrl: () => string;
  /** Milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
  /** Keep pull requests in the repository's git directory across restarts; default true. */
  persist?: boolean;
  /** Which `owner/repo` names exist (others get 404); default every one. */
  knows?: (fullName: string) => boolean;
}

const DOCS = 'https://docs.github.com/rest/pulls/pulls';
const NAME = /^[A-Za-z0-9_.-]+$/;
const USER = { login: 'cluster-sim', id: 1, type: 'User' };

/**
 * The pull-request part of the GitHub REST API (GitHub Enterprise's `/api/v3`
 * layout) over one local repository: every `owner/repo` names it. Requests
 * are checked against the documented API: a wrong route, field, type or
 * header throws {@link ApiViolation}.
 */
export class GithubApi {
  private state?: { pulls: GithubPull[]; nextCommentId: number };

  constructor(private readonly options: GithubApiOptions) {}

  /** Copies of the pull requests, oldest first. */
  pulls(): GithubPull[] {
    return this.data().pulls.map(p => ({
      ...p,
      comments: p.comments.map(c => ({ ...c })),
    }));
  }

  /**
   * Opens a pull request as someone else would, bypassing the API and its
   * checks; returns its number.
   */
  openPull(pull: {
    head: string;
    base?: string;
    title: string;
    body?: string;
    /** `owner/repo`; default `example/fleet`. */
    repository?: string;
  }): number {
    const state = this.data();
    const branches = this.options.repository.branches();
    const base = pull.base ?? 'main';
    const now = this.now();
    const number = state.pulls.length + 1;
    state.pulls.push({
      number,
      repository: pull.repository ?? 'example/fleet',
      state: 'open',
      title: pull.title,
      body: pull.body ?? null,
      draft: false,
      head: pull.head,
      base,
      headSha: branches.get(pull.head) ?? '0'.repeat(40),
      baseSha: branches.get(base) ?? '0'.repeat(40),
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      mergedAt: null,
      mergeCommitSha: null,
      comments: [],
    });
    this.save();
    return number;
  }

  /** Merges an open pull request, as its Merge button does. */
  mergePull(number: number): { sha: string } {
    const pull = this.data().pulls[number - 1];
    if (!pull) throw new Error(`No pull request #${number}`);
    const reply = this.merge(pull, {});
    if (reply.status !== 200) {
      throw new Error(
        `Pull request #${number} was not merged: ${
          (reply.body as { message: string }).message
        }`,
      );
    }
    return { sha: (reply.body as { sha: string }).sha };
  }

  /** Answers one API request (the path is the part after `/api/v3`). */
  handle(request: ScmRequest): ScmReply {
    const what = `GitHub ${request.method} ${request.path}`;
    checkHeaders(what, request);
    const authorization = String(request.headers.authorization ?? '');
    if (!authorization) {
      return error(
        401,
        'Requires authentication',
        'https://docs.github.com/rest',
      );
    }
    const auth = /^(token|bearer) (\S+)$/i.exec(authorization);
    if (!auth) {
      throw new ApiViolation(
        `${what}: Authorization must be "token <token>" or "Bearer <token>"`,
      );
    }
    if (auth[2] !== this.options.token) {
      return error(401, 'Bad credentials', 'https://docs.github.com/rest');
    }
    const match =
      /^\/repos\/([^/]+)\/([^/]+)\/(pulls|issues)(?:\/([^/]+)(\/comments|\/merge)?)?$/.exec(
        request.path,
      );
    if (!match) {
      throw new ApiViolation(`${what}: no such route`, 404);
    }
    const [, owner, repo, kind, number, sub] = match;
    if (number !== undefined && !/^[1-9]\d*$/.test(number)) {
      throw new ApiViolation(`${what}: the number must be a positive integer`);
    }
    if (
      !NAME.test(owner) ||
      !NAME.test(repo) ||
      this.options.knows?.(`${owner}/${repo}`) === false
    ) {
      return error(404, 'Not Found', DOCS);
    }
    const route = `${request.method} ${kind}${number ? '/:n' : ''}${sub ?? ''}`;
    const pull = number ? this.data().pulls[Number(number) - 1] : undefined;
    if (number && !pull) {
      return error(404, 'Not Found', DOCS);
    }
    const full = `${owner}/${repo}`;
    switch (route) {
      case 'GET pulls':
        return this.list(what, request, owner, full);
      case 'POST pulls':
        return this.create(what, request, owner, full);
      case 'GET pulls/:n':
        this.refresh(pull!);
        return { status: 200, body: this.toJson(full, pull!, true) };
      case 'PATCH pulls/:n':
        return this.update(what, request, full, pull!);
      case 'GET pulls/:n/merge':
        return pull!.mergedAt ? { status: 204 } : error(404, 'Not Found', DOCS);
      case 'PUT pulls/:n/merge': {
        let input: Record<string, unknown> = {};
        if (request.body !== undefined) {
          checkJsonContentType(what, request);
          input = checkBody(what, request.body, {
            commit_title: 'string?',
            commit_message: 'string?',
            sha: 'string?',
            merge_method: 'string?',
          });
        }
        if (
          input.merge_method !== undefined &&
          !['merge', 'squash', 'rebase'].includes(String(input.merge_method))
        ) {
          throw new ApiViolation(
            `${what}: merge_method must be merge, squash or rebase`,
          );
        }
        return this.merge(pull!, input);
      }
      case 'GET issues/:n/comments':
        checkQuery(what, request.query, {
          since: anyText,
          per_page: pageSize,
          page: pageNumber,
        });
        return {
          status: 200,
          body: paginate(pull!.comments, request.query, 30).page.map(c =>
            this.commentJson(full, pull!, c),
          ),
        };
      case 'POST issues/:n/comments': {
        checkJsonContentType(what, request);
        const { body } = checkBody(what, request.body, { body: 'string' });
        const state = this.data();
        const comment: GithubComment = {
          id: state.nextCommentId++,
          body: body as string,
          createdAt: this.now(),
        };
        pull!.comments.push(comment);
        pull!.updatedAt = comment.createdAt;
        this.save();
        return { status: 201, body: this.commentJson(full, pull!, comment) };
      }
      default:
        throw new ApiViolation(`${what}: no such route`, 404);
    }
  }

  private list(
    what: string,
    request: ScmRequest,
    owner: string,
    full: string,
  ): ScmReply {
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
    const base = query.get('base');
    const key: keyof GithubPull =
      query.get('sort') === 'updated' ? 'updatedAt' : 'number';
    const sign = query.get('direction') === 'asc' ? 1 : -1;
    const matching = this.data()
      .pulls.filter(
        p =>
          (state === 'all' || p.state === state) &&
          (!head || `${owner}:${p.head}` === head) &&
          (!base || p.base === base),
      )
      .sort((a, b) => sign * (compare(a[key], b[key]) || a.number - b.number));
    const branches = matching.some(p => p.state === 'open')
      ? this.options.repository.branches()
      : undefined;
    matching.forEach(p => this.refresh(p, branches));
    const { page, current, last } = paginate(matching, query, 30);
    const link = (n: number, rel: string) => {
      const params = new URLSearchParams(query);
      params.set('page', String(n));
      return `<${this.options.apiBaseUrl()}${
        request.path
      }?${params}>; rel="${rel}"`;
    };
    const links = [
      ...(current > 1 ? [link(current - 1, 'prev'), link(1, 'first')] : []),
      ...(current < last
        ? [link(current + 1, 'next'), link(last, 'last')]
        : []),
    ];
    return {
      status: 200,
      headers: links.length ? { link: links.join(', ') } : {},
      body: page.map(p => this.toJson(full, p, false)),
    };
  }

  private create(
    what: string,
    request: ScmRequest,
    owner: string,
    full: string,
  ): ScmReply {
    checkJsonContentType(what, request);
    const input = checkBody(what, request.body, {
      title: 'string',
      head: 'string',
      base: 'string',
      body: 'string?',
      draft: 'boolean?',
      maintainer_can_modify: 'boolean?',
      head_repo: 'string?',
      issue: 'number?',
    });
    if (input.issue !== undefined) {
      throw new ApiViolation(
        `${what}: the stand-in has no issues to turn into pull requests`,
      );
    }
    const headInput = String(input.head);
    const head = headInput.startsWith(`${owner}:`)
      ? headInput.slice(owner.length + 1)
      : headInput;
    const base = String(input.base);
    const branches = this.options.repository.branches();
    for (const [field, branch] of [
      ['head', head],
      ['base', base],
    ]) {
      if (!branches.has(branch)) {
        return validationFailed([
          { resource: 'PullRequest', field, code: 'invalid' },
        ]);
      }
    }
    const open = this.data().pulls.find(
      p => p.state === 'open' && p.head === head && p.base === base,
    );
    if (open) {
      return validationFailed([
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${owner}:${head}.`,
        },
      ]);
    }
    if (
      head === base ||
      this.options.repository.commitsAhead(base, head) === 0
    ) {
      return validationFailed([
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `No commits between ${base} and ${head}`,
        },
      ]);
    }
    const now = this.now();
    const state = this.data();
    const pull: GithubPull = {
      number: state.pulls.length + 1,
      repository: full,
      state: 'open',
      title: String(input.title),
      body: (input.body as string | undefined) ?? null,
      draft: input.draft === true,
      head,
      base,
      headSha: branches.get(head)!,
      baseSha: branches.get(base)!,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      mergedAt: null,
      mergeCommitSha: null,
      comments: [],
    };
    state.pulls.push(pull);
    this.save();
    return { status: 201, body: this.toJson(full, pull, true) };
  }

  private update(
    what: string,
    request: ScmRequest,
    full: string,
    pull: GithubPull,
  ): ScmReply {
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
    if (pull.mergedAt && input.state !== undefined) {
      return validationFailed([
        {
          resource: 'PullRequest',
          code: 'custom',
          message: 'state cannot be changed. The pull request has been merged.',
        },
      ]);
    }
    const branches = this.options.repository.branches();
    if (input.base !== undefined && !branches.has(input.base as string)) {
      return validationFailed([
        { resource: 'PullRequest', field: 'base', code: 'invalid' },
      ]);
    }
    if (input.state === 'open' && pull.state === 'closed') {
      const base = (input.base as string | undefined) ?? pull.base;
      if (!branches.has(pull.head)) {
        return validationFailed([
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `state cannot be changed. The ${pull.head} branch has been deleted.`,
          },
        ]);
      }
      if (
        this.data().pulls.some(
          p => p.state === 'open' && p.head === pull.head && p.base === base,
        )
      ) {
        return validationFailed([
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${pull.head}.`,
          },
        ]);
      }
    }
    const now = this.now();
    if (input.title !== undefined) pull.title = input.title as string;
    if (input.body !== undefined) pull.body = input.body as string;
    if (input.base !== undefined) pull.base = input.base as string;
    if (input.state !== undefined && input.state !== pull.state) {
      pull.state = input.state as GithubPull['state'];
      pull.closedAt = pull.state === 'closed' ? now : null;
    }
    pull.updatedAt = now;
    this.refresh(pull);
    this.save();
    return { status: 200, body: this.toJson(full, pull, true) };
  }

  private merge(pull: GithubPull, input: Record<string, unknown>): ScmReply {
    const method = (input.merge_method as string | undefined) ?? 'merge';
    if (method !== 'merge') {
      return error(
        405,
        `${
          method === 'squash' ? 'Squash' : 'Rebase'
        } merges are not allowed on this repository.`,
        'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request',
      );
    }
    if (pull.state !== 'open') {
      return error(405, 'Pull Request is not mergeable', DOCS);
    }
    const branches = this.options.repository.branches();
    const headSha = branches.get(pull.head);
    if (!headSha || !branches.has(pull.base)) {
      return error(405, 'Pull Request is not mergeable', DOCS);
    }
    if (input.sha !== undefined && input.sha !== headSha) {
      return error(
        409,
        'Head branch was modified. Review and try the merge again.',
        DOCS,
      );
    }
    const result = this.options.repository.merge(pull.base, pull.head, [
      (input.commit_title as string | undefined) ??
        `Merge pull request #${pull.number} from ${
          pull.repository.split('/')[0]
        }/${pull.head}`,
      (input.commit_message as string | undefined) ?? pull.title,
    ]);
    if (!result.merged) {
      return error(405, 'Pull Request is not mergeable', DOCS);
    }
    const now = this.now();
    Object.assign(pull, {
      state: 'closed',
      headSha,
      baseSha: branches.get(pull.base),
      mergedAt: now,
      closedAt: now,
      updatedAt: now,
      mergeCommitSha: result.sha,
    });
    this.save();
    return {
      status: 200,
      body: {
        sha: result.sha,
        merged: true,
        message: 'Pull Request successfully merged',
      },
    };
  }

  /** Follows the branches of an open pull request, as GitHub shows their latest commits. */
  private refresh(
    pull: GithubPull,
    branches = pull.state === 'open'
      ? this.options.repository.branches()
      : undefined,
  ) {
    if (pull.state !== 'open' || !branches) return;
    pull.headSha = branches.get(pull.head) ?? pull.headSha;
    pull.baseSha = branches.get(pull.base) ?? pull.baseSha;
  }

  /** The pull request object; `merged` and mergeability only on single-pull answers, as on GitHub. */
  private toJson(full: string, pull: GithubPull, single: boolean) {
    const api = `${this.options.apiBaseUrl()}/repos/${full}`;
    const [owner] = full.split('/');
    const ref = (branch: string, sha: string) => ({
      label: `${owner}:${branch}`,
      ref: branch,
      sha,
      user: USER,
      repo: { name: full.split('/')[1], full_name: full, private: true },
    });
    let mergeable: boolean | null = null;
    if (single && pull.state === 'open') {
      mergeable =
        this.options.repository.mergeable(pull.base, pull.head) ?? null;
    }
    return {
      url: `${api}/pulls/${pull.number}`,
      id: 1000 + pull.number,
      node_id: `PR_${1000 + pull.number}`,
      html_url: `${this.options.webBaseUrl()}/${full}/pull/${pull.number}`,
      issue_url: `${api}/issues/${pull.number}`,
      comments_url: `${api}/issues/${pull.number}/comments`,
      number: pull.number,
      state: pull.state,
      locked: false,
      title: pull.title,
      user: USER,
      body: pull.body,
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.closedAt,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeCommitSha,
      draft: pull.draft,
      head: ref(pull.head, pull.headSha),
      base: ref(pull.base, pull.baseSha),
      author_association: 'OWNER',
      ...(single && {
        merged: pull.mergedAt !== null,
        mergeable,
        mergeable_state: mergeableState(pull, mergeable),
        merged_by: pull.mergedAt ? USER : null,
        comments: pull.comments.length,
      }),
    };
  }

  private commentJson(full: string, pull: GithubPull, comment: GithubComment) {
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${this.options.apiBaseUrl()}/repos/${full}/issues/comments/${
        comment.id
      }`,
      html_url: `${this.options.webBaseUrl()}/${full}/pull/${
        pull.number
      }#issuecomment-${comment.id}`,
      body: comment.body,
      user: USER,
      created_at: comment.createdAt,
      updated_at: comment.createdAt,
    };
  }

  private now() {
    return toRfc3339((this.options.now ?? Date.now)());
  }

  private data() {
    if (!this.state) {
      const file = this.file();
      this.state =
        file && existsSync(file)
          ? JSON.parse(readFileSync(file, 'utf8'))
          : { pulls: [], nextCommentId: 1 };
    }
    return this.state!;
  }

  private save() {
    const file = this.file();
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(this.state, null, 2));
  }

  private file(): string | undefined {
    if (this.options.persist === false) return undefined;
    try {
      return this.options.repository.stateFile('github-pulls.json');
    } catch {
      return undefined; // No repository yet: keep the state in memory.
    }
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a === b) return 0;
  return String(a) < String(b) ? -1 : 1;
}

function mergeableState(pull: GithubPull, mergeable: boolean | null) {
  if (pull.state !== 'open' || mergeable === null) return 'unknown';
  return mergeable ? 'clean' : 'dirty';
}

function checkHeaders(what: string, request: ScmRequest) {
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

function validationFailed(errors: object[]): ScmReply {
  return error(422, 'Validation Failed', DOCS, errors);
}

function error(
  status: number,
  message: string,
  documentationUrl: string,
  errors?: object[],
): ScmReply {
  return {
    status,
    body: {
      message,
      ...(errors && { errors }),
      documentation_url: documentationUrl,
    },
  };
}
