import { NotFoundError } from '@backstage/errors';
import { GitlabPullRequestProvider } from './GitlabPullRequestProvider';
import {
  CONTRACT_BRANCH,
  describePullRequestProviderContract,
  useFakeScmServer,
} from './__testUtils__/pullRequestProviderContract';
import {
  GITLAB_API as API,
  GITLAB_PROJECT as PROJECT,
  gitlabHarness as harness,
  integrationsFrom,
} from './__testUtils__/providerHarnesses';

const TOKEN = 'glpat-theRealTokenDoNotLeak';

describe('GitlabPullRequestProvider', () => {
  describePullRequestProviderContract(harness, TOKEN);

  describe('specifics', () => {
    const server = useFakeScmServer(harness, TOKEN);

    it('turns an unknown merge request into a NotFoundError naming it', async () => {
      await expect(
        harness.provider(server(), { configToken: TOKEN }).get(42),
      ).rejects.toThrow(
        new NotFoundError(
          `GitLab merge request !42 of ${PROJECT} was not found, or the token cannot see it (reading merge request !42 in ${PROJECT})`,
        ),
      );
    });

    it('finds the project under a GitLab served from a sub-path', async () => {
      const gitlab = GitlabPullRequestProvider.fromUrl({
        url: `https://code.example.com/gitlab/${PROJECT}/-/tree/main`,
        integrations: integrationsFrom({
          gitlab: [
            {
              host: 'code.example.com',
              apiBaseUrl: server().gitlabApiBaseUrl,
              baseUrl: 'https://code.example.com/gitlab',
              token: TOKEN,
            },
          ],
        }),
      });
      await expect(gitlab.findOpen(CONTRACT_BRANCH)).resolves.toBeUndefined();
      expect(server().requests[0].path).toBe(API);
    });

    it('reads SSH clone URLs', async () => {
      const gitlab = harness.provider(server(), {
        url: `git@gitlab.example.com:${PROJECT}.git`,
        configToken: TOKEN,
      });
      await expect(
        gitlab.create({
          headBranch: CONTRACT_BRANCH,
          baseBranch: 'main',
          title: 'Promote',
          body: 'Promote',
        }),
      ).resolves.toMatchObject({ number: 1 });
    });
  });
});
