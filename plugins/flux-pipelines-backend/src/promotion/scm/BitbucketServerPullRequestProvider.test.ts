import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import { inspect } from 'node:util';
import { BitbucketServerPullRequestProvider } from './BitbucketServerPullRequestProvider';
import {
  CONTRACT_BRANCH,
  describePullRequestProviderContract,
  useFakeScmServer,
} from './__testUtils__/pullRequestProviderContract';
import {
  BITBUCKET_REPO as REPO,
  BITBUCKET_USER,
  BITBUCKET_WEB as WEB,
  bitbucketServerHarness as harness,
  bitbucketServerIntegrations,
} from './__testUtils__/providerHarnesses';

const TOKEN = 'BBDC-theRealTokenDoNotLeak';

describe('BitbucketServerPullRequestProvider', () => {
  describePullRequestProviderContract(harness, TOKEN);

  describe('specifics', () => {
    const server = useFakeScmServer(harness, TOKEN);

    const provider = (
      options: {
        url?: string;
        token?: string;
        credentials?: { token?: string; username?: string; password?: string };
      } = {},
    ) =>
      BitbucketServerPullRequestProvider.fromUrl({
        url: options.url ?? `${WEB}/projects/PLAT/repos/fleet/browse`,
        integrations: bitbucketServerIntegrations(
          server(),
          options.credentials ?? { token: TOKEN },
        ),
        token: options.token,
      });

    const input = {
      headBranch: CONTRACT_BRANCH,
      baseBranch: 'main',
      title: 'Promote podinfo 6.1.0 to prod',
      body: 'Promotes 6.1.0',
    };

    it('sends the documented create payload and paged, filtered look-ups', async () => {
      const bitbucket = provider();
      await bitbucket.create(input);
      await bitbucket.findOpen(CONTRACT_BRANCH);

      const [create, find] = server().requests;
      expect(create.body).toEqual({
        title: input.title,
        description: input.body,
        fromRef: {
          id: `refs/heads/${CONTRACT_BRANCH}`,
          repository: { slug: 'fleet', project: { key: 'PLAT' } },
        },
        toRef: {
          id: 'refs/heads/main',
          repository: { slug: 'fleet', project: { key: 'PLAT' } },
        },
      });
      expect(create.headers['content-type']).toMatch(/^application\/json/);
      expect(find.query).toBe(
        `?${new URLSearchParams({
          state: 'OPEN',
          at: `refs/heads/${CONTRACT_BRANCH}`,
          direction: 'OUTGOING',
          limit: '100',
        })}`,
      );
    });

    it('uses Basic credentials from the integration when it has no token', async () => {
      const bitbucket = provider({ credentials: BITBUCKET_USER });
      await expect(bitbucket.create(input)).resolves.toMatchObject({
        number: 1,
      });
      expect(server().requests[0].headers.authorization).toBe(
        `Basic ${Buffer.from('ci-bot:pa55-Secret').toString('base64')}`,
      );
    });

    it('keeps a wrong password out of the AuthenticationError', async () => {
      const error = await provider({
        credentials: { username: 'ci-bot', password: 'wrong-Secret' },
      })
        .findOpen(CONTRACT_BRANCH)
        .catch(e => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      const text = inspect(error, { depth: 10 });
      expect(text).not.toContain('wrong-Secret');
      expect(text).not.toContain(
        Buffer.from('ci-bot:wrong-Secret').toString('base64'),
      );
    });

    it('refuses to run without credentials', () => {
      expect(() => provider({ credentials: {} })).toThrow(AuthenticationError);
    });

    it('changes the target branch, keeps the reviewers, and retries once when the version moved on', async () => {
      server().bitbucketServer.pushBranch(REPO, 'release');
      const number = server().bitbucketServer.openPullRequest(REPO, {
        head: CONTRACT_BRANCH,
        title: 'Old',
        body: 'Old body',
        reviewers: ['alice'],
      });
      const bitbucket = provider();
      // Someone edits the pull request between our read and our write.
      const realFetch = global.fetch;
      let touched = false;
      jest.spyOn(global, 'fetch').mockImplementation(async (url, init) => {
        if (init?.method === 'PUT' && !touched) {
          touched = true;
          server().bitbucketServer.touch(REPO, number);
        }
        return realFetch(url, init);
      });
      try {
        const updated = await bitbucket.update(number, {
          title: 'New',
          body: 'New body',
          baseBranch: 'release',
        });
        expect(updated).toMatchObject({
          number,
          title: 'New',
          body: 'New body',
          baseBranch: 'release',
        });
      } finally {
        jest.restoreAllMocks();
      }
      expect(server().bitbucketServer.pullRequests(REPO)[0]).toMatchObject({
        toBranch: 'release',
        reviewers: ['alice'],
        version: 2,
      });
      expect(server().requests.map(r => `${r.method} ${r.status}`)).toEqual([
        'GET 200',
        'PUT 409',
        'GET 200',
        'PUT 200',
      ]);
    });

    it('gives up with a ConflictError when the version keeps moving', async () => {
      const number = server().bitbucketServer.openPullRequest(REPO, {
        head: CONTRACT_BRANCH,
        title: 'Old',
        body: 'Old body',
      });
      const realFetch = global.fetch;
      jest.spyOn(global, 'fetch').mockImplementation(async (url, init) => {
        if (init?.method === 'POST' && String(url).includes('/decline')) {
          server().bitbucketServer.touch(REPO, number);
        }
        return realFetch(url, init);
      });
      try {
        await expect(provider().close(number, 'Superseded')).rejects.toThrow(
          ConflictError,
        );
      } finally {
        jest.restoreAllMocks();
      }
      expect(server().bitbucketServer.pullRequests(REPO)[0].state).toBe('OPEN');
    });

    it('names the pull request in a NotFoundError', async () => {
      await expect(provider().get(42)).rejects.toThrow(
        new NotFoundError(
          'Bitbucket Server pull request #42 of PLAT/fleet was not found, or the token cannot see it (reading pull request #42 in PLAT/fleet)',
        ),
      );
    });

    it('refuses a repository without an integrations.bitbucketServer entry', () => {
      expect(() =>
        provider({ url: 'https://elsewhere.example/scm/PLAT/fleet.git' }),
      ).toThrow(InputError);
    });

    it('follows a pull request by its web URL', async () => {
      const { url } = await provider().create(input);
      expect(url).toBe(`${WEB}/projects/PLAT/repos/fleet/pull-requests/1`);
    });
  });
});
