import { InputError } from '@backstage/errors';
import {
  CONTRACT_BRANCH,
  describePullRequestProviderContract,
  useFakeScmServer,
} from './__testUtils__/pullRequestProviderContract';
import { githubHarness as harness } from './__testUtils__/providerHarnesses';

const TOKEN = 'ghp_theRealTokenDoNotLeak';

describe('GithubPullRequestProvider', () => {
  describePullRequestProviderContract(harness, TOKEN);

  describe('specifics', () => {
    const server = useFakeScmServer(harness, TOKEN);

    it('reads GitHub Enterprise clone URLs', async () => {
      const github = harness.provider(server(), {
        configToken: 'unused',
        url: 'git@ghe.example.com:org/fleet.git',
        token: TOKEN,
      });
      await expect(
        github.create({
          headBranch: CONTRACT_BRANCH,
          baseBranch: 'main',
          title: 'Promote',
          body: 'Promote',
        }),
      ).resolves.toMatchObject({ number: 1 });
    });

    it('refuses a repository without an integrations.github entry', () => {
      expect(() =>
        harness.provider(server(), {
          configToken: TOKEN,
          url: 'https://elsewhere.example/org/fleet',
        }),
      ).toThrow(InputError);
    });
  });
});
