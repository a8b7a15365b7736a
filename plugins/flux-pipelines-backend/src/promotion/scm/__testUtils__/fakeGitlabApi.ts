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
  pageSize,
  paginate,
} from './fakeApi';

/** A merge request as the fake GitLab keeps it. */
export interface FakeGitlabMergeRequest {
  iid: number;
  state: 'opened' | 'closed' | 'merged';
  title: string;
  description: string | null;
  sourceBranch: string;
  targetBranch: string;
  notes: string[];
}

interface Project {
  id: number;
  branches: Set<string>;
  mergeRequests: FakeGitlabMergeRequest[];
}

/**
 * The merge-request part of the GitLab REST API v4, as documented: projects
 * addressed by id or URL-encoded path, `PRIVATE-TOKEN` or Bearer tokens,
 * 401/404/409/422 answers, and `x-next-page` pagination.
 */
export class FakeGitlabApi {
  private readonly projects = new Map<string, Project>();

  constructor(
    private readonly options: { token: string; webBaseUrl: string },
  ) {}

  addProject(path: string, branches: string[] = ['main']): void {
    this.projects.set(path, {
      id: this.projects.size + 1,
      branches: new Set(branches),
      mergeRequests: [],
    });
  }

  /** What `git push` of a branch would do. */
  pushBranch(path: string, branch: string): void {
    this.project(path).branches.add(branch);
  }

  /** Copies of the project's merge requests, oldest first. */
  mergeRequests(path: string): FakeGitlabMergeRequest[] {
    return this.project(path).mergeRequests.map(mr => ({
      ...mr,
      notes: [...mr.notes],
    }));
  }

  /** Opens a merge request as someone else would, bypassing the API. */
  openMergeRequest(path: string, mr: FakePullInput): number {
    const project = this.project(path);
    project.branches.add(mr.head);
    const iid = project.mergeRequests.length + 1;
    project.mergeRequests.push({
      iid,
      state: 'opened',
      title: mr.title,
      description: mr.body,
      sourceBranch: mr.head,
      targetBranch: mr.base ?? 'main',
      notes: [],
    });
    return iid;
  }

  /** Merges an open merge request, as pressing the button would. */
  merge(path: string, iid: number): void {
    const mr = this.project(path).mergeRequests[iid - 1];
    if (!mr || mr.state !== 'opened') {
      throw new Error(`No open merge request !${iid} in ${path}`);
    }
    mr.state = 'merged';
  }

  handle(request: FakeRequest): FakeReply {
    const what = `GitLab ${request.method} ${request.path}`;
    checkAcceptsJson(what, request);
    const privateToken = request.headers['private-token'];
    const authorization = request.headers.authorization;
    let token: string | undefined;
    if (authorization !== undefined) {
      const bearer = /^Bearer (\S+)$/.exec(String(authorization));
      if (!bearer) {
        throw new ApiViolation(
          `${what}: Authorization must be "Bearer <token>"`,
        );
      }
      token = bearer[1];
    } else if (privateToken !== undefined) {
      token = String(privateToken);
    }
    if (token !== this.options.token) {
      return { status: 401, body: { message: '401 Unauthorized' } };
    }
    const match =
      /^\/projects\/([^/]+)\/merge_requests(?:\/([^/]+))?(\/notes)?$/.exec(
        request.path,
      );
    if (!match) {
      throw new ApiViolation(
        `${what}: no such route (is the project path URL-encoded?)`,
      );
    }
    const [, id, iid, notes] = match;
    if (iid !== undefined && !/^[1-9]\d*$/.test(iid)) {
      throw new ApiViolation(`${what}: the iid must be a positive integer`);
    }
    const decoded = decodeURIComponent(id);
    const [path, project] =
      [...this.projects].find(
        ([p, proj]) => p === decoded || String(proj.id) === decoded,
      ) ?? [];
    if (!project || !path) {
      return { status: 404, body: { message: '404 Project Not Found' } };
    }
    const mr = iid ? project.mergeRequests[Number(iid) - 1] : undefined;
    if (iid && !mr) {
      return { status: 404, body: { message: '404 Not found' } };
    }
    const route = `${request.method} mr${iid ? '/:iid' : ''}${notes ?? ''}`;
    switch (route) {
      case 'GET mr':
        return this.list(what, request, project);
      case 'POST mr':
        return this.create(what, request, path, project);
      case 'GET mr/:iid':
        return { status: 200, body: this.toJson(path, project, mr!) };
      case 'PUT mr/:iid':
        return this.update(what, request, path, project, mr!);
      case 'POST mr/:iid/notes': {
        checkJsonContentType(what, request);
        const { body } = checkBody(what, request.body, { body: 'string' });
        mr!.notes.push(body as string);
        return {
          status: 201,
          body: {
            id: mr!.notes.length,
            body,
            system: false,
            noteable_type: 'MergeRequest',
            noteable_iid: mr!.iid,
          },
        };
      }
      default:
        throw new ApiViolation(`${what}: no such route`);
    }
  }

  private list(
    what: string,
    request: FakeRequest,
    project: Project,
  ): FakeReply {
    const { query } = request;
    checkQuery(what, query, {
      state: oneOf('opened', 'closed', 'locked', 'merged', 'all'),
      source_branch: anyText,
      target_branch: anyText,
      search: anyText,
      in: oneOf('title', 'description', 'title,description'),
      order_by: oneOf('created_at', 'updated_at', 'title'),
      sort: oneOf('asc', 'desc'),
      per_page: pageSize,
      page: pageNumber,
    });
    const state = query.get('state') ?? 'all';
    const matching = project.mergeRequests.filter(
      mr =>
        (state === 'all' || mr.state === state) &&
        (!query.has('source_branch') ||
          mr.sourceBranch === query.get('source_branch')) &&
        (!query.has('target_branch') ||
          mr.targetBranch === query.get('target_branch')),
    );
    const { page, current, size, last } = paginate(matching, query, 20);
    const path = [...this.projects].find(([, p]) => p === project)![0];
    return {
      status: 200,
      headers: {
        'x-page': String(current),
        'x-per-page': String(size),
        'x-next-page': current < last ? String(current + 1) : '',
        'x-total': String(matching.length),
        'x-total-pages': String(last),
      },
      body: page.map(mr => this.toJson(path, project, mr)),
    };
  }

  private create(
    what: string,
    request: FakeRequest,
    path: string,
    project: Project,
  ): FakeReply {
    checkJsonContentType(what, request);
    const input = checkBody(what, request.body, {
      source_branch: 'string',
      target_branch: 'string',
      title: 'string',
      description: 'string?',
      remove_source_branch: 'boolean?',
      squash: 'boolean?',
      labels: 'string?',
      allow_collaboration: 'boolean?',
    });
    for (const [label, branch] of [
      ['Source', input.source_branch],
      ['Target', input.target_branch],
    ]) {
      if (!project.branches.has(branch as string)) {
        return {
          status: 422,
          body: { message: [`${label} branch "${branch}" does not exist`] },
        };
      }
    }
    const existing = project.mergeRequests.find(
      mr =>
        mr.state === 'opened' &&
        mr.sourceBranch === input.source_branch &&
        mr.targetBranch === input.target_branch,
    );
    if (existing) {
      return {
        status: 409,
        body: {
          message: [
            `Another open merge request already exists for this source branch: !${existing.iid}`,
          ],
        },
      };
    }
    const mr: FakeGitlabMergeRequest = {
      iid: project.mergeRequests.length + 1,
      state: 'opened',
      title: String(input.title),
      description: (input.description as string | undefined) ?? null,
      sourceBranch: String(input.source_branch),
      targetBranch: String(input.target_branch),
      notes: [],
    };
    project.mergeRequests.push(mr);
    return { status: 201, body: this.toJson(path, project, mr) };
  }

  private update(
    what: string,
    request: FakeRequest,
    path: string,
    project: Project,
    mr: FakeGitlabMergeRequest,
  ): FakeReply {
    checkJsonContentType(what, request);
    const input = checkBody(what, request.body, {
      title: 'string?',
      description: 'string?',
      state_event: 'string?',
      target_branch: 'string?',
      remove_source_branch: 'boolean?',
      labels: 'string?',
    });
    if (Object.keys(input).length === 0) {
      throw new ApiViolation(`${what}: at least one parameter is required`);
    }
    if (
      input.state_event !== undefined &&
      !['close', 'reopen'].includes(input.state_event as string)
    ) {
      throw new ApiViolation(`${what}: state_event must be close or reopen`);
    }
    if (
      input.target_branch !== undefined &&
      !project.branches.has(input.target_branch as string)
    ) {
      return {
        status: 422,
        body: { message: ['Target branch does not exist'] },
      };
    }
    if (input.title !== undefined) mr.title = input.title as string;
    if (input.description !== undefined)
      mr.description = input.description as string;
    if (input.target_branch !== undefined)
      mr.targetBranch = input.target_branch as string;
    if (mr.state !== 'merged') {
      if (input.state_event === 'close') mr.state = 'closed';
      if (input.state_event === 'reopen') mr.state = 'opened';
    }
    return { status: 200, body: this.toJson(path, project, mr) };
  }

  private toJson(path: string, project: Project, mr: FakeGitlabMergeRequest) {
    return {
      id: project.id * 1000 + mr.iid,
      iid: mr.iid,
      project_id: project.id,
      title: mr.title,
      description: mr.description,
      state: mr.state,
      source_branch: mr.sourceBranch,
      target_branch: mr.targetBranch,
      web_url: `${this.options.webBaseUrl}/${path}/-/merge_requests/${mr.iid}`,
      merge_status: 'can_be_merged',
      draft: false,
    };
  }

  private project(path: string): Project {
    const project = this.projects.get(path);
    if (!project) {
      throw new Error(`The fake GitLab has no project ${path}`);
    }
    return project;
  }
}
