import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../clock';
import { HELM_RELEASE } from '../flux/HelmReleaseSimulator';
import { ClusterSim, startClusterSim } from '../startClusterSim';
import { startGithubStandIn } from './GithubStandIn';

jest.setTimeout(60_000);

const podinfo = (version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: dev
spec:
  chart:
    spec:
      chart: podinfo
      version: ${version} # {"$promotion": "flux-system:podinfo:dev"}
      sourceRef: { kind: HelmRepository, name: podinfo, namespace: flux-system }
`;

const ENV = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')),
  ),
  GIT_TERMINAL_PROMPT: '0',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
    { cwd, encoding: 'utf8', env: ENV, stdio: 'pipe', timeout: 20_000 },
  ).trim();

/** git that does not block the event loop, for talking to the in-process server. */
const gitAsync = async (cwd: string, ...args: string[]) =>
  (
    await promisify(execFile)(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
      { cwd, encoding: 'utf8', env: ENV, timeout: 20_000 },
    )
  ).stdout.trim();

describe('the GitHub stand-in over the fleet repository', () => {
  let root: string;
  let fleet: string;
  let sim: ClusterSim;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'cluster-sim-scm-'));
    fleet = join(root, 'fleet');
    mkdirSync(join(fleet, 'apps/dev'), { recursive: true });
    git(fleet, 'init', '--quiet', '--initial-branch', 'main');
    git(fleet, 'config', 'receive.denyCurrentBranch', 'updateInstead');
    writeFileSync(join(fleet, 'apps/dev/podinfo.yaml'), podinfo('6.5.0'));
    git(fleet, 'add', '.');
    git(fleet, 'commit', '--quiet', '-m', 'seed');
    sim = await startClusterSim({
      clock: new ManualClock(),
      namespaces: ['dev'],
      objects: [
        {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          metadata: { name: 'fleet', namespace: 'flux-system' },
          spec: { url: 'https://github.com/example/fleet' },
        },
        {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'apps-dev', namespace: 'flux-system' },
          spec: {
            path: './apps/dev',
            interval: '10m',
            sourceRef: { kind: 'GitRepository', name: 'fleet' },
          },
        },
      ],
      simulator: { releaseDurationMs: 1000 },
      gitops: { repo: fleet },
    });
  });

  afterEach(async () => {
    const violations = [...(sim.scm?.violations ?? [])];
    await sim.stop();
    rmSync(root, { recursive: true, force: true });
    if (violations.length) {
      throw new Error(
        `Requests broke the GitHub API:\n${violations.join('\n')}`,
      );
    }
  });

  /** Clones the fleet, sets the version on a new branch and pushes it, as the pull-request promotion does. */
  const pushBranch = (branch: string, version: string, from = 'main') => {
    const work = join(root, `work-${branch}-${version}`);
    git(root, 'clone', '--quiet', '--branch', from, fleet, work);
    git(work, 'checkout', '--quiet', '-B', branch);
    writeFileSync(join(work, 'apps/dev/podinfo.yaml'), podinfo(version));
    git(work, 'commit', '--quiet', '--all', '-m', `podinfo ${version}`);
    git(work, 'push', '--quiet', '--force', 'origin', `HEAD:${branch}`);
    return git(work, 'rev-parse', 'HEAD');
  };

  const gh = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${sim.scm!.githubApiBaseUrl}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github.v3+json',
        'user-agent': 'cluster-sim-test',
        authorization: `token ${sim.token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  };

  const open = (head: string, title = `Promote ${head}`) =>
    gh('POST', '/repos/example/fleet/pulls', {
      title,
      head,
      base: 'main',
      body: `Promote podinfo\n\n<!-- marker -->`,
    });

  const version = () =>
    sim.store.get(HELM_RELEASE, 'dev', 'podinfo').spec.chart.spec.version;

  it('serves the API under /api/v3 on its own port, with the sim token', () => {
    expect(sim.scm!.githubApiBaseUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/,
    );
    expect(sim.scm!.githubApiBaseUrl).not.toContain(sim.url);
    expect(sim.scm!.token).toBe('cluster-sim-token');
  });

  it('opens a pull request from a branch pushed to the fleet repository, gets and lists it', async () => {
    const sha = pushBranch('promote-dev', '6.5.1');

    const created = await open('promote-dev');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      number: 1,
      state: 'open',
      merged: false,
      html_url: `${sim.scm!.url}/example/fleet/pull/1`,
      title: 'Promote promote-dev',
      head: { ref: 'promote-dev', sha, label: 'example:promote-dev' },
      base: { ref: 'main', sha: git(fleet, 'rev-parse', 'main') },
      merged_at: null,
    });

    const got = await gh('GET', '/repos/example/fleet/pulls/1');
    expect(got.body).toMatchObject({
      number: 1,
      merged: false,
      mergeable: true,
      mergeable_state: 'clean',
    });
    const listed = await gh(
      'GET',
      '/repos/example/fleet/pulls?state=open&head=example%3Apromote-dev&per_page=100',
    );
    expect(listed.body.map((p: any) => [p.number, p.head.ref])).toEqual([
      [1, 'promote-dev'],
    ]);
    expect(listed.body[0]).not.toHaveProperty('merged');
    const other = await gh(
      'GET',
      '/repos/example/fleet/pulls?state=open&head=example%3Aother',
    );
    expect(other.body).toEqual([]);
  });

  it('pages the list newest first with Link headers', async () => {
    for (let i = 1; i <= 3; i++) {
      pushBranch(`b${i}`, `6.5.${i}`);
      expect((await open(`b${i}`)).status).toBe(201);
    }
    const first = await gh(
      'GET',
      '/repos/example/fleet/pulls?state=open&per_page=2&page=1',
    );
    expect(first.body.map((p: any) => p.number)).toEqual([3, 2]);
    expect(first.headers.get('link')).toContain('page=2>; rel="next"');
    const second = await gh(
      'GET',
      '/repos/example/fleet/pulls?state=open&per_page=2&page=2',
    );
    expect(second.body.map((p: any) => p.number)).toEqual([1]);
  });

  it('answers 422 like GitHub for a duplicate, an unknown branch and a branch without commits', async () => {
    pushBranch('promote-dev', '6.5.1');
    expect((await open('promote-dev')).status).toBe(201);

    const duplicate = await open('example:promote-dev');
    expect(duplicate.status).toBe(422);
    expect(duplicate.body).toMatchObject({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: 'A pull request already exists for example:promote-dev.',
        },
      ],
    });

    const missing = await open('never-pushed');
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([
      { resource: 'PullRequest', field: 'head', code: 'invalid' },
    ]);

    git(fleet, 'branch', 'same-as-main', 'main');
    const empty = await open('same-as-main');
    expect(empty.status).toBe(422);
    expect(empty.body.errors[0].message).toBe(
      'No commits between main and same-as-main',
    );
    expect(sim.scm!.pulls()).toHaveLength(1);
  });

  it('updates the title, body and base, takes comments and closes', async () => {
    pushBranch('promote-dev', '6.5.1');
    git(fleet, 'branch', 'release', 'main');
    await open('promote-dev');

    const updated = await gh('PATCH', '/repos/example/fleet/pulls/1', {
      title: 'Retitled',
      body: 'New body',
      base: 'release',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      title: 'Retitled',
      body: 'New body',
      base: { ref: 'release' },
      state: 'open',
    });
    const badBase = await gh('PATCH', '/repos/example/fleet/pulls/1', {
      base: 'nope',
    });
    expect(badBase.status).toBe(422);

    const comment = await gh('POST', '/repos/example/fleet/issues/1/comments', {
      body: 'Superseded by #2',
    });
    expect(comment.status).toBe(201);
    expect(comment.body).toMatchObject({ id: 1, body: 'Superseded by #2' });

    const closed = await gh('PATCH', '/repos/example/fleet/pulls/1', {
      state: 'closed',
    });
    expect(closed.body).toMatchObject({
      state: 'closed',
      merged: false,
      merged_at: null,
    });
    expect(closed.body.closed_at).toEqual(expect.any(String));
    const [pull] = sim.scm!.pulls();
    expect(pull).toMatchObject({
      state: 'closed',
      title: 'Retitled',
      base: 'release',
      comments: [expect.objectContaining({ body: 'Superseded by #2' })],
    });
    const openList = await gh('GET', '/repos/example/fleet/pulls');
    expect(openList.body).toEqual([]);
    const closedList = await gh(
      'GET',
      '/repos/example/fleet/pulls?state=closed',
    );
    expect(closedList.body.map((p: any) => p.number)).toEqual([1]);
    // Closed, not merged: the merge button is gone.
    expect(
      (await gh('PUT', '/repos/example/fleet/pulls/1/merge', {})).status,
    ).toBe(405);
  });

  it('merges for real: main gets a merge commit and the GitOps loop deploys it', async () => {
    await sim.gitops!.poll();
    expect(version()).toBe('6.5.0');
    const head = pushBranch('promote-dev', '6.5.1');
    await open('promote-dev', 'Promote podinfo 6.5.1 to dev');

    const merged = await gh('PUT', '/repos/example/fleet/pulls/1/merge', {
      merge_method: 'merge',
    });

    expect(merged.status).toBe(200);
    expect(merged.body).toEqual({
      sha: git(fleet, 'rev-parse', 'main'),
      merged: true,
      message: 'Pull Request successfully merged',
    });
    expect(git(fleet, 'log', '-1', '--format=%P%n%s%n%b', 'main')).toBe(
      `${git(
        fleet,
        'rev-parse',
        'main~1',
      )} ${head}\nMerge pull request #1 from example/promote-dev\nPromote podinfo 6.5.1 to dev`,
    );
    expect(git(fleet, 'show', 'main:apps/dev/podinfo.yaml')).toContain(
      'version: 6.5.1',
    );
    // Merged in the checked-out working tree, which stays clean for pushes.
    expect(readFileSync(join(fleet, 'apps/dev/podinfo.yaml'), 'utf8')).toBe(
      podinfo('6.5.1'),
    );
    expect(git(fleet, 'status', '--porcelain')).toBe('');

    await sim.gitops!.poll();
    expect(version()).toBe('6.5.1');

    const got = await gh('GET', '/repos/example/fleet/pulls/1');
    expect(got.body).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: merged.body.sha,
    });
    expect((await gh('GET', '/repos/example/fleet/pulls/1/merge')).status).toBe(
      204,
    );
    const again = await gh('PUT', '/repos/example/fleet/pulls/1/merge');
    expect(again.status).toBe(405);
    const reopen = await gh('PATCH', '/repos/example/fleet/pulls/1', {
      state: 'open',
    });
    expect(reopen.status).toBe(422);

    // Pushes to main still land after the merge (updateInstead on a clean tree).
    const next = pushBranch('main', '6.5.2');
    expect(git(fleet, 'rev-parse', 'main')).toBe(next);
  });

  it('merges into a branch that is not checked out, in a throwaway worktree', async () => {
    git(fleet, 'branch', 'release', 'main');
    pushBranch('promote-release', '7.0.0', 'release');
    await gh('POST', '/repos/example/fleet/pulls', {
      title: 'To release',
      head: 'promote-release',
      base: 'release',
    });
    const merged = await gh('PUT', '/repos/example/fleet/pulls/1/merge', {});
    expect(merged.status).toBe(200);
    expect(git(fleet, 'show', 'release:apps/dev/podinfo.yaml')).toContain(
      'version: 7.0.0',
    );
    expect(git(fleet, 'show', 'main:apps/dev/podinfo.yaml')).toContain(
      'version: 6.5.0',
    );
    expect(git(fleet, 'worktree', 'list')).not.toContain('cluster-sim-merge');
  });

  it('answers 405 for a conflicting merge and leaves main as it was', async () => {
    pushBranch('first', '6.6.0');
    pushBranch('second', '6.7.0');
    await open('first');
    await open('second');
    expect(
      (await gh('PUT', '/repos/example/fleet/pulls/1/merge', {})).status,
    ).toBe(200);
    const main = git(fleet, 'rev-parse', 'main');

    expect(
      (await gh('GET', '/repos/example/fleet/pulls/2')).body,
    ).toMatchObject({ mergeable: false, mergeable_state: 'dirty' });
    const conflict = await gh('PUT', '/repos/example/fleet/pulls/2/merge', {});

    expect(conflict.status).toBe(405);
    expect(conflict.body.message).toBe('Pull Request is not mergeable');
    expect(git(fleet, 'rev-parse', 'main')).toBe(main);
    expect(git(fleet, 'status', '--porcelain')).toBe('');
    expect(sim.scm!.pulls()[1]).toMatchObject({
      state: 'open',
      mergedAt: null,
    });
  });

  it('answers 409 when the head moved since the sha the client saw', async () => {
    const old = pushBranch('promote-dev', '6.5.1');
    await open('promote-dev');
    pushBranch('promote-dev', '6.5.2');
    const stale = await gh('PUT', '/repos/example/fleet/pulls/1/merge', {
      sha: old,
    });
    expect(stale.status).toBe(409);
  });

  it('answers 401 for a wrong or missing token and 404 for an unknown pull request', async () => {
    const wrong = await gh('GET', '/repos/example/fleet/pulls', undefined, {
      authorization: 'Bearer nope',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('Bad credentials');
    const missing = await fetch(
      `${sim.scm!.githubApiBaseUrl}/repos/example/fleet/pulls`,
      { headers: { accept: 'application/json', 'user-agent': 't' } },
    );
    expect(missing.status).toBe(401);
    const bearer = await gh('GET', '/repos/example/fleet/pulls', undefined, {
      authorization: `Bearer ${sim.token}`,
    });
    expect(bearer.status).toBe(200);

    const unknown = await gh('GET', '/repos/example/fleet/pulls/7');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Not Found');
    expect(
      (
        await gh('POST', '/repos/example/fleet/issues/7/comments', {
          body: 'x',
        })
      ).status,
    ).toBe(404);
  });

  it('answers 400 and records a violation for a request GitHub would not take', async () => {
    pushBranch('promote-dev', '6.5.1');
    const bad = await gh('POST', '/repos/example/fleet/pulls', {
      title: 't',
      head: 'promote-dev',
      base: 'main',
      description: 'x',
    });
    expect(bad.status).toBe(400);
    await gh('POST', '/repos/example/fleet/pulls', {
      title: 1,
      head: 'promote-dev',
      base: 'main',
    });
    await gh('GET', '/repos/example/fleet/pulls/1', undefined, {
      accept: '*/*',
    });
    await gh('GET', '/repos/example/fleet/pulls?status=open');
    expect((await gh('GET', '/repos/example/fleet/branches')).status).toBe(404);
    expect(sim.scm!.violations.splice(0)).toEqual([
      'GitHub POST /repos/example/fleet/pulls: unknown field "description"',
      'GitHub POST /repos/example/fleet/pulls: field "title" must be a string, got 1',
      'GitHub GET /repos/example/fleet/pulls/1: Accept must be application/vnd.github+json, got "*/*"',
      'GitHub GET /repos/example/fleet/pulls: unknown query parameter "status"',
      'GitHub GET /repos/example/fleet/branches: no such route',
    ]);
    expect(sim.scm!.pulls()).toEqual([]);
  });

  it('offers a pull request page whose Merge button merges', async () => {
    pushBranch('promote-dev', '6.5.1');
    await open('promote-dev', 'Promote <podinfo>');
    const page = await (
      await fetch(`${sim.scm!.url}/example/fleet/pull/1`)
    ).text();
    expect(page).toContain('Promote &lt;podinfo&gt;');
    expect(page).toContain('id="merge"');

    const merged = await fetch(`${sim.scm!.url}/example/fleet/pull/1/merge`, {
      method: 'POST',
    });
    expect(merged.status).toBe(200);
    expect(merged.url).toBe(`${sim.scm!.url}/example/fleet/pull/1`);
    expect(await merged.text()).toContain('id="state">Merged');
    expect(git(fleet, 'show', 'main:apps/dev/podinfo.yaml')).toContain(
      'version: 6.5.1',
    );
    const list = await (
      await fetch(`${sim.scm!.url}/example/fleet/pulls`)
    ).text();
    expect(list).toContain('href="/example/fleet/pull/1"');
  });

  it('serves the fleet repository over git smart HTTP, so a clone URL and the API share a host', async () => {
    const url = `${sim.scm!.url}/example/fleet.git`;
    const basic = Buffer.from(`x-access-token:${sim.token}`).toString('base64');
    const auth = ['-c', `http.extraHeader=Authorization: Basic ${basic}`];
    const work = join(root, 'http-clone');
    await expect(
      gitAsync(
        root,
        '-c',
        'credential.helper=',
        'clone',
        '--quiet',
        url,
        join(root, 'anon'),
      ),
    ).rejects.toThrow(/401|Authentication failed|could not read Username/);

    await gitAsync(
      root,
      ...auth,
      'clone',
      '--quiet',
      '--depth',
      '1',
      url,
      work,
    );
    expect(readFileSync(join(work, 'apps/dev/podinfo.yaml'), 'utf8')).toBe(
      podinfo('6.5.0'),
    );
    git(work, 'checkout', '--quiet', '-b', 'promote-dev');
    writeFileSync(join(work, 'apps/dev/podinfo.yaml'), podinfo('6.5.1'));
    git(work, 'commit', '--quiet', '--all', '-m', 'podinfo 6.5.1');
    await gitAsync(work, ...auth, 'push', '--quiet', 'origin', 'promote-dev');
    expect(git(fleet, 'rev-parse', 'promote-dev')).toBe(
      git(work, 'rev-parse', 'HEAD'),
    );

    expect((await open('promote-dev')).status).toBe(201);
    expect(
      (await gh('PUT', '/repos/example/fleet/pulls/1/merge', {})).status,
    ).toBe(200);
    await gitAsync(work, ...auth, 'fetch', '--quiet', 'origin', 'main');
    expect(git(work, 'show', 'FETCH_HEAD:apps/dev/podinfo.yaml')).toContain(
      'version: 6.5.1',
    );
    // A push to the checked-out main updates the fleet's working tree.
    git(work, 'checkout', '--quiet', '-B', 'main', 'FETCH_HEAD');
    writeFileSync(join(work, 'apps/dev/podinfo.yaml'), podinfo('6.5.2'));
    git(work, 'commit', '--quiet', '--all', '-m', 'podinfo 6.5.2');
    await gitAsync(work, ...auth, 'push', '--quiet', 'origin', 'main');
    expect(readFileSync(join(fleet, 'apps/dev/podinfo.yaml'), 'utf8')).toBe(
      podinfo('6.5.2'),
    );
  });

  it('keeps pull requests in the git directory across a restart', async () => {
    pushBranch('promote-dev', '6.5.1');
    await open('promote-dev');
    await gh('POST', '/repos/example/fleet/issues/1/comments', { body: 'hi' });
    // Opened by someone else, outside the API.
    expect(
      sim.scm!.api.openPull({ head: 'promote-dev', base: 'main', title: 'x' }),
    ).toBe(2);

    const again = await startGithubStandIn({ repo: fleet, token: 'T' });
    try {
      expect(again.pulls()).toEqual(sim.scm!.pulls());
      expect(again.pulls()[0]).toMatchObject({
        number: 1,
        head: 'promote-dev',
      });
    } finally {
      await again.stop();
    }
  });

  it('is not started without a local repository, or when turned off', async () => {
    const plain = await startClusterSim({ clock: new ManualClock() });
    const off = await startClusterSim({
      clock: new ManualClock(),
      gitops: { repo: fleet },
      scm: false,
    });
    try {
      expect(plain.scm).toBeUndefined();
      expect(off.scm).toBeUndefined();
    } finally {
      await plain.stop();
      await off.stop();
    }
  });
});
