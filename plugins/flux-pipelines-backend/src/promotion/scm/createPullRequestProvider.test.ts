import { ConfigReader } from '@backstage/config';
import { InputError, NotImplementedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { GithubPullRequestProvider } from './GithubPullRequestProvider';
import { GitlabPullRequestProvider } from './GitlabPullRequestProvider';
import { BitbucketServerPullRequestProvider } from './BitbucketServerPullRequestProvider';
import { createPullRequestProvider } from './createPullRequestProvider';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [{ host: 'github.com', token: 'gh' }],
      gitlab: [{ host: 'gitlab.com', token: 'gl' }],
      bitbucketServer: [{ host: 'bitbucket.example.com', token: 'bb' }],
    },
  }),
);

describe('createPullRequestProvider', () => {
  it('picks the provider of the strategy', () => {
    expect(
      createPullRequestProvider({
        provider: 'github',
        url: 'https://github.com/org/fleet',
        integrations,
      }),
    ).toBeInstanceOf(GithubPullRequestProvider);
    expect(
      createPullRequestProvider({
        provider: 'gitlab',
        url: 'https://gitlab.com/group/fleet.git',
        integrations,
      }),
    ).toBeInstanceOf(GitlabPullRequestProvider);
    expect(
      createPullRequestProvider({
        provider: 'bitbucket-server',
        url: 'https://bitbucket.example.com/scm/org/fleet.git',
        integrations,
      }),
    ).toBeInstanceOf(BitbucketServerPullRequestProvider);
  });

  it('says an unknown provider is not supported', () => {
    expect(() =>
      createPullRequestProvider({
        provider: 'gitea' as never,
        url: 'https://gitea.example.com/org/fleet.git',
        integrations,
      }),
    ).toThrow(new NotImplementedError('gitea pull requests are not supported'));
  });

  it('refuses a URL with no matching integration or no repository, without credentials in the message', () => {
    expect(() =>
      createPullRequestProvider({
        provider: 'gitlab',
        url: 'https://user:secret@gitlab.internal/group/fleet',
        integrations,
      }),
    ).toThrow(
      new InputError(
        'No integrations.gitlab entry for https://gitlab.internal/group/fleet',
      ),
    );
    expect(() =>
      createPullRequestProvider({
        provider: 'github',
        url: 'https://github.com/org',
        integrations,
      }),
    ).toThrow(InputError);
  });
});
