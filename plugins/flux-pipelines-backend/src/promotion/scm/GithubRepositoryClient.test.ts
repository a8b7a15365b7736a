import { InputError } from '@backstage/errors';

// Octokit binds console.error when it loads, so the spy comes first and the
// provider (which loads Octokit) after it.
const consoleError = jest.spyOn(console, 'error');
type Contract = typeof import('./__testUtils__/pullRequestProviderContract');
type Harnesses = typeof import('./__testUtils__/providerHarnesses');
const { useFakeScmServer } = jest.requireActual<Contract>(
  './__testUtils__/pullRequestProviderContract',
);
const { githubHarness } = jest.requireActual<Harnesses>(
  './__testUtils__/providerHarnesses',
);

const TOKEN = 'ghp_theRealTokenDoNotLeak';

describe('GithubRepositoryClient', () => {
  const server = useFakeScmServer(githubHarness, TOKEN);

  it('leaves a refused request to the typed error, writing nothing to the console', async () => {
    const github = githubHarness.provider(server(), { configToken: TOKEN });
    await expect(
      github.create({
        headBranch: 'never-pushed',
        baseBranch: 'main',
        title: 'Promote',
        body: 'Promote',
      }),
    ).rejects.toBeInstanceOf(InputError);
    expect(consoleError).not.toHaveBeenCalled();
  });
});
