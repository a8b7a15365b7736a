import { FakeScmServer, startFakeScmServer } from './fakeScmServer';

describe('startFakeScmServer', () => {
  let server: FakeScmServer;

  beforeEach(async () => {
    server = await startFakeScmServer({
      githubToken: 'gh-token',
      gitlabToken: 'gl-token',
    });
    server.github.addRepository('org/fleet', ['main', 'topic']);
    server.gitlab.addProject('group/fleet', ['main', 'topic']);
  });

  afterEach(() => server.stop());

  const github = (path: string, init: RequestInit = {}) =>
    fetch(`${server.githubApiBaseUrl}${path}`, {
      ...init,
      headers: {
        accept: 'application/vnd.github.v3+json',
        'user-agent': 'test',
        authorization: 'token gh-token',
        'content-type': 'application/json',
        ...init.headers,
      },
    });

  it('answers 400 and records a violation for a field GitHub does not have', async () => {
    const response = await github('/repos/org/fleet/pulls', {
      method: 'POST',
      body: JSON.stringify({
        title: 't',
        head: 'topic',
        base: 'main',
        description: 'x',
      }),
    });
    expect(response.status).toBe(400);
    expect(server.violations).toEqual([
      'GitHub POST /repos/org/fleet/pulls: unknown field "description"',
    ]);
  });

  it('records a violation for a GitHub request with a wrong type or a missing Accept', async () => {
    await github('/repos/org/fleet/pulls', {
      method: 'POST',
      body: JSON.stringify({ title: 1, head: 'topic', base: 'main' }),
    });
    await github('/repos/org/fleet/pulls/1', { headers: { accept: '*/*' } });
    expect(server.violations).toEqual([
      'GitHub POST /repos/org/fleet/pulls: field "title" must be a string, got 1',
      'GitHub GET /repos/org/fleet/pulls/1: Accept must be application/vnd.github+json, got "*/*"',
    ]);
  });

  it('answers like GitHub: 201, then 422 for a second pull request from the same branch', async () => {
    const open = () =>
      github('/repos/org/fleet/pulls', {
        method: 'POST',
        body: JSON.stringify({ title: 't', head: 'topic', base: 'main' }),
      });
    const first = await open();
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      number: 1,
      html_url: 'https://github.com/org/fleet/pull/1',
      state: 'open',
      merged: false,
      head: { ref: 'topic' },
    });
    const second = await open();
    expect(second.status).toBe(422);
    expect(await second.json()).toMatchObject({
      message: 'Validation Failed',
      errors: [{ message: 'A pull request already exists for org:topic.' }],
    });
    expect(server.violations).toEqual([]);
  });

  it('records a violation for a GitLab project path that is not URL-encoded', async () => {
    const response = await fetch(
      `${server.gitlabApiBaseUrl}/projects/group/fleet/merge_requests`,
      { headers: { 'PRIVATE-TOKEN': 'gl-token' } },
    );
    expect(response.status).toBe(400);
    expect(server.violations).toHaveLength(1);
    expect(server.violations[0]).toContain('is the project path URL-encoded?');
  });

  it('answers like GitLab: PRIVATE-TOKEN accepted, 401 without a token, 404 for an unknown project', async () => {
    const url = (project: string) =>
      `${server.gitlabApiBaseUrl}/projects/${encodeURIComponent(
        project,
      )}/merge_requests?state=opened`;
    const ok = await fetch(url('group/fleet'), {
      headers: { 'PRIVATE-TOKEN': 'gl-token' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-next-page')).toBe('');
    expect((await fetch(url('group/fleet'))).status).toBe(401);
    const missing = await fetch(url('group/missing'), {
      headers: { authorization: 'Bearer gl-token' },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: '404 Project Not Found' });
    expect(server.violations).toEqual([]);
  });
});
