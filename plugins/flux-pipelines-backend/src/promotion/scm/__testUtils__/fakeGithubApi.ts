import { GithubApi, MergeResult, PullRepository } from '@internal/cluster-sim';
import { FakePullInput, FakeReply, FakeRequest } from './fakeApi';

/** A pull request as the fake GitHub shows it to tests. */
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

/** Branches without content: a push moves the branch to a new made-up commit. */
class MemoryRepository implements PullRepository {
  private readonly heads = new Map<string, string>();
  private commits = 0;

  constructor(branches: string[]) {
    branches.forEach(b => this.push(b));
  }

  push(branch: string) {
    this.heads.set(branch, (++this.commits).toString(16).padStart(40, '0'));
  }

  branches() {
    return new Map(this.heads);
  }

  commitsAhead() {
    return 1;
  }

  mergeable() {
    return true;
  }

  merge(base: string): MergeResult {
    this.push(base);
    return { merged: true, sha: this.heads.get(base)! };
  }

  stateFile(): string {
    throw new Error('kept in memory');
  }
}

interface Repository {
  branches: MemoryRepository;
  api: GithubApi;
}

/**
 * The pull-request part of the GitHub REST API, as documented: the
 * `@internal/cluster-sim` GitHub stand-in (which the demo serves over its
 * fleet repository) over in-memory repositories, one per `owner/repo`.
 */
export class FakeGithubApi {
  private readonly repositories = new Map<string, Repository>();
  /** Answers for repositories not added: checks, then 404. */
  private readonly missing: GithubApi;

  constructor(
    private readonly options: { token: string; apiBaseUrl: () => string },
  ) {
    this.missing = new GithubApi({
      token: options.token,
      repository: new MemoryRepository([]),
      apiBaseUrl: options.apiBaseUrl,
      webBaseUrl: () => 'https://github.com',
      persist: false,
      knows: () => false,
    });
  }

  addRepository(fullName: string, branches: string[] = ['main']): void {
    const repository = new MemoryRepository(branches);
    this.repositories.set(fullName, {
      branches: repository,
      api: new GithubApi({
        token: this.options.token,
        repository,
        apiBaseUrl: this.options.apiBaseUrl,
        webBaseUrl: () => 'https://github.com',
        persist: false,
      }),
    });
  }

  /** What `git push` of a branch would do. */
  pushBranch(fullName: string, branch: string): void {
    this.repository(fullName).branches.push(branch);
  }

  /** Copies of the repository's pull requests, oldest first. */
  pulls(fullName: string): FakeGithubPull[] {
    return this.repository(fullName)
      .api.pulls()
      .map(p => ({
        number: p.number,
        state: p.state,
        title: p.title,
        body: p.body,
        head: p.head,
        base: p.base,
        mergedAt: p.mergedAt,
        closedAt: p.closedAt,
        comments: p.comments.map(c => c.body),
      }));
  }

  /** Opens a pull request as someone else would, bypassing the API. */
  openPull(fullName: string, pull: FakePullInput): number {
    this.pushBranch(fullName, pull.head);
    return this.repository(fullName).api.openPull({
      ...pull,
      repository: fullName,
    });
  }

  /** Merges an open pull request, as pressing the button would. */
  merge(fullName: string, number: number): void {
    this.repository(fullName).api.mergePull(number);
  }

  handle(request: FakeRequest): FakeReply {
    const match = /^\/repos\/([^/]+)\/([^/]+)\//.exec(request.path);
    const repository =
      match && this.repositories.get(`${match[1]}/${match[2]}`);
    return (repository?.api ?? this.missing).handle(request);
  }

  private repository(fullName: string): Repository {
    const repository = this.repositories.get(fullName);
    if (!repository) {
      throw new Error(`The fake GitHub has no repository ${fullName}`);
    }
    return repository;
  }
}
