import { FakeScmServer, startFakeScmServer } from './fakeScmServer';

describe('the fake Bitbucket Server API', () => {
  let server: FakeScmServer;

  beforeEach(async () => {
    server = await startFakeScmServer({ bitbucketServerToken: 'bb-token' });
    server.bitbucketServer.addRepository('PLAT/fleet', ['main', 'topic']);
  });

  afterEach(() => server.stop());

  const call = (
    path: string,
    init: RequestInit & { headers?: Record<string, string> } = {},
  ) =>
    fetch(
      `${server.bitbucketServerApiBaseUrl}/projects/PLAT/repos/fleet${path}`,
      {
        ...init,
        headers: {
          accept: 'application/json',
          authorization: 'Bearer bb-token',
          'content-type': 'application/json',
          ...init.headers,
        },
      },
    );

  const create = (body: object) =>
    call('/pull-requests', { method: 'POST', body: JSON.stringify(body) });

  const refs = {
    fromRef: { id: 'refs/heads/topic' },
    toRef: { id: 'refs/heads/main' },
  };

  it('answers 401 with Bitbucket errors without or with a wrong token', async () => {
    for (const authorization of ['Bearer wrong', undefined]) {
      const response = await fetch(
        `${server.bitbucketServerApiBaseUrl}/projects/PLAT/repos/fleet/pull-requests`,
        {
          headers: {
            accept: 'application/json',
            ...(authorization && { authorization }),
          },
        },
      );
      expect(response.status).toBe(401);
      const body = await response.json();
      expect(body.errors[0].exceptionName).toMatch(
        /^com\.atlassian\.bitbucket\./,
      );
    }
    expect(server.violations).toEqual([]);
  });

  it('records a violation for a field the API does not have or a missing title', async () => {
    expect((await create({ ...refs, title: 't', body: 'x' })).status).toBe(400);
    expect((await create({ ...refs })).status).toBe(400);
    expect(server.violations).toEqual([
      'Bitbucket Server POST /projects/PLAT/repos/fleet/pull-requests: unknown field "body"',
      'Bitbucket Server POST /projects/PLAT/repos/fleet/pull-requests: missing required field "title"',
    ]);
  });

  it('refuses a POST without a JSON body unless it opts out of the XSRF check', async () => {
    await create({ ...refs, title: 'one' });
    const decline = (headers: Record<string, string>) =>
      fetch(
        `${server.bitbucketServerApiBaseUrl}/projects/PLAT/repos/fleet/pull-requests/1/decline?version=0`,
        {
          method: 'POST',
          headers: {
            accept: 'application/json',
            authorization: 'Bearer bb-token',
            ...headers,
          },
        },
      );
    expect((await decline({})).status).toBe(403);
    expect((await decline({ 'x-atlassian-token': 'no-check' })).status).toBe(
      200,
    );
    expect(server.bitbucketServer.pullRequests('PLAT/fleet')[0].state).toBe(
      'DECLINED',
    );
    expect(server.violations).toEqual([]);
  });

  it('answers a duplicate with 409 DuplicatePullRequestException and the existing one', async () => {
    expect((await create({ ...refs, title: 'one' })).status).toBe(201);
    const response = await create({ ...refs, title: 'two' });
    expect(response.status).toBe(409);
    const [error] = (await response.json()).errors;
    expect(error).toMatchObject({
      exceptionName:
        'com.atlassian.bitbucket.pull.DuplicatePullRequestException',
      existingPullRequest: { id: 1, title: 'one' },
    });
    expect(server.violations).toEqual([]);
  });

  it('pages with start, limit, isLastPage and nextPageStart, newest first', async () => {
    for (let i = 0; i < 3; i++) {
      server.bitbucketServer.openPullRequest('PLAT/fleet', {
        head: `b-${i}`,
        title: `pr ${i}`,
        body: '',
      });
    }
    const first = await (await call('/pull-requests?limit=2')).json();
    expect(first).toMatchObject({
      size: 2,
      isLastPage: false,
      nextPageStart: 2,
      start: 0,
    });
    expect(first.values.map((v: { id: number }) => v.id)).toEqual([3, 2]);
    const last = await (await call('/pull-requests?limit=2&start=2')).json();
    expect(last).toMatchObject({ size: 1, isLastPage: true, start: 2 });
    expect(last.nextPageStart).toBeUndefined();
    expect(server.violations).toEqual([]);
  });

  it('refuses a stale version with 409 PullRequestOutOfDateException', async () => {
    await create({ ...refs, title: 'one' });
    server.bitbucketServer.touch('PLAT/fleet', 1);
    const response = await call('/pull-requests/1', {
      method: 'PUT',
      body: JSON.stringify({ version: 0, title: 'two' }),
    });
    expect(response.status).toBe(409);
    expect((await response.json()).errors[0].exceptionName).toBe(
      'com.atlassian.bitbucket.pull.PullRequestOutOfDateException',
    );
    expect(server.violations).toEqual([]);
  });
});
