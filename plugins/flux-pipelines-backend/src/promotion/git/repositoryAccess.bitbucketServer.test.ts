import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { resolveRepositoryAccess } from './repositoryAccess';
import { gitEnvironment, secretsOf } from './runGit';

describe('resolveRepositoryAccess for Bitbucket Server', () => {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        bitbucketServer: [
          { host: 'bitbucket.example.com', token: 'BBDC-secret' },
          {
            host: 'code.example.com',
            username: 'ci-bot',
            password: 'pa55-secret',
          },
        ],
      },
    }),
  );
  const access = (url: string, token?: string) =>
    resolveRepositoryAccess({
      url,
      integrations,
      allowedRepositories: [],
      token,
    });

  it('sends an HTTP access token as a Bearer token, as project and repository tokens require', async () => {
    const { auth } = await access(
      'https://bitbucket.example.com/scm/plat/fleet.git',
    );
    expect(auth).toEqual({
      username: '',
      password: 'BBDC-secret',
      bearer: true,
    });
    const env = gitEnvironment({
      url: 'https://bitbucket.example.com/scm/plat/fleet.git',
      auth,
      hooksPath: '/dev/null',
    });
    expect(Object.values(env)).toContain('Authorization: Bearer BBDC-secret');
    expect(secretsOf(auth)).toContain('BBDC-secret');
  });

  it('uses Basic credentials when the integration has a username and password', async () => {
    await expect(
      access('https://code.example.com/scm/plat/fleet.git'),
    ).resolves.toEqual({
      auth: { username: 'ci-bot', password: 'pa55-secret' },
    });
  });

  it('sends a pipeline secretRef token as a Bearer token too', async () => {
    await expect(
      access('https://code.example.com/scm/plat/fleet.git', 'BBDC-pipeline'),
    ).resolves.toEqual({
      auth: { username: '', password: 'BBDC-pipeline', bearer: true },
    });
  });
});
